//! `walkaway sweep`, `analyze` and `plot`, run as the real binary in a
//! temporary directory.

use arrow_array::{Array, Float64Array, UInt64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::util::walkaway_in;

const OUTCOMES: [&str; 6] = [
    "p_still_together",
    "p_back_together_changed",
    "p_back_together_unchanged",
    "p_partner_moved_on",
    "p_you_moved_on",
    "p_apart_unresolved",
];

#[test]
fn sweep_csv_has_the_grid_and_probabilities_that_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(
        dir.path(),
        &[
            "sweep",
            "--x",
            "separation.length=0:120:4",
            "--y",
            "separation.contact=0:1:3",
            "--trajectories",
            "60",
            "--seed",
            "1",
            "--out",
            "map.csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    // The progress line is for terminals only: piped, stderr stays empty.
    assert!(r.err.is_empty(), "{}", r.err);
    let text = std::fs::read_to_string(dir.path().join("map.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..4],
        [
            "separation.length",
            "separation.contact",
            "trajectories",
            "failures"
        ]
    );
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 12);
    // x varies fastest: 0, 40, 80, 120 for each contact 0, 0.5, 1.
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row[0], [0.0, 40.0, 80.0, 120.0][k % 4], "row {k}");
        assert_eq!(row[1], [0.0, 0.5, 1.0][k / 4], "row {k}");
        assert_eq!(row[col("trajectories")], 60.0);
        let mut total = 0.0;
        for o in OUTCOMES.iter().copied().chain([
            "p_together",
            "p_partner_asked",
            "p_partner_met_someone",
        ]) {
            let (p, lo, hi) = (
                row[col(o)],
                row[col(&format!("{o}_low"))],
                row[col(&format!("{o}_high"))],
            );
            assert!((0.0..=1.0).contains(&p), "{o} = {p} in row {k}");
            assert!(lo <= p && p <= hi && (0.0..=1.0).contains(&lo) && hi <= 1.0);
            if OUTCOMES.contains(&o) {
                total += p;
            }
        }
        assert!(
            (total - 1.0).abs() < 1e-12,
            "row {k}: outcomes add to {total}"
        );
        let together = row[col("p_still_together")]
            + row[col("p_back_together_changed")]
            + row[col("p_back_together_unchanged")];
        assert!((row[col("p_together")] - together).abs() < 1e-12);
    }
    // Planned length 0 means you stay: nobody goes back by plan, and with
    // no plan started nobody can have come back after walking away at day 0.
    assert!(rows[0][col("p_still_together")] > 0.5);
}

