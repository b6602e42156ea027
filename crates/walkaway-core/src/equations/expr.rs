//! Expressions of equation files: a hand-written lexer and
//! recursive-descent parser producing a small syntax tree with byte spans,
//! so every error can point at the character it is about.

use std::ops::Range;

/// A parse failure at a byte offset of the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Deepest nesting of parentheses and operators accepted; deeper input is
/// refused instead of exhausting the stack.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
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
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Number(f64),
    Name(String),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A function call; `name_span` covers the function name.
    Call {
        name: String,
        name_span: Range<usize>,
        args: Vec<Expr>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub node: Node,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Ident(String),
    Op(&'static str),
    Open,
    Close,
    Comma,
}

fn lex(text: &str) -> Result<Vec<(Token, Range<usize>)>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                let mut j = i + 1;
                if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                    j += 1;
                }
                if j < bytes.len() && bytes[j].is_ascii_digit() {
                    i = j;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let literal = &text[start..i];
            let value = literal.parse::<f64>().map_err(|_| SyntaxError {
                offset: start,
                message: format!("`{literal}` is not a number"),
            })?;
            out.push((Token::Number(value), start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Token::Ident(text[start..i].to_string()), start..i));
            continue;
        }
        let two = text.get(i..i + 2).unwrap_or("");
        let op: Option<&'static str> = match two {
            "<=" => Some("<="),
            ">=" => Some(">="),
            "==" => Some("=="),
            "!=" => Some("!="),
            "&&" => Some("&&"),
            "||" => Some("||"),
            "**" => Some("^"),
            _ => None,
        };
        if let Some(op) = op {
            out.push((Token::Op(op), i..i + 2));
            i += 2;
            continue;
        }
        let token = match c {
            b'+' => Token::Op("+"),
            b'-' => Token::Op("-"),
            b'*' => Token::Op("*"),
            b'/' => Token::Op("/"),
            b'^' => Token::Op("^"),
            b'<' => Token::Op("<"),
            b'>' => Token::Op(">"),
            b'!' => Token::Op("!"),
            b'(' => Token::Open,
            b')' => Token::Close,
            b',' => Token::Comma,
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                let hint = if ch == '=' {
                    " (compare with `==`)"
                } else {
                    ""
                };
                return Err(SyntaxError {
                    offset: i,
                    message: format!(
                        "unexpected character `{ch}`{hint}; allowed: numbers, names, + - * / ^ ( ) , < <= > >= == != && || !"
                    ),
                });
            }
        };
        out.push((token, i..i + 1));
        i += 1;
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(Token, Range<usize>)>,
    pos: usize,
    end: usize,
    depth: usize,
}

/// Parses one expression (the whole text).
pub fn parse(text: &str) -> Result<Expr, SyntaxError> {
    let tokens = lex(text)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        end: text.len(),
        depth: 0,
    };
    if p.tokens.is_empty() {
        return Err(SyntaxError {
            offset: 0,
            message: "empty expression; write a formula such as `-a*x + b*y`".into(),
        });
    }
    let e = p.or()?;
    if let Some((t, span)) = p.tokens.get(p.pos) {
        return Err(SyntaxError {
            offset: span.start,
            message: format!("unexpected {} after a complete expression", describe(t)),
        });
    }
    Ok(e)
}

