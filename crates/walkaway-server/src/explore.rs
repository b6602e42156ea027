//! The catalog models over HTTP: their descriptions, single trajectories,
//! phase portraits (vector field, null-clines, trajectory, equilibria) and
//! bifurcation diagrams. Everything goes through the `Model` trait, so a
//! model added to the catalog appears here without changes.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use walkaway_core::analysis::{
    self, Complex, ContinuationOptions, EquilibriumOptions, continue_equilibria, find_equilibria,
    orbit_diagram,
};
use walkaway_core::{
    Method, Model, ModelError, ModelInfo, ParamKind, RunOptions, TimeKind, Trajectory, find,
};

use crate::error::ApiError;
use crate::json::ApiJson;

/// A model's description as JSON.
pub fn info_json(info: &ModelInfo) -> Value {
    let params: Vec<Value> = info
        .params
        .iter()
        .map(|p| {
            let (kind, options) = match p.kind {
                ParamKind::Real => ("real", None),
                ParamKind::Flag => ("flag", None),
                ParamKind::Choice(o) => ("choice", Some(o)),
            };
            json!({
                "name": p.name, "symbol": p.symbol, "unit": p.unit,
                "default": p.default,
                "min": finite_or_null(p.min), "max": finite_or_null(p.max),
                "kind": kind, "options": options,
                "description": p.description, "allowed": p.allowed(),
            })
        })
        .collect();
    let states: Vec<Value> = info
        .states
        .iter()
        .map(|s| json!({"name": s.name, "unit": s.unit, "default": s.default, "description": s.description}))
        .collect();
    json!({
        "id": info.id, "title": info.title, "description": info.description,
        "citation": info.citation, "time_unit": info.time_unit,
        "time": match info.time { TimeKind::Continuous => "continuous", TimeKind::Discrete => "discrete" },
        "default_t_end": info.default_t_end, "default_every": info.default_every,
        "states": states, "params": params,
    })
}

fn finite_or_null(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// Non-finite numbers become null in JSON.
fn num(x: f64) -> Value {
    finite_or_null(x)
}

#[utoipa::path(get, path = "/api/models", tag = "models", summary = "The catalog of models with states and parameters (units, ranges, defaults)",
    responses((status = 200, description = "Models", body = Object)))]
pub async fn list_models() -> Json<Value> {
    let models: Vec<Value> = walkaway_core::catalog()
        .iter()
        .map(|m| info_json(m.info()))
        .collect();
    Json(json!({ "models": models }))
}

#[utoipa::path(get, path = "/api/models/{id}", tag = "models", summary = "One model", params(("id" = String, Path, description = "model id (GET /api/models lists them; POST /api/models adds yours)")),
    responses((status = 200, description = "Model", body = Object), (status = 404)))]
pub async fn model_info(Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    Ok(Json(info_json(find(&id)?.info())))
}

/// Parameters by name: numbers, `true`/`false` for flags, option names for
/// choices. Unnamed parameters keep their defaults.
fn read_params(info: &ModelInfo, given: &BTreeMap<String, Value>) -> Result<Vec<f64>, ApiError> {
    let mut p = info.default_params();
    for (name, value) in given {
        let i = info.param_index(name)?;
        let spec = &info.params[i];
        let field = format!("params.{name}");
        let v = match value {
            Value::Number(n) => n
                .as_f64()
                .ok_or_else(|| ApiError::invalid(field.clone(), n.to_string(), spec.allowed()))?,
            Value::Bool(b) if spec.kind == ParamKind::Flag => f64::from(u8::from(*b)),
            Value::String(s) => spec.parse(s)?,
            other => return Err(ApiError::invalid(field, other.to_string(), spec.allowed())),
        };
        spec.check(v)?;
        p[i] = v;
    }
    Ok(p)
}

