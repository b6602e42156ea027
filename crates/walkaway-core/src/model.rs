//! What every model in the catalog tells about itself (states, parameters
//! with units and defaults, citation) and the one interface the CLI, the
//! ensembles and the server use to run any of them.

use crate::error::ModelError;
use crate::ode::{
    HybridSystem, OdeOptions, Outputs, Record, SdeScheme, SolverStats, integrate_ode, integrate_sde,
};
use crate::real::Real;
use crate::rng::{Purpose, Stream};

/// How a parameter's value is read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A real number in `[min, max]`.
    Real,
    /// On (1) or off (0); written `true`/`false`.
    Flag,
    /// One of named options, stored as the option's index.
    Choice(&'static [&'static str]),
}

/// A parameter of a model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Name used on the command line and in scenario files, e.g. `alpha1`
    /// or `mechanisms.nostalgia`.
    pub name: &'static str,
    /// Symbol used in the equations of docs/model.md.
    pub symbol: &'static str,
    pub unit: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub kind: ParamKind,
    pub description: &'static str,
}

impl ParamSpec {
    /// A real parameter.
    pub const fn real(
        name: &'static str,
        symbol: &'static str,
        unit: &'static str,
        default: f64,
        min: f64,
        max: f64,
        description: &'static str,
    ) -> Self {
        Self {
            name,
            symbol,
            unit,
            default,
            min,
            max,
            kind: ParamKind::Real,
            description,
        }
    }

    /// An on/off switch.
    pub const fn flag(name: &'static str, default: bool, description: &'static str) -> Self {
        Self {
            name,
            symbol: "",
            unit: "on/off",
            default: if default { 1.0 } else { 0.0 },
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Flag,
            description,
        }
    }

    /// A named choice; `default` is the index of the default option.
    pub const fn choice(
        name: &'static str,
        options: &'static [&'static str],
        default: usize,
        description: &'static str,
    ) -> Self {
        Self {
            name,
            symbol: "",
            unit: "choice",
            default: default as f64,
            min: 0.0,
            max: (options.len() - 1) as f64,
            kind: ParamKind::Choice(options),
            description,
        }
    }

    /// What values are allowed, in words (for error messages).
    pub fn allowed(&self) -> String {
        match self.kind {
            ParamKind::Real => {
                let unit = if self.unit.is_empty() || self.unit == "1" {
                    String::new()
                } else {
                    format!(" ({})", self.unit)
                };
                match (self.min.is_finite(), self.max.is_finite()) {
                    (true, true) => format!("a number from {} to {}{unit}", self.min, self.max),
                    (true, false) => format!("a number of at least {}{unit}", self.min),
                    (false, true) => format!("a number of at most {}{unit}", self.max),
                    (false, false) => format!("any finite number{unit}"),
                }
            }
            ParamKind::Flag => "true or false".to_string(),
            ParamKind::Choice(options) => format!("one of {}", options.join(", ")),
        }
    }

    /// Checks a numeric value against the kind and range.
    pub fn check(&self, value: f64) -> Result<(), ModelError> {
        let ok = value.is_finite()
            && value >= self.min
            && value <= self.max
            && match self.kind {
                ParamKind::Real => true,
                ParamKind::Flag | ParamKind::Choice(_) => value.fract() == 0.0,
            };
        if ok {
            Ok(())
        } else {
            Err(ModelError::ParameterOutOfRange {
                name: self.name.to_string(),
                value: self.show(value),
                allowed: self.allowed(),
            })
        }
    }

    /// Reads a value written by a person: a number, `true`/`false`, or an
    /// option name.
    pub fn parse(&self, text: &str) -> Result<f64, ModelError> {
        let text = text.trim();
        // A number is repeated in its short form: a scenario's 1e308 reaches
        // here written out in 309 digits.
        let bad = || ModelError::ParameterOutOfRange {
            name: self.name.to_string(),
            value: text.parse::<f64>().map_or_else(|_| text.to_string(), short),
            allowed: self.allowed(),
        };
        let value = match self.kind {
            ParamKind::Real => text.parse::<f64>().map_err(|_| bad())?,
            ParamKind::Flag => match text {
                "true" | "on" | "yes" | "1" => 1.0,
                "false" | "off" | "no" | "0" => 0.0,
                _ => return Err(bad()),
            },
            ParamKind::Choice(options) => options
                .iter()
                .position(|o| *o == text)
                .map(|i| i as f64)
                .ok_or_else(bad)?,
        };
        self.check(value)?;
        Ok(value)
    }

    /// Shows a value the way a person would write it.
    pub fn show(&self, value: f64) -> String {
        match self.kind {
            ParamKind::Real => short(value),
            ParamKind::Flag => {
                if value == 1.0 {
                    "true".into()
                } else if value == 0.0 {
                    "false".into()
                } else {
                    short(value)
                }
            }
            ParamKind::Choice(options) => {
                if value.fract() == 0.0 && value >= 0.0 && (value as usize) < options.len() {
                    options[value as usize].to_string()
                } else {
                    short(value)
                }
            }
        }
    }
}

