//! Scenario files: a TOML description of one situation to simulate.
//!
//! ```toml
//! model = "walkaway"          # a catalog id (`walkaway models`)
//! title = "Walking away"      # optional
//! horizon = 180               # end time in the model's time unit (optional)
//! seed = 42                   # optional
//!
//! [solver]                    # all optional
//! method = "dopri5"           # or "euler-maruyama", "milstein"
//! rtol = 1e-6
//! atol = 1e-9
//! dt = 0.01                   # step of the stochastic methods
//! max_steps = 1000000
//!
//! [output]
//! every = 1                   # output interval
//!
//! [params]                    # nested tables flatten to dotted names
//! partner.satisfaction = 0.6  # a number, true/false for switches, an option name for choices
//! partner.investment = { dist = "beta", alpha = 3, beta = 3 }
//! mechanisms.nostalgia = false
//! separation.after = "decide"
//!
//! [initial]                   # state names of the model
//! love = 0.7
//! ```
//!
//! Distributions: `normal {mean, sd, min, max}` (bounds required when the
//! parameter's range is bounded), `lognormal {median, sigma, min?, max?}`,
//! `beta {alpha, beta, min?, max?}` (on [0, 1] unless stretched) and
//! `uniform {min, max}`. A single run uses each distribution's central value
//! (the median); forecasts draw from them.
//!
//! Every error names the file, the line and column, the key, the value and
//! what is allowed.

pub mod sweep;
pub mod target;

use std::ops::Range;
use std::path::Path;
use walkaway_core::model::short;

use thiserror::Error;
use toml_edit::{Document, Item, Table, Value};
use walkaway_core::distribution::Distribution;
use walkaway_core::model::ParamKind;
use walkaway_core::models::walkaway;
use walkaway_core::population::Population;
use walkaway_core::{Method, Model, ModelError, RunOptions, SolverError, find};

/// The embedded default scenario (also shipped as scenarios/default.toml).
pub const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/default.toml");

/// A problem in a scenario, located in its source.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{file}:{line}:{column}: `{key}`: {message}")]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

impl ScenarioError {
    /// The message for a person: `file:line:column: key: …` when it comes
    /// from a line of a file, else (`--set`, an unreadable file) without a
    /// made-up position.
    pub fn to_message(&self) -> String {
        if self.line == 0 {
            format!("{} `{}`: {}", self.file, self.key, self.message)
        } else {
            self.to_string()
        }
    }
}

/// The message for a run the solver could not finish. Every model's
/// defaults run, so the values chosen (`chosen`, as `name = value`; empty
/// when unknown) are the likely cause: the person can fix them.
pub fn solver_failure_message(s: &SolverError, chosen: &[String]) -> String {
    let chosen = if chosen.is_empty() {
        String::new()
    } else {
        format!(" (values chosen here: {})", chosen.join(", "))
    };
    format!(
        "the simulation cannot continue from these inputs{chosen}: {s}; \
         try values nearer the defaults (`walkaway models` lists each model's ranges)"
    )
}

/// A validated scenario.
#[derive(Clone)]
pub struct Scenario {
    pub source: String,
    pub model: &'static dyn Model,
    pub title: Option<String>,
    /// Parameters: fixed values and distributions.
    pub population: Population,
    pub run: RunOptions,
    /// Initial values given in `[initial]`, by state index.
    pub initial: Vec<(usize, f64)>,
    locations: Vec<(String, usize, usize)>,
}

impl std::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scenario")
            .field("source", &self.source)
            .field("model", &self.model.info().id)
            .field("title", &self.title)
            .field("population", &self.population)
            .field("run", &self.run)
            .field("initial", &self.initial)
            .finish()
    }
}

const TOP_KEYS: &[&str] = &[
    "model",
    "title",
    "description",
    "horizon",
    "seed",
    "solver",
    "output",
    "params",
    "initial",
];
const SOLVER_KEYS: &[&str] = &["method", "rtol", "atol", "dt", "max_steps"];
const OUTPUT_KEYS: &[&str] = &["every"];