/// A run that blew up with parameters the caller set names them: every
/// catalog model simulates at its defaults, so the values sent are what
/// made it unstable. Without such values the solver's failure stands.
fn blame_params(e: ApiError, given: &BTreeMap<String, Value>) -> ApiError {
    match e {
        ApiError::Simulation(_) if !given.is_empty() => {
            let field = match given.keys().collect::<Vec<_>>().as_slice() {
                [only] => format!("params.{only}"),
                _ => "params".to_string(),
            };
            let value = given
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            ApiError::invalid(
                field,
                value,
                "values for which the run stays finite (with these the feelings grow without bound or change too fast to follow)",
            )
        }
        other => other,
    }
}

fn read_initial(
    model: &dyn Model,
    params: &[f64],
    given: &BTreeMap<String, f64>,
) -> Result<Vec<f64>, ApiError> {
    let info = model.info();
    let mut y = model.initial_state(params);
    for (name, v) in given {
        let i = info.state_index(name)?;
        info.check_initial_value(i, *v)?;
        y[i] = *v;
    }
    Ok(y)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulateRequest {
    #[serde(default)]
    #[schema(schema_with = crate::openapi::params_schema)]
    pub params: BTreeMap<String, Value>,
    /// State name → initial value.
    #[serde(default)]
    pub initial: BTreeMap<String, f64>,
    /// Horizon, at most 100 × the model's default horizon.
    #[schema(exclusive_minimum = 0)]
    pub t_end: Option<f64>,
    /// Output interval; at most 20,000 rows.
    #[schema(exclusive_minimum = 0)]
    pub every: Option<f64>,
    #[schema(schema_with = crate::openapi::method_schema)]
    pub method: Option<String>,
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(schema_with = crate::openapi::seed_schema)]
    pub seed: Option<u64>,
}

fn run_options(
    info: &ModelInfo,
    req: &SimulateRequest,
    max_points: usize,
) -> Result<RunOptions, ApiError> {
    let mut run = RunOptions::for_model(info);
    let max_t_end = 100.0 * info.default_t_end;
    if let Some(t) = req.t_end {
        if !(t > 0.0 && t <= max_t_end) {
            return Err(ApiError::invalid(
                "t_end",
                t.to_string(),
                format!(
                    "a number above 0 and at most {max_t_end} ({})",
                    info.time_unit
                ),
            ));
        }
        run.t_end = t;
    }
    let span = run.t_end - run.t0;
    let every = req.every.unwrap_or_else(|| {
        // Keep the default resolution unless that would exceed the limit.
        info.default_every.max(span / max_points as f64)
    });
    if !(every > 0.0) || span / every > max_points as f64 {
        return Err(ApiError::invalid(
            "every",
            every.to_string(),
            format!(
                "a positive interval giving at most {max_points} rows (at least {} here)",
                span / max_points as f64
            ),
        ));
    }
    if info.time == TimeKind::Discrete && every.fract() != 0.0 {
        return Err(ApiError::invalid(
            "every",
            every.to_string(),
            "a whole number of turns for this discrete-time model",
        ));
    }
    run.every = Some(every);
    if let Some(m) = &req.method {
        run.method = Method::parse(m).ok_or_else(|| {
            ApiError::invalid(
                "method",
                m.clone(),
                format!("one of {}", Method::NAMES.join(", ")),
            )
        })?;
    }
    run.seed = req.seed.unwrap_or(1);
    run.validate()?;
    Ok(run)
}

fn trajectory_json(t: &Trajectory) -> Value {
    let columns: serde_json::Map<String, Value> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.clone(),
                Value::Array(t.rows.iter().map(|r| num(r[i])).collect()),
            )
        })
        .collect();
    let events: Vec<Value> = t
        .events
        .iter()
        .map(|e| json!({"t": e.t, "kind": e.kind, "detail": e.detail}))
        .collect();
    json!({
        "model": t.model,
        "times": t.times,
        "columns": columns,
        "events": events,
        "outcome": t.outcome,
        "final_state": t.final_state.iter().map(|v| num(*v)).collect::<Vec<_>>(),
    })
}

