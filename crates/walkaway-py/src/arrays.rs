//! NumPy arrays from Rust vectors. NumPy makes them from the bytes
//! (`numpy.frombuffer` over a `bytearray`, so they are writable): one copy,
//! and nothing of NumPy is compiled into the extension.

use pyo3::prelude::*;
use pyo3::types::PyByteArray;

/// A one-dimensional float64 array.
pub fn vector<'py>(py: Python<'py>, values: &[f64]) -> PyResult<Bound<'py, PyAny>> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    py.import("numpy")?
        .call_method1("frombuffer", (PyByteArray::new(py, &bytes), "float64"))
}

/// A one-dimensional uint64 array (counts).
pub fn counts<'py>(py: Python<'py>, values: &[u64]) -> PyResult<Bound<'py, PyAny>> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    py.import("numpy")?
        .call_method1("frombuffer", (PyByteArray::new(py, &bytes), "uint64"))
}

/// A float64 array of shape (rows.len(), columns), row by row; every row
/// has `columns` values.
pub fn matrix<'py>(
    py: Python<'py>,
    rows: &[Vec<f64>],
    columns: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let flat: Vec<f64> = rows.iter().flatten().copied().collect();
    vector(py, &flat)?.call_method1("reshape", ((rows.len(), columns),))
}
