//! `ensemble(model, ...)`: the jittered Monte Carlo ensemble of the bench/
//! benchmark, as `walkaway ensemble`.

use std::time::Instant;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use walkaway_core::ensemble::{
    EnsembleError, JitterModel, JitterSpec, final_states, jittered_shard,
};

use crate::{arrays, errors};

/// The jittered ensemble of `walkaway ensemble`: `trajectories` runs of
/// `model` (laura-petrarch, strogatz, rinaldi-linear, or an equation file
/// without events or t in its equations) from t = 0 to `t_end`, every
/// parameter multiplied by (1 + jitter·U(−1, 1)) drawn from `seed`.
/// Same arguments, same numbers as the command line.
///
/// Returns a dict: `state_names`, `final_mean` and `final_sd` (NumPy
/// arrays in `state_names` order), `trajectories`, `steps`, `rejected`,
/// `rhs_calls`, the settings, `seconds` and `threads`. With
/// `final_states=True` also `final_states`, an array of shape
/// (trajectories, states) with every trajectory's final state (the kernel
/// runs a second time to keep them; memory grows with `trajectories`).
///
/// `threads`: worker threads (default: one per core). The GIL is released
/// while the ensemble runs.
#[pyfunction]
#[pyo3(signature = (
    model="laura-petrarch", trajectories=100_000, jitter=0.1, t_end=20.0, rtol=1e-6, atol=1e-9,
    seed=1, threads=None, final_states=false
))]
pub fn ensemble<'py>(
    py: Python<'py>,
    model: &str,
    trajectories: u64,
    jitter: f64,
    t_end: f64,
    rtol: f64,
    atol: f64,
    seed: u64,
    threads: Option<usize>,
    final_states: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let kernel_model =
        match walkaway_scenario::target::equation_file(model).map_err(errors::input)? {
            Some(m) => JitterModel::equations(m),
            None => JitterModel::from_id(model),
        }
        .map_err(errors::ensemble)?;
    if trajectories == 0 {
        return Err(errors::ensemble(EnsembleError::InvalidSetting {
            field: "trajectories",
            value: "0".into(),
            allowed: "at least 1",
        }));
    }
    if threads == Some(0) {
        return Err(errors::input(
            "threads must be at least 1 (or None for one per core)",
        ));
    }
    let spec = JitterSpec {
        model: kernel_model,
        jitter,
        t_end,
        rtol,
        atol,
        seed,
    };
    let work = || {
        let summary = jittered_shard(&spec, 0..trajectories)?;
        let kept = if final_states {
            let parameters: Vec<Vec<f64>> = (0..trajectories).map(|k| spec.parameters(k)).collect();
            Some(final_states_of(&spec, &parameters)?)
        } else {
            None
        };
        Ok::<_, EnsembleError>((summary, kept))
    };
    let (result, seconds, threads_used) = py.detach(|| {
        let started = Instant::now();
        let (result, used) = match threads {
            Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
                Ok(pool) => (pool.install(work).map_err(errors::ensemble), n),
                Err(e) => (Err(errors::internal(e.to_string())), n),
            },
            None => (
                work().map_err(errors::ensemble),
                rayon::current_num_threads(),
            ),
        };
        (result, started.elapsed().as_secs_f64(), used)
    });
    let (summary, kept) = result?;

    let out = PyDict::new(py);
    out.set_item("model", summary.spec.model.id())?;
    out.set_item("state_names", summary.state_names.clone())?;
    out.set_item("final_mean", arrays::vector(py, &summary.final_mean)?)?;
    out.set_item("final_sd", arrays::vector(py, &summary.final_sd)?)?;
    out.set_item("trajectories", summary.trajectories)?;
    out.set_item("steps", summary.steps)?;
    out.set_item("rejected", summary.rejected)?;
    out.set_item("rhs_calls", summary.rhs_calls)?;
    out.set_item("jitter", spec.jitter)?;
    out.set_item("t_end", spec.t_end)?;
    out.set_item("rtol", spec.rtol)?;
    out.set_item("atol", spec.atol)?;
    out.set_item("seed", spec.seed)?;
    out.set_item("seconds", seconds)?;
    out.set_item("threads", threads_used)?;
    if let Some(rows) = kept {
        out.set_item(
            "final_states",
            arrays::matrix(py, &rows, summary.state_names.len())?,
        )?;
    }
    Ok(out)
}

/// Every trajectory's final state, by the same lane kernel on the same
/// jittered parameters.
fn final_states_of(
    spec: &JitterSpec,
    parameters: &[Vec<f64>],
) -> Result<Vec<Vec<f64>>, EnsembleError> {
    final_states(spec.model, parameters, spec.t_end, spec.rtol, spec.atol)
}
