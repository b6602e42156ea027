//! `walkaway ensemble` through the real binary.

use crate::util::{Run, walkaway};

#[test]
fn json_has_the_benchmark_keys_and_is_thread_independent() {
    let run = |threads: &str| {
        let Run { code, out, err } = walkaway(&[
            "ensemble",
            "laura-petrarch",
            "--trajectories",
            "300",
            "--t-end",
            "5",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one["trajectories"], 300);
    assert_eq!(one["final_mean"].as_array().unwrap().len(), 3);
    assert!(one["steps"].as_u64().unwrap() > 300);
    assert!(one["seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(one["final_mean"], two["final_mean"]);
    assert_eq!(one["steps"], two["steps"]);
}

#[test]
fn bad_input_exits_2_and_names_the_problem() {
    let Run { code, err, .. } = walkaway(&["ensemble", "romeo"]);
    assert_eq!(code, 2);
    assert!(err.contains("laura-petrarch"), "{err}");
    let Run { code, err, .. } = walkaway(&["ensemble", "strogatz", "--jitter", "1.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("jitter"), "{err}");
    let Run { code, err, .. } = walkaway(&["ensemble", "strogatz", "--threads", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("threads"), "{err}");
}

#[test]
fn the_table_reports_mean_spread_and_work() {
    let Run { code, out, err } = walkaway(&[
        "ensemble",
        "strogatz",
        "--trajectories",
        "50",
        "--t-end",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("romeo") && out.contains("juliet") && out.contains("steps"),
        "{out}"
    );
}
