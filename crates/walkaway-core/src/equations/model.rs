//! A compiled equation file as a [`Model`]: the same checks, solvers,
//! outputs and analyses as a catalog model.

use std::cell::RefCell;

use super::compile::{Compiler, Layout};
use super::program::{LaneProgram, Program};
use super::source::{Crossing, LangError, ModelSource};
use crate::error::ModelError;
use crate::model::{
    Event, Model, ModelInfo, ParamSpec, RunOptions, StateSpec, TimeKind, Trajectory,
    simulate_system,
};
use crate::ode::{Control, Direction, HybridSystem, MAX_EVENTS, Record};

/// The most state variables an equation file may declare (each count is
/// a separately compiled solver).
pub const MAX_STATES: usize = 8;
/// The most parameters an equation file may declare (the ensemble kernel
/// carries this many per lane).
pub const MAX_PARAMS: usize = 32;

#[derive(Debug, Clone)]
pub(crate) struct CompiledEvent {
    pub name: String,
    pub state: usize,
    pub level: f64,
    pub crossing: Crossing,
    pub set: Program,
    pub targets: Vec<usize>,
    pub stop: bool,
}

/// A model compiled from an equation file.
#[derive(Debug)]
pub struct EquationModel {
    info: &'static ModelInfo,
    pub(crate) source: ModelSource,
    pub(crate) layout: Layout,
    pub(crate) rhs: Program,
    /// `rhs` as the ensemble kernel runs it: split at the parameters, its
    /// per-call part with multiplications fused into their sums.
    pub(crate) lanes: LaneProgram,
    outputs: Program,
    output_names: Vec<String>,
    pub(crate) events: Vec<CompiledEvent>,
    pub(crate) state_names: Vec<&'static str>,
    pub(crate) param_names: Vec<&'static str>,
}

