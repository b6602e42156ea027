//! A model as written in a file, before compilation: what the file formats
//! (equation files, XPPAUT imports) produce, with the position of every
//! piece so errors can point into the file.

use thiserror::Error;

/// A place in a file (1-based line and column, columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// The position of byte `offset` of `text`, when `text` starts here.
    pub fn advance(self, text: &str, offset: usize) -> Pos {
        let before = text.get(..offset.min(text.len())).unwrap_or(text);
        match before.rfind('\n') {
            Some(i) => Pos {
                line: self.line + before.matches('\n').count(),
                column: before[i + 1..].chars().count() + 1,
            },
            None => Pos {
                line: self.line,
                column: self.column + before.chars().count(),
            },
        }
    }
}

/// A problem in an equation file, located in it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LangError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl LangError {
    pub fn at(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }
}

/// A formula and where its text starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub text: String,
    pub origin: Pos,
}

/// `name = formula`: a state's derivative, a definition or an output column.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub name: String,
    /// Where the name is written.
    pub at: Pos,
    pub formula: Formula,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StateDecl {
    pub name: String,
    pub initial: f64,
    pub unit: String,
    pub description: String,
    pub at: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    pub name: String,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    pub description: String,
    pub at: Pos,
}

/// Which crossings of a threshold fire an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    Rising,
    Falling,
    Either,
}

/// When `state` crosses `level`, set some states and maybe stop.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDecl {
    pub name: String,
    pub state: String,
    pub level: f64,
    pub crossing: Crossing,
    /// New values of states, computed from the state just before the event.
    pub set: Vec<Assignment>,
    pub stop: bool,
    pub at: Pos,
}

/// Everything an equation file says.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSource {
    /// Names the file in errors.
    pub file: String,
    pub id: String,
    pub title: String,
    pub description: String,
    pub citation: String,
    pub time_unit: String,
    pub t_end: f64,
    pub every: f64,
    pub states: Vec<StateDecl>,
    pub params: Vec<ParamDecl>,
    /// Named intermediate quantities, in any order (no cycles).
    pub definitions: Vec<Assignment>,
    /// One derivative per state.
    pub equations: Vec<Assignment>,
    /// Extra output columns.
    pub outputs: Vec<Assignment>,
    pub events: Vec<EventDecl>,
}
