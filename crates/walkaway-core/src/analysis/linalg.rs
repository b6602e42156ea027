//! Small dense linear algebra for the analysis: square matrices, solving by
//! Gaussian elimination with partial pivoting, determinants, and the
//! eigenvalues of a real matrix (Householder reduction to Hessenberg form,
//! then Francis double-shift QR iterations). Sizes are a handful to a few
//! dozen, so clarity wins over blocking and cache tricks.

use super::AnalysisError;

/// A complex number, for eigenvalues.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    pub const fn new(re: f64, im: f64) -> Self {
        Self { re, im }
    }

    pub const fn real(re: f64) -> Self {
        Self { re, im: 0.0 }
    }

    /// The modulus |z|.
    pub fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }
}

/// A dense matrix stored row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Self {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub fn identity(n: usize) -> Self {
        let mut m = Self::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0;
        }
        m
    }

    /// Builds a matrix from rows of equal length.
    pub fn from_rows(rows: &[Vec<f64>]) -> Self {
        let r = rows.len();
        let c = rows.first().map_or(0, Vec::len);
        assert!(rows.iter().all(|row| row.len() == c), "ragged rows");
        Self {
            rows: r,
            cols: c,
            data: rows.iter().flatten().copied().collect(),
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn trace(&self) -> f64 {
        (0..self.rows.min(self.cols)).map(|i| self[(i, i)]).sum()
    }

    /// The product `self · other`.
    pub fn mul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows, "matrix shapes do not match");
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for k in 0..self.cols {
                let a = self[(i, k)];
                if a == 0.0 {
                    continue;
                }
                for j in 0..other.cols {
                    out[(i, j)] += a * other[(k, j)];
                }
            }
        }
        out
    }

    pub fn transpose(&self) -> Matrix {
        let mut out = Matrix::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                out[(j, i)] = self[(i, j)];
            }
        }
        out
    }

    /// Largest absolute entry (a cheap scale).
    pub fn max_abs(&self) -> f64 {
        self.data.iter().fold(0.0, |m, v| m.max(v.abs()))
    }
}

impl std::ops::Index<(usize, usize)> for Matrix {
    type Output = f64;
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        &self.data[i * self.cols + j]
    }
}

impl std::ops::IndexMut<(usize, usize)> for Matrix {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        &mut self.data[i * self.cols + j]
    }
}

/// LU factors with row pivots, or `None` for an exactly singular matrix.
fn lu(a: &Matrix) -> (Matrix, Vec<usize>, f64, bool) {
    let n = a.rows;
    let mut m = a.clone();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut sign = 1.0;
    let mut singular = false;
    for k in 0..n {
        let mut p = k;
        for i in k + 1..n {
            if m[(i, k)].abs() > m[(p, k)].abs() {
                p = i;
            }
        }
        if m[(p, k)] == 0.0 {
            singular = true;
            continue;
        }
        if p != k {
            for j in 0..n {
                let tmp = m[(k, j)];
                m[(k, j)] = m[(p, j)];
                m[(p, j)] = tmp;
            }
            perm.swap(k, p);
            sign = -sign;
        }
        for i in k + 1..n {
            let factor = m[(i, k)] / m[(k, k)];
            m[(i, k)] = factor;
            for j in k + 1..n {
                m[(i, j)] -= factor * m[(k, j)];
            }
        }
    }
    (m, perm, sign, singular)
}

/// The determinant, by LU with partial pivoting.
pub fn determinant(a: &Matrix) -> f64 {
    assert_eq!(a.rows, a.cols, "determinant of a non-square matrix");
    let (m, _, sign, singular) = lu(a);
    if singular {
        return 0.0;
    }
    (0..a.rows).fold(sign, |d, i| d * m[(i, i)])
}

