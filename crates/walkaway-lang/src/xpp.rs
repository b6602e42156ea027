//! Import of XPPAUT `.ode` files, the common subset: `dx/dt = ...` or
//! `x' = ...`, `par`, `init` (and `x(0) = ...`), `aux`, `number`, plain
//! definitions `name = ...`, `@ total=..., dt=...`, `done` and `#`
//! comments. XPPAUT ignores case, and so does the import (names become
//! lower case). Anything else is refused with the line it is on.
//!
//! Comments of the form `# id: ...`, `# title: ...`, `# citation: ...`,
//! `# time_unit: ...` and `# description: ...` fill in what the catalog
//! shows; XPPAUT itself ignores them.

use walkaway_core::equations::{
    Assignment, Formula, LangError, ModelSource, ParamDecl, Pos, StateDecl,
};

/// `@` options that only change XPPAUT's plots or its own solver; the
/// import accepts and ignores them (walkaway plots with `walkaway plot`
/// and always integrates with its adaptive Dormand–Prince solver).
const IGNORED_OPTIONS: &[&str] = &[
    "xp", "yp", "zp", "xlo", "xhi", "ylo", "yhi", "zlo", "zhi", "axes", "nplot", "maxstor",
    "bounds", "bell", "back", "meth", "method", "tol", "atol", "toler", "dtmin", "dtmax", "njmp",
    "trans", "lt", "output", "xmin", "xmax", "ymin", "ymax", "bound",
];

const UNSUPPORTED: &[(&str, &str)] = &[
    ("table", "lookup tables"),
    ("wiener", "Wiener (noise) variables"),
    (
        "global",
        "global flags (events): write them as [[events]] in the TOML format",
    ),
    ("markov", "Markov variables"),
    ("bdry", "boundary-value problems"),
    ("volterra", "Volterra integrals"),
    ("volt", "Volterra integrals"),
    ("set", "named parameter sets"),
    ("export", "exported variables"),
    ("only", "output selections"),
    ("special", "special functions"),
    ("include", "included files"),
];

struct Line<'a> {
    number: usize,
    /// Lower-cased content without the comment.
    text: String,
    raw: &'a str,
}

impl Line<'_> {
    fn pos(&self, offset: usize) -> Pos {
        Pos::new(self.number, 1).advance(&self.text, offset)
    }
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `name=value` with the byte offsets of both in the line.
struct Pair {
    name: String,
    name_at: usize,
    value: String,
    value_at: usize,
}

/// `name=value` pairs separated by commas or spaces.
fn pairs(text: &str, start: usize) -> Result<Vec<Pair>, (usize, String)> {
    let b = text.as_bytes();
    let mut i = start;
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i] == b' ' || b[i] == b',' || b[i] == b'\t') {
            i += 1;
        }
        if i >= b.len() {
            return Ok(out);
        }
        let name_at = i;
        while i < b.len() && is_name_char(b[i]) {
            i += 1;
        }
        let name = text[name_at..i].to_string();
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if name.is_empty() || i >= b.len() || b[i] != b'=' {
            return Err((name_at, "expected `name=value`".into()));
        }
        i += 1;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let value_at = i;
        while i < b.len() && !(b[i] == b' ' || b[i] == b',' || b[i] == b'\t') {
            i += 1;
        }
        out.push(Pair {
            name,
            name_at,
            value: text[value_at..i].to_string(),
            value_at,
        });
    }
}

