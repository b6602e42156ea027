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
    // Fused forms made by `Program::fuse_multiplications` for the ensemble
    // kernel, never by the compiler. Each rounds the product and then the
    // sum, as the two instructions it replaces did (no fused multiply-add).
    /// `a * b + c`.
    MulAdd,
    /// `c + a * b`.
    AddMul,
    /// `a * b - c`.
    MulSub,
    /// `c - a * b`.
    SubMul,
}

impl Op {
    /// How many operands the operation reads (the unused ones are 0).
    pub(crate) fn arity(self) -> usize {
        match self {
            Op::Select | Op::MulAdd | Op::AddMul | Op::MulSub | Op::SubMul => 3,
            Op::Neg
            | Op::Not
            | Op::Abs
            | Op::Sqrt
            | Op::Exp
            | Op::Ln
            | Op::Log10
            | Op::Sin
            | Op::Cos
            | Op::Tan
            | Op::Asin
            | Op::Acos
            | Op::Atan
            | Op::Sinh
            | Op::Cosh
            | Op::Tanh
            | Op::Floor
            | Op::Ceil
            | Op::Sign
            | Op::Heav => 1,
            Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Div
            | Op::Pow
            | Op::Less
            | Op::LessEq
            | Op::Greater
            | Op::GreaterEq
            | Op::Equal
            | Op::NotEqual
            | Op::And
            | Op::Or
            | Op::Min
            | Op::Max
            | Op::Atan2
            | Op::Mod => 2,
        }
    }
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

impl Instr {
    /// The slots the instruction reads.
    pub(crate) fn operands(&self) -> impl Iterator<Item = u32> {
        [self.a, self.b, self.c].into_iter().take(self.op.arity())
    }
}

/// Where an instruction comes from, for messages about non-finite values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Origin {
    pub at: Pos,
    pub text: String,
}

/// A right-hand side as the ensemble kernel runs it ([`Program::split`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct LaneProgram {
    /// Depends on the parameters alone: run when they change.
    pub hoisted: Program,
    /// Run on every call; its outputs are the derivatives.
    pub per_call: Program,
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
        Op::MulAdd => a * b + c,
        Op::AddMul => c + a * b,
        Op::MulSub => a * b - c,
        Op::SubMul => c - a * b,
    }
}

/// Lanes handled together inside one instruction: two AVX2 registers, one
/// AVX-512 register. Each block is read whole before it is written, so the
/// compiler vectorises it without having to prove that the output slot is
/// not an operand.
const BLOCK: usize = 8;

/// `slots[out] = f(slots[a], slots[b], slots[c])` lane by lane, reading
/// only the first `K` operands. The array `map`s here are inlined for
/// K ≤ 3 (checked in a profile); a four-operand form written the same way
/// left `try_map` as a call and ran far slower (docs/performance.md,
/// "Equation files").
#[inline(always)]
fn lanewise<const W: usize, const K: usize>(
    slots: &mut [[f64; W]],
    ins: &Instr,
    f: impl Fn([f64; K]) -> f64,
) {
    let inputs: [usize; K] = std::array::from_fn(|k| [ins.a, ins.b, ins.c][k] as usize);
    let out = ins.out as usize;
    if W.is_multiple_of(BLOCK) {
        for start in (0..W).step_by(BLOCK) {
            let block: [[f64; BLOCK]; K] =
                inputs.map(|s| std::array::from_fn(|i| slots[s][start + i]));
            let result: [f64; BLOCK] = std::array::from_fn(|i| f(block.map(|x| x[i])));
            slots[out][start..start + BLOCK].copy_from_slice(&result);
        }
    } else {
        let values: [[f64; W]; K] = inputs.map(|s| slots[s]);
        slots[out] = std::array::from_fn(|w| f(values.map(|x| x[w])));
    }
}

/// The operations without a loop of their own in [`Program::run`] (their
/// lanes go through [`apply`] one by one). Not inlined: most are calls into
/// the maths library anyway, and one copy serves every kernel path.
#[inline(never)]
fn apply_lanes<const W: usize>(slots: &mut [[f64; W]], ins: &Instr) {
    let [a, b, c] = [ins.a, ins.b, ins.c].map(|s| slots[s as usize]);
    slots[ins.out as usize] = std::array::from_fn(|w| apply(ins.op, a[w], b[w], c[w]));
}

