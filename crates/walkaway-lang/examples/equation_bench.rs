//! The bench/ ensemble (Laura–Petrarch, 100,000 trajectories, 20 years,
//! jitter 0.1, rtol 1e-6, atol 1e-9, seed 1) with the compiled catalog
//! model and with examples/models/laura-petrarch.toml, side by side in one
//! process, alternating so both see the same machine load
//! (docs/performance.md, "Equation files"):
//!
//!   cargo run --release -p walkaway-lang --example equation_bench [-- TRAJECTORIES REPEATS]

use std::time::Instant;

use walkaway_core::ensemble::{JitterModel, jittered_final_mean};
use walkaway_lang::{Format, load};

const FILE: &str = include_str!("../../../examples/models/laura-petrarch.toml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let trajectories: u64 = args.first().map_or(Ok(100_000), |a| a.parse())?;
    let repeats: usize = args.get(1).map_or(Ok(3), |a| a.parse())?;
    let file_model = JitterModel::equations(load(FILE, "laura-petrarch.toml", Format::Toml)?)?;
    let mut best = [f64::INFINITY; 2];
    let mut means = [Vec::new(), Vec::new()];
    for _ in 0..repeats {
        for (k, model) in [JitterModel::LauraPetrarch, file_model]
            .into_iter()
            .enumerate()
        {
            let start = Instant::now();
            let s = jittered_final_mean(model, trajectories, 0.1, 20.0, 1e-6, 1e-9, 1)?;
            best[k] = best[k].min(start.elapsed().as_secs_f64());
            means[k] = s.final_mean;
        }
    }
    println!(
        "{{\"trajectories\": {trajectories}, \"threads\": {}, \"compiled_seconds\": {:.3}, \"file_seconds\": {:.3}, \"ratio\": {:.2}, \"same_mean\": {}, \"mean\": {:?}}}",
        rayon::current_num_threads(),
        best[0],
        best[1],
        best[1] / best[0],
        means[0] == means[1],
        means[1]
    );
    Ok(())
}