/// A state variable of a model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StateSpec {
    pub name: &'static str,
    pub unit: &'static str,
    /// Default initial value.
    pub default: f64,
    pub description: &'static str,
}

/// Whether time flows continuously (ODE/SDE) or in turns (difference equations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    Continuous,
    Discrete,
}

/// Everything a model says about itself.
#[derive(Debug, Clone, Copy)]
pub struct ModelInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// One line for listings.
    pub description: &'static str,
    pub citation: &'static str,
    /// Unit of time, e.g. "days", "years", "speaking turns".
    pub time_unit: &'static str,
    pub time: TimeKind,
    pub default_t_end: f64,
    pub default_every: f64,
    pub states: &'static [StateSpec],
    pub params: &'static [ParamSpec],
}

impl ModelInfo {
    pub fn default_params(&self) -> Vec<f64> {
        self.params.iter().map(|p| p.default).collect()
    }

    pub fn default_state(&self) -> Vec<f64> {
        self.states.iter().map(|s| s.default).collect()
    }

    pub fn param_index(&self, name: &str) -> Result<usize, ModelError> {
        self.params
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ModelError::UnknownParameter {
                model: self.id.to_string(),
                name: name.to_string(),
                known: self
                    .params
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    pub fn state_index(&self, name: &str) -> Result<usize, ModelError> {
        self.states
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| ModelError::UnknownState {
                model: self.id.to_string(),
                name: name.to_string(),
                known: self
                    .states
                    .iter()
                    .map(|s| s.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Sets one parameter by name from text (`--set NAME=VALUE`).
    pub fn set_param_text(
        &self,
        params: &mut [f64],
        name: &str,
        text: &str,
    ) -> Result<(), ModelError> {
        let i = self.param_index(name)?;
        params[i] = self.params[i].parse(text)?;
        Ok(())
    }

    /// Sets one parameter by name from a number.
    pub fn set_param(&self, params: &mut [f64], name: &str, value: f64) -> Result<(), ModelError> {
        let i = self.param_index(name)?;
        self.params[i].check(value)?;
        params[i] = value;
        Ok(())
    }

    pub fn param(&self, params: &[f64], name: &str) -> f64 {
        params[self.param_index(name).expect("known parameter")]
    }

    /// Checks every parameter against its range.
    pub fn check_params(&self, params: &[f64]) -> Result<(), ModelError> {
        if params.len() != self.params.len() {
            return Err(ModelError::InvalidRunOption {
                field: "params",
                value: params.len().to_string(),
                allowed: format!(
                    "exactly {} values for model `{}`",
                    self.params.len(),
                    self.id
                ),
            });
        }
        for (spec, v) in self.params.iter().zip(params) {
            spec.check(*v)?;
        }
        Ok(())
    }

    /// Checks an initial state: right length, every value finite.
    pub fn check_state(&self, y0: &[f64]) -> Result<(), ModelError> {
        if y0.len() != self.states.len() {
            return Err(ModelError::InvalidRunOption {
                field: "initial",
                value: y0.len().to_string(),
                allowed: format!(
                    "exactly {} values for model `{}`",
                    self.states.len(),
                    self.id
                ),
            });
        }
        for (spec, v) in self.states.iter().zip(y0) {
            if !v.is_finite() {
                return Err(ModelError::InitialStateInvalid {
                    name: spec.name.to_string(),
                    value: *v,
                    allowed: "a finite number".into(),
                });
            }
        }
        Ok(())
    }

    /// Checks one initial value a person chose: finite and within ±[`INITIAL_LIMIT`]
    /// (every model's states are of order one to a few hundred; larger
    /// starts only overflow the solver).
    pub fn check_initial_value(&self, state: usize, v: f64) -> Result<(), ModelError> {
        if v.is_finite() && v.abs() <= INITIAL_LIMIT {
            return Ok(());
        }
        Err(ModelError::InitialStateInvalid {
            name: self.states.get(state).map_or("?", |s| s.name).to_string(),
            value: v,
            allowed: "a finite number from -1000000 to 1000000".into(),
        })
    }
}

/// The largest initial value (in size) any model accepts.
pub const INITIAL_LIMIT: f64 = 1e6;

/// Which integrator runs a continuous model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Adaptive Dormand–Prince 5(4); noise terms are ignored.
    Dopri5,
    /// Fixed-step Euler–Maruyama with the model's noise.
    EulerMaruyama,
    /// Fixed-step Milstein with the model's noise.
    Milstein,
}

impl Method {
    pub const NAMES: &'static [&'static str] = &["dopri5", "euler-maruyama", "milstein"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "dopri5" => Some(Self::Dopri5),
            "euler-maruyama" | "em" => Some(Self::EulerMaruyama),
            "milstein" => Some(Self::Milstein),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Dopri5 => "dopri5",
            Self::EulerMaruyama => "euler-maruyama",
            Self::Milstein => "milstein",
        }
    }
}

/// The shortest and longest horizon (end minus start) of a run, in the
/// model's time unit: below, steps vanish under rounding; above, no model
/// here means anything.
pub const MIN_SPAN: f64 = 1e-6;
pub const MAX_SPAN: f64 = 1e7;
/// Most output rows of one run.
pub const MAX_ROWS: f64 = 1e7;
/// Most solver steps anyone may ask for (about a minute of work).
pub const MAX_STEPS: u64 = 100_000_000;

/// A number as a person would write it: the shortest text that reads back
/// to the same value, in exponent form when very large or small (1e308,
/// not 309 digits).
pub fn short(x: f64) -> String {
    if x.is_finite() && x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-7) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// How to run one trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    pub t0: f64,
    pub t_end: f64,
    /// Output interval; `None` keeps only the final state.
    pub every: Option<f64>,
    pub rtol: f64,
    pub atol: f64,
    pub method: Method,
    /// Step of the stochastic schemes.
    pub dt: f64,
    pub seed: u64,
    /// Index of this trajectory within its ensemble (selects the streams).
    pub trajectory: u64,
    pub max_steps: u64,
}

impl RunOptions {
    /// The model's own horizon and output interval, default tolerances.
    pub fn for_model(info: &ModelInfo) -> Self {
        Self {
            t0: 0.0,
            t_end: info.default_t_end,
            every: Some(info.default_every),
            rtol: 1e-6,
            atol: 1e-9,
            method: Method::Dopri5,
            dt: 0.01,
            seed: 0,
            trajectory: 0,
            max_steps: 1_000_000,
        }
    }

