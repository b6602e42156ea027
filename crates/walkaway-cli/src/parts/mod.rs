//! Splitting one forecast or ensemble over many processes or machines (a
//! Slurm array job, say) and merging the parts. `--shard I/N` runs the I-th
//! of N equal slices of the trajectory indices; `--save-tally FILE` writes
//! its exact tally (integer counts, histograms and fixed-point sums) as JSON;
//! `walkaway merge FILE...` checks that the parts belong to one run and
//! cover it exactly once, adds them and prints the same result as one run.
//! A part carries a checksum of its text, and its counts are checked
//! against its trajectories: a damaged or edited part is refused by name.
//! Each trajectory draws from its own random stream keyed by (seed, index),
//! so where the run was cut changes nothing.

pub mod ensemble;
pub mod forecast;

use std::ops::Range;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::Failure;

/// The first line of defence against merging a file that is not a part.
pub const FORMAT_TAG: &str = "walkaway-shard";
/// 2: with a checksum.
pub const FORMAT_VERSION: u64 = 2;
/// How a part's text starts: the checksum of the rest comes first, so the
/// file stays one JSON object and the checksum covers every other byte.
const CHECKSUM_START: &str = "{\"checksum\":\"fnv1a-64:";

/// `--shard I/N`: slice I (from 0) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn parse(text: &str, total: u64) -> Result<Self, Failure> {
        let bad = |why: &str| {
            Failure::Input(format!(
                "--shard `{text}`: {why}; allowed: I/N with whole numbers 0 <= I < N <= {total} \
                 (the number of trajectories, or of cells for a sweep), e.g. --shard 3/16 or, in a Slurm array job, \
                 --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT"
            ))
        };
        let (i, n) = text.split_once('/').ok_or_else(|| bad("no `/`"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| bad("I is not a whole number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if count == 0 || index >= count {
            return Err(bad("I must be below N and N at least 1"));
        }
        if count > total {
            return Err(bad("more shards than trajectories"));
        }
        Ok(Self { index, count })
    }

    /// The trajectory indices of this slice: [I·T/N, (I+1)·T/N).
    pub fn range(&self, total: u64) -> Range<u64> {
        let cut = |i: u64| (u128::from(i) * u128::from(total) / u128::from(self.count)) as u64;
        cut(self.index)..cut(self.index + 1)
    }
}