fn describe(t: &Token) -> String {
    match t {
        Token::Number(v) => format!("number `{v}`"),
        Token::Ident(s) => format!("name `{s}`"),
        Token::Op(o) => format!("`{o}`"),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::Comma => "`,`".into(),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn peek_op(&self, ops: &[&'static str]) -> Option<&'static str> {
        match self.peek() {
            Some(Token::Op(o)) if ops.contains(o) => Some(o),
            _ => None,
        }
    }

    fn here(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(_, s)| s.start)
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError {
                offset: self.here(),
                message: format!("expression nested more than {MAX_DEPTH} levels deep"),
            });
        }
        Ok(())
    }

    fn expect_close(&mut self, open: usize) -> Result<usize, SyntaxError> {
        match self.tokens.get(self.pos) {
            Some((Token::Close, span)) => {
                let end = span.end;
                self.pos += 1;
                Ok(end)
            }
            Some((t, span)) => Err(SyntaxError {
                offset: span.start,
                message: format!(
                    "expected `)` to close the `(` {} characters before, found {}",
                    span.start - open,
                    describe(t)
                ),
            }),
            None => Err(SyntaxError {
                offset: self.end,
                message: "missing `)`: the expression ends inside parentheses".into(),
            }),
        }
    }

    fn binary_level(
        &mut self,
        ops: &[&'static str],
        next: fn(&mut Self) -> Result<Expr, SyntaxError>,
    ) -> Result<Expr, SyntaxError> {
        self.enter()?;
        let mut left = next(self)?;
        while let Some(op) = self.peek_op(ops) {
            self.pos += 1;
            let right = next(self)?;
            let op = match op {
                "+" => BinaryOp::Add,
                "-" => BinaryOp::Sub,
                "*" => BinaryOp::Mul,
                "/" => BinaryOp::Div,
                "<" => BinaryOp::Less,
                "<=" => BinaryOp::LessEq,
                ">" => BinaryOp::Greater,
                ">=" => BinaryOp::GreaterEq,
                "==" => BinaryOp::Equal,
                "!=" => BinaryOp::NotEqual,
                "&&" => BinaryOp::And,
                _ => BinaryOp::Or,
            };
            let span = left.span.start..right.span.end;
            left = Expr {
                node: Node::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
        self.depth -= 1;
        Ok(left)
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        self.binary_level(&["||"], Self::and)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        self.binary_level(&["&&"], Self::comparison)
    }

    fn comparison(&mut self) -> Result<Expr, SyntaxError> {
        self.binary_level(&["<", "<=", ">", ">=", "==", "!="], Self::sum)
    }

    fn sum(&mut self) -> Result<Expr, SyntaxError> {
        self.binary_level(&["+", "-"], Self::product)
    }

    fn product(&mut self) -> Result<Expr, SyntaxError> {
        self.binary_level(&["*", "/"], Self::unary)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        self.enter()?;
        let start = self.here();
        let result = if let Some(op) = self.peek_op(&["-", "+", "!"]) {
            self.pos += 1;
            let inner = self.unary()?;
            let span = start..inner.span.end;
            match op {
                "+" => Ok(inner),
                "-" => Ok(Expr {
                    node: Node::Unary(UnaryOp::Neg, Box::new(inner)),
                    span,
                }),
                _ => Ok(Expr {
                    node: Node::Unary(UnaryOp::Not, Box::new(inner)),
                    span,
                }),
            }
        } else {
            self.power()
        };
        self.depth -= 1;
        result
    }

    /// `a ^ b` binds tighter than a leading minus (`-x^2` is `-(x^2)`) and
    /// groups to the right (`2^3^2` is `2^9`).
    fn power(&mut self) -> Result<Expr, SyntaxError> {
        let base = self.atom()?;
        if self.peek_op(&["^"]).is_some() {
            self.pos += 1;
            let exponent = self.unary()?;
            let span = base.span.start..exponent.span.end;
            return Ok(Expr {
                node: Node::Binary(BinaryOp::Pow, Box::new(base), Box::new(exponent)),
                span,
            });
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let Some((token, span)) = self.tokens.get(self.pos).cloned() else {
            return Err(SyntaxError {
                offset: self.end,
                message: "the expression ends where a number, a name or `(` was expected".into(),
            });
        };
        self.pos += 1;
        match token {
            Token::Number(v) => Ok(Expr {
                node: Node::Number(v),
                span,
            }),
            Token::Open => {
                self.enter()?;
                let inner = self.or()?;
                let end = self.expect_close(span.start)?;
                self.depth -= 1;
                Ok(Expr {
                    node: inner.node,
                    span: span.start..end,
                })
            }
            Token::Ident(name) => {
                if self.peek() != Some(&Token::Open) {
                    return Ok(Expr {
                        node: Node::Name(name),
                        span,
                    });
                }
                let open = self.here();
                self.pos += 1;
                self.enter()?;
                let mut args = Vec::new();
                if self.peek() == Some(&Token::Close) {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(self.or()?);
                        match self.peek() {
                            Some(Token::Comma) => self.pos += 1,
                            _ => break,
                        }
                    }
                    self.expect_close(open)?;
                }
                self.depth -= 1;
                let mut end = self.tokens[self.pos - 1].1.end;
                // XPPAUT's `if(c)then(a)else(b)` is `if(c, a, b)`.
                let then_follows = matches!(self.peek(), Some(Token::Ident(w)) if w == "then");
                if name == "if" && args.len() == 1 && then_follows {
                    self.pos += 1;
                    let then = self.atom()?;
                    match self.peek() {
                        Some(Token::Ident(w)) if w == "else" => self.pos += 1,
                        _ => {
                            return Err(SyntaxError {
                                offset: self.here(),
                                message: "expected `else(...)` after `if(...)then(...)`".into(),
                            });
                        }
                    }
                    let otherwise = self.atom()?;
                    end = otherwise.span.end;
                    args.push(then);
                    args.push(otherwise);
                }
                Ok(Expr {
                    node: Node::Call {
                        name,
                        name_span: span.clone(),
                        args,
                    },
                    span: span.start..end,
                })
            }
            other => Err(SyntaxError {
                offset: span.start,
                message: format!(
                    "unexpected {} where a number, a name or `(` was expected",
                    describe(&other)
                ),
            }),
        }
    }
}
