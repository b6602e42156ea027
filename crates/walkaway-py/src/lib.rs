//! `import walkaway`: the catalog, single runs, ensembles, forecasts and
//! sweeps from Python (docs/python.md). A thin layer: every number comes
//! from walkaway-core through the same library calls the command line
//! makes, every argument is read as the command line reads it
//! (walkaway-scenario), and bad input raises `ValueError` with the command
//! line's message (field, value, what is allowed). Long runs release the
//! GIL, so other Python threads go on meanwhile.

mod arrays;
mod ensemble;
mod errors;
mod forecast;
mod models;
mod simulate;
mod sweep;

use pyo3::prelude::*;

#[pymodule]
#[pyo3(name = "walkaway")]
fn walkaway_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // NumPy is imported here, once, not by the first call that returns an
    // array: otherwise that call pays NumPy's own import (a tenth of a
    // second or more), which is most of what once looked like the Python
    // call's overhead over the command line (docs/performance.md,
    // "Python"). A missing NumPy is also reported at `import walkaway`.
    m.py().import("numpy")?;
    m.add_function(wrap_pyfunction!(models::models, m)?)?;
    m.add_function(wrap_pyfunction!(models::load_model, m)?)?;
    m.add_function(wrap_pyfunction!(simulate::simulate, m)?)?;
    m.add_function(wrap_pyfunction!(ensemble::ensemble, m)?)?;
    m.add_function(wrap_pyfunction!(forecast::forecast, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::sweep, m)?)?;
    Ok(())
}