/// Two handles are the same model when they are the same registration.
impl PartialEq for EquationModel {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for EquationModel {}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// Compiles a model; every problem is reported with its place in the file.
///
/// The model's descriptive texts live as long as the program (the
/// [`Model`] interface hands out `&'static` descriptions): compile a file
/// once and keep the model, as [`super::register`] does.
pub fn compile(src: &ModelSource) -> Result<EquationModel, LangError> {
    let file = src.file.as_str();
    let here = |pos, message: String| LangError::at(file, pos, message);
    let top = super::source::Pos::new(1, 1);
    if !is_id(&src.id) {
        return Err(here(
            top,
            format!(
                "model id `{}` is not allowed: lower-case letters, digits and `-`, starting with a letter, at most 40 characters",
                src.id
            ),
        ));
    }
    if src.states.is_empty() || src.states.len() > MAX_STATES {
        return Err(here(
            top,
            format!(
                "the model has {} state variables; allowed: 1 to {MAX_STATES}",
                src.states.len()
            ),
        ));
    }
    if src.params.len() > MAX_PARAMS {
        return Err(here(
            src.params[MAX_PARAMS].at,
            format!("more than {MAX_PARAMS} parameters; allowed: at most {MAX_PARAMS}"),
        ));
    }
    if !(src.t_end > 0.0 && src.t_end.is_finite()) {
        return Err(here(
            top,
            format!(
                "end time {} is not allowed: a positive finite number",
                src.t_end
            ),
        ));
    }
    if !(src.every > 0.0 && src.every.is_finite()) {
        return Err(here(
            top,
            format!(
                "output interval {} is not allowed: a positive finite number",
                src.every
            ),
        ));
    }
    for s in &src.states {
        if !s.initial.is_finite() {
            return Err(here(
                s.at,
                format!("initial value of `{}` must be a finite number", s.name),
            ));
        }
    }
    for p in &src.params {
        let ok =
            p.default.is_finite() && p.min <= p.max && p.default >= p.min && p.default <= p.max;
        if !ok {
            return Err(here(
                p.at,
                format!(
                    "parameter `{}`: default {} must be finite and within its range [{}, {}]",
                    p.name, p.default, p.min, p.max
                ),
            ));
        }
    }
    let mut compiler = Compiler::new(src)?;
    // One derivative per state, in the order of the states.
    let mut derivatives = Vec::new();
    for eq in &src.equations {
        if !src.states.iter().any(|s| s.name == eq.name) {
            return Err(here(
                eq.at,
                format!(
                    "`{}` is not a state variable, so it has no derivative; states: {}",
                    eq.name,
                    names(src.states.iter().map(|s| &s.name))
                ),
            ));
        }
    }
    for s in &src.states {
        let mut found = src.equations.iter().filter(|e| e.name == s.name);
        let first = found.next().ok_or_else(|| {
            here(
                s.at,
                format!("state `{}` has no equation for its derivative", s.name),
            )
        })?;
        if let Some(second) = found.next() {
            return Err(here(
                second.at,
                format!(
                    "state `{}` has a second equation; give each state exactly one",
                    s.name
                ),
            ));
        }
        derivatives.push(&first.formula);
    }
    let rhs = compiler.program(&derivatives)?;
    for o in &src.outputs {
        if src.states.iter().any(|s| s.name == o.name)
            || src.outputs.iter().filter(|x| x.name == o.name).count() > 1
        {
            return Err(here(
                o.at,
                format!(
                    "output column `{}` repeats a state or another output; choose another name",
                    o.name
                ),
            ));
        }
    }
    let outputs = compiler.program(&src.outputs.iter().map(|o| &o.formula).collect::<Vec<_>>())?;
    if src.events.len() > MAX_EVENTS {
        return Err(here(
            src.events[MAX_EVENTS].at,
            format!("more than {MAX_EVENTS} events; allowed: at most {MAX_EVENTS}"),
        ));
    }
    let state_index = |name: &str| src.states.iter().position(|s| s.name == name);
    let mut events = Vec::new();
    for ev in &src.events {
        let state = state_index(&ev.state).ok_or_else(|| {
            here(
                ev.at,
                format!(
                    "event `{}` watches `{}`, which is not a state; states: {}",
                    ev.name,
                    ev.state,
                    names(src.states.iter().map(|s| &s.name))
                ),
            )
        })?;
        if !ev.level.is_finite() {
            return Err(here(
                ev.at,
                format!("event `{}`: the level must be a finite number", ev.name),
            ));
        }
        let mut targets = Vec::new();
        for a in &ev.set {
            targets.push(state_index(&a.name).ok_or_else(|| {
                here(
                    a.at,
                    format!(
                        "event `{}` sets `{}`, which is not a state",
                        ev.name, a.name
                    ),
                )
            })?);
        }
        let set = compiler.program(&ev.set.iter().map(|a| &a.formula).collect::<Vec<_>>())?;
        events.push(CompiledEvent {
            name: ev.name.clone(),
            state,
            level: ev.level,
            crossing: ev.crossing,
            set,
            targets,
            stop: ev.stop,
        });
    }
    let layout = compiler.layout();
    let mut lanes = rhs.split(|slot| layout.is_parameter_or_constant(slot));
    lanes.per_call.fuse_multiplications();
    let states: Vec<StateSpec> = src
        .states
        .iter()
        .map(|s| StateSpec {
            name: leak(&s.name),
            unit: leak(&s.unit),
            default: s.initial,
            description: leak(&s.description),
        })
        .collect();
    let params: Vec<ParamSpec> = src
        .params
        .iter()
        .map(|p| {
            let name = leak(&p.name);
            ParamSpec::real(
                name,
                name,
                leak(&p.unit),
                p.default,
                p.min,
                p.max,
                leak(&p.description),
            )
        })
        .collect();
    let info: &'static ModelInfo = Box::leak(Box::new(ModelInfo {
        id: leak(&src.id),
        title: leak(&src.title),
        description: leak(&src.description),
        citation: leak(&src.citation),
        time_unit: leak(&src.time_unit),
        time: TimeKind::Continuous,
        default_t_end: src.t_end,
        default_every: src.every,
        states: Box::leak(states.into_boxed_slice()),
        params: Box::leak(params.into_boxed_slice()),
    }));
    let model = EquationModel {
        info,
        source: src.clone(),
        layout,
        rhs,
        lanes,
        outputs,
        output_names: src.outputs.iter().map(|o| o.name.clone()).collect(),
        events,
        state_names: info.states.iter().map(|s| s.name).collect(),
        param_names: info.params.iter().map(|p| p.name).collect(),
    };
    // The defaults must give finite derivatives at the initial state.
    model
        .check_start(&info.default_params(), &info.default_state(), 0.0)
        .map_err(|p| LangError::at(file, p.at, p.message()))?;
    Ok(model)
}

