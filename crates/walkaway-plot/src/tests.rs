use super::*;

fn line_chart() -> Figure {
    let x: Vec<f64> = (0..=180).map(f64::from).collect();
    let mid: Vec<f64> = x.iter().map(|t| 0.7 * (-t / 90.0).exp()).collect();
    Figure::Lines(LineChart {
        title: "Your partner's love".into(),
        x_label: "day".into(),
        y_label: "love (love scale)".into(),
        lines: vec![Line {
            label: "median".into(),
            x: x.clone(),
            y: mid.clone(),
            dashed: false,
        }],
        bands: vec![Band {
            label: "10–90% of futures".into(),
            x: x.clone(),
            low: mid.iter().map(|v| v - 0.1).collect(),
            high: mid.iter().map(|v| v + 0.1).collect(),
        }],
        markers: vec![Marker {
            x: 30.0,
            label: "day 30".into(),
        }],
        y_range: None,
        note: "A model, not a prophecy.".into(),
    })
}

fn heat_map(nx: usize, ny: usize) -> HeatMap {
    let x_values: Vec<f64> = (0..nx).map(|i| 10.0 * i as f64).collect();
    let y_values: Vec<f64> = (0..ny).map(|j| j as f64 / (ny.max(2) - 1) as f64).collect();
    let values = (0..nx * ny)
        .map(|k| (k as f64 / (nx * ny) as f64).min(1.0))
        .collect();
    HeatMap {
        title: "Where walking away works".into(),
        x_label: "separation length (days)".into(),
        y_label: "contact while apart (0–1)".into(),
        value_label: "probability your partner comes back".into(),
        x_values,
        y_values,
        values,
        range: Some((0.0, 1.0)),
        style: ValueStyle::Percent,
        note: String::new(),
    }
}

fn phase() -> Figure {
    // The null cline x = y, cut into the pieces a contour routine gives.
    let diagonal: Vec<[(f64, f64); 2]> = (0..20)
        .map(|i| {
            let a = -2.0 + 0.2 * i as f64;
            [(a, a), (a + 0.2, a + 0.2)]
        })
        .collect();
    Figure::Phase(PhasePortrait {
        title: "Phase portrait".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        x_range: (-2.0, 2.0),
        y_range: (-2.0, 2.0),
        arrows: vec![Arrow {
            x: 1.0,
            y: 0.0,
            dx: 0.0,
            dy: 1.0,
        }],
        nullclines: vec![Curve {
            label: "dx/dt = 0".into(),
            points: vec![],
            segments: diagonal,
        }],
        trajectories: vec![Curve {
            label: "start".into(),
            points: vec![(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)],
            segments: vec![],
        }],
        points: vec![PointMark {
            x: 0.0,
            y: 0.0,
            label: "centre (0, 0)".into(),
            stable: false,
            group: Some(0),
        }],
        basins: Some(BasinGrid {
            x_values: vec![-1.0, 1.0],
            y_values: vec![-1.0, 1.0],
            cells: vec![Some(0), Some(1), None, Some(0)],
        }),
        note: String::new(),
    })
}

fn bifurcation() -> Figure {
    Figure::Bifurcation(BifurcationDiagram {
        title: "Fold".into(),
        x_label: "r".into(),
        y_label: "x".into(),
        branches: vec![
            (0..50)
                .map(|i| {
                    let x = 1.0 - 2.0 * i as f64 / 49.0;
                    BranchPoint {
                        param: -x * x,
                        value: x,
                        stable: x > 0.0,
                    }
                })
                .collect(),
        ],
        special: vec![SpecialMark {
            param: 0.0,
            value: 0.0,
            label: "fold".into(),
        }],
        maxima: vec![(-0.5, 0.8), (-0.4, 0.9)],
        note: String::new(),
    })
}

