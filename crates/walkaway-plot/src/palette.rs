//! Colours: a qualitative palette that colour-blind readers can tell apart
//! (Okabe & Ito 2008) and a sequential scale for heat maps (viridis, van der
//! Walt & Smith 2015, sampled at nine points and interpolated linearly).

/// Blue, vermillion, bluish green, reddish purple, orange, sky blue, black.
pub const OKABE_ITO: [(u8, u8, u8); 7] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (0, 0, 0),
];

const VIRIDIS: [(f64, f64, f64); 9] = [
    (68.0, 1.0, 84.0),
    (71.0, 44.0, 122.0),
    (59.0, 81.0, 139.0),
    (44.0, 113.0, 142.0),
    (33.0, 144.0, 141.0),
    (39.0, 173.0, 129.0),
    (92.0, 200.0, 99.0),
    (170.0, 220.0, 50.0),
    (253.0, 231.0, 37.0),
];

/// The viridis colour at `t` in [0, 1] (clamped; NaN gives the low end).
pub fn viridis(t: f64) -> (u8, u8, u8) {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Relative luminance (sRGB weights, no gamma), to pick readable text.
pub fn is_dark((r, g, b): (u8, u8, u8)) -> bool {
    0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64 <= 140.0
}

/// Colour number `i` of the qualitative palette, cycling.
pub fn series(i: usize) -> (u8, u8, u8) {
    OKABE_ITO[i % OKABE_ITO.len()]
}