fn names<'a>(list: impl Iterator<Item = &'a String>) -> String {
    list.map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// Model ids: lower-case letters, digits and `-`, starting with a letter.
pub fn is_id(id: &str) -> bool {
    id.len() <= 40
        && id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl EquationModel {
    pub fn source(&self) -> &ModelSource {
        &self.source
    }

    /// Whether the model declares threshold events (the ensemble kernel
    /// runs only models without them).
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// Why the ensemble kernel cannot run this model, if it cannot: the
    /// kernel integrates autonomous systems without events.
    pub fn ensemble_obstacle(&self) -> Option<String> {
        let time = self.layout.time_slot() as u32;
        let uses_time = self.rhs.outputs.contains(&time)
            || self
                .rhs
                .instrs
                .iter()
                .any(|i| [i.a, i.b, i.c].contains(&time));
        if uses_time {
            return Some(format!(
                "model `{}` uses the time t in its equations; ensembles run only models whose equations do not mention t",
                self.info.id
            ));
        }
        if self.has_events() {
            return Some(format!(
                "model `{}` has threshold events; ensembles run only models without events",
                self.info.id
            ));
        }
        None
    }

    pub(crate) fn load(&self, slots: &mut [[f64; 1]], params: &[f64], y: &[f64], t: f64) {
        for (i, v) in y.iter().enumerate() {
            slots[i] = [*v];
        }
        for (j, v) in params.iter().enumerate() {
            slots[self.layout.param_slot(j)] = [*v];
        }
        slots[self.layout.time_slot()] = [t];
    }

    /// The first derivative that is not a finite number at the start, with
    /// the formula where the non-finite value was born.
    fn check_start(&self, params: &[f64], y0: &[f64], t0: f64) -> Result<(), StartProblem> {
        let mut slots = self.layout.slots::<1>();
        self.load(&mut slots, params, y0, t0);
        self.rhs.run(&mut slots);
        for (i, &out) in self.rhs.outputs.iter().enumerate() {
            let value = slots[out as usize][0];
            if value.is_finite() {
                continue;
            }
            let equation = self
                .source
                .equations
                .iter()
                .find(|e| e.name == self.source.states[i].name);
            let (text, at) = match (self.rhs.blame(&slots, out), equation) {
                (Some(origin), _) => (origin.text.clone(), origin.at),
                (None, Some(e)) => (e.formula.text.clone(), e.formula.origin),
                (None, None) => (self.source.states[i].name.clone(), self.source.states[i].at),
            };
            // The parameters the formula mentions (all of them if none).
            let words: Vec<&str> = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .collect();
            let mut involved: Vec<(String, f64)> = self
                .param_names
                .iter()
                .zip(params)
                .filter(|(n, _)| words.contains(n))
                .map(|(n, v)| (n.to_string(), *v))
                .collect();
            if involved.is_empty() {
                involved = self
                    .param_names
                    .iter()
                    .zip(params)
                    .map(|(n, v)| (n.to_string(), *v))
                    .collect();
            }
            return Err(StartProblem {
                text,
                at,
                value,
                t0,
                state: y0.to_vec(),
                involved,
            });
        }
        Ok(())
    }

    fn simulate_n<const N: usize>(
        &self,
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError> {
        let mut start = [0.0; N];
        start.copy_from_slice(y0);
        let mut slots = self.layout.slots::<1>();
        self.load(&mut slots, params, y0, run.t0);
        let mut sys = Running {
            model: self,
            slots: RefCell::new(slots),
            params: params.to_vec(),
        };
        let columns: Vec<&str> = self.output_names.iter().map(String::as_str).collect();
        simulate_system(
            self.info,
            &mut sys,
            start,
            run,
            &columns,
            |s, t, y, row| s.observe(t, y, row),
            |s, record| match record {
                Record::Event { index, t, y } => {
                    let ev = &s.model.events[index];
                    Some(Event {
                        t,
                        kind: ev.name.clone(),
                        detail: format!(
                            "{} crossed {}; state now {:?}{}",
                            s.model.state_names[ev.state],
                            ev.level,
                            y,
                            if ev.stop { "; the run stops" } else { "" }
                        ),
                    })
                }
                _ => None,
            },
        )
    }
}

/// A derivative that is not finite at the start of a run.
struct StartProblem {
    text: String,
    at: super::source::Pos,
    value: f64,
    t0: f64,
    state: Vec<f64>,
    involved: Vec<(String, f64)>,
}

impl StartProblem {
    fn message(&self) -> String {
        let params: Vec<String> = self
            .involved
            .iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        format!(
            "`{}` is {} at the start (t = {}, state {:?}) with {}; allowed: parameters and initial values for which every derivative is a finite number",
            self.text,
            self.value,
            self.t0,
            self.state,
            params.join(", ")
        )
    }
}

/// A model with its parameters, as the solvers see it.
struct Running<'m> {
    model: &'m EquationModel,
    slots: RefCell<Vec<[f64; 1]>>,
    params: Vec<f64>,
}

impl Running<'_> {
    fn observe(&self, t: f64, y: &[f64], row: &mut Vec<f64>) {
        let mut s = self.slots.borrow_mut();
        self.model.load(&mut s, &self.params, y, t);
        self.model.outputs.run(&mut s);
        row.extend(self.model.outputs.outputs.iter().map(|&o| s[o as usize][0]));
    }
}

impl<const N: usize> HybridSystem<N> for Running<'_> {
    fn state_names(&self) -> &[&'static str] {
        &self.model.state_names
    }

    fn rhs(&self, t: f64, y: &[f64; N], dydt: &mut [f64; N]) {
        let mut s = self.slots.borrow_mut();
        for i in 0..N {
            s[i] = [y[i]];
        }
        s[self.model.layout.time_slot()] = [t];
        self.model.rhs.run(&mut s);
        for (d, &o) in dydt.iter_mut().zip(&self.model.rhs.outputs) {
            *d = s[o as usize][0];
        }
    }

    fn event_count(&self) -> usize {
        self.model.events.len()
    }

    fn event_value(&self, index: usize, _t: f64, y: &[f64; N]) -> f64 {
        let ev = &self.model.events[index];
        y[ev.state] - ev.level
    }

    fn event_direction(&self, index: usize) -> Direction {
        match self.model.events[index].crossing {
            Crossing::Rising => Direction::Rising,
            Crossing::Falling => Direction::Falling,
            Crossing::Either => Direction::Either,
        }
    }

    fn event_threshold(&self, index: usize) -> Option<(usize, f64)> {
        let ev = &self.model.events[index];
        Some((ev.state, ev.level))
    }

    fn on_event(&mut self, index: usize, t: f64, y: &mut [f64; N]) -> Control {
        let ev = &self.model.events[index];
        let mut s = self.slots.borrow_mut();
        self.model.load(&mut s, &self.params, y, t);
        ev.set.run(&mut s);
        for (&target, &out) in ev.targets.iter().zip(&ev.set.outputs) {
            y[target] = s[out as usize][0];
        }
        if ev.stop {
            Control::Stop
        } else {
            Control::Continue
        }
    }
}