/// The trajectories a run covers: all of them, or with `--shard I/N` one
/// slice, which is only useful saved (`--save-tally`) for a later merge.
pub fn trajectories_to_run(
    shard: Option<&str>,
    saved: bool,
    total: u64,
    what: &str,
) -> Result<Range<u64>, Failure> {
    match shard {
        Some(text) if !saved => Err(Failure::Input(format!(
            "--shard {text} needs --save-tally FILE: a shard alone is not the {what}; merge \
             the saved parts with `walkaway merge`"
        ))),
        Some(text) => Ok(Shard::parse(text, total)?.range(total)),
        None => Ok(0..total),
    }
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every
/// version (std's default hasher promises neither).
pub fn fingerprint(pieces: &[&str]) -> String {
    let mut h = FNV_START;
    for piece in pieces {
        h = fnv1a(h, piece.as_bytes());
        h = fnv1a(h, &[0]);
    }
    format!("{h:016x}")
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Each step is a bijection of the state, so texts that differ in one
/// byte (a flipped bit, say) always hash differently.
fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The checksum of a part's text: FNV-1a of the document without it.
fn checksum(document: &[u8]) -> String {
    format!("{:016x}", fnv1a(FNV_START, document))
}

/// A part's text with its checksum in front (`document` is a JSON object).
fn seal(document: &str) -> String {
    let rest = document.strip_prefix('{').unwrap_or(document);
    format!("{CHECKSUM_START}{}\",{rest}", checksum(document.as_bytes()))
}

/// The document inside a sealed part, once its checksum matches; `None`
/// when the text does not start with a checksum.
fn unseal(file: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, Failure> {
    let Some(after) = bytes.strip_prefix(CHECKSUM_START.as_bytes()) else {
        return Ok(None);
    };
    let damaged = |why: String| {
        Failure::Input(format!(
            "{file}: {why}: the part was changed or damaged after `--save-tally` wrote it; \
             run that shard again"
        ))
    };
    let (written, rest) = after
        .split_at_checked(16)
        .filter(|(_, rest)| rest.starts_with(b"\","))
        .ok_or_else(|| damaged("its checksum is malformed".into()))?;
    let mut document = b"{".to_vec();
    document.extend_from_slice(&rest[2..]);
    let actual = checksum(&document);
    if written != actual.as_bytes() {
        return Err(damaged(format!(
            "its checksum is {} but its contents give {actual}",
            String::from_utf8_lossy(written)
        )));
    }
    Ok(Some(document))
}

/// The fingerprint of a run's scenario: the file's text (or the embedded
/// default's), then the settings that change the draws, then the `--set`
/// overrides. A file that cannot be read stands for itself by its name.
pub fn scenario_fingerprint(target: Option<&str>, settings: &[&str], sets: &[String]) -> String {
    let source = match target {
        None => walkaway_scenario::DEFAULT_SCENARIO.to_string(),
        Some(t) => std::fs::read_to_string(t).unwrap_or_else(|_| t.to_string()),
    };
    let mut pieces = vec![source.as_str()];
    pieces.extend(settings);
    pieces.extend(sets.iter().map(String::as_str));
    fingerprint(&pieces)
}

/// Writes one part: what run it belongs to (`kind`, `run`: everything that
/// must match for a merge), which of the run's `total` units (trajectories,
/// or cells of a sweep) it holds, and its tally.
pub fn save(
    path: &Path,
    kind: &str,
    run: Value,
    (range, total): (Range<u64>, u64),
    seconds: f64,
    tally: Value,
) -> Result<(), Failure> {
    let doc = json!({
        "format": FORMAT_TAG,
        "format_version": FORMAT_VERSION,
        "walkaway_version": env!("CARGO_PKG_VERSION"),
        "kind": kind,
        "run": run,
        "total": total,
        "range": [range.start, range.end],
        "seconds": seconds,
        "tally": tally,
    });
    let text = serde_json::to_string(&doc).map_err(|e| Failure::Internal(e.to_string()))?;
    std::fs::write(path, seal(&text))
        .map_err(|e| Failure::Input(format!("cannot write --save-tally {}: {e}", path.display())))
}

/// One part read back.
#[derive(Debug)]
pub struct Part {
    pub file: String,
    pub kind: String,
    pub run: Value,
    pub total: u64,
    pub range: Range<u64>,
    pub seconds: f64,
    pub tally: Value,
}

pub fn load(path: &Path) -> Result<Part, Failure> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| Failure::Input(format!("cannot read {file}: {e}")))?;
    let sealed = unseal(&file, &bytes)?;
    let doc: Value = serde_json::from_slice(sealed.as_deref().unwrap_or(&bytes))
        .map_err(|e| Failure::Input(format!("{file}: not a walkaway part (not JSON: {e})")))?;
    let field = |name: &str| {
        doc.get(name).ok_or_else(|| {
            Failure::Input(format!(
                "{file}: not a walkaway part (no `{name}`); parts are written by `--save-tally`"
            ))
        })
    };
    if field("format")?.as_str() != Some(FORMAT_TAG) {
        return Err(Failure::Input(format!(
            "{file}: `format` is not \"{FORMAT_TAG}\"; parts are written by `--save-tally`"
        )));
    }
    let version = field("format_version")?.as_u64();
    if version != Some(FORMAT_VERSION) {
        return Err(Failure::Input(format!(
            "{file}: `format_version` {version:?} is not supported; allowed: {FORMAT_VERSION}"
        )));
    }
    if sealed.is_none() {
        return Err(Failure::Input(format!(
            "{file}: no checksum at the start; parts are written by `--save-tally` and \
             merged as written (reformatting one changes its text)"
        )));
    }
    let walkaway = field("walkaway_version")?.as_str().unwrap_or_default();
    if walkaway != env!("CARGO_PKG_VERSION") {
        return Err(Failure::Input(format!(
            "{file}: written by walkaway {walkaway}, this is {}; merge parts with the version \
             that wrote them (the numerics may differ between versions)",
            env!("CARGO_PKG_VERSION")
        )));
    }
    let total = field("total")?
        .as_u64()
        .ok_or_else(|| Failure::Input(format!("{file}: `total` is not a whole number")))?;
    let range = field("range")?
        .as_array()
        .filter(|r| r.len() == 2)
        .and_then(|r| Some(r[0].as_u64()?..r[1].as_u64()?))
        .filter(|r| r.start <= r.end && r.end <= total)
        .ok_or_else(|| {
            Failure::Input(format!(
                "{file}: `range` is not [start, end] with start <= end <= total ({total})"
            ))
        })?;
    Ok(Part {
        total,
        kind: field("kind")?.as_str().unwrap_or_default().to_string(),
        run: field("run")?.clone(),
        seconds: field("seconds")?.as_f64().unwrap_or(0.0),
        tally: field("tally")?.clone(),
        range,
        file,
    })
}

/// Checks that the parts are of one kind and one run and cover the run's
/// `trajectories` exactly once; returns them sorted by range.
pub fn check_cover(mut parts: Vec<Part>) -> Result<Vec<Part>, Failure> {
    let Some(first) = parts.first() else {
        return Err(Failure::Input(
            "merge needs at least one part file (written by --save-tally)".into(),
        ));
    };
    for p in &parts[1..] {
        if p.kind != first.kind {
            return Err(Failure::Input(format!(
                "{} is part of a run of `{}` but {} is part of a run of `{}`; merge parts of \
                 one run",
                p.file, p.kind, first.file, first.kind
            )));
        }
        if p.run != first.run || p.total != first.total {
            let mut differing = differing_fields(&first.run, &p.run);
            if differing.is_empty() {
                differing = "`total`".into();
            }
            return Err(Failure::Input(format!(
                "{} and {} are parts of different runs (they differ in {}); merge parts \
                 written with the same scenario, settings and seed",
                first.file, p.file, differing
            )));
        }
    }
    let (total, unit) = (first.total, unit_name(&first.kind));
    parts.sort_by_key(|p| (p.range.start, p.range.end));
    let mut next = 0u64;
    for p in &parts {
        if p.range.start > next {
            return Err(Failure::Input(format!(
                "{unit} {next}..{} are in no part (a shard is missing); the run has {total} {unit}",
                p.range.start
            )));
        }
        if p.range.start < next {
            return Err(Failure::Input(format!(
                "{} overlaps an earlier part at {unit} {}..{}; each shard may be merged once",
                p.file,
                p.range.start,
                next.min(p.range.end)
            )));
        }
        next = p.range.end;
    }
    if next != total {
        return Err(Failure::Input(format!(
            "{unit} {next}..{total} are in no part (a shard is missing); the run has {total} {unit}"
        )));
    }
    Ok(parts)
}

/// What a run is cut into: the cells of a sweep, the trajectories of the rest.
fn unit_name(kind: &str) -> &'static str {
    if kind == "sweep" {
        "cells"
    } else {
        "trajectories"
    }
}