    pub fn ode_options(&self) -> OdeOptions {
        OdeOptions {
            rtol: self.rtol,
            atol: self.atol,
            max_steps: self.max_steps,
            ..OdeOptions::default()
        }
    }

    pub fn outputs(&self) -> Outputs {
        match self.every {
            Some(dt) => Outputs::Every(dt),
            None => Outputs::EndOnly,
        }
    }

    /// Checks the options that any model needs.
    pub fn validate(&self) -> Result<(), ModelError> {
        let bad = |field: &'static str, value: f64, allowed: &str| ModelError::InvalidRunOption {
            field,
            value: short(value),
            allowed: allowed.to_string(),
        };
        if !self.t0.is_finite() {
            return Err(bad("t0", self.t0, "a finite start time"));
        }
        let span = self.t_end - self.t0;
        if !((MIN_SPAN..=MAX_SPAN).contains(&span) && self.t_end.is_finite()) {
            return Err(bad(
                "t_end",
                self.t_end,
                "a finite time after the start, from 0.000001 to 10000000 after it",
            ));
        }
        if let Some(every) = self.every {
            if !(every > 0.0) || !every.is_finite() {
                return Err(bad("every", every, "a positive output interval"));
            }
            let rows = span / every;
            if rows > MAX_ROWS {
                return Err(ModelError::InvalidRunOption {
                    field: "every",
                    value: short(every),
                    allowed: format!(
                        "an interval giving at most 10 million output rows (horizon {} / every {} = {} rows): \
                         raise the output interval or shorten the horizon",
                        short(span),
                        short(every),
                        short(rows)
                    ),
                });
            }
        }
        if !(self.rtol >= 1e-14 && self.rtol < 1.0) {
            return Err(bad("rtol", self.rtol, "a number with 1e-14 <= rtol < 1"));
        }
        if !(self.atol >= 1e-300 && self.atol <= 1.0) {
            return Err(bad("atol", self.atol, "a number with 1e-300 <= atol <= 1"));
        }
        if !(1..=MAX_STEPS).contains(&self.max_steps) {
            return Err(ModelError::InvalidRunOption {
                field: "max_steps",
                value: self.max_steps.to_string(),
                allowed: "a whole number from 1 to 100000000".into(),
            });
        }
        if self.method != Method::Dopri5 {
            if !(self.dt > 0.0) || !self.dt.is_finite() {
                return Err(bad(
                    "dt",
                    self.dt,
                    "a positive step for the stochastic schemes",
                ));
            }
            // The fixed-step schemes take span / dt steps: refuse before
            // starting a run that cannot finish within max_steps.
            let steps = (span / self.dt).ceil();
            if steps > self.max_steps as f64 {
                return Err(ModelError::InvalidRunOption {
                    field: "dt",
                    value: short(self.dt),
                    allowed: format!(
                        "a step giving at most max_steps = {} steps over the horizon (this one needs {} steps): \
                         raise the step or max_steps, or shorten the horizon",
                        self.max_steps,
                        short(steps)
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Something that happened at a point in time (a bid, a reunion, a stop).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub t: f64,
    pub kind: String,
    pub detail: String,
}

/// One run: a table with a time column, one column per state variable
/// (plus any observables the model adds), the events and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub model: String,
    pub columns: Vec<String>,
    pub times: Vec<f64>,
    pub rows: Vec<Vec<f64>>,
    pub events: Vec<Event>,
    /// A named outcome at the horizon, for models that define one.
    pub outcome: Option<String>,
    pub final_state: Vec<f64>,
    pub stats: SolverStats,
}

impl Trajectory {
    pub fn column(&self, name: &str) -> Option<Vec<f64>> {
        let i = self.columns.iter().position(|c| c == name)?;
        Some(self.rows.iter().map(|r| r[i]).collect())
    }
}

/// A model of the catalog.
pub trait Model: Send + Sync {
    fn info(&self) -> &'static ModelInfo;

    /// The initial state used when none is given (may depend on the parameters).
    fn initial_state(&self, _params: &[f64]) -> Vec<f64> {
        self.info().default_state()
    }

    /// Runs one trajectory. Parameters are in the order of `info().params`.
    fn simulate(
        &self,
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError>;

    /// The vector field dy/dt (continuous models) or the map y ↦ y_next
    /// (discrete models) at (t, y), for analysis and phase portraits.
    fn vector_field(&self, params: &[f64], t: f64, y: &[f64], out: &mut [f64]);
}

/// Copies a slice into a fixed-size array, or says which length was wanted.
pub fn to_array<const N: usize>(info: &ModelInfo, y: &[f64]) -> Result<[f64; N], ModelError> {
    info.check_state(y)?;
    let mut a = [0.0; N];
    a.copy_from_slice(y);
    Ok(a)
}

/// Runs a [`HybridSystem`] with the method in `run`, recording each output
/// row as the state followed by `extra(sys, t, y)` columns and each event
/// through `describe`.
pub fn simulate_system<const N: usize, S, X, D>(
    info: &ModelInfo,
    sys: &mut S,
    y0: [f64; N],
    run: &RunOptions,
    extra_columns: &[&str],
    mut extra: X,
    mut describe: D,
) -> Result<Trajectory, ModelError>
where
    S: HybridSystem<N>,
    X: FnMut(&S, f64, &[f64; N], &mut Vec<f64>),
    D: FnMut(&S, Record<'_, N>) -> Option<Event>,
{
    run.validate()?;
    let mut columns: Vec<String> = info.states.iter().map(|s| s.name.to_string()).collect();
    columns.extend(extra_columns.iter().map(|c| c.to_string()));
    let mut times = Vec::new();
    let mut rows = Vec::new();
    let mut events = Vec::new();
    let mut observe = |s: &S, r: Record<'_, N>| {
        if let Record::Output { t, y } = r {
            let mut row = Vec::with_capacity(columns.len());
            row.extend_from_slice(y);
            extra(s, t, y, &mut row);
            times.push(t);
            rows.push(row);
        } else if let Some(e) = describe(s, r) {
            events.push(e);
        }
    };
    let end = match run.method {
        Method::Dopri5 => integrate_ode(
            sys,
            run.t0,
            y0,
            run.t_end,
            run.outputs(),
            run.ode_options(),
            &mut observe,
        )?,
        Method::EulerMaruyama | Method::Milstein => {
            let scheme = if run.method == Method::Milstein {
                SdeScheme::Milstein
            } else {
                SdeScheme::EulerMaruyama
            };
            let mut noise = Stream::new(run.seed, run.trajectory, Purpose::Noise);
            integrate_sde(
                sys,
                run.t0,
                y0,
                run.t_end,
                run.dt,
                scheme,
                run.outputs(),
                &mut noise,
                &mut observe,
            )?
        }
    };
    Ok(Trajectory {
        model: info.id.to_string(),
        columns,
        times,
        rows,
        events,
        outcome: None,
        final_state: end.y.to_vec(),
        stats: end.stats,
    })
}

/// `simulate` for a model whose system is built from the parameters alone
/// and adds no columns: checks, converts and runs.
pub fn simulate_plain<const N: usize, S: HybridSystem<N>>(
    info: &'static ModelInfo,
    params: &[f64],
    y0: &[f64],
    run: &RunOptions,
    build: impl FnOnce(&[f64]) -> S,
) -> Result<Trajectory, ModelError> {
    info.check_params(params)?;
    let y0 = to_array::<N>(info, y0)?;
    let mut sys = build(params);
    simulate_system(info, &mut sys, y0, run, &[], |_, _, _, _| {}, |_, _| None)
}

/// `impl Model` for a catalog model that is a plain ODE system of `$states`
/// states built from its parameters alone by `$system` (and adds no
/// columns, events or noise): `info` is the module's `INFO`, `simulate`
/// and `vector_field` go through [`simulate_plain`] and [`field_into`].
/// For a [`GenericField`] model, `$system` is
/// `|params| FieldSystem::new(&TheModel, params)`.
macro_rules! plain_ode_model {
    ($model:ty, $states:literal, $system:expr) => {
        impl $crate::model::Model for $model {
            fn info(&self) -> &'static $crate::model::ModelInfo {
                &INFO
            }

            fn simulate(
                &self,
                params: &[f64],
                y0: &[f64],
                run: &$crate::model::RunOptions,
            ) -> Result<$crate::model::Trajectory, $crate::error::ModelError> {
                $crate::model::simulate_plain::<$states, _>(&INFO, params, y0, run, $system)
            }

            fn vector_field(&self, params: &[f64], t: f64, y: &[f64], out: &mut [f64]) {
                $crate::model::field_into::<$states, _>(&($system)(params), t, y, out);
            }
        }
    };
}
pub(crate) use plain_ode_model;

/// `vector_field` through a system's right-hand side, from and into slices.
pub fn field_into<const N: usize, S: HybridSystem<N>>(sys: &S, t: f64, y: &[f64], out: &mut [f64]) {
    let mut state = [0.0; N];
    state.copy_from_slice(&y[..N]);
    let mut dy = [0.0; N];
    sys.rhs(t, &state, &mut dy);
    out[..N].copy_from_slice(&dy);
}

/// A catalog model whose vector field is autonomous, free of events and
/// noise, and written once over any [`Real`] number type. The catalog's
/// solvers run it on `f64` (through [`FieldSystem`]), the ensemble kernel
/// on lanes of `f64` (`ensemble::systems`), from the same code: the two
/// cannot drift apart, and the kernel needs no copy of the equations.
pub trait GenericField<const N: usize, const P: usize>: Model {
    /// dy/dt at `y` with `params` in the order of `info().params`. Write
    /// it as the equations read: the catalog's results are exactly these
    /// operations, in this order, on `f64`, and so is every kernel lane.
    fn field<R: Real>(&self, params: &[R; P], y: &[R; N], dydt: &mut [R; N]);
}

/// A [`GenericField`] model with its parameters fixed: the
/// [`HybridSystem`] the catalog's solvers run.
#[derive(Debug, Clone, Copy)]
pub struct FieldSystem<'m, M, const N: usize, const P: usize> {
    model: &'m M,
    params: [f64; P],
    /// Kept here because [`HybridSystem::state_names`] lends a slice of names.
    names: [&'static str; N],
}

impl<'m, M: GenericField<N, P>, const N: usize, const P: usize> FieldSystem<'m, M, N, P> {
    /// `params` in the order of `model.info().params`.
    pub fn new(model: &'m M, params: &[f64]) -> Self {
        let states = model.info().states;
        Self {
            model,
            params: std::array::from_fn(|j| params[j]),
            names: std::array::from_fn(|i| states[i].name),
        }
    }
}

impl<M: GenericField<N, P>, const N: usize, const P: usize> HybridSystem<N>
    for FieldSystem<'_, M, N, P>
{
    fn state_names(&self) -> &[&'static str] {
        &self.names
    }
    fn rhs(&self, _t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        self.model.field(&self.params, y, dydt);
    }
}
