//! From formulas to [`Program`]s: resolves names, checks the arity of
//! functions, orders definitions (refusing cycles), folds constants
//! (refusing division by a constant zero and other constant NaNs), shares
//! repeated subexpressions and allocates one slot per value.

use std::collections::HashMap;

use super::expr::{self, BinaryOp, Expr, Node, UnaryOp};
use super::program::{Instr, Op, Origin, Program, apply};
use super::source::{Assignment, Formula, LangError, ModelSource, Pos};

/// Functions, their arity and what they compile to. `if` is handled apart.
pub(crate) const FUNCTIONS: &[(&str, usize, Op)] = &[
    ("abs", 1, Op::Abs),
    ("sqrt", 1, Op::Sqrt),
    ("exp", 1, Op::Exp),
    ("ln", 1, Op::Ln),
    ("log", 1, Op::Ln),
    ("log10", 1, Op::Log10),
    ("sin", 1, Op::Sin),
    ("cos", 1, Op::Cos),
    ("tan", 1, Op::Tan),
    ("asin", 1, Op::Asin),
    ("acos", 1, Op::Acos),
    ("atan", 1, Op::Atan),
    ("sinh", 1, Op::Sinh),
    ("cosh", 1, Op::Cosh),
    ("tanh", 1, Op::Tanh),
    ("floor", 1, Op::Floor),
    ("ceil", 1, Op::Ceil),
    ("sign", 1, Op::Sign),
    ("heav", 1, Op::Heav),
    ("min", 2, Op::Min),
    ("max", 2, Op::Max),
    ("pow", 2, Op::Pow),
    ("atan2", 2, Op::Atan2),
    ("mod", 2, Op::Mod),
];

/// Names that no state, parameter or definition may take.
pub const RESERVED: &[&str] = &["t", "pi", "if", "then", "else"];

/// The functions, as `name/arity`, for messages and docs.
pub fn function_list() -> String {
    let mut names: Vec<String> = FUNCTIONS
        .iter()
        .map(|(n, k, _)| format!("{n}/{k}"))
        .collect();
    names.push("if/3".into());
    names.join(", ")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Name {
    State(usize),
    Param(usize),
    Time,
    Constant(f64),
    Definition(usize),
}

/// Slot layout shared by all programs of a model: the states, the
/// parameters, the time, then constants and intermediate values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub states: usize,
    pub params: usize,
    pub slots: usize,
    pub constants: Vec<(u32, f64)>,
}

impl Layout {
    pub fn param_slot(&self, j: usize) -> usize {
        self.states + j
    }
    pub fn time_slot(&self) -> usize {
        self.states + self.params
    }
    /// Whether `slot` holds a parameter or a constant: a value that stays
    /// put while the states move.
    pub fn is_parameter_or_constant(&self, slot: u32) -> bool {
        let slot = slot as usize;
        (self.states..self.time_slot()).contains(&slot)
            || self.constants.iter().any(|&(s, _)| s as usize == slot)
    }
    /// Fresh slots for `W` lanes with the constants in place.
    pub fn slots<const W: usize>(&self) -> Vec<[f64; W]> {
        let mut s = vec![[0.0; W]; self.slots];
        for &(slot, v) in &self.constants {
            s[slot as usize] = [v; W];
        }
        s
    }
}

pub(crate) struct Compiler<'s> {
    src: &'s ModelSource,
    names: HashMap<&'s str, Name>,
    next_slot: u32,
    constants: Vec<(u32, f64)>,
    constant_slots: HashMap<u64, u32>,
    /// Slots known to hold a constant, for folding.
    known: HashMap<u32, f64>,
    // Per program:
    shared: HashMap<(Op, u32, u32, u32), u32>,
    definition_slots: Vec<Option<u32>>,
    in_progress: Vec<usize>,
    program: Program,
}

type Result<T> = std::result::Result<T, LangError>;