#[test]
fn sweep_parquet_reads_back_with_the_parquet_crate_and_the_plot_is_an_svg() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(
        dir.path(),
        &[
            "sweep",
            "--x",
            "separation.contact=0,0.5,1",
            "--trajectories",
            "40",
            "--out",
            "line.parquet",
            "--plot",
            "line.svg",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let file = std::fs::File::open(dir.path().join("line.parquet")).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut rows = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let x = batch
            .column_by_name("separation.contact")
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        let n = batch
            .column_by_name("trajectories")
            .unwrap()
            .as_any()
            .downcast_ref::<UInt64Array>()
            .unwrap();
        let outcomes: Vec<&Float64Array> = OUTCOMES
            .iter()
            .map(|o| {
                batch
                    .column_by_name(o)
                    .unwrap()
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .unwrap()
            })
            .collect();
        for i in 0..x.len() {
            assert_eq!(x.value(i), [0.0, 0.5, 1.0][rows + i]);
            assert_eq!(n.value(i), 40);
            let total: f64 = outcomes.iter().map(|a| a.value(i)).sum();
            assert!((total - 1.0).abs() < 1e-12);
        }
        rows += x.len();
    }
    assert_eq!(rows, 3);
    let svg = std::fs::read_to_string(dir.path().join("line.svg")).unwrap();
    assert_svg(&svg, 960, 600);
    // The same table plots again from the file.
    let r = walkaway_in(
        dir.path(),
        &["plot", "sweep", "line.parquet", "--out", "again.svg"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_svg(
        &std::fs::read_to_string(dir.path().join("again.svg")).unwrap(),
        960,
        600,
    );
}

#[test]
fn bad_grid_specs_exit_2_naming_the_flag_and_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &[&str]); 7] = [
        (
            &["sweep", "--x", "separation.length=0:120"],
            &["--x", "LO:HI:N"],
        ),
        (
            &["sweep", "--x", "separation.length=120:0:5"],
            &["--x", "LO must be below HI", "allowed"],
        ),
        (
            &["sweep", "--x", "separation.length=0:120:100000"],
            &["--x", "out of range", "N <= 201"],
        ),
        (
            &["sweep", "--x", "nonsense=0:1:3"],
            &["--x", "nonsense", "separation.length"],
        ),
        (
            &["sweep", "--x", "separation.contact=0:2:3"],
            &["--x", "separation.contact", "from 0 to 1"],
        ),
        (
            &[
                "sweep",
                "--x",
                "separation.length=0:100:200",
                "--y",
                "separation.contact=0:1:200",
            ],
            &["--x/--y", "40000 cells", "at most 2500"],
        ),
        (
            &[
                "sweep",
                "--x",
                "separation.length=0:100:3",
                "--trajectories",
                "0",
            ],
            &["--trajectories", "from 1 to"],
        ),
    ];
    for (args, words) in cases {
        let r = walkaway_in(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        for w in words {
            assert!(r.err.contains(w), "{args:?}: {w:?} missing in {}", r.err);
        }
        assert!(!r.err.contains("panicked"), "{}", r.err);
    }
    let r = walkaway_in(
        dir.path(),
        &["sweep", "--x", "separation.length=0:1:2", "--out", "a.xlsx"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--out") && r.err.contains(".csv, .parquet"),
        "{}",
        r.err
    );
    let r = walkaway_in(
        dir.path(),
        &["analyze", "gone-with-the-wind", "--bifurcation", "k=5"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--bifurcation") && r.err.contains("LO:HI"),
        "{}",
        r.err
    );
    let r = walkaway_in(dir.path(), &["analyze", "laura-petrarch", "--basins"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--basins") && r.err.contains("models with 2"),
        "{}",
        r.err
    );
}

#[test]
fn gone_with_the_wind_has_two_stable_equilibria_and_a_saddle() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(
        dir.path(),
        &["analyze", "gone-with-the-wind", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let eq = v["equilibria"].as_array().unwrap();
    assert_eq!(eq.len(), 3, "{eq:?}");
    let kinds: Vec<&str> = eq.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["stable node", "saddle", "stable node"]);
    // The published picture: lopsided (1.15, 6.46), its mirror, and (3.10, 3.10).
    let at = |k: usize, s: &str| eq[k]["state"][s].as_f64().unwrap();
    for (k, (r, s)) in [(1.15, 6.46), (3.10, 3.10), (6.46, 1.15)]
        .iter()
        .enumerate()
    {
        assert!((at(k, "rhett") - r).abs() < 0.005 && (at(k, "scarlett") - s).abs() < 0.005);
    }
    // A saddle has one eigenvalue of each sign.
    let eigs: Vec<f64> = eq[1]["eigenvalues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["re"].as_f64().unwrap())
        .collect();
    assert!(eigs.iter().any(|e| *e > 0.0) && eigs.iter().any(|e| *e < 0.0));
    assert!(v["largest_lyapunov"]["exponent"].as_f64().unwrap() < 0.0);
    // Text output, with bifurcation and basins.
    let r = walkaway_in(
        dir.path(),
        &[
            "analyze",
            "gone-with-the-wind",
            "--bifurcation",
            "appeal_scarlett=1:3",
            "--basins",
            "--grid",
            "11",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("fold at appeal_scarlett = 1.5"), "{}", r.out);
    assert!(r.out.contains("Basins on a 11×11 grid"), "{}", r.out);
}

#[test]
fn strogatz_reports_a_centre_and_its_closed_orbit() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(dir.path(), &["analyze", "strogatz"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("1. centre"), "{}", r.out);
    // Default fickle lovers: period 2π.
    assert!(r.out.contains("period 6.2832"), "{}", r.out);
    let r = walkaway_in(
        dir.path(),
        &["analyze", "laura-petrarch", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let period = v["limit_cycle"]["period"].as_f64().unwrap();
    assert!((period - 3.79).abs() < 0.01, "{period}");
}

#[test]
fn walkaway_is_analysed_together_at_day_zero_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // `--json` is the older spelling of `--format json`, kept for scripts.
    // A mutual relationship (you get back what you give): otherwise being
    // under-benefited wears your love down and day 0 is no resting point.
    let r = walkaway_in(
        dir.path(),
        &["analyze", "walkaway", "--json", "--set", "you.effort=0.2"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert!(
        v["caveat"]
            .as_str()
            .unwrap()
            .contains("\"together\" field at t = 0")
    );
    let rest = &v["resting_point_at_start"];
    assert_eq!(
        rest["left_out"],
        serde_json::json!(["hazard", "expected_contacts", "your_leaving_hazard"])
    );
    assert!(rest["residual"].as_f64().unwrap() < 1e-8);
}

#[test]
fn analyze_takes_table_or_json_and_refuses_csv_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let r = walkaway_in(dir.path(), &["analyze", "strogatz", "--format", "csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err
            .contains("--format csv is not available for `walkaway analyze`; allowed: table, json"),
        "{}",
        r.err
    );
    let r = walkaway_in(dir.path(), &["analyze", "strogatz", "--format", "table"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("Equilibria"), "{}", r.out);
}

/// The root element has the size asked for and the document is closed.
fn assert_svg(svg: &str, width: u32, height: u32) {
    let start = svg.find("<svg").expect("an <svg> element");
    let head = &svg[start..start + svg[start..].find('>').unwrap()];
    assert!(head.contains(&format!("width=\"{width}\"")), "{head}");
    assert!(head.contains(&format!("height=\"{height}\"")), "{head}");
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("<text"), "no text in the figure");
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    )
}

#[test]
fn plot_writes_svg_and_png_of_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let runs: [&[&str]; 5] = [
        &["plot", "run", "laura-petrarch", "--out", "run.svg"],
        &[
            "plot",
            "forecast",
            "--trajectories",
            "50",
            "--out",
            "fan.png",
            "--width",
            "500",
            "--height",
            "300",
        ],
        &[
            "plot",
            "phase",
            "gone-with-the-wind",
            "--basins",
            "--grid",
            "15",
            "--out",
            "phase.png",
        ],
        &[
            "plot",
            "bifurcation",
            "gone-with-the-wind",
            "--param",
            "appeal_scarlett=0.5:3",
            "--out",
            "bif.svg",
        ],
        &["plot", "phase", "strogatz", "--out", "strogatz.svg"],
    ];
    for args in runs {
        let r = walkaway_in(dir.path(), args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.err);
    }
    let svg = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    assert_svg(&svg("run.svg"), 960, 600);
    assert!(svg("run.svg").contains("inspiration"));
    assert_svg(&svg("bif.svg"), 960, 600);
    assert!(svg("bif.svg").contains("fold"));
    assert!(svg("strogatz.svg").contains("centre (0.00, 0.00)"));
    let png = |f: &str| std::fs::read(dir.path().join(f)).unwrap();
    assert_eq!(png_size(&png("fan.png")), (500, 300));
    assert_eq!(png_size(&png("phase.png")), (960, 600));
    // Wrong extension, wrong size, wrong model: exit 2 with the reason.
    for (args, words) in [
        (
            vec!["plot", "run", "strogatz", "--out", "x.jpg"],
            vec!["--out", ".svg, .png"],
        ),
        (
            vec!["plot", "run", "strogatz", "--out", "x.svg", "--width", "5"],
            vec!["--width/--height", "from 200 to 4000"],
        ),
        (
            vec!["plot", "phase", "laura-petrarch", "--out", "x.svg"],
            vec!["2 state variables", "laura-petrarch"],
        ),
        (
            vec![
                "plot",
                "run",
                "strogatz",
                "--vars",
                "romeo,nobody",
                "--out",
                "x.svg",
            ],
            vec!["--vars", "nobody", "romeo, juliet"],
        ),
    ] {
        let r = walkaway_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.err);
        for w in words {
            assert!(r.err.contains(w), "{args:?}: {w:?} missing in {}", r.err);
        }
    }
}
