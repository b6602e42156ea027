//! The TOML equation format (docs/models.md):
//!
//! ```toml
//! [model]
//! id = "romeo-juliet"
//! title = "Romeo and Juliet"
//! citation = "Strogatz (1988)"
//! t_end = 20
//! every = 0.25
//!
//! [states]
//! romeo = { initial = 1, unit = "feeling" }
//! juliet = 0
//!
//! [params]
//! a = { default = 0, min = -10, max = 10, unit = "1/time" }
//! b = -1
//!
//! [equations]
//! romeo = "a*romeo + b*juliet"
//! juliet = "romeo"
//! ```
//!
//! Also `[define]` (named intermediate quantities), `[outputs]` (extra
//! output columns) and `[[events]]` (threshold events).

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};
use walkaway_core::equations::{
    Assignment, Crossing, EventDecl, Formula, LangError, ModelSource, ParamDecl, Pos, StateDecl,
};

const TOP_KEYS: &[&str] = &[
    "model",
    "states",
    "params",
    "define",
    "equations",
    "outputs",
    "events",
];
const MODEL_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "citation",
    "time_unit",
    "t_end",
    "every",
];
const STATE_KEYS: &[&str] = &["initial", "unit", "description"];
const PARAM_KEYS: &[&str] = &["default", "min", "max", "unit", "description"];
const EVENT_KEYS: &[&str] = &["name", "state", "crosses", "direction", "set", "stop"];

/// Whether TOML text is an equation file (it has a `[model]` table) rather
/// than a scenario (which names a model with `model = "id"`).
pub fn is_equation_file(text: &str) -> bool {
    Document::parse(text)
        .ok()
        .is_some_and(|d| d.as_table().get("model").is_some_and(Item::is_table))
}

struct Reader<'a> {
    text: &'a str,
    file: &'a str,
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i.value() as f64),
        Value::Float(f) => Some(*f.value()),
        _ => None,
    }
}

impl Reader<'_> {
    fn pos(&self, offset: usize) -> Pos {
        Pos::new(1, 1).advance(self.text, offset)
    }

    fn err(&self, span: Option<Range<usize>>, message: impl Into<String>) -> LangError {
        LangError::at(self.file, self.pos(span.map_or(0, |s| s.start)), message)
    }

    fn check_keys(&self, table: &Table, allowed: &[&str], what: &str) -> Result<(), LangError> {
        for (k, item) in table.iter() {
            if !allowed.contains(&k) {
                let span = table
                    .key(k)
                    .and_then(|key| key.span())
                    .or_else(|| item.span());
                return Err(self.err(
                    span,
                    format!(
                        "unknown key `{k}` in {what}; allowed: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn key_pos(&self, table: &Table, key: &str) -> Pos {
        self.pos(table.key(key).and_then(|k| k.span()).map_or(0, |s| s.start))
    }

    fn text_value(&self, v: &Value, key: &str) -> Result<String, LangError> {
        match v {
            Value::String(s) => Ok(s.value().clone()),
            _ => Err(self.err(v.span(), format!("`{key}` must be a string in quotes"))),
        }
    }

    fn number_value(&self, v: &Value, key: &str) -> Result<f64, LangError> {
        number(v)
            .filter(|x| !x.is_nan())
            .ok_or_else(|| self.err(v.span(), format!("`{key}` must be a number")))
    }

    /// A formula written as a string (or a bare number), with the position
    /// of its first character.
    fn formula(&self, v: &Value, key: &str) -> Result<Formula, LangError> {
        let span = v.span();
        let (text, skip) = match v {
            Value::String(s) => {
                let raw = span.clone().and_then(|r| self.text.get(r)).unwrap_or("");
                let skip = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                    3 + usize::from(raw[3..].starts_with('\n'))
                } else {
                    1
                };
                (s.value().clone(), skip)
            }
            Value::Integer(_) | Value::Float(_) => {
                let x = number(v).unwrap_or(0.0);
                (format!("{x:?}"), 0)
            }
            _ => {
                return Err(self.err(
                    span,
                    format!("`{key}` must be a formula in quotes, e.g. \"-a*x + b*y\""),
                ));
            }
        };
        Ok(Formula {
            text,
            origin: self.pos(span.map_or(0, |s| s.start + skip)),
        })
    }

    fn table<'t>(&self, root: &'t Table, key: &str) -> Result<Option<&'t Table>, LangError> {
        match root.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_table()
                .map(Some)
                .ok_or_else(|| self.err(item.span(), format!("`{key}` must be a table: [{key}]"))),
        }
    }

    /// `name = value` or `name = { key = value, ... }` entries of a table.
    fn entries<'t>(&self, table: &'t Table) -> Vec<(&'t str, &'t Item)> {
        table.iter().collect()
    }

    fn assignments(&self, table: Option<&Table>, what: &str) -> Result<Vec<Assignment>, LangError> {
        let Some(table) = table else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (name, item) in self.entries(table) {
            let Some(v) = item.as_value() else {
                return Err(self.err(
                    item.span(),
                    format!("{what} `{name}` must be a formula in quotes"),
                ));
            };
            out.push(Assignment {
                name: name.to_string(),
                at: self.key_pos(table, name),
                formula: self.formula(v, name)?,
            });
        }
        Ok(out)
    }

    /// The fields of an inline table `{ ... }` (or of a `[a.b]` table).
    fn fields<'t>(&self, item: &'t Item) -> Option<Vec<(&'t str, &'t Value)>> {
        match item {
            Item::Value(Value::InlineTable(t)) => Some(t.iter().collect()),
            Item::Table(t) => t
                .iter()
                .map(|(k, i)| i.as_value().map(|v| (k, v)))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        }
    }
}