fn differing_fields(a: &Value, b: &Value) -> String {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            let names: Vec<String> = keys
                .into_iter()
                .filter(|k| a.get(*k) != b.get(*k))
                .map(|k| format!("`{k}`"))
                .collect();
            names.join(", ")
        }
        _ => "their settings".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cut_the_indices_into_equal_disjoint_slices() {
        let total = 10_007;
        let mut next = 0;
        for i in 0..16 {
            let r = Shard {
                index: i,
                count: 16,
            }
            .range(total);
            assert_eq!(r.start, next);
            assert!((625..=626).contains(&(r.end - r.start)));
            next = r.end;
        }
        assert_eq!(next, total);
    }

    #[test]
    fn bad_shards_name_the_flag_and_what_is_allowed() {
        for text in ["3", "a/4", "4/4", "0/0", "1/x", "0/20"] {
            match Shard::parse(text, 10) {
                Err(Failure::Input(m)) => {
                    assert!(m.contains("--shard") && m.contains("allowed"), "{m}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(
            Shard::parse("3/16", 100).unwrap(),
            Shard {
                index: 3,
                count: 16
            }
        );
    }

    #[test]
    fn a_sealed_part_opens_and_any_flipped_bit_is_refused() {
        let document = r#"{"format":"walkaway-shard","total":3}"#;
        let sealed = seal(document);
        assert!(sealed.starts_with(CHECKSUM_START));
        let opened = unseal("p.json", sealed.as_bytes()).unwrap().unwrap();
        assert_eq!(opened, document.as_bytes());
        assert_eq!(unseal("p.json", document.as_bytes()).unwrap(), None);
        for byte in 0..sealed.len() {
            for bit in 0..8 {
                let mut damaged = sealed.clone().into_bytes();
                damaged[byte] ^= 1 << bit;
                // Damage at the very start turns the checksum into a
                // missing one, which `load` refuses too.
                if let Ok(Some(_)) = unseal("p.json", &damaged) {
                    panic!("a flip of bit {bit} in byte {byte} went unnoticed");
                }
            }
        }
    }

    #[test]
    fn the_fingerprint_is_fixed_and_separates_pieces() {
        // FNV-1a of the empty input is its offset basis.
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }
}