impl Program {
    /// Runs the instructions on `slots` (inputs already in place).
    ///
    /// Always inlined, so that each kernel path (`ensemble/dispatch.rs`)
    /// compiles the arithmetic for its own instruction set.
    #[inline(always)]
    pub(crate) fn run<const W: usize>(&self, slots: &mut [[f64; W]]) {
        for ins in &self.instrs {
            // The common arithmetic gets its own loop so it vectorises; the
            // rest goes through `apply` lane by lane.
            match ins.op {
                Op::Add => lanewise::<W, 2>(slots, ins, |[x, y]| x + y),
                Op::Sub => lanewise::<W, 2>(slots, ins, |[x, y]| x - y),
                Op::Mul => lanewise::<W, 2>(slots, ins, |[x, y]| x * y),
                Op::Div => lanewise::<W, 2>(slots, ins, |[x, y]| x / y),
                Op::Neg => lanewise::<W, 1>(slots, ins, |[x]| -x),
                Op::MulAdd => lanewise::<W, 3>(slots, ins, |[x, y, z]| x * y + z),
                Op::AddMul => lanewise::<W, 3>(slots, ins, |[x, y, z]| z + x * y),
                Op::MulSub => lanewise::<W, 3>(slots, ins, |[x, y, z]| x * y - z),
                Op::SubMul => lanewise::<W, 3>(slots, ins, |[x, y, z]| z - x * y),
                _ => apply_lanes(slots, ins),
            }
        }
    }

    /// Splits the program for the ensemble kernel: the instructions that
    /// read only `fixed` slots (parameters and constants) or values of
    /// earlier such instructions go to `hoisted`, run once whenever the
    /// parameters change; the rest, in order, to `per_call`, which keeps
    /// the outputs. Running `hoisted` and then `per_call` computes what
    /// [`Program::run`] computes, the same operations on the same values.
    pub(crate) fn split(&self, fixed: impl Fn(u32) -> bool) -> LaneProgram {
        let mut known = std::collections::HashSet::new();
        let mut split = LaneProgram::default();
        for (ins, origin) in self.instrs.iter().zip(&self.origins) {
            let part = if ins.operands().all(|s| fixed(s) || known.contains(&s)) {
                known.insert(ins.out);
                &mut split.hoisted
            } else {
                &mut split.per_call
            };
            part.instrs.push(*ins);
            part.origins.push(origin.clone());
        }
        split.per_call.outputs = self.outputs.clone();
        split
    }

    /// Folds each multiplication whose value only one addition or
    /// subtraction reads (and no output) into that instruction: one
    /// instruction to decode instead of two, one value less to store. The
    /// fused instruction rounds the product and then the sum, as before.
    pub(crate) fn fuse_multiplications(&mut self) {
        let mut readers: std::collections::HashMap<u32, usize> = Default::default();
        for s in self.instrs.iter().flat_map(Instr::operands) {
            *readers.entry(s).or_default() += 1;
        }
        for &s in &self.outputs {
            *readers.entry(s).or_default() += 1;
        }
        let products: std::collections::HashMap<u32, usize> = self
            .instrs
            .iter()
            .enumerate()
            .filter(|(_, ins)| ins.op == Op::Mul)
            .map(|(i, ins)| (ins.out, i))
            .collect();
        let mut folded = vec![false; self.instrs.len()];
        for i in 0..self.instrs.len() {
            let ins = self.instrs[i];
            let (product_first, product_second) = match ins.op {
                Op::Add => (Op::MulAdd, Op::AddMul),
                Op::Sub => (Op::MulSub, Op::SubMul),
                _ => continue,
            };
            let only_reader = |s: u32| {
                products
                    .get(&s)
                    .copied()
                    .filter(|&j| j < i && !folded[j] && readers[&s] == 1)
            };
            let (j, op, other) = if let Some(j) = only_reader(ins.a) {
                (j, product_first, ins.b)
            } else if let Some(j) = only_reader(ins.b) {
                (j, product_second, ins.a)
            } else {
                continue;
            };
            let product = self.instrs[j];
            folded[j] = true;
            self.instrs[i] = Instr {
                op,
                a: product.a,
                b: product.b,
                c: other,
                out: ins.out,
            };
        }
        let mut keep = folded.iter().map(|f| !f);
        self.instrs.retain(|_| keep.next().unwrap_or(true));
        let mut keep = folded.iter().map(|f| !f);
        self.origins.retain(|_| keep.next().unwrap_or(true));
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