impl<'s> Compiler<'s> {
    pub fn new(src: &'s ModelSource) -> Result<Self> {
        let mut names = HashMap::new();
        let mut declare = |name: &'s str, at: Pos, what: Name| -> Result<()> {
            if RESERVED.contains(&name) || FUNCTIONS.iter().any(|(f, _, _)| *f == name) {
                return Err(LangError::at(
                    &src.file,
                    at,
                    format!(
                        "`{name}` is a built-in name; choose another (reserved: {}, and the functions {})",
                        RESERVED.join(", "),
                        function_list()
                    ),
                ));
            }
            if !is_name(name) {
                return Err(LangError::at(
                    &src.file,
                    at,
                    format!(
                        "`{name}` is not a valid name: use letters, digits and `_`, starting with a letter"
                    ),
                ));
            }
            if names.insert(name, what).is_some() {
                return Err(LangError::at(
                    &src.file,
                    at,
                    format!(
                        "`{name}` is declared twice; each state, parameter and definition needs its own name"
                    ),
                ));
            }
            Ok(())
        };
        for (i, s) in src.states.iter().enumerate() {
            declare(&s.name, s.at, Name::State(i))?;
        }
        for (j, p) in src.params.iter().enumerate() {
            declare(&p.name, p.at, Name::Param(j))?;
        }
        for (k, d) in src.definitions.iter().enumerate() {
            declare(&d.name, d.at, Name::Definition(k))?;
        }
        names.insert("t", Name::Time);
        names.insert("pi", Name::Constant(std::f64::consts::PI));
        let first_free = (src.states.len() + src.params.len() + 1) as u32;
        let mut c = Self {
            src,
            names,
            next_slot: first_free,
            constants: Vec::new(),
            constant_slots: HashMap::new(),
            known: HashMap::new(),
            shared: HashMap::new(),
            definition_slots: vec![None; src.definitions.len()],
            in_progress: Vec::new(),
            program: Program::default(),
        };
        // Every definition is checked, even one nothing uses.
        for k in 0..src.definitions.len() {
            c.begin();
            c.definition(k, src.definitions[k].at)?;
        }
        c.begin();
        Ok(c)
    }

    pub fn layout(&self) -> Layout {
        Layout {
            states: self.src.states.len(),
            params: self.src.params.len(),
            slots: self.next_slot as usize,
            constants: self.constants.clone(),
        }
    }

    fn begin(&mut self) {
        self.shared.clear();
        self.definition_slots.iter_mut().for_each(|s| *s = None);
        self.in_progress.clear();
        self.program = Program::default();
    }

    /// Compiles formulas into one program whose outputs are their values.
    pub fn program(&mut self, formulas: &[&Formula]) -> Result<Program> {
        self.begin();
        for f in formulas {
            let slot = self.formula(f)?;
            self.program.outputs.push(slot);
        }
        Ok(std::mem::take(&mut self.program))
    }

    fn formula(&mut self, f: &Formula) -> Result<u32> {
        let tree = expr::parse(&f.text).map_err(|e| {
            LangError::at(
                &self.src.file,
                f.origin.advance(&f.text, e.offset),
                e.message,
            )
        })?;
        self.node(&tree, f)
    }

    fn err(&self, f: &Formula, offset: usize, message: impl Into<String>) -> LangError {
        LangError::at(&self.src.file, f.origin.advance(&f.text, offset), message)
    }

    fn constant_slot(&mut self, v: f64) -> u32 {
        if let Some(&s) = self.constant_slots.get(&v.to_bits()) {
            return s;
        }
        let s = self.next_slot;
        self.next_slot += 1;
        self.constants.push((s, v));
        self.constant_slots.insert(v.to_bits(), s);
        self.known.insert(s, v);
        s
    }

    fn emit(&mut self, op: Op, operands: [u32; 3], e: &Expr, f: &Formula) -> Result<u32> {
        let [a, b, c] = operands;
        let used = op.arity();
        let values: Vec<Option<f64>> = operands[..used]
            .iter()
            .map(|s| self.known.get(s).copied())
            .collect();
        if (op == Op::Div || op == Op::Mod) && values[1] == Some(0.0) {
            return Err(self.err(
                f,
                e.span.start,
                format!(
                    "`{}` divides by a constant zero; the divisor must not be 0",
                    &f.text[e.span.clone()]
                ),
            ));
        }

        if values.iter().all(Option::is_some) {
            let [x, y, z] = [0, 1, 2].map(|i| values.get(i).copied().flatten().unwrap_or(0.0));
            let v = apply(op, x, y, z);
            if !v.is_finite() {
                return Err(self.err(
                    f,
                    e.span.start,
                    format!(
                        "`{}` is {v} for any states and parameters; allowed: formulas that give finite numbers",
                        &f.text[e.span.clone()]
                    ),
                ));
            }
            return Ok(self.constant_slot(v));
        }
        // A conditional with a constant condition is its branch.
        if let (Op::Select, Some(cond)) = (op, values[0]) {
            return Ok(if cond != 0.0 { b } else { c });
        }
        let key = (op, a, b, c);
        if let Some(&s) = self.shared.get(&key) {
            return Ok(s);
        }
        let out = self.next_slot;
        self.next_slot += 1;
        self.program.instrs.push(Instr { op, a, b, c, out });
        self.program.origins.push(Origin {
            at: f.origin.advance(&f.text, e.span.start),
            text: f.text[e.span.clone()].to_string(),
        });
        self.shared.insert(key, out);
        Ok(out)
    }

    fn definition(&mut self, k: usize, used_at: Pos) -> Result<u32> {
        if let Some(s) = self.definition_slots[k] {
            return Ok(s);
        }
        if let Some(start) = self.in_progress.iter().position(|&d| d == k) {
            let mut chain: Vec<&str> = self.in_progress[start..]
                .iter()
                .map(|&d| self.src.definitions[d].name.as_str())
                .collect();
            chain.push(&self.src.definitions[k].name);
            return Err(LangError::at(
                &self.src.file,
                used_at,
                format!(
                    "the definitions form a cycle: {}; a definition may use states, parameters, t and other definitions, but not itself through others",
                    chain.join(" → ")
                ),
            ));
        }
        self.in_progress.push(k);
        let d: &'s Assignment = &self.src.definitions[k];
        let slot = self.formula(&d.formula)?;
        self.in_progress.pop();
        self.definition_slots[k] = Some(slot);
        Ok(slot)
    }

    fn node(&mut self, e: &Expr, f: &Formula) -> Result<u32> {
        match &e.node {
            Node::Number(v) => Ok(self.constant_slot(*v)),
            Node::Name(name) => match self.names.get(name.as_str()).copied() {
                Some(Name::State(i)) => Ok(i as u32),
                Some(Name::Param(j)) => Ok((self.src.states.len() + j) as u32),
                Some(Name::Time) => Ok((self.src.states.len() + self.src.params.len()) as u32),
                Some(Name::Constant(v)) => Ok(self.constant_slot(v)),
                Some(Name::Definition(k)) => {
                    let at = f.origin.advance(&f.text, e.span.start);
                    self.definition(k, at)
                }
                None => {
                    let hint = if FUNCTIONS.iter().any(|(n, _, _)| n == name) || name == "if" {
                        format!(" (`{name}` is a function: write `{name}(...)`)")
                    } else {
                        String::new()
                    };
                    Err(self.err(
                        f,
                        e.span.start,
                        format!(
                            "unknown name `{name}`{hint}; allowed: {}",
                            self.known_names()
                        ),
                    ))
                }
            },
            Node::Unary(op, inner) => {
                let a = self.node(inner, f)?;
                let op = match op {
                    UnaryOp::Neg => Op::Neg,
                    UnaryOp::Not => Op::Not,
                };
                self.emit(op, [a, 0, 0], e, f)
            }
            Node::Binary(BinaryOp::Pow, base, exponent) => {
                let a = self.node(base, f)?;
                let b = self.node(exponent, f)?;
                // Small whole powers as products: faster than powf and the
                // same numbers a hand-written model would use.
                match self.known.get(&b).copied() {
                    Some(2.0) if !self.known.contains_key(&a) => {
                        self.emit(Op::Mul, [a, a, 0], e, f)
                    }
                    Some(3.0) if !self.known.contains_key(&a) => {
                        let sq = self.emit(Op::Mul, [a, a, 0], e, f)?;
                        self.emit(Op::Mul, [sq, a, 0], e, f)
                    }
                    _ => self.emit(Op::Pow, [a, b, 0], e, f),
                }
            }
            Node::Binary(op, left, right) => {
                let a = self.node(left, f)?;
                let b = self.node(right, f)?;
                let op = match op {
                    BinaryOp::Add => Op::Add,
                    BinaryOp::Sub => Op::Sub,
                    BinaryOp::Mul => Op::Mul,
                    BinaryOp::Div => Op::Div,
                    BinaryOp::Pow => Op::Pow,
                    BinaryOp::Less => Op::Less,
                    BinaryOp::LessEq => Op::LessEq,
                    BinaryOp::Greater => Op::Greater,
                    BinaryOp::GreaterEq => Op::GreaterEq,
                    BinaryOp::Equal => Op::Equal,
                    BinaryOp::NotEqual => Op::NotEqual,
                    BinaryOp::And => Op::And,
                    BinaryOp::Or => Op::Or,
                };
                self.emit(op, [a, b, 0], e, f)
            }
            Node::Call {
                name,
                name_span,
                args,
            } => {
                let (arity, op) = if name == "if" {
                    (3, Op::Select)
                } else if let Some((_, k, op)) = FUNCTIONS.iter().find(|(n, _, _)| n == name) {
                    (*k, *op)
                } else {
                    let what = if self.names.contains_key(name.as_str()) {
                        format!("`{name}` is a value, not a function")
                    } else {
                        format!("unknown function `{name}`")
                    };
                    return Err(self.err(
                        f,
                        name_span.start,
                        format!("{what}; functions: {}", function_list()),
                    ));
                };
                if args.len() != arity {
                    let usage = if name == "if" {
                        " (if(condition, value if true, value if false))".to_string()
                    } else {
                        String::new()
                    };
                    return Err(self.err(
                        f,
                        name_span.start,
                        format!(
                            "`{name}` takes {arity} argument{}{usage}, found {}",
                            if arity == 1 { "" } else { "s" },
                            args.len()
                        ),
                    ));
                }
                let mut operands = [0u32; 3];
                for (slot, arg) in operands.iter_mut().zip(args) {
                    *slot = self.node(arg, f)?;
                }
                self.emit(op, operands, e, f)
            }
        }
    }

    fn known_names(&self) -> String {
        let mut list: Vec<&str> = Vec::new();
        list.extend(self.src.states.iter().map(|s| s.name.as_str()));
        list.extend(self.src.params.iter().map(|p| p.name.as_str()));
        list.extend(self.src.definitions.iter().map(|d| d.name.as_str()));
        list.push("t");
        list.push("pi");
        list.join(", ")
    }
}

/// Letters, digits and `_`, starting with a letter.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
