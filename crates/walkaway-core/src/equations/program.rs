//! Compiled formulas: a flat list of register instructions evaluated on
//! `W` lanes at once (`W = 1` for one trajectory, [`crate::ensemble::LANES`]
//! in the ensemble kernel). Each instruction runs the same arithmetic on
//! every lane, so the loop over lanes vectorises and the cost of decoding
//! an instruction is shared by all lanes.

use super::source::Pos;

/// What one instruction computes. Comparisons and logic give 1 or 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    Neg,
    Not,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Equal,
    NotEqual,
    And,
    Or,
    Abs,
    Sqrt,
    Exp,
    Ln,
    Log10,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Floor,
    Ceil,
    Sign,
    Heav,
    Min,
    Max,
    Atan2,
    Mod,
    /// `a != 0 ? b : c`.
    Select,
}

/// `out = op(a, b, c)` on slots; unused operands are 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instr {
    pub op: Op,
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub out: u32,
}

/// Where an instruction comes from, for messages about non-finite values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Origin {
    pub at: Pos,
    pub text: String,
}

/// Instructions computing some outputs from the states, parameters and time.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Program {
    pub instrs: Vec<Instr>,
    pub origins: Vec<Origin>,
    /// The slot holding each output.
    pub outputs: Vec<u32>,
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// One operation on numbers (also used to fold constants at compile time).
#[inline(always)]
pub(crate) fn apply(op: Op, a: f64, b: f64, c: f64) -> f64 {
    match op {
        Op::Neg => -a,
        Op::Not => flag(a == 0.0),
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
        Op::Pow => a.powf(b),
        Op::Less => flag(a < b),
        Op::LessEq => flag(a <= b),
        Op::Greater => flag(a > b),
        Op::GreaterEq => flag(a >= b),
        Op::Equal => flag(a == b),
        Op::NotEqual => flag(a != b),
        Op::And => flag(a != 0.0 && b != 0.0),
        Op::Or => flag(a != 0.0 || b != 0.0),
        Op::Abs => a.abs(),
        Op::Sqrt => a.sqrt(),
        Op::Exp => a.exp(),
        Op::Ln => a.ln(),
        Op::Log10 => a.log10(),
        Op::Sin => a.sin(),
        Op::Cos => a.cos(),
        Op::Tan => a.tan(),
        Op::Asin => a.asin(),
        Op::Acos => a.acos(),
        Op::Atan => a.atan(),
        Op::Sinh => a.sinh(),
        Op::Cosh => a.cosh(),
        Op::Tanh => a.tanh(),
        Op::Floor => a.floor(),
        Op::Ceil => a.ceil(),
        Op::Sign => {
            if a > 0.0 {
                1.0
            } else if a < 0.0 {
                -1.0
            } else {
                a
            }
        }
        Op::Heav => flag(a >= 0.0),
        Op::Min => a.min(b),
        Op::Max => a.max(b),
        Op::Atan2 => a.atan2(b),
        Op::Mod => a - b * (a / b).floor(),
        Op::Select => {
            if a != 0.0 {
                b
            } else {
                c
            }
        }
    }
}

#[inline(always)]
fn lanes1<const W: usize>(a: &[f64; W], f: impl Fn(f64) -> f64) -> [f64; W] {
    let mut out = [0.0; W];
    for w in 0..W {
        out[w] = f(a[w]);
    }
    out
}

#[inline(always)]
fn lanes2<const W: usize>(a: &[f64; W], b: &[f64; W], f: impl Fn(f64, f64) -> f64) -> [f64; W] {
    let mut out = [0.0; W];
    for w in 0..W {
        out[w] = f(a[w], b[w]);
    }
    out
}

impl Program {
    /// Runs the instructions on `slots` (inputs already in place).
    #[inline]
    pub(crate) fn run<const W: usize>(&self, slots: &mut [[f64; W]]) {
        for ins in &self.instrs {
            let a = slots[ins.a as usize];
            // The common arithmetic gets its own loop so it vectorises; the
            // rest goes through `apply` lane by lane.
            let out = match ins.op {
                Op::Add => lanes2(&a, &slots[ins.b as usize], |x, y| x + y),
                Op::Sub => lanes2(&a, &slots[ins.b as usize], |x, y| x - y),
                Op::Mul => lanes2(&a, &slots[ins.b as usize], |x, y| x * y),
                Op::Div => lanes2(&a, &slots[ins.b as usize], |x, y| x / y),
                Op::Neg => lanes1(&a, |x| -x),
                op => {
                    let b = slots[ins.b as usize];
                    let c = slots[ins.c as usize];
                    let mut out = [0.0; W];
                    for w in 0..W {
                        out[w] = apply(op, a[w], b[w], c[w]);
                    }
                    out
                }
            };
            slots[ins.out as usize] = out;
        }
    }

    /// The instruction where a non-finite value in `slot` was born, after
    /// a one-lane run: follows non-finite operands back (and the branch a
    /// conditional took) to an instruction whose operands were finite.
    pub(crate) fn blame(&self, slots: &[[f64; 1]], slot: u32) -> Option<&Origin> {
        let value = |s: u32| slots[s as usize][0];
        let mut target = slot;
        'search: loop {
            let (index, ins) = self
                .instrs
                .iter()
                .enumerate()
                .rev()
                .find(|(_, ins)| ins.out == target)?;
            let operands: Vec<u32> = match ins.op {
                Op::Select if value(ins.a).is_finite() => {
                    vec![if value(ins.a) != 0.0 { ins.b } else { ins.c }]
                }
                Op::Select => vec![ins.a],
                _ => vec![ins.a, ins.b, ins.c],
            };
            for s in operands {
                if !value(s).is_finite() {
                    target = s;
                    continue 'search;
                }
            }
            return self.origins.get(index);
        }
    }
}