/// Reads an XPPAUT `.ode` file into a model source.
pub fn parse_ode(text: &str, file: &str) -> Result<ModelSource, LangError> {
    let stem = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .trim_end_matches(".ode")
        .trim_end_matches(".ODE");
    let mut id: String = stem
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = format!("ode-{id}");
    }
    let mut src = ModelSource {
        file: file.to_string(),
        title: format!("{stem} (imported from XPPAUT)"),
        id,
        description: String::new(),
        citation: String::new(),
        time_unit: "time units".into(),
        t_end: 20.0,
        every: 0.05,
        states: Vec::new(),
        params: Vec::new(),
        definitions: Vec::new(),
        equations: Vec::new(),
        outputs: Vec::new(),
        events: Vec::new(),
    };
    let mut inits: Vec<(String, f64, Pos)> = Vec::new();
    let mut dt: Option<f64> = None;
    let mut nout = 1.0;
    let err = |pos: Pos, message: String| LangError::at(file, pos, message);

    // Join continuation lines (a trailing `\`) and strip comments.
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let (content, comment) = match raw.find('#') {
            Some(i) => (&raw[..i], Some(&raw[i + 1..])),
            None => (raw, None),
        };
        if let Some(c) = comment {
            let c = c.trim();
            for (key, slot) in [
                ("id:", &mut src.id),
                ("title:", &mut src.title),
                ("description:", &mut src.description),
                ("citation:", &mut src.citation),
                ("time_unit:", &mut src.time_unit),
            ] {
                if let Some(v) = c.strip_prefix(key) {
                    *slot = v.trim().to_string();
                }
            }
        }
        let lowered = content.to_ascii_lowercase();
        match lines.last_mut() {
            Some(prev) if prev.text.trim_end().ends_with('\\') => {
                let keep = prev.text.trim_end().trim_end_matches('\\').to_string();
                prev.text = format!("{keep} {lowered}");
            }
            _ => lines.push(Line {
                number: n + 1,
                text: lowered,
                raw,
            }),
        }
    }

    for line in &lines {
        let t = line.text.as_str();
        let trimmed = t.trim_start();
        if trimmed.trim().is_empty() {
            continue;
        }
        let lead = t.len() - trimmed.len();
        let word_end = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        let word = &trimmed[..word_end];
        let rest_at = lead + word_end;
        let after_word = &trimmed[word_end..];
        if word == "done" || word == "d" && after_word.trim().is_empty() {
            break;
        }
        // `p a=1` is a keyword; `p = 2` defines `p`.
        let keyword_then_space = after_word.starts_with([' ', '\t'])
            && !after_word.trim_start().starts_with(['=', '\'']);
        if trimmed.starts_with('@') {
            let list = pairs(t, lead + 1)
                .map_err(|(at, m)| err(line.pos(at), format!("{m} in the @ options")))?;
            for Pair {
                name,
                name_at: at,
                value,
                value_at,
            } in list
            {
                let number = || {
                    value.parse::<f64>().map_err(|_| {
                        err(
                            line.pos(value_at),
                            format!("`{value}` is not a number (option `{name}`)"),
                        )
                    })
                };
                match name.as_str() {
                    "total" => src.t_end = number()?,
                    "dt" => dt = Some(number()?.abs()),
                    "nout" => nout = number()?,
                    "t0" => {
                        if number()? != 0.0 {
                            return Err(err(line.pos(value_at), "a start time other than 0 is not supported; shift the time in your equations".into()));
                        }
                    }
                    other if IGNORED_OPTIONS.contains(&other) => {}
                    other => {
                        return Err(err(
                            line.pos(at),
                            format!(
                                "the XPPAUT option `{other}` is not supported; supported: total, dt, nout, t0 (and the plot and solver options {}, which are ignored)",
                                IGNORED_OPTIONS.join(", ")
                            ),
                        ));
                    }
                }
            }
            continue;
        }
        if trimmed.starts_with('!') {
            return Err(err(line.pos(lead), "derived parameters (`!name=...`) are not supported; write the formula as a definition `name=...`".into()));
        }
        if let Some((_, what)) = UNSUPPORTED
            .iter()
            .find(|(k, _)| *k == word && keyword_then_space)
        {
            return Err(err(
                line.pos(lead),
                format!(
                    "`{word}` ({what}) is not supported by the import; supported: dx/dt=, x'=, par, init, x(0)=, aux, number, name=formula, @ total/dt, done"
                ),
            ));
        }
        let is = |keys: &[&str]| keys.contains(&word) && keyword_then_space;
        if is(&["par", "param", "p", "number", "num", "n"]) {
            let constant = word.starts_with('n');
            let list = pairs(t, rest_at).map_err(|(at, m)| err(line.pos(at), m))?;
            for Pair {
                name,
                name_at: at,
                value,
                value_at,
            } in list
            {
                let v = value.parse::<f64>().map_err(|_| {
                    err(
                        line.pos(value_at),
                        format!("`{value}` is not a number; `{word}` values are numbers"),
                    )
                })?;
                if constant {
                    src.definitions.push(Assignment {
                        name,
                        at: line.pos(at),
                        formula: Formula {
                            text: value,
                            origin: line.pos(value_at),
                        },
                    });
                } else {
                    src.params.push(ParamDecl {
                        name,
                        default: v,
                        min: f64::NEG_INFINITY,
                        max: f64::INFINITY,
                        unit: String::new(),
                        description: String::new(),
                        at: line.pos(at),
                    });
                }
            }
            continue;
        }
        if is(&["init", "i"]) {
            let list = pairs(t, rest_at).map_err(|(at, m)| err(line.pos(at), m))?;
            for Pair {
                name,
                name_at: at,
                value,
                value_at,
            } in list
            {
                let v = value.parse::<f64>().map_err(|_| {
                    err(
                        line.pos(value_at),
                        format!("`{value}` is not a number; initial values are numbers"),
                    )
                })?;
                inits.push((name, v, line.pos(at)));
            }
            continue;
        }
        if is(&["aux", "a"]) {
            let body = &t[rest_at..];
            let Some(eq) = body.find('=') else {
                return Err(err(line.pos(rest_at), "expected `aux name=formula`".into()));
            };
            let name = body[..eq].trim().to_string();
            let name_at = rest_at + body.find(|c: char| !c.is_whitespace()).unwrap_or(0);
            src.outputs.push(Assignment {
                name,
                at: line.pos(name_at),
                formula: Formula {
                    text: body[eq + 1..].to_string(),
                    origin: line.pos(rest_at + eq + 1),
                },
            });
            continue;
        }
        // Equations: `dx/dt = f`, `x' = f`, `x(0) = v`, `name = f`.
        let Some(eq) = t.find('=') else {
            return Err(err(
                line.pos(lead),
                format!(
                    "cannot read `{}`; supported: dx/dt=, x'=, par, init, x(0)=, aux, number, name=formula, @ total/dt, done",
                    line.raw.trim()
                ),
            ));
        };
        let left = t[..eq].trim();
        let formula = Formula {
            text: t[eq + 1..].to_string(),
            origin: line.pos(eq + 1),
        };
        let at = line.pos(lead);
        let name_of = |s: &str| -> Option<String> {
            (!s.is_empty() && s.bytes().all(is_name_char)).then(|| s.to_string())
        };
        if let Some(name) = left
            .strip_prefix('d')
            .and_then(|s| s.strip_suffix("/dt"))
            .and_then(|s| name_of(s.trim()))
            .or_else(|| left.strip_suffix('\'').and_then(|s| name_of(s.trim())))
        {
            src.states.push(StateDecl {
                name: name.clone(),
                initial: 0.0,
                unit: String::new(),
                description: String::new(),
                at,
            });
            src.equations.push(Assignment { name, at, formula });
        } else if let Some(name) = left.strip_suffix("(0)").and_then(|s| name_of(s.trim())) {
            let v = formula.text.trim().parse::<f64>().map_err(|_| {
                err(
                    formula.origin,
                    format!(
                        "`{}` is not a number; initial values are numbers",
                        formula.text.trim()
                    ),
                )
            })?;
            inits.push((name, v, at));
        } else if let Some(name) = name_of(left) {
            src.definitions.push(Assignment { name, at, formula });
        } else if left.contains("(t+1)") || left.contains("(t + 1)") {
            return Err(err(at, "difference equations `x(t+1)=...` are not supported; walkaway imports differential equations".into()));
        } else if left.contains('(') {
            return Err(err(
                at,
                format!(
                    "user-defined functions (`{left}=...`) are not supported; write the formula out where it is used, or as a definition"
                ),
            ));
        } else {
            return Err(err(
                at,
                format!("cannot read the left side `{left}`; expected dx/dt, x', x(0) or a name"),
            ));
        }
    }
    for (name, v, at) in inits {
        match src.states.iter_mut().find(|s| s.name == name) {
            Some(s) => s.initial = v,
            None => {
                return Err(err(
                    at,
                    format!("`{name}` gets an initial value but has no equation dx/dt or x'"),
                ));
            }
        }
    }
    if src.states.is_empty() {
        return Err(err(
            Pos::new(1, 1),
            "no differential equation found (dx/dt=... or x'=...)".into(),
        ));
    }
    if let Some(dt) = dt {
        src.every = dt * nout.max(1.0);
    }
    Ok(src)
}
