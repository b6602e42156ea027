//! The zero level set of a function sampled on a grid (marching squares),
//! used for null clines: where dx/dt = 0 or dy/dt = 0.

/// Segments of the curve f = 0, from samples `values[j * nx + i]` =
/// f(xs[i], ys[j]). Each grid square whose corners change sign contributes
/// one or two segments, with end points placed by linear interpolation
/// along the square's edges. Squares with a non-finite corner are skipped.
/// Returns nothing when the lengths do not match.
pub fn zero_contour(xs: &[f64], ys: &[f64], values: &[f64]) -> Vec<[(f64, f64); 2]> {
    let (nx, ny) = (xs.len(), ys.len());
    let mut out = Vec::new();
    if nx < 2 || ny < 2 || values.len() != nx * ny {
        return out;
    }
    let v = |i: usize, j: usize| values[j * nx + i];
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            // Corners counter-clockwise from the bottom left.
            let corners = [
                (xs[i], ys[j], v(i, j)),
                (xs[i + 1], ys[j], v(i + 1, j)),
                (xs[i + 1], ys[j + 1], v(i + 1, j + 1)),
                (xs[i], ys[j + 1], v(i, j + 1)),
            ];
            if corners.iter().any(|c| !c.2.is_finite()) {
                continue;
            }
            // Crossing points on the four edges, in order.
            let mut crossings = Vec::with_capacity(4);
            for e in 0..4 {
                let a = corners[e];
                let b = corners[(e + 1) % 4];
                if (a.2 > 0.0) != (b.2 > 0.0) {
                    let t = a.2 / (a.2 - b.2);
                    crossings.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            match crossings.len() {
                2 => out.push([crossings[0], crossings[1]]),
                4 => {
                    // A saddle square: pair the crossings by the sign of the
                    // centre value so the two pieces do not cross.
                    let centre = corners.iter().map(|c| c.2).sum::<f64>() / 4.0;
                    if (centre > 0.0) == (corners[0].2 > 0.0) {
                        out.push([crossings[0], crossings[3]]);
                        out.push([crossings[1], crossings[2]]);
                    } else {
                        out.push([crossings[0], crossings[1]]);
                        out.push([crossings[2], crossings[3]]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}