struct Parser<'a> {
    text: &'a str,
    file: String,
    locations: Vec<(String, usize, usize)>,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, column)
}

/// The closest known name, if it is close enough to be a likely typo.
fn suggestion<'k>(name: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(name, k);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    match best {
        Some((d, k)) if d <= 2 + name.len() / 6 => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i.value() as f64),
        Value::Float(f) => Some(*f.value()),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "a table",
    }
}

impl<'a> Parser<'a> {
    fn err_at(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
        let (line, column) = span.map_or((1, 1), |s| line_col(self.text, s.start));
        ScenarioError {
            file: self.file.clone(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        }
    }

    fn remember(&mut self, key: &str, span: Option<Range<usize>>) {
        if let Some(s) = span {
            let (line, column) = line_col(self.text, s.start);
            self.locations.push((key.to_string(), line, column));
        }
    }

    fn value<'t>(
        &self,
        table: &'t Table,
        key: &str,
        path: &str,
    ) -> Result<Option<&'t Value>, ScenarioError> {
        match table.get(key) {
            None => Ok(None),
            Some(Item::Value(v)) => Ok(Some(v)),
            Some(other) => Err(self.err_at(other.span(), path, "expected a value, found a table")),
        }
    }

    fn number_at(
        &self,
        table: &Table,
        key: &str,
        path: &str,
    ) -> Result<Option<f64>, ScenarioError> {
        match self.value(table, key, path)? {
            None => Ok(None),
            Some(v) => match number(v) {
                Some(x) if x.is_finite() => Ok(Some(x)),
                Some(x) => Err(self.err_at(
                    v.span(),
                    path,
                    format!("{x} is not allowed: a finite number (not nan or inf)"),
                )),
                None => Err(self.err_at(
                    v.span(),
                    path,
                    format!("expected a number, found {}", type_name(v)),
                )),
            },
        }
    }

    fn string_at(
        &self,
        table: &Table,
        key: &str,
        path: &str,
    ) -> Result<Option<String>, ScenarioError> {
        match self.value(table, key, path)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.value().clone())),
            Some(v) => Err(self.err_at(
                v.span(),
                path,
                format!("expected a string, found {}", type_name(v)),
            )),
        }
    }

    /// An optional sub-table `[key]` of `root`.
    fn table_at<'t>(&self, root: &'t Table, key: &str) -> Result<Option<&'t Table>, ScenarioError> {
        match root.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_table()
                .map(Some)
                .ok_or_else(|| self.err_at(item.span(), key, format!("expected a table [{key}]"))),
        }
    }

    fn check_keys(
        &self,
        table: &Table,
        allowed: &[&str],
        prefix: &str,
    ) -> Result<(), ScenarioError> {
        for (k, item) in table.iter() {
            if !allowed.contains(&k) {
                let path = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                let span = table
                    .key(k)
                    .and_then(|key| key.span())
                    .or_else(|| item.span());
                return Err(self.err_at(
                    span,
                    &path,
                    format!(
                        "unknown key{}; allowed here: {}",
                        suggestion(k, allowed.iter().copied()),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Where a file stops being UTF-8: line, column and byte offset.
fn invalid_utf8(file: &str, bytes: &[u8], e: std::str::Utf8Error) -> ScenarioError {
    let at = e.valid_up_to();
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    // Valid up to `at`, so the column counts characters.
    let column = std::str::from_utf8(&before[line_start..]).map_or(1, |s| s.chars().count() + 1);
    ScenarioError {
        file: file.to_string(),
        line,
        column,
        key: "file".into(),
        message: format!(
            "byte {at} (0x{:02x}) is not UTF-8 text; save the scenario file as UTF-8",
            bytes.get(at).copied().unwrap_or(0)
        ),
    }
}

/// Fields of a distribution written as a TOML table.
struct DistFields<'t> {
    pairs: Vec<(&'t str, &'t Value)>,
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ScenarioError {
            file: file.clone(),
            line: 0,
            column: 0,
            key: "file".into(),
            message: format!("cannot read the scenario file: {e}"),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| invalid_utf8(&file, e.as_bytes(), e.utf8_error()))?;
        Self::parse_in(&text, &file, Some(path.parent().unwrap_or(Path::new(""))))
    }

    /// The embedded default scenario.
    pub fn default_scenario() -> Self {
        Self::parse(DEFAULT_SCENARIO, "scenarios/default.toml")
            .expect("the embedded default scenario is valid")
    }

    /// Parses and validates scenario text; `file` names it in errors.
    /// `model =` must name a catalog model: an equation file is read only
    /// from a scenario file ([`Scenario::load`]), never from text that came
    /// from elsewhere.
    pub fn parse(text: &str, file: &str) -> Result<Self, ScenarioError> {
        Self::parse_in(text, file, None)
    }

    /// [`Scenario::parse`], with `model =` allowed to name an equation
    /// file (docs/models.md) relative to `dir`, the scenario file's folder.
    fn parse_in(text: &str, file: &str, dir: Option<&Path>) -> Result<Self, ScenarioError> {
        let mut p = Parser {
            text,
            file: file.to_string(),
            locations: Vec::new(),
        };
        let doc = Document::parse(text).map_err(|e| {
            p.err_at(
                e.span(),
                "(syntax)",
                format!("not valid TOML: {}", e.message()),
            )
        })?;
        let root = doc.as_table();
        p.check_keys(root, TOP_KEYS, "")?;

        let model_id = p.string_at(root, "model", "model")?.ok_or_else(|| {
            p.err_at(
                Some(0..0),
                "model",
                "missing; name a model of the catalog, e.g. model = \"walkaway\"",
            )
        })?;
        let model_span = root.get("model").and_then(|i| i.span());
        let model: &'static dyn Model = if target::names_a_file(&model_id) {
            let dir = dir.ok_or_else(|| {
                p.err_at(
                    model_span.clone(),
                    "model",
                    format!(
                        "`{model_id}`: an equation file can be named only in a scenario file \
                         (it is read relative to that file's folder); allowed here: a catalog id"
                    ),
                )
            })?;
            let path = dir.join(&model_id);
            if !path.is_file() {
                return Err(p.err_at(
                    model_span,
                    "model",
                    format!(
                        "`{model_id}`: no equation file at {}; allowed: a catalog id, or an \
                         equation file's path relative to this scenario file",
                        path.display()
                    ),
                ));
            }
            match target::equation_file(&path.display().to_string()) {
                Ok(Some(m)) => m,
                Ok(None) => {
                    return Err(p.err_at(
                        model_span,
                        "model",
                        format!(
                            "`{model_id}` is not an equation file (looked for {}); allowed: a \
                             catalog id, a .ode file or a .toml file with a [model] table \
                             (docs/models.md)",
                            path.display()
                        ),
                    ));
                }
                Err(e) => return Err(p.err_at(model_span, "model", e)),
            }
        } else {
            find(&model_id).map_err(|e| p.err_at(model_span.clone(), "model", e.to_string()))?
        };
        p.remember("model", root.get("model").and_then(|i| i.span()));
        let info = model.info();
        let title = p.string_at(root, "title", "title")?;
        p.string_at(root, "description", "description")?;

        let mut run = RunOptions::for_model(info);
        if let Some(h) = p.number_at(root, "horizon", "horizon")? {
            run.t_end = h;
            p.remember("horizon", root.get("horizon").and_then(|i| i.span()));
        }
        if let Some(s) = p.number_at(root, "seed", "seed")? {
            if s < 0.0 || s.fract() != 0.0 || s > 9.0e15 {
                return Err(p.err_at(
                    root.get("seed").and_then(|i| i.span()),
                    "seed",
                    format!("{} is not allowed: a whole number from 0 to 9e15", short(s)),
                ));
            }
            run.seed = s as u64;
        }
        if let Some(t) = p.table_at(root, "solver")? {
            p.check_keys(t, SOLVER_KEYS, "solver")?;
            if let Some(m) = p.string_at(t, "method", "solver.method")? {
                run.method = Method::parse(&m).ok_or_else(|| {
                    p.err_at(
                        t.get("method").and_then(|i| i.span()),
                        "solver.method",
                        format!("`{m}` is not known; allowed: {}", Method::NAMES.join(", ")),
                    )
                })?;
            }
            for (key, slot) in [
                ("rtol", &mut run.rtol),
                ("atol", &mut run.atol),
                ("dt", &mut run.dt),
            ] {
                if let Some(v) = p.number_at(t, key, &format!("solver.{key}"))? {
                    *slot = v;
                    p.remember(&format!("solver.{key}"), t.get(key).and_then(|i| i.span()));
                }
            }
            if let Some(v) = p.number_at(t, "max_steps", "solver.max_steps")? {
                if v < 1.0 || v.fract() != 0.0 {
                    return Err(p.err_at(
                        t.get("max_steps").and_then(|i| i.span()),
                        "solver.max_steps",
                        format!("{} is not allowed: a whole number of at least 1", short(v)),
                    ));
                }
                run.max_steps = v as u64;
            }
        }
        if let Some(t) = p.table_at(root, "output")? {
            p.check_keys(t, OUTPUT_KEYS, "output")?;
            if let Some(v) = p.number_at(t, "every", "output.every")? {
                run.every = Some(v);
                p.remember("output.every", t.get("every").and_then(|i| i.span()));
            }
        }

        let mut population = Population::fixed(info);
        if let Some(t) = p.table_at(root, "params")? {
            p.params(t, "", model, &mut population)?;
        }
        let mut initial = Vec::new();
        if let Some(t) = p.table_at(root, "initial")? {
            for (k, it) in t.iter() {
                let path = format!("initial.{k}");
                let span = it.span();
                let idx = info.state_index(k).map_err(|e| {
                    p.err_at(
                        span.clone(),
                        &path,
                        format!("{e}{}", suggestion(k, info.states.iter().map(|s| s.name))),
                    )
                })?;
                let v = p.number_at(t, k, &path)?.unwrap_or(0.0);
                p.remember(&path, span);
                initial.push((idx, v));
            }
        }
        let scenario = Scenario {
            source: file.to_string(),
            model,
            title,
            population,
            run,
            initial,
            locations: p.locations,
        };
        scenario.check()?;
        Ok(scenario)
    }

    /// Where a key was written, for errors found after parsing; (0, 0) when
    /// it was not written in the file (a default, or set on the command line).
    fn locate(&self, key: &str) -> (usize, usize) {
        self.locations
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or((0, 0), |(_, l, c)| (*l, *c))
    }

    /// An error about `key`, at the line where the file wrote it (if it did).
    pub fn error(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        let (line, column) = self.locate(key);
        ScenarioError {
            file: self.source.clone(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// The message for a solver failure of this scenario's run: it names
    /// the values the scenario or the caller chose (the likely cause, since
    /// every model's defaults run), so the person can fix them.
    pub fn solver_failure_message(&self, s: &SolverError) -> String {
        let info = self.model.info();
        let mut chosen: Vec<String> = self
            .initial
            .iter()
            .map(|(i, v)| {
                format!(
                    "initial.{} = {}",
                    info.states[*i].name,
                    walkaway_core::model::short(*v)
                )
            })
            .collect();
        let defaults = info.default_params();
        for ((spec, v), d) in info.params.iter().zip(self.central_params()).zip(defaults) {
            if v != d {
                chosen.push(format!("{} = {}", spec.name, spec.show(v)));
            }
        }
        let defaults = walkaway_core::RunOptions::for_model(info);
        let run = &self.run;
        for (name, v, d) in [
            ("horizon", run.t_end, defaults.t_end),
            ("solver.dt", run.dt, defaults.dt),
            ("solver.rtol", run.rtol, defaults.rtol),
            ("solver.atol", run.atol, defaults.atol),
        ] {
            if v != d {
                chosen.push(format!("{name} = {}", walkaway_core::model::short(v)));
            }
        }
        solver_failure_message(s, &chosen)
    }

    /// Checks what needs the whole scenario: run options and the model's
    /// own rules (e.g. a separation must start before the horizon).
    pub fn check(&self) -> Result<(), ScenarioError> {
        self.run.validate().map_err(|e| {
            let key = match &e {
                ModelError::InvalidRunOption { field, .. } => match *field {
                    "t_end" => "horizon".to_string(),
                    // Too many rows: blame the interval only if the file set it.
                    "every" if self.locate("output.every") == (0, 0) => "horizon".to_string(),
                    "every" => "output.every".to_string(),
                    other => format!("solver.{other}"),
                },
                _ => "solver".to_string(),
            };
            self.error(&key, e.to_string())
        })?;
        for (i, v) in &self.initial {
            let info = self.model.info();
            info.check_initial_value(*i, *v).map_err(|e| {
                let key = format!("initial.{}", info.states[*i].name);
                self.error(&key, e.to_string())
            })?;
        }
        if self.model.info().id == walkaway::INFO.id {
            let p = walkaway::Params::from_slice(&self.population.central());
            walkaway::check_schedule(&p, &self.run)
                .map_err(|e| self.error("separation.start", e.to_string()))?;
        }
        Ok(())
    }

    /// Parameter values of a single run (central values of distributions).
    pub fn central_params(&self) -> Vec<f64> {
        self.population.central()
    }

    /// Initial state: the model's own for these parameters, with the
    /// scenario's `[initial]` values on top.
    pub fn initial_state(&self, params: &[f64]) -> Vec<f64> {
        let mut y = self.model.initial_state(params);
        for (i, v) in &self.initial {
            y[*i] = *v;
        }
        y
    }

    /// Applies `NAME=VALUE` from the command line: a parameter (fixing it),
    /// `initial.STATE`, `horizon`, `seed`, `solver.KEY` or `output.every`.
    pub fn apply_set(&mut self, text: &str) -> Result<(), ScenarioError> {
        let bad = |key: &str, message: String| ScenarioError {
            file: "--set".into(),
            line: 0,
            column: 0,
            key: key.to_string(),
            message,
        };
        let (name, value) = text.split_once('=').ok_or_else(|| {
            bad(
                text,
                "expected NAME=VALUE, e.g. --set mechanisms.nostalgia=false".into(),
            )
        })?;
        let (name, value) = (name.trim(), value.trim());
        let num = |v: &str| -> Result<f64, ScenarioError> {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad(name, format!("`{v}` is not a number")))
        };
        let info = self.model.info();
        match name {
            "horizon" => self.run.t_end = num(value)?,
            "seed" => {
                self.run.seed = value.parse().map_err(|_| {
                    bad(
                        name,
                        format!("`{value}` is not allowed: a whole number of at least 0"),
                    )
                })?
            }
            "output.every" => self.run.every = Some(num(value)?),
            "solver.rtol" => self.run.rtol = num(value)?,
            "solver.atol" => self.run.atol = num(value)?,
            "solver.dt" => self.run.dt = num(value)?,
            "solver.method" => {
                self.run.method = Method::parse(value).ok_or_else(|| {
                    bad(
                        name,
                        format!(
                            "`{value}` is not known; allowed: {}",
                            Method::NAMES.join(", ")
                        ),
                    )
                })?
            }
            _ => {
                if let Some(state) = name.strip_prefix("initial.") {
                    let i = info
                        .state_index(state)
                        .map_err(|e| bad(name, e.to_string()))?;
                    let v = num(value)?;
                    info.check_initial_value(i, v)
                        .map_err(|e| bad(name, e.to_string()))?;
                    self.initial.retain(|(j, _)| *j != i);
                    self.initial.push((i, v));
                } else {
                    let i = info.param_index(name).map_err(|e| {
                        bad(
                            name,
                            format!(
                                "{e}{}",
                                suggestion(name, info.params.iter().map(|p| p.name))
                            ),
                        )
                    })?;
                    let v = info.params[i]
                        .parse(value)
                        .map_err(|e| bad(name, e.to_string()))?;
                    self.population.fix(i, v);
                }
            }
        }
        self.check().map_err(|e| bad(name, e.message))
    }
}

impl Parser<'_> {
    fn params(
        &mut self,
        table: &Table,
        prefix: &str,
        model: &dyn Model,
        pop: &mut Population,
    ) -> Result<(), ScenarioError> {
        let info = model.info();
        for (k, item) in table.iter() {
            let path = if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            };
            let span = item
                .span()
                .or_else(|| table.key(k).and_then(|key| key.span()));
            match item {
                Item::Table(t) if t.contains_key("dist") => {
                    let fields = DistFields {
                        pairs: t
                            .iter()
                            .filter_map(|(k, i)| i.as_value().map(|v| (k, v)))
                            .collect(),
                    };
                    self.distribution(&path, span, fields, info, pop)?;
                }
                Item::Table(t) => self.params(t, &path, model, pop)?,
                Item::Value(Value::InlineTable(it)) if it.contains_key("dist") => {
                    let fields = DistFields {
                        pairs: it.iter().collect(),
                    };
                    self.distribution(&path, span, fields, info, pop)?;
                }
                Item::Value(Value::InlineTable(it)) => {
                    let t = it.clone().into_table();
                    self.params(&t, &path, model, pop)?;
                }
                Item::Value(v) => {
                    let i = self.param_index(info, &path, span.clone())?;
                    let spec = &info.params[i];
                    let text = match v {
                        Value::Boolean(b) => b.value().to_string(),
                        Value::String(s) => s.value().clone(),
                        other => match number(other) {
                            Some(x) => {
                                if matches!(spec.kind, ParamKind::Flag) {
                                    return Err(self.err_at(
                                        span,
                                        &path,
                                        format!("{} is not allowed: {}", short(x), spec.allowed()),
                                    ));
                                }
                                x.to_string()
                            }
                            None => {
                                return Err(self.err_at(
                                    span,
                                    &path,
                                    format!(
                                        "expected {}, found {}",
                                        spec.allowed(),
                                        type_name(other)
                                    ),
                                ));
                            }
                        },
                    };
                    if matches!(spec.kind, ParamKind::Real)
                        && matches!(v, Value::String(_) | Value::Boolean(_))
                    {
                        return Err(self.err_at(
                            span,
                            &path,
                            format!(
                                "expected a number or a distribution table, found {}: {}",
                                type_name(v),
                                spec.allowed()
                            ),
                        ));
                    }
                    let value = spec
                        .parse(&text)
                        .map_err(|e| self.err_at(span.clone(), &path, e.to_string()))?;
                    self.remember(&path, span);
                    pop.fix(i, value);
                }
                Item::ArrayOfTables(a) => {
                    return Err(self.err_at(
                        a.span(),
                        &path,
                        "arrays of tables are not allowed in [params]",
                    ));
                }
                Item::None => {}
            }
        }
        Ok(())
    }

    fn param_index(
        &self,
        info: &walkaway_core::ModelInfo,
        path: &str,
        span: Option<Range<usize>>,
    ) -> Result<usize, ScenarioError> {
        info.param_index(path).map_err(|_| {
            self.err_at(
                span,
                path,
                format!(
                    "model `{}` has no parameter `{path}`{}; see `walkaway models` for its parameters",
                    info.id,
                    suggestion(path, info.params.iter().map(|p| p.name))
                ),
            )
        })
    }

    fn distribution(
        &mut self,
        path: &str,
        span: Option<Range<usize>>,
        fields: DistFields<'_>,
        info: &walkaway_core::ModelInfo,
        pop: &mut Population,
    ) -> Result<(), ScenarioError> {
        let i = self.param_index(info, path, span.clone())?;
        let spec = &info.params[i];
        if !matches!(spec.kind, ParamKind::Real) {
            return Err(self.err_at(
                span,
                path,
                format!(
                    "a distribution is only allowed for numeric parameters; this one takes {}",
                    spec.allowed()
                ),
            ));
        }
        let get = |name: &str| {
            fields
                .pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| *v)
        };
        let kind = match get("dist") {
            Some(Value::String(s)) => s.value().clone(),
            _ => {
                return Err(self.err_at(
                    span,
                    path,
                    "`dist` must be one of \"normal\", \"lognormal\", \"beta\", \"uniform\"",
                ));
            }
        };
        let allowed: &[&str] = match kind.as_str() {
            "normal" => &["dist", "mean", "sd", "min", "max"],
            "lognormal" => &["dist", "median", "sigma", "min", "max"],
            "beta" => &["dist", "alpha", "beta", "min", "max"],
            "uniform" => &["dist", "min", "max"],
            other => {
                return Err(self.err_at(
                    span,
                    path,
                    format!("unknown distribution `{other}`{}; allowed: normal, lognormal, beta, uniform", suggestion(other, ["normal", "lognormal", "beta", "uniform"])),
                ));
            }
        };
        for (k, _) in &fields.pairs {
            if !allowed.contains(k) {
                return Err(self.err_at(
                    span,
                    &format!("{path}.{k}"),
                    format!(
                        "unknown field for a {kind} distribution{}; allowed: {}",
                        suggestion(k, allowed.iter().copied()),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let field = |name: &str, required: bool| -> Result<Option<f64>, ScenarioError> {
            match get(name) {
                None if required => Err(self.err_at(
                    span.clone(),
                    &format!("{path}.{name}"),
                    format!(
                        "missing; a {kind} distribution needs {}",
                        allowed[1..].join(", ")
                    ),
                )),
                None => Ok(None),
                Some(v) => number(v)
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| {
                        self.err_at(
                            span.clone(),
                            &format!("{path}.{name}"),
                            format!("expected a number, found {}", type_name(v)),
                        )
                    }),
            }
        };
        let positive = |name: &str, v: f64| -> Result<f64, ScenarioError> {
            if v > 0.0 {
                Ok(v)
            } else {
                Err(self.err_at(
                    span.clone(),
                    &format!("{path}.{name}"),
                    format!("{} is not allowed: a positive number", short(v)),
                ))
            }
        };
        let (min, max) = (field("min", false)?, field("max", false)?);
        let spread = match kind.as_str() {
            "normal" => Distribution::Normal {
                mean: field("mean", true)?.unwrap_or_default(),
                sd: positive("sd", field("sd", true)?.unwrap_or_default())?,
                min: min.unwrap_or(f64::NEG_INFINITY),
                max: max.unwrap_or(f64::INFINITY),
            },
            "lognormal" => Distribution::LogNormal {
                median: positive("median", field("median", true)?.unwrap_or_default())?,
                sigma: positive("sigma", field("sigma", true)?.unwrap_or_default())?,
                min: min.unwrap_or(0.0),
                max: max.unwrap_or(f64::INFINITY),
            },
            "beta" => Distribution::Beta {
                alpha: positive("alpha", field("alpha", true)?.unwrap_or_default())?,
                beta: positive("beta", field("beta", true)?.unwrap_or_default())?,
                min: min.unwrap_or(0.0),
                max: max.unwrap_or(1.0),
            },
            _ => Distribution::Uniform {
                min: field("min", true)?.unwrap_or_default(),
                max: field("max", true)?.unwrap_or_default(),
            },
        };
        let (lo, hi) = spread.support();
        if lo >= hi {
            return Err(self.err_at(span, path, format!("min ({lo}) must be below max ({hi})")));
        }
        spread
            .validate()
            .map_err(|e| self.err_at(span.clone(), path, e.to_string()))?;
        if lo < spec.min || hi > spec.max {
            return Err(self.err_at(
                span,
                path,
                format!(
                    "this {kind} distribution can draw values from {lo} to {hi}, outside the parameter's range; {} (add or narrow `min`/`max`)",
                    spec.allowed()
                ),
            ));
        }
        self.remember(path, span);
        pop.spread(i, spread);
        Ok(())
    }
}