#[utoipa::path(post, path = "/api/models/{id}/simulate", tag = "models", summary = "One trajectory", params(("id" = String, Path, description = "model id (GET /api/models lists them; POST /api/models adds yours)")), request_body = SimulateRequest,
    responses((status = 200, description = "Trajectory: times and one column per variable", body = Object), (status = 400), (status = 404), (status = 413), (status = 415), (status = 422), (status = 503)))]
pub async fn simulate(
    State(state): State<crate::State>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SimulateRequest>,
) -> Result<Json<Value>, ApiError> {
    let model = find(&id)?;
    let given = req.params.clone();
    let params = read_params(model.info(), &req.params)?;
    let y0 = read_initial(model, &params, &req.initial)?;
    let run = run_options(model.info(), &req, state.limits.max_points)?;
    let out = state
        .workers
        .run(move || {
            let t = model.simulate(&params, &y0, &run)?;
            Ok(trajectory_json(&t))
        })
        .await
        .map_err(|e| blame_params(e, &given))?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExploreRequest {
    #[serde(default)]
    #[schema(schema_with = crate::openapi::params_schema)]
    pub params: BTreeMap<String, Value>,
    /// State name → initial value.
    #[serde(default)]
    pub initial: BTreeMap<String, f64>,
    /// Horizon, at most 100 × the model's default horizon.
    #[schema(exclusive_minimum = 0)]
    pub t_end: Option<f64>,
    /// Output interval; at most 20,000 rows.
    #[schema(exclusive_minimum = 0)]
    pub every: Option<f64>,
    #[schema(schema_with = crate::openapi::method_schema)]
    pub method: Option<String>,
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(schema_with = crate::openapi::seed_schema)]
    pub seed: Option<u64>,
    /// State on the horizontal axis (default: the first).
    pub x: Option<String>,
    /// State on the vertical axis (default: the second).
    pub y: Option<String>,
    /// Grid points per axis of the vector field (default 21).
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(minimum = 3, maximum = 41)]
    pub grid: Option<usize>,
}

/// The null cline where `values` (on the grid, row-major with x fastest)
/// is zero, as the `[x0, y0, x1, y1]` segments the explorer page draws.
/// The same marching squares as the CLI's figures (core's `zero_contour`).
fn nullcline(xs: &[f64], ys: &[f64], values: &[f64]) -> Vec<[f64; 4]> {
    analysis::zero_contour(xs, ys, values)
        .into_iter()
        .map(|[(x0, y0), (x1, y1)]| [x0, y0, x1, y1])
        .collect()
}

fn state_axis(
    info: &ModelInfo,
    name: Option<&str>,
    default: usize,
    field: &str,
) -> Result<usize, ApiError> {
    match name {
        None => Ok(default.min(info.states.len() - 1)),
        Some(n) => info.state_index(n).map_err(|_| {
            ApiError::invalid(
                field,
                n,
                format!(
                    "a state variable of this model: {}",
                    info.states
                        .iter()
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }),
    }
}

fn complex_json(z: &Complex) -> Value {
    json!({"re": num(z.re), "im": num(z.im)})
}

/// Range of a column with a margin, never empty.
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (-1.0, 1.0);
    }
    let span = (hi - lo).max(0.1 * (lo.abs().max(hi.abs()))).max(0.2);
    let mid = 0.5 * (lo + hi);
    (mid - 0.6 * span, mid + 0.6 * span)
}

#[utoipa::path(post, path = "/api/models/{id}/explore", tag = "models", summary = "Phase portrait: trajectory, vector field on a grid, null-clines, equilibria with eigenvalues and type", params(("id" = String, Path, description = "model id (GET /api/models lists them; POST /api/models adds yours)")), request_body = ExploreRequest,
    responses((status = 200, description = "Phase portrait", body = Object), (status = 400), (status = 404), (status = 413), (status = 415), (status = 422), (status = 503)))]
