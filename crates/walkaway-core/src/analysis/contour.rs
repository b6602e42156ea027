//! The zero level set of a function sampled on a grid, by marching
//! squares: the null clines (where dx/dt = 0 or dy/dt = 0) of the web
//! explorer and of the phase-portrait figures come from here, so both draw
//! the same curves.

/// A piece of the zero curve, from one end point to the other.
pub type Segment = [(f64, f64); 2];

/// Segments of the curve f = 0 from samples `values[j * nx + i]` =
/// f(xs[i], ys[j]) (row-major, x fastest).
///
/// Each grid square whose corners change sign gives one segment, or two for
/// a saddle square (signs alternating around it); the end points are placed
/// by linear interpolation along the square's edges. A corner exactly at 0
/// counts as positive. A saddle square's two pieces are paired by the sign
/// of the mean of its corners (the value of the bilinear interpolant at the
/// centre): the centre's sign tells which two opposite corners the pieces
/// keep apart, so the drawn pieces never cross the way the function runs.
/// Squares with a non-finite corner are skipped; mismatched lengths give no
/// segments.
pub fn zero_contour(xs: &[f64], ys: &[f64], values: &[f64]) -> Vec<Segment> {
    let (nx, ny) = (xs.len(), ys.len());
    let mut out = Vec::new();
    if nx < 2 || ny < 2 || values.len() != nx * ny {
        return out;
    }
    let v = |i: usize, j: usize| values[j * nx + i];
    let positive = |x: f64| x >= 0.0;
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            // Corners counter-clockwise from the bottom left; edge e runs
            // from corner e to corner e + 1.
            let corners = [
                (xs[i], ys[j], v(i, j)),
                (xs[i + 1], ys[j], v(i + 1, j)),
                (xs[i + 1], ys[j + 1], v(i + 1, j + 1)),
                (xs[i], ys[j + 1], v(i, j + 1)),
            ];
            if corners.iter().any(|c| !c.2.is_finite()) {
                continue;
            }
            let mut crossings = Vec::with_capacity(4);
            for e in 0..4 {
                let a = corners[e];
                let b = corners[(e + 1) % 4];
                if positive(a.2) != positive(b.2) {
                    let t = a.2 / (a.2 - b.2);
                    crossings.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            match crossings.len() {
                2 => out.push([crossings[0], crossings[1]]),
                4 => {
                    let centre = corners.iter().map(|c| c.2).sum::<f64>() / 4.0;
                    if positive(centre) == positive(corners[0].2) {
                        // The centre joins corners 0 and 2: the pieces cut
                        // off corners 1 and 3.
                        out.push([crossings[0], crossings[1]]);
                        out.push([crossings[2], crossings[3]]);
                    } else {
                        // The centre joins corners 1 and 3: the pieces cut
                        // off corners 0 and 2.
                        out.push([crossings[3], crossings[0]]);
                        out.push([crossings[1], crossings[2]]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(n: usize, lo: f64, hi: f64) -> Vec<f64> {
        (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect()
    }

    fn sample(xs: &[f64], ys: &[f64], f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
        ys.iter()
            .flat_map(|&y| xs.iter().map(move |&x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect()
    }

    #[test]
    fn a_plane_gives_its_zero_line() {
        let xs = grid(11, -1.0, 1.0);
        let values = sample(&xs, &xs, |x, y| x + 2.0 * y - 0.3);
        let segs = zero_contour(&xs, &xs, &values);
        assert!(!segs.is_empty());
        for [(ax, ay), (bx, by)] in &segs {
            assert!((ax + 2.0 * ay - 0.3).abs() < 1e-12);
            assert!((bx + 2.0 * by - 0.3).abs() < 1e-12);
        }
        assert!(zero_contour(&xs, &xs, &values[1..]).is_empty());
    }

    #[test]
    fn a_circle_is_followed_closely() {
        let xs = grid(81, -2.0, 2.0);
        let values = sample(&xs, &xs, |x, y| x * x + y * y - 1.0);
        let segs = zero_contour(&xs, &xs, &values);
        assert!(segs.len() > 40);
        for s in &segs {
            for (x, y) in s {
                assert!((x.hypot(*y) - 1.0).abs() < 2e-3);
            }
        }
    }

    #[test]
    fn a_non_finite_corner_skips_its_squares() {
        let xs = grid(3, 0.0, 1.0);
        let mut values = sample(&xs, &xs, |x, _| x - 0.25);
        values[4] = f64::NAN;
        // Every square touches the centre sample.
        assert!(zero_contour(&xs, &xs, &values).is_empty());
    }

    fn joins(segs: &[Segment], a: (f64, f64), b: (f64, f64)) -> bool {
        let near =
            |p: (f64, f64), q: (f64, f64)| (p.0 - q.0).abs() < 1e-12 && (p.1 - q.1).abs() < 1e-12;
        segs.iter()
            .any(|s| (near(s[0], a) && near(s[1], b)) || (near(s[0], b) && near(s[1], a)))
    }

    /// A saddle square where the two old rules disagreed. On [0, 1]² with
    /// corners 1 (bottom left), −1 (bottom right), 3 (top right), −1 (top
    /// left), the bilinear interpolant 1 − 2x − 2y + 6xy is zero on a
    /// hyperbola whose branches run from the bottom edge (0.5, 0) to the
    /// right edge (1, 0.25), and from the left edge (0, 0.5) to the top edge
    /// (0.25, 1): the centre (value 0.5) joins the two positive corners.
    /// The old explorer (crossings paired in edge order) drew that; the old
    /// figure rule paired bottom with left and right with top, cutting the
    /// positive corners off from the centre.
    #[test]
    fn a_saddle_is_split_as_the_bilinear_interpolant_is() {
        let xs = [0.0, 1.0];
        let segs = zero_contour(&xs, &xs, &[1.0, -1.0, -1.0, 3.0]);
        assert_eq!(segs.len(), 2, "{segs:?}");
        assert!(joins(&segs, (0.5, 0.0), (1.0, 0.25)), "{segs:?}");
        assert!(joins(&segs, (0.0, 0.5), (0.25, 1.0)), "{segs:?}");
    }

    /// The other saddle: corners 1, −3, 1, −3 have a negative centre, which
    /// joins the negative corners; the pieces cut off the positive ones
    /// (bottom left: left edge to bottom edge; top right: right edge to top
    /// edge). Pairing crossings in edge order gets this one wrong.
    #[test]
    fn a_saddle_with_the_other_centre_sign_is_split_the_other_way() {
        let xs = [0.0, 1.0];
        let segs = zero_contour(&xs, &xs, &[1.0, -3.0, -3.0, 1.0]);
        assert_eq!(segs.len(), 2, "{segs:?}");
        assert!(joins(&segs, (0.0, 0.25), (0.25, 0.0)), "{segs:?}");
        assert!(joins(&segs, (1.0, 0.75), (0.75, 1.0)), "{segs:?}");
    }
}