/// Calls `$f::<N>` with the model's number of states as a constant.
macro_rules! with_state_count {
    ($n:expr, $f:ident, $($arg:expr),*) => {
        match $n {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*),
            _ => $f::<8>($($arg),*),
        }
    };
}
pub(crate) use with_state_count;

impl Model for EquationModel {
    fn info(&self) -> &'static ModelInfo {
        self.info
    }

    fn simulate(
        &self,
        params: &[f64],
        y0: &[f64],
        run: &RunOptions,
    ) -> Result<Trajectory, ModelError> {
        self.info.check_params(params)?;
        self.info.check_state(y0)?;
        run.validate()?;
        self.check_start(params, y0, run.t0).map_err(|p| {
            let names: Vec<&str> = p.involved.iter().map(|(n, _)| n.as_str()).collect();
            let values: Vec<String> = p.involved.iter().map(|(_, v)| v.to_string()).collect();
            ModelError::ParameterOutOfRange {
                name: names.join(", "),
                value: values.join(", "),
                allowed: format!(
                    "values for which every derivative is a finite number at the start; {}:{}:{}: {}",
                    self.source.file, p.at.line, p.at.column, p.message()
                ),
            }
        })?;
        fn go<const N: usize>(
            m: &EquationModel,
            params: &[f64],
            y0: &[f64],
            run: &RunOptions,
        ) -> Result<Trajectory, ModelError> {
            m.simulate_n::<N>(params, y0, run)
        }
        with_state_count!(self.info.states.len(), go, self, params, y0, run)
    }

    fn vector_field(&self, params: &[f64], t: f64, y: &[f64], out: &mut [f64]) {
        let mut slots = self.layout.slots::<1>();
        self.load(&mut slots, params, y, t);
        self.rhs.run(&mut slots);
        for (d, &o) in out.iter_mut().zip(&self.rhs.outputs) {
            *d = slots[o as usize][0];
        }
    }
}