/// The contents of every `<text>` element, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// Minimal structure of an SVG document: one root element of the right
/// size that is closed at the end, and every text label present.
fn assert_svg(svg: &str, size: Size, labels: &[&str]) {
    let start = svg.find("<svg").expect("an <svg> element");
    let head = &svg[start..start + svg[start..].find('>').unwrap()];
    assert!(
        head.contains(&format!("width=\"{}\"", size.width))
            && head.contains(&format!("height=\"{}\"", size.height)),
        "{head}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    let texts = texts(svg);
    for l in labels {
        assert!(
            texts.iter().any(|t| t.contains(l)),
            "label {l:?} missing from {texts:?}"
        );
    }
}

#[test]
fn every_figure_renders_as_svg_with_its_labels() {
    let size = Size::default();
    let cases: Vec<(Figure, Vec<&str>)> = vec![
        (
            line_chart(),
            vec!["median", "10–90% of futures", "day 30", "love (love scale)"],
        ),
        (Figure::Heat(heat_map(5, 4)), vec!["contact while apart"]),
        (phase(), vec!["centre (0, 0)", "dx/dt = 0", "start"]),
        (
            bifurcation(),
            vec!["fold", "stable equilibria", "unstable equilibria"],
        ),
    ];
    for (figure, labels) in cases {
        let svg = render_svg(&figure, size).unwrap();
        assert_svg(&svg, size, &labels);
    }
}

#[test]
fn small_heat_maps_print_their_values_in_the_cells() {
    let mut h = heat_map(3, 2);
    h.values = vec![0.0, 0.25, 0.5, 0.75, 1.0, f64::NAN];
    let svg = render_svg(&Figure::Heat(h), Size::default()).unwrap();
    let texts = texts(&svg);
    for v in ["0", "25", "50", "75", "100"] {
        assert!(texts.iter().any(|t| t == v), "{v} in {texts:?}");
    }
    assert!(!texts.iter().any(|t| t == "NaN"));
}

#[test]
fn png_has_the_signature_and_the_requested_size() {
    let size = Size {
        width: 640,
        height: 400,
    };
    for figure in [
        line_chart(),
        phase(),
        bifurcation(),
        Figure::Heat(heat_map(4, 4)),
    ] {
        let png = render_png(&figure, size).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((w, h), (640, 400));
        // Something was drawn: many colours (lines, text edges), and a
        // fair share of the pixels is not white.
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        let non_white = colours.iter().filter(|c| **c != [255, 255, 255]).count();
        colours.sort_unstable();
        colours.dedup();
        assert!(colours.len() > 10, "{} colours", colours.len());
        assert!(non_white * 50 > (640 * 400), "{non_white} drawn pixels");
    }
}

#[test]
fn bad_sizes_and_data_are_errors_naming_the_field() {
    let err = render_svg(
        &line_chart(),
        Size {
            width: 10,
            height: 600,
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "figure size 10×600 is not allowed: each side from 200 to 4000 pixels"
    );
    let mut h = heat_map(3, 3);
    h.values.pop();
    let err = render_svg(&Figure::Heat(h), Size::default()).unwrap_err();
    assert!(err.to_string().contains("`values`"), "{err}");
    let mut h = heat_map(3, 3);
    h.x_values = vec![0.0, 0.0, 1.0];
    let err = render_svg(&Figure::Heat(h), Size::default()).unwrap_err();
    assert!(err.to_string().contains("increase strictly"), "{err}");
    let empty = Figure::Lines(LineChart::default());
    let err = render_svg(&empty, Size::default()).unwrap_err();
    assert!(err.to_string().contains("no finite point"), "{err}");
    let mut l = line_chart();
    if let Figure::Lines(c) = &mut l {
        c.lines[0].y.pop();
    }
    let err = render_svg(&l, Size::default()).unwrap_err();
    assert!(
        err.to_string().contains("181 x values and 180 y values"),
        "{err}"
    );
}

#[test]
fn nan_values_are_skipped_not_drawn_or_panicked_on() {
    let figure = Figure::Lines(LineChart {
        lines: vec![Line {
            label: "gappy".into(),
            x: vec![0.0, 1.0, 2.0, 3.0],
            y: vec![1.0, f64::NAN, 2.0, f64::INFINITY],
            dashed: true,
        }],
        ..LineChart::default()
    });
    let svg = render_svg(&figure, Size::default()).unwrap();
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn image_format_comes_from_the_extension() {
    assert_eq!(
        ImageFormat::from_path(Path::new("a/b.SVG")).unwrap(),
        ImageFormat::Svg
    );
    assert_eq!(
        ImageFormat::from_path(Path::new("b.png")).unwrap(),
        ImageFormat::Png
    );
    let err = ImageFormat::from_path(Path::new("b.jpg")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "file `b.jpg` has extension `.jpg`; allowed: .svg, .png"
    );
}

#[test]
fn viridis_runs_from_purple_to_yellow_and_clamps() {
    assert_eq!(viridis(0.0), (68, 1, 84));
    assert_eq!(viridis(1.0), (253, 231, 37));
    assert_eq!(viridis(2.0), viridis(1.0));
    assert_eq!(viridis(f64::NAN), viridis(0.0));
    assert_eq!(viridis(0.5), (33, 144, 141));
}

#[test]
fn tick_labels_have_the_decimals_the_spacing_needs_and_no_minus_zero() {
    use crate::draw::tick_text;
    assert_eq!(tick_text(20.0, 180.0), "20");
    assert_eq!(tick_text(0.2, 1.3), "0.2");
    assert_eq!(tick_text(-0.0, 1.3), "0");
    assert_eq!(tick_text(-1e-17, 1.3), "0");
    assert_eq!(tick_text(0.25, 0.5), "0.25");
    assert_eq!(tick_text(1500.0, 20000.0), "1500");
}