/// Solves `a · x = b`; `None` when `a` is singular.
pub fn solve(a: &Matrix, b: &[f64]) -> Option<Vec<f64>> {
    let n = a.rows;
    assert_eq!(a.cols, n, "solve needs a square matrix");
    assert_eq!(b.len(), n, "right-hand side of the wrong length");
    let (m, perm, _, singular) = lu(a);
    if singular {
        return None;
    }
    let mut x: Vec<f64> = perm.iter().map(|&p| b[p]).collect();
    for i in 0..n {
        for k in 0..i {
            x[i] -= m[(i, k)] * x[k];
        }
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            x[i] -= m[(i, k)] * x[k];
        }
        x[i] /= m[(i, i)];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The eigenvalues of a 2×2 block [[a, b], [c, d]], from its trace and
/// determinant, written to avoid cancellation.
pub fn eigenvalues_2x2(a: f64, b: f64, c: f64, d: f64) -> [Complex; 2] {
    let half_trace = 0.5 * (a + d);
    let half_gap = 0.5 * (a - d);
    let disc = half_gap * half_gap + b * c;
    if disc >= 0.0 {
        let root = disc.sqrt();
        // The larger-magnitude root first, the other from the product.
        let big = half_trace + root.copysign(half_trace);
        let det = a * d - b * c;
        let small = if big != 0.0 {
            det / big
        } else {
            half_trace - root
        };
        [Complex::real(big), Complex::real(small)]
    } else {
        let im = (-disc).sqrt();
        [Complex::new(half_trace, im), Complex::new(half_trace, -im)]
    }
}

/// Applies the reflector I − β·u·uᵀ (u of length 2 or 3, starting at row
/// `k`) from the left to columns `cols`, and from the right to rows `rows`
/// of the same index range.
fn reflect(
    h: &mut Matrix,
    u: &[f64],
    beta: f64,
    k: usize,
    cols: std::ops::RangeInclusive<usize>,
    rows: std::ops::RangeInclusive<usize>,
) {
    for j in cols {
        let s: f64 = u.iter().enumerate().map(|(r, ur)| ur * h[(k + r, j)]).sum();
        for (r, ur) in u.iter().enumerate() {
            h[(k + r, j)] -= beta * ur * s;
        }
    }
    for i in rows {
        let s: f64 = u.iter().enumerate().map(|(c, uc)| uc * h[(i, k + c)]).sum();
        for (c, uc) in u.iter().enumerate() {
            h[(i, k + c)] -= beta * uc * s;
        }
    }
}

/// A reflector mapping `v` onto a multiple of the first unit vector:
/// returns (u, β) with (I − βuuᵀ)v = (∓|v|, 0, …), or `None` when v = 0.
fn householder(v: &[f64]) -> Option<(Vec<f64>, f64)> {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm == 0.0 {
        return None;
    }
    let alpha = -norm.copysign(v[0]);
    let mut u = v.to_vec();
    u[0] -= alpha;
    let uu: f64 = u.iter().map(|x| x * x).sum();
    if uu == 0.0 {
        return None;
    }
    Some((u, 2.0 / uu))
}

/// Reduces a square matrix to upper Hessenberg form by orthogonal
/// similarity (same eigenvalues).
pub fn hessenberg(a: &Matrix) -> Matrix {
    let n = a.rows;
    let mut h = a.clone();
    for k in 0..n.saturating_sub(2) {
        let x: Vec<f64> = (k + 1..n).map(|i| h[(i, k)]).collect();
        if x[1..].iter().all(|v| *v == 0.0) {
            continue;
        }
        let Some((u, beta)) = householder(&x) else {
            continue;
        };
        // Left: rows k+1..n, all columns; right: all rows, columns k+1..n.
        for j in 0..n {
            let s: f64 = u
                .iter()
                .enumerate()
                .map(|(r, ur)| ur * h[(k + 1 + r, j)])
                .sum();
            for (r, ur) in u.iter().enumerate() {
                h[(k + 1 + r, j)] -= beta * ur * s;
            }
        }
        for i in 0..n {
            let s: f64 = u
                .iter()
                .enumerate()
                .map(|(c, uc)| uc * h[(i, k + 1 + c)])
                .sum();
            for (c, uc) in u.iter().enumerate() {
                h[(i, k + 1 + c)] -= beta * uc * s;
            }
        }
        for i in k + 2..n {
            h[(i, k)] = 0.0;
        }
    }
    h
}

/// All eigenvalues of a real square matrix, complex pairs adjacent with the
/// positive imaginary part first, sorted by decreasing real part.
pub fn eigenvalues(a: &Matrix) -> Result<Vec<Complex>, AnalysisError> {
    assert_eq!(a.rows, a.cols, "eigenvalues of a non-square matrix");
    let n = a.rows;
    if a.data.iter().any(|v| !v.is_finite()) {
        return Err(AnalysisError::NonFiniteMatrix);
    }
    let mut out = Vec::with_capacity(n);
    match n {
        0 => {}
        1 => out.push(Complex::real(a[(0, 0)])),
        2 => out.extend(eigenvalues_2x2(a[(0, 0)], a[(0, 1)], a[(1, 0)], a[(1, 1)])),
        _ => francis(hessenberg(a), &mut out)?,
    }
    out.sort_by(|x, y| y.re.total_cmp(&x.re).then(y.im.total_cmp(&x.im)));
    Ok(out)
}

/// Francis double-shift QR on an upper Hessenberg matrix, deflating one
/// real eigenvalue or one 2×2 block at a time from the bottom.
fn francis(mut h: Matrix, out: &mut Vec<Complex>) -> Result<(), AnalysisError> {
    let n = h.rows;
    let scale = h.max_abs().max(f64::MIN_POSITIVE);
    let mut hi = n as isize - 1;
    let mut iterations = 0usize;
    let mut since_deflation = 0usize;
    while hi >= 0 {
        let m = hi as usize;
        // Start of the unreduced block ending at m.
        let mut l = m;
        while l > 0 {
            let off = h[(l, l - 1)].abs();
            let diag = h[(l, l)].abs() + h[(l - 1, l - 1)].abs();
            let reference = if diag == 0.0 { scale } else { diag };
            if off <= f64::EPSILON * reference {
                h[(l, l - 1)] = 0.0;
                break;
            }
            l -= 1;
        }
        if l == m {
            out.push(Complex::real(h[(m, m)]));
            hi -= 1;
            since_deflation = 0;
            continue;
        }
        if l + 1 == m {
            out.extend(eigenvalues_2x2(
                h[(m - 1, m - 1)],
                h[(m - 1, m)],
                h[(m, m - 1)],
                h[(m, m)],
            ));
            hi -= 2;
            since_deflation = 0;
            continue;
        }
        iterations += 1;
        since_deflation += 1;
        if iterations > 100 * n {
            return Err(AnalysisError::EigenvaluesDidNotConverge { size: n });
        }
        // Shifts: the eigenvalues of the trailing 2×2 block, through their
        // sum s and product t; every tenth sweep without deflation uses an
        // ad hoc shift to break a cycle.
        let (s, t) = if since_deflation.is_multiple_of(10) {
            let w = h[(m, m - 1)].abs() + h[(m - 1, m - 2)].abs();
            let s = 1.5 * w + h[(m, m)];
            (2.0 * s - 0.5 * w, s * s - w * w * 0.4375)
        } else {
            (
                h[(m - 1, m - 1)] + h[(m, m)],
                h[(m - 1, m - 1)] * h[(m, m)] - h[(m - 1, m)] * h[(m, m - 1)],
            )
        };
        // First column of (H − σ₁)(H − σ₂), restricted to the block.
        let mut x = h[(l, l)] * h[(l, l)] + h[(l, l + 1)] * h[(l + 1, l)] - s * h[(l, l)] + t;
        let mut y = h[(l + 1, l)] * (h[(l, l)] + h[(l + 1, l + 1)] - s);
        let mut z = h[(l + 1, l)] * h[(l + 2, l + 1)];
        for k in l..=m - 2 {
            if let Some((u, beta)) = householder(&[x, y, z]) {
                let first_col = if k > l { k - 1 } else { l };
                let last_row = (k + 3).min(m);
                reflect(&mut h, &u, beta, k, first_col..=m, l..=last_row);
                if k > l {
                    h[(k + 1, k - 1)] = 0.0;
                    h[(k + 2, k - 1)] = 0.0;
                }
            }
            x = h[(k + 1, k)];
            y = h[(k + 2, k)];
            if k + 3 <= m {
                z = h[(k + 3, k)];
            }
        }
        // The last bulge is 2 long.
        if let Some((u, beta)) = householder(&[x, y]) {
            let k = m - 1;
            reflect(&mut h, &u, beta, k, (k - 1)..=m, l..=m);
            h[(m, m - 2)] = 0.0;
        }
    }
    Ok(())
}
