//! Issue 12, finding 5: `merge` trusted the numbers in a part. These are
//! the campaign's reproducers; each part is refused with exit 2 and a
//! message naming its file. Edited parts are sealed again with a fresh
//! checksum (as someone editing on purpose would), so the count checks are
//! tested on their own; a flipped bit is left for the checksum to find.

use std::path::Path;

use serde_json::Value;

use crate::util::{Run, walkaway_in};

const START: &str = "{\"checksum\":\"fnv1a-64:";

/// FNV-1a, 64 bits, as `walkaway` seals its parts.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Rewrites part `from` as `to` after `edit`, with a checksum that fits.
fn edit_and_reseal(dir: &Path, from: &str, to: &str, edit: impl FnOnce(&mut Value)) {
    let text = std::fs::read_to_string(dir.join(from)).unwrap();
    let rest = text.strip_prefix(START).expect("a sealed part");
    let mut doc: Value = serde_json::from_str(&format!("{{{}", &rest[18..])).unwrap();
    edit(&mut doc);
    let body = serde_json::to_string(&doc).unwrap();
    let sealed = format!("{START}{:016x}\",{}", fnv1a(body.as_bytes()), &body[1..]);
    std::fs::write(dir.join(to), sealed).unwrap();
}

fn save(dir: &Path, args: &[&str], shard: &str, file: &str) {
    let mut all = args.to_vec();
    all.extend(["--shard", shard, "--save-tally", file]);
    let Run { code, err, .. } = walkaway_in(dir, &all);
    assert_eq!(code, 0, "{err}");
}

/// `merge FILES` exits 2 naming `named` and saying each of `words`.
fn refused(dir: &Path, files: &[&str], named: &str, words: &[&str]) {
    let mut all = vec!["merge"];
    all.extend(files);
    let Run { code, out, err } = walkaway_in(dir, &all);
    assert_eq!(code, 2, "{files:?} were merged: {out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains(named), "{files:?}: {err}");
    for w in words {
        assert!(err.contains(w), "{files:?}: {err}");
    }
}

const FORECAST: [&str; 4] = ["forecast", "--trajectories", "200", "--no-attribution"];

#[test]
fn forecast_parts_with_impossible_counts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    save(d, &FORECAST, "0/2", "a.json");
    save(d, &FORECAST, "1/2", "b.json");
    // Sealing again unchanged merges: the checks below refuse the edits.
    edit_and_reseal(d, "b.json", "b-same.json", |_| {});
    let Run { code, err, .. } = walkaway_in(d, &["merge", "a.json", "b-same.json"]);
    assert_eq!(code, 0, "{err}");
    // Counts above the trajectory count printed "unchanged 500023.5%".
    edit_and_reseal(d, "b.json", "b-counts.json", |v| {
        v["tally"]["base"][0] = 5_000_000.into();
    });
    refused(
        d,
        &["a.json", "b-counts.json"],
        "b-counts.json",
        &["`base`", "100 runs"],
    );
    // trajectories = 2^64 − 1 wrapped to "99 simulated futures" and "107.1%".
    edit_and_reseal(d, "b.json", "b-wrap.json", |v| {
        v["tally"]["trajectories"] = u64::MAX.into();
    });
    refused(
        d,
        &["a.json", "b-wrap.json"],
        "b-wrap.json",
        &["18446744073709551615", "covers 100"],
    );
    edit_and_reseal(d, "b.json", "b-wrap-failures.json", |v| {
        v["tally"]["trajectories"] = u64::MAX.into();
        v["tally"]["failures"] = 101.into();
    });
    refused(
        d,
        &["a.json", "b-wrap-failures.json"],
        "b-wrap-failures.json",
        &["covers 100"],
    );
    // A 100-trajectory part claiming range [0, 200] merged as a complete run.
    edit_and_reseal(d, "a.json", "a-wide.json", |v| {
        v["range"] = serde_json::json!([0, 200]);
    });
    refused(d, &["a-wide.json"], "a-wide.json", &["covers 200"]);
    // Sums that overflow when added up wrap no more.
    for (from, to) in [("a.json", "a-sum.json"), ("b.json", "b-sum.json")] {
        edit_and_reseal(d, from, to, |v| {
            v["tally"]["series_sum"][0] = i128::MAX.to_string().into();
        });
    }
    refused(
        d,
        &["a-sum.json", "b-sum.json"],
        "b-sum.json",
        &["overflows"],
    );
    // A range beyond the run's total.
    edit_and_reseal(d, "b.json", "b-beyond.json", |v| {
        v["range"] = serde_json::json!([100, 300]);
    });
    refused(
        d,
        &["a.json", "b-beyond.json"],
        "b-beyond.json",
        &["`range`"],
    );
}

#[test]
fn a_flipped_bit_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    save(d, &FORECAST, "0/2", "a.json");
    save(d, &FORECAST, "1/2", "b.json");
    let text = std::fs::read(d.join("b.json")).unwrap();
    for at in [text.len() / 3, text.len() / 2, text.len() - 2] {
        let mut damaged = text.clone();
        damaged[at] ^= 0b100;
        std::fs::write(d.join("b-flipped.json"), &damaged).unwrap();
        refused(
            d,
            &["a.json", "b-flipped.json"],
            "b-flipped.json",
            &["checksum"],
        );
    }
    // A part without its checksum (reformatted, say) is refused too.
    let text = String::from_utf8(text).unwrap();
    let unsealed = format!("{{{}", &text[START.len() + 18..]);
    std::fs::write(d.join("b-unsealed.json"), unsealed).unwrap();
    refused(
        d,
        &["a.json", "b-unsealed.json"],
        "b-unsealed.json",
        &["no checksum"],
    );
}

#[test]
fn ensemble_parts_with_impossible_counts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = [
        "ensemble",
        "laura-petrarch",
        "--trajectories",
        "50",
        "--t-end",
        "2",
    ];
    save(d, &args, "0/2", "e0.json");
    save(d, &args, "1/2", "e1.json");
    edit_and_reseal(d, "e1.json", "e1-wrap.json", |v| {
        v["tally"]["trajectories"] = u64::MAX.into();
    });
    refused(
        d,
        &["e0.json", "e1-wrap.json"],
        "e1-wrap.json",
        &["covers 25"],
    );
    for (from, to) in [("e0.json", "e0-steps.json"), ("e1.json", "e1-steps.json")] {
        edit_and_reseal(d, from, to, |v| v["tally"]["steps"] = u64::MAX.into());
    }
    refused(
        d,
        &["e0-steps.json", "e1-steps.json"],
        "e1-steps.json",
        &["steps"],
    );
    edit_and_reseal(d, "e1.json", "e1-digit.json", |v| {
        v["tally"]["sums"][0][65] = i64::MAX.into();
    });
    refused(d, &["e0.json", "e1-digit.json"], "e1-digit.json", &["sum"]);
}