/// Reads the TOML equation format into a model source.
pub fn parse_equation_file(text: &str, file: &str) -> Result<ModelSource, LangError> {
    let r = Reader { text, file };
    let doc = Document::parse(text)
        .map_err(|e| r.err(e.span(), format!("not valid TOML: {}", e.message().trim())))?;
    let root = doc.as_table();
    r.check_keys(root, TOP_KEYS, "an equation file")?;
    let model = r.table(root, "model")?.ok_or_else(|| {
        r.err(
            None,
            "missing the [model] table (with at least id = \"...\")",
        )
    })?;
    r.check_keys(model, MODEL_KEYS, "[model]")?;
    let text_field = |key: &str, default: &str| -> Result<String, LangError> {
        match model.get(key).and_then(Item::as_value) {
            Some(v) => r.text_value(v, key),
            None => Ok(default.to_string()),
        }
    };
    let number_field = |key: &str, default: f64| -> Result<f64, LangError> {
        match model.get(key).and_then(Item::as_value) {
            Some(v) => r.number_value(v, key),
            None => Ok(default),
        }
    };
    let id = text_field("id", "")?;
    if id.is_empty() {
        return Err(r.err(model.span(), "[model] needs an id, e.g. id = \"my-model\""));
    }
    let mut source = ModelSource {
        file: file.to_string(),
        title: text_field("title", &id)?,
        description: text_field("description", "")?,
        citation: text_field("citation", "")?,
        time_unit: text_field("time_unit", "time units")?,
        t_end: number_field("t_end", 20.0)?,
        every: number_field("every", 0.1)?,
        id,
        states: Vec::new(),
        params: Vec::new(),
        definitions: Vec::new(),
        equations: Vec::new(),
        outputs: Vec::new(),
        events: Vec::new(),
    };

    if let Some(states) = r.table(root, "states")? {
        for (name, item) in r.entries(states) {
            let at = r.key_pos(states, name);
            let mut state = StateDecl {
                name: name.to_string(),
                initial: 0.0,
                unit: String::new(),
                description: String::new(),
                at,
            };
            if let Some(v) = item.as_value().filter(|v| number(v).is_some()) {
                state.initial = r.number_value(v, name)?;
            } else if let Some(fields) = r.fields(item) {
                for (k, v) in fields {
                    match k {
                        "initial" => state.initial = r.number_value(v, k)?,
                        "unit" => state.unit = r.text_value(v, k)?,
                        "description" => state.description = r.text_value(v, k)?,
                        _ => {
                            return Err(r.err(
                                v.span(),
                                format!(
                                    "unknown key `{k}` for state `{name}`; allowed: {}",
                                    STATE_KEYS.join(", ")
                                ),
                            ));
                        }
                    }
                }
            } else {
                return Err(r.err(
                    item.span(),
                    format!("state `{name}`: write its initial value, or {{ initial = ..., unit = \"...\", description = \"...\" }}"),
                ));
            }
            source.states.push(state);
        }
    }
    if let Some(params) = r.table(root, "params")? {
        for (name, item) in r.entries(params) {
            let at = r.key_pos(params, name);
            let mut param = ParamDecl {
                name: name.to_string(),
                default: 0.0,
                min: f64::NEG_INFINITY,
                max: f64::INFINITY,
                unit: String::new(),
                description: String::new(),
                at,
            };
            if let Some(v) = item.as_value().filter(|v| number(v).is_some()) {
                param.default = r.number_value(v, name)?;
            } else if let Some(fields) = r.fields(item) {
                let mut has_default = false;
                for (k, v) in fields {
                    match k {
                        "default" => {
                            param.default = r.number_value(v, k)?;
                            has_default = true;
                        }
                        "min" => param.min = r.number_value(v, k)?,
                        "max" => param.max = r.number_value(v, k)?,
                        "unit" => param.unit = r.text_value(v, k)?,
                        "description" => param.description = r.text_value(v, k)?,
                        _ => {
                            return Err(r.err(
                                v.span(),
                                format!(
                                    "unknown key `{k}` for parameter `{name}`; allowed: {}",
                                    PARAM_KEYS.join(", ")
                                ),
                            ));
                        }
                    }
                }
                if !has_default {
                    return Err(r.err(
                        item.span(),
                        format!("parameter `{name}` needs a default value"),
                    ));
                }
            } else {
                return Err(r.err(
                    item.span(),
                    format!("parameter `{name}`: write its default value, or {{ default = ..., min = ..., max = ..., unit = \"...\" }}"),
                ));
            }
            source.params.push(param);
        }
    }
    source.definitions = r.assignments(r.table(root, "define")?, "definition")?;
    source.equations = r.assignments(r.table(root, "equations")?, "equation")?;
    source.outputs = r.assignments(r.table(root, "outputs")?, "output")?;
    if source.equations.is_empty() {
        return Err(r.err(
            None,
            "missing the [equations] table: one line `state = \"formula for its derivative\"` per state",
        ));
    }
    if let Some(item) = root.get("events") {
        let Some(list) = item.as_array_of_tables() else {
            return Err(r.err(item.span(), "events are written as [[events]] tables"));
        };
        for (n, ev) in list.iter().enumerate() {
            r.check_keys(ev, EVENT_KEYS, "an [[events]] table")?;
            let at = r.pos(ev.span().map_or(0, |s| s.start));
            let get = |k: &str| ev.get(k).and_then(Item::as_value);
            let name = match get("name") {
                Some(v) => r.text_value(v, "name")?,
                None => format!("event {}", n + 1),
            };
            let state = match get("state") {
                Some(v) => r.text_value(v, "state")?,
                None => {
                    return Err(LangError::at(
                        file,
                        at,
                        format!(
                            "event `{name}` needs `state`: the state whose threshold it watches"
                        ),
                    ));
                }
            };
            let level = match get("crosses") {
                Some(v) => r.number_value(v, "crosses")?,
                None => {
                    return Err(LangError::at(
                        file,
                        at,
                        format!("event `{name}` needs `crosses`: the level of the threshold"),
                    ));
                }
            };
            let crossing = match get("direction") {
                None => Crossing::Either,
                Some(v) => match r.text_value(v, "direction")?.as_str() {
                    "rising" | "up" => Crossing::Rising,
                    "falling" | "down" => Crossing::Falling,
                    "either" | "both" => Crossing::Either,
                    other => {
                        return Err(r.err(
                            v.span(),
                            format!(
                                "direction `{other}` is not allowed: rising, falling or either"
                            ),
                        ));
                    }
                },
            };
            let stop = match get("stop") {
                None => false,
                Some(Value::Boolean(b)) => *b.value(),
                Some(v) => return Err(r.err(v.span(), "`stop` must be true or false")),
            };
            let mut set = Vec::new();
            if let Some(item) = ev.get("set") {
                let Some(fields) = r.fields(item) else {
                    return Err(r.err(item.span(), "`set` must be a table { state = \"formula\" }"));
                };
                for (k, v) in fields {
                    set.push(Assignment {
                        name: k.to_string(),
                        at: r.pos(v.span().map_or(0, |s| s.start)),
                        formula: r.formula(v, k)?,
                    });
                }
            }
            source.events.push(EventDecl {
                name,
                state,
                level,
                crossing,
                set,
                stop,
                at,
            });
        }
    }
    Ok(source)
}
