//! Prints one default walkaway trajectory week by week (a quick look at the
//! model while tuning; the CLI's default command prints the same table).
use walkaway_core::{RunOptions, find};

fn main() {
    let model = find("walkaway").expect("walkaway model");
    let info = model.info();
    let mut params = info.default_params();
    let mut run = RunOptions::for_model(info);
    for arg in std::env::args().skip(1) {
        let (k, v) = arg.split_once('=').expect("NAME=VALUE");
        if k == "t_end" {
            run.t_end = v.parse().expect("a number");
            continue;
        }
        info.set_param_text(&mut params, k, v)
            .expect("valid parameter");
    }
    let y0 = model.initial_state(&params);
    let t = model.simulate(&params, &y0, &run).expect("run");
    println!(
        "{:>5} {}",
        "day",
        t.columns
            .iter()
            .map(|c| format!("{:>9.9}", c))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (i, row) in t.rows.iter().enumerate() {
        if i % 7 == 0 || i + 1 == t.rows.len() {
            println!(
                "{:>5} {}",
                t.times[i],
                row.iter()
                    .map(|v| format!("{v:>9.3}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    }
    for e in &t.events {
        println!("day {:7.2}: {} — {}", e.t, e.kind, e.detail);
    }
    println!(
        "outcome: {:?}; steps {} rhs {}",
        t.outcome, t.stats.steps, t.stats.rhs_calls
    );
}
