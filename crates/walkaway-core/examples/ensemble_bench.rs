//! The walkaway side of the ensemble benchmark (bench/run.sh), until the
//! `walkaway ensemble` CLI subcommand exists.
//!
//! Timed run (prints one JSON object):
//!   ensemble_bench laura-petrarch --trajectories 100000 --jitter 0.1 \
//!       --t-end 20 --rtol 1e-6 --atol 1e-9 --seed 1 [--threads 2] [--repeat 3]
//! Accuracy run on shared parameter sets (CSV with a header row):
//!   ensemble_bench laura-petrarch --params sets.csv --out finals.csv \
//!       --t-end 20 --rtol 1e-6 --atol 1e-9 [--scalar]
//! `--scalar` uses the one-trajectory `Dopri5` instead of the lane kernel
//! (the reference path, e.g. at rtol 1e-13).

use std::collections::HashMap;
use std::error::Error;
use std::time::Instant;
use walkaway_core::ensemble::{self, JitterModel};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(model_id) = args.first() else {
        return Err("usage: ensemble_bench MODEL [--option value]…".into());
    };
    let model = JitterModel::from_id(model_id)?;
    let mut opts: HashMap<String, String> = HashMap::new();
    let mut flags = Vec::new();
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        let key = a
            .strip_prefix("--")
            .ok_or_else(|| format!("expected an option starting with --, got `{a}`"))?;
        if key == "scalar" {
            flags.push(key.to_string());
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("option --{key} needs a value"))?;
        opts.insert(key.to_string(), value.clone());
    }
    let get = |k: &str, default: &str| opts.get(k).cloned().unwrap_or_else(|| default.into());
    let num = |k: &str, default: &str| -> Result<f64, Box<dyn Error>> {
        let v = get(k, default);
        v.parse::<f64>()
            .map_err(|_| format!("--{k} must be a number, got `{v}`").into())
    };
    let t_end = num("t-end", "20")?;
    let rtol = num("rtol", "1e-6")?;
    let atol = num("atol", "1e-9")?;
    if let Some(threads) = opts.get("threads") {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.parse()?)
            .build_global()?;
    }

    if let Some(path) = opts.get("params") {
        let out = opts
            .get("out")
            .ok_or("--params needs --out FILE for the final states")?;
        let params = read_csv(path)?;
        let start = Instant::now();
        let finals = if flags.iter().any(|f| f == "scalar") {
            ensemble::scalar_final_states(model, &params, t_end, rtol, atol)?
                .into_iter()
                .map(|(y, _)| y)
                .collect()
        } else {
            ensemble::final_states(model, &params, t_end, rtol, atol)?
        };
        let seconds = start.elapsed().as_secs_f64();
        let mut text = model.state_names().join(",") + "\n";
        for y in &finals {
            let row: Vec<String> = y.iter().map(|v| format!("{v:e}")).collect();
            text += &(row.join(",") + "\n");
        }
        std::fs::write(out, text)?;
        eprintln!("{} trajectories in {seconds:.3} s -> {out}", finals.len());
        return Ok(());
    }

    let trajectories: u64 = get("trajectories", "100000").parse()?;
    let jitter = num("jitter", "0.1")?;
    let seed: u64 = get("seed", "1").parse()?;
    let repeat: usize = get("repeat", "1").parse()?;
    let mut times = Vec::new();
    let mut summary = None;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let s =
            ensemble::jittered_final_mean(model, trajectories, jitter, t_end, rtol, atol, seed)?;
        times.push(start.elapsed().as_secs_f64());
        summary = Some(s);
    }
    let s = summary.expect("at least one run");
    let seconds = times.iter().copied().fold(f64::INFINITY, f64::min);
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:e}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{{\"program\": \"walkaway\", \"model\": \"{}\", \"final_mean\": [{}], \"final_sd\": [{}], \"trajectories\": {}, \
         \"steps\": {}, \"rejected\": {}, \"rhs_calls\": {}, \"seconds\": {seconds}, \
         \"all_seconds\": [{}], \"threads\": {}, \"lanes\": {}}}",
        model.id(),
        list(&s.final_mean),
        list(&s.final_sd),
        s.trajectories,
        s.steps,
        s.rejected,
        s.rhs_calls,
        list(&times),
        rayon::current_num_threads(),
        ensemble::LANES,
    );
    Ok(())
}

fn read_csv(path: &str) -> Result<Vec<Vec<f64>>, Box<dyn Error>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read parameters {path}: {e}"))?;
    let mut rows = Vec::new();
    for (line_no, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let row = line
            .split(',')
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("{path}:{}: `{v}` is not a number", line_no + 1).into())
            })
            .collect::<Result<Vec<f64>, Box<dyn Error>>>()?;
        rows.push(row);
    }
    Ok(rows)
}
