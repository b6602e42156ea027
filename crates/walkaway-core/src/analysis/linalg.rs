//! Dense linear algebra for the analysis, from nalgebra: matrices, solving
//! by LU with partial pivoting, determinants, and the eigenvalues of a real
//! matrix (its real Schur form, by Francis QR). Sizes are a handful to a
//! few dozen. This module only fixes the conventions the analyses rely on:
//! a singular system has no solution (`None`), a matrix with a NaN or
//! infinite entry has no eigenvalues, and eigenvalues come sorted.

use nalgebra::{DMatrix, DVector, Schur};

use super::AnalysisError;

/// A complex number, for eigenvalues (`re`, `im`; `norm()` is |z|).
pub type Complex = nalgebra::Complex<f64>;

/// A dense matrix of `f64`, indexed `m[(row, column)]`.
pub type Matrix = DMatrix<f64>;

/// QR sweeps allowed per row before the eigenvalues count as not found.
const SWEEPS_PER_ROW: usize = 100;

/// The determinant of a square matrix.
pub fn determinant(a: &Matrix) -> f64 {
    a.determinant()
}

/// Solves `a · x = b`; `None` when `a` is singular or the solution is not
/// finite.
pub fn solve(a: &Matrix, b: &[f64]) -> Option<Vec<f64>> {
    assert!(a.is_square(), "solve needs a square matrix");
    assert_eq!(b.len(), a.nrows(), "right-hand side of the wrong length");
    let x = a.clone().lu().solve(&DVector::from_column_slice(b))?;
    x.iter()
        .all(|v| v.is_finite())
        .then(|| x.as_slice().to_vec())
}

/// All eigenvalues of a real square matrix, sorted by decreasing real part
/// and then decreasing imaginary part (so a complex pair has its positive
/// imaginary part first).
pub fn eigenvalues(a: &Matrix) -> Result<Vec<Complex>, AnalysisError> {
    assert!(a.is_square(), "eigenvalues of a non-square matrix");
    let n = a.nrows();
    if a.iter().any(|v| !v.is_finite()) {
        return Err(AnalysisError::NonFiniteMatrix);
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let schur = Schur::try_new(a.clone(), f64::EPSILON, SWEEPS_PER_ROW * n)
        .ok_or(AnalysisError::EigenvaluesDidNotConverge { size: n })?;
    let mut out: Vec<Complex> = schur.complex_eigenvalues().iter().copied().collect();
    out.sort_by(|x, y| y.re.total_cmp(&x.re).then(y.im.total_cmp(&x.im)));
    Ok(out)
}