pub async fn explore(
    State(state): State<crate::State>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ExploreRequest>,
) -> Result<Json<Value>, ApiError> {
    let model = find(&id)?;
    let info = model.info();
    let sim = SimulateRequest {
        params: req.params,
        initial: req.initial,
        t_end: req.t_end,
        every: req.every,
        method: req.method,
        seed: req.seed,
    };
    let given = sim.params.clone();
    let params = read_params(info, &sim.params)?;
    let y0 = read_initial(model, &params, &sim.initial)?;
    let run = run_options(info, &sim, state.limits.max_points)?;
    let xi = state_axis(info, req.x.as_deref(), 0, "x")?;
    let yi = state_axis(info, req.y.as_deref(), 1, "y")?;
    let started = std::time::Instant::now();
    let grid = req.grid.unwrap_or(21);
    let max_grid = state.limits.max_grid;
    if !(3..=max_grid).contains(&grid) {
        return Err(ApiError::invalid(
            "grid",
            grid.to_string(),
            format!("a whole number from 3 to {max_grid}"),
        ));
    }
    let out = state
        .workers
        .run(move || {
            let traj = model.simulate(&params, &y0, &run)?;
            let (x_lo, x_hi) = padded_range(traj.rows.iter().map(|r| r[xi]));
            let (y_lo, y_hi) = padded_range(traj.rows.iter().map(|r| r[yi]));
            let xs: Vec<f64> = (0..grid)
                .map(|i| x_lo + (x_hi - x_lo) * i as f64 / (grid - 1) as f64)
                .collect();
            let ys: Vec<f64> = (0..grid)
                .map(|j| y_lo + (y_hi - y_lo) * j as f64 / (grid - 1) as f64)
                .collect();
            // The field on the plane of the two chosen states, the others
            // held at their initial values; maps show the step y_next − y.
            let n = info.states.len();
            let mut dx = Vec::with_capacity(grid * grid);
            let mut dy = Vec::with_capacity(grid * grid);
            let mut y = y0.clone();
            let mut out = vec![0.0; n];
            for yv in &ys {
                for xv in &xs {
                    y[xi] = *xv;
                    y[yi] = *yv;
                    model.vector_field(&params, run.t0, &y, &mut out);
                    let (fx, fy) = match info.time {
                        TimeKind::Continuous => (out[xi], out[yi]),
                        TimeKind::Discrete => (out[xi] - xv, out[yi] - yv),
                    };
                    dx.push(fx);
                    dy.push(fy);
                }
            }
            let x_null = nullcline(&xs, &ys, &dx);
            let y_null = nullcline(&xs, &ys, &dy);
            let mut bounds: Vec<(f64, f64)> = (0..n)
                .map(|k| padded_range(traj.rows.iter().map(|r| r[k])))
                .collect();
            bounds[xi] = (x_lo, x_hi);
            bounds[yi] = (y_lo, y_hi);
            let opts = EquilibriumOptions {
                starts: if n <= 2 { 100 } else { 40 },
                t: run.t0,
                ..EquilibriumOptions::default()
            };
            let equilibria: Vec<Value> = match find_equilibria(model, &params, &bounds, &opts) {
                Ok(list) => list
                    .iter()
                    .map(|e| {
                        json!({
                            "state": e.state.iter().map(|v| num(*v)).collect::<Vec<_>>(),
                            "x": num(e.state[xi]), "y": num(e.state[yi]),
                            "kind": e.kind.name(), "stable": e.is_stable(),
                            "eigenvalues": e.eigenvalues.iter().map(complex_json).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
                Err(e) => return Err(e.into()),
            };
            let note = if n > 2 {
                Some(format!(
                    "This model has {n} state variables; the arrows and null-clines show the plane of {} and {} with the others held at their starting values, at time {}.",
                    info.states[xi].name, info.states[yi].name, run.t0
                ))
            } else {
                None
            };
            Ok(json!({
                "model": info.id,
                "x": info.states[xi].name,
                "y": info.states[yi].name,
                "trajectory": trajectory_json(&traj),
                "field": {"x_values": xs, "y_values": ys, "dx": dx.iter().map(|v| num(*v)).collect::<Vec<_>>(), "dy": dy.iter().map(|v| num(*v)).collect::<Vec<_>>(),
                          "kind": if info.time == TimeKind::Discrete { "step of the map" } else { "derivative" }},
                "nullclines": {"x": x_null, "y": y_null},
                "equilibria": equilibria,
                "note": note,
            }))
        })
        .await
        .map_err(|e| blame_params(e, &given))?;
    let mut out = out;
    // Time spent in the server (queue and computation), for the page's readout.
    out["server_ms"] = json!((started.elapsed().as_secs_f64() * 1e4).round() / 10.0);
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BifurcationRequest {
    #[serde(default)]
    #[schema(schema_with = crate::openapi::params_schema)]
    pub params: BTreeMap<String, Value>,
    /// State name → initial value.
    #[serde(default)]
    pub initial: BTreeMap<String, f64>,
    /// The parameter to vary.
    pub param: String,
    pub from: Option<f64>,
    pub to: Option<f64>,
    /// State variable shown (default: the first).
    pub variable: Option<String>,
    /// Parameter values of the orbit diagram (default 60).
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(minimum = 2, maximum = 200)]
    pub steps: Option<usize>,
}

#[utoipa::path(post, path = "/api/models/{id}/bifurcation", tag = "models", summary = "Bifurcation diagram for one parameter: equilibrium branches (stability, folds, Hopf points) and long-run orbit values", params(("id" = String, Path, description = "model id (GET /api/models lists them; POST /api/models adds yours)")), request_body = BifurcationRequest,
    responses((status = 200, description = "Diagram", body = Object), (status = 400), (status = 404), (status = 413), (status = 415), (status = 422), (status = 503)))]
pub async fn bifurcation(
    State(state): State<crate::State>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<BifurcationRequest>,
) -> Result<Json<Value>, ApiError> {
    let model = find(&id)?;
    let info = model.info();
    let params = read_params(info, &req.params)?;
    let y0 = read_initial(model, &params, &req.initial)?;
    let pi = info.param_index(&req.param).map_err(|_| {
        ApiError::invalid(
            "param",
            req.param.clone(),
            format!(
                "a real parameter of this model: {}",
                info.params
                    .iter()
                    .filter(|p| p.kind == ParamKind::Real)
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let spec = info.params[pi];
    if spec.kind != ParamKind::Real {
        return Err(ApiError::invalid(
            "param",
            req.param.clone(),
            "a real parameter (switches and choices have no continuum to vary)",
        ));
    }
    let span_default = if spec.default != 0.0 {
        spec.default.abs()
    } else {
        1.0
    };
    // Default range: the default ± twice its size, inside the allowed range.
    let lo_default = (spec.default - 2.0 * span_default).max(spec.min);
    let hi_default = (spec.default + 2.0 * span_default).min(spec.max);
    let from = req.from.unwrap_or(lo_default);
    let to = req.to.unwrap_or(hi_default);
    for (field, v) in [("from", from), ("to", to)] {
        if spec.check(v).is_err() {
            return Err(ApiError::invalid(field, v.to_string(), spec.allowed()));
        }
    }
    if !(to > from) {
        return Err(ApiError::invalid(
            "to",
            to.to_string(),
            format!("a value above `from` ({from})"),
        ));
    }
    let steps = req.steps.unwrap_or(60);
    let max_steps = state.limits.max_steps;
    if !(2..=max_steps).contains(&steps) {
        return Err(ApiError::invalid(
            "steps",
            steps.to_string(),
            format!("a whole number from 2 to {max_steps}"),
        ));
    }
    let vi = state_axis(info, req.variable.as_deref(), 0, "variable")?;
    let out = state
        .workers
        .run(move || {
            // Equilibrium branches: from every equilibrium at `from`, continued to `to`.
            let mut start = params.clone();
            start[pi] = from;
            let run = RunOptions::for_model(info);
            // The region to search: where a run from the start goes (if the
            // run fails at this end of the range, around the start alone).
            let rows = model
                .simulate(&start, &y0, &run)
                .map(|t| t.rows)
                .unwrap_or_default();
            let bounds: Vec<(f64, f64)> = (0..info.states.len())
                .map(|k| padded_range(rows.iter().map(|r| r[k]).chain([y0[k]])))
                .collect();
            let eq_opts = EquilibriumOptions { starts: 60, ..EquilibriumOptions::default() };
            let found = find_equilibria(model, &start, &bounds, &eq_opts)?;
            let cont = ContinuationOptions {
                param: pi,
                bound: to,
                step: (to - from) / 200.0,
                max_step: (to - from) / 50.0,
                min_step: (to - from) * 1e-7,
                max_points: 1500,
                ..ContinuationOptions::default()
            };
            let mut branches = Vec::new();
            for e in found.iter().take(6) {
                match continue_equilibria(model, &start, &e.state, &cont) {
                    Ok(b) => branches.push(json!({
                        "points": b.points.iter().map(|p| json!({
                            "param": num(p.param), "value": num(p.state[vi]),
                            "stable": p.kind.is_stable(), "kind": p.kind.name(),
                        })).collect::<Vec<_>>(),
                        "special": b.special.iter().map(|s| json!({
                            "kind": s.kind.name(), "param": num(s.param), "value": num(s.state[vi]),
                        })).collect::<Vec<_>>(),
                    })),
                    Err(analysis::AnalysisError::ContinuationFailed { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            // Orbit diagram: long-run maxima (flows) or visited values (maps).
            let values: Vec<f64> = (0..steps)
                .map(|k| from + (to - from) * k as f64 / (steps - 1) as f64)
                .collect();
            let (transient, record) = (info.default_t_end, info.default_t_end);
            // One value at a time, each starting where the last ended, so a
            // value where the model blows up is marked and skipped instead
            // of failing the whole diagram.
            let mut start_state = y0.clone();
            let mut orbits: Vec<Value> = Vec::with_capacity(values.len());
            for v in &values {
                match orbit_diagram(
                    model,
                    &params,
                    pi,
                    std::slice::from_ref(v),
                    &start_state,
                    vi,
                    transient,
                    record,
                    run.ode_options(),
                ) {
                    Ok(slices) => {
                        for s in slices {
                            let mut vals: Vec<f64> =
                                s.values.iter().copied().filter(|x| x.is_finite()).collect();
                            vals.truncate(64);
                            orbits.push(json!({"param": s.param, "values": vals, "final": num(s.final_state[vi])}));
                            if s.final_state.iter().all(|x| x.is_finite()) {
                                start_state = s.final_state;
                            }
                        }
                    }
                    Err(analysis::AnalysisError::Solver(e)) => orbits.push(json!({
                        "param": v, "values": [], "final": null, "failed": e.to_string(),
                    })),
                    Err(analysis::AnalysisError::Model(ModelError::Solver(e))) => orbits.push(json!({
                        "param": v, "values": [], "final": null, "failed": e.to_string(),
                    })),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(json!({
                "model": info.id, "param": spec.name, "variable": info.states[vi].name,
                "from": from, "to": to,
                "branches": branches, "orbits": orbits,
            }))
        })
        .await?;
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::nullcline;

    #[test]
    fn a_nullcline_of_a_linear_function_is_the_line() {
        // f(x, y) = x − y on [0, 1]²: the contour is the diagonal.
        let xs: Vec<f64> = (0..5).map(|i| i as f64 / 4.0 + 0.01).collect();
        let ys: Vec<f64> = (0..5).map(|i| i as f64 / 4.0).collect();
        let values: Vec<f64> = ys
            .iter()
            .flat_map(|y| xs.iter().map(move |x| x - y))
            .collect();
        let segs = nullcline(&xs, &ys, &values);
        assert!(!segs.is_empty());
        for s in segs {
            assert!(
                (s[0] - s[1]).abs() < 1e-12 && (s[2] - s[3]).abs() < 1e-12,
                "{s:?}"
            );
        }
    }
}
