//! `walkaway journal FILE.csv`: the separation journal. What your partner
//! actually did, day by day, updates the model's picture of them (a
//! particle filter, docs/journal.md) and the forecast that follows.

use std::fmt::Write;

use walkaway_core::journal::{
    Analysis, AnalysisOptions, FilterOptions, MISFIT_MESSAGE, SAFETY_NOTICE, analyse,
    filter::{MAX_MOVES, MAX_PARTICLES},
    journal_days, journal_json, parse_csv,
};
use walkaway_core::models::walkaway::INFO;

use crate::common::{Failure, Format, emit, load_walkaway_scenario, refuse_csv};
use crate::output::{self, NOT_A_PROPHECY};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The journal: a CSV file with a header (day or date, contacts,
    /// request, met_someone, you_contacted, mood, note; docs/journal.md).
    #[arg(value_name = "FILE.csv")]
    file: String,
    /// A scenario file of the walkaway model (default: the embedded scenarios/default.toml).
    #[arg(long, value_name = "FILE")]
    scenario: Option<String>,
    /// Particles of the filter.
    #[arg(long, default_value_t = 2000)]
    particles: usize,
    /// Metropolis–Hastings steps per particle after each resampling.
    #[arg(long, default_value_t = 5)]
    moves: usize,
    /// Simulated futures of each forecast (after and before the journal); 0 for none.
    #[arg(long, default_value_t = 2000)]
    trajectories: u64,
    /// Seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// table or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn check_args(args: &Args) -> Result<(), Failure> {
    if args.particles < 2 || args.particles > MAX_PARTICLES {
        return Err(Failure::Input(format!(
            "--particles {} is not allowed: from 2 to {MAX_PARTICLES}",
            args.particles
        )));
    }
    if args.moves > MAX_MOVES {
        return Err(Failure::Input(format!(
            "--moves {} is not allowed: from 0 to {MAX_MOVES}",
            args.moves
        )));
    }
    if args.trajectories > 1_000_000 {
        return Err(Failure::Input(format!(
            "--trajectories {} is not allowed: from 0 to 1000000",
            args.trajectories
        )));
    }
    Ok(())
}

pub fn run(args: &Args) -> Result<(), Failure> {
    refuse_csv(args.format, "`walkaway journal`")?;
    check_args(args)?;
    let scenario = load_walkaway_scenario(args.scenario.as_deref(), &[], "journals")?;
    let start = scenario.population.base[INFO.param_index("separation.start").expect("parameter")];
    let days = journal_days(&scenario.run, start);
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::Input(format!("cannot read the journal {}: {e}", args.file)))?;
    let journal =
        parse_csv(&text, days).map_err(|e| Failure::Input(format!("{}: {e}", args.file)))?;
    let opts = AnalysisOptions {
        filter: FilterOptions {
            particles: args.particles,
            seed: args.seed.unwrap_or(scenario.run.seed),
            moves: args.moves,
            ess_threshold: 0.5,
        },
        trajectories: args.trajectories,
    };
    let started = std::time::Instant::now();
    let a = analyse(&scenario.population, &scenario.run, &journal.entries, &opts)?;
    let seconds = started.elapsed().as_secs_f64();
    let text = match args.format {
        Format::Json => {
            let mut v = journal_json(&a.report, a.forecast.as_ref(), a.prior_forecast.as_ref());
            v["seconds"] = serde_json::json!(seconds);
            v["caveat"] = serde_json::json!(NOT_A_PROPHECY);
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        _ => table(&a, seconds),
    };
    emit(&text, None)
}

fn pct(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

fn table(a: &Analysis, seconds: f64) -> String {
    let r = &a.report;
    let d = &r.diagnostics;
    let mut s = String::new();
    if let Some(w) = &r.warning {
        let _ = writeln!(s, "Warning sign: {}\n", w.message);
        for p in SAFETY_NOTICE {
            let _ = writeln!(s, "  {p}");
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(
        s,
        "Your journal: {} entries over {} days since you left.",
        r.entries, r.days
    );
    if a.assumed_separation {
        let _ = writeln!(
            s,
            "The scenario's plan was to stay; the journal is read as a separation from day 0 with no contact."
        );
    }
    if !d.fit.fits {
        let _ = writeln!(s, "\n{MISFIT_MESSAGE}");
        if let Some((day, count, tail)) = d.fit.worst {
            let _ = writeln!(
                s,
                "  (day {day}: {count} calls and messages; the model gave a count this far out a chance of {tail:.1e})"
            );
        }
    }
    let _ = writeln!(
        s,
        "\nWhat the behaviour says about your partner     before the journal (50% / 90% range)   after it"
    );
    for t in &r.traits {
        let range = |i: &walkaway_core::journal::Interval| {
            format!(
                "{:.2} ({:.2}–{:.2} / {:.2}–{:.2})",
                i.q50, i.q25, i.q75, i.q05, i.q95
            )
        };
        let _ = writeln!(
            s,
            "  {:45} {:38} {}",
            t.which.label(),
            range(&t.prior),
            range(&t.posterior)
        );
    }
    match r.request_next_days {
        Some(p) => {
            let _ = writeln!(
                s,
                "\nChance your partner asks to get back together in the next 30 days: {}",
                pct(p)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "\nYou are back together: the journal of this separation ends there."
            );
        }
    }
    let _ = writeln!(
        s,
        "Chance your partner is with someone new now: {} (before the journal: {})",
        pct(r.met_someone),
        pct(r.met_someone_prior)
    );
    let _ = writeln!(
        s,
        "Share of your partner's expected contact that the model puts down to jealousy: {}",
        pct(r.jealous_share)
    );
    let _ = writeln!(
        s,
        "\nFilter: {} particles, effective sample size {:.0} at the end (lowest {:.0}), {} resamplings, {:.0}% of moves accepted.",
        d.particles,
        d.ess_final,
        d.ess_min,
        d.resamples,
        100.0 * d.acceptance.max(0.0)
    );
    if let (Some(f), Some(prior)) = (&a.forecast, &a.prior_forecast) {
        let _ = writeln!(
            s,
            "\nThe forecast before the journal and after it (same strategies, same outcomes):"
        );
        for (o, p) in f.yours.outcomes.iter().zip(&prior.yours.outcomes) {
            let _ = writeln!(
                s,
                "  {:60} {:>5} → {:>5}",
                o.label(),
                pct(p.p.probability),
                pct(o.p.probability)
            );
        }
        let _ = writeln!(s, "\nThe forecast after the journal in full:\n");
        s.push_str(&output::forecast_table(f, seconds));
    } else {
        let _ = writeln!(s, "\n{NOT_A_PROPHECY}");
    }
    s
}
