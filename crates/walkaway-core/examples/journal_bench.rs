//! The walkaway side of the journal benchmark (bench/journal/run.sh,
//! docs/performance.md): the particle filter of walkaway-core on the
//! benchmark problem, against the `particles` library's IBIS on the same
//! problem (bench/journal/ibis_particles.py).
//!
//! The problem: the walkaway model's default parameters, six traits with
//! uniform priors (satisfaction 0.2–0.9; investment, alternatives,
//! attachment anxiety, possessiveness and social life 0–1), the rates
//! known, and the four chance draws of a separation.
//!
//!   journal_bench spec OUT.json            the problem for the Python side
//!   journal_bench simulate DAYS SEED OUT.csv   a journal written by the model
//!   journal_bench filter JOURNAL.csv N SEED REPEAT [MOVES]   posterior means, seconds
//!   journal_bench trace DAYS U1 … U10   one particle's days (for model.py's check)
//!
//! `trace` takes the particle as ten uniforms in (0, 1), the six traits' then
//! the four draws' (model.py's coordinates), and prints each day's expected
//! contact attempts, bid and "with someone new" with every bid declined.

use std::error::Error;
use std::time::Instant;

use walkaway_core::distribution::Distribution;
use walkaway_core::journal::dynamics::PartnerModel;
use walkaway_core::journal::unknowns::logit;
use walkaway_core::journal::{
    FilterOptions, Trait, Unknowns, parse_csv, run_filter, simulate::simulate_journal, to_csv,
};
use walkaway_core::models::walkaway::{INFO, Params};
use walkaway_core::population::Population;
use walkaway_core::rng::Stream;

const TRAITS: [(&str, f64, f64); 6] = [
    ("partner.satisfaction", 0.2, 0.9),
    ("partner.investment", 0.0, 1.0),
    ("partner.alternatives", 0.0, 1.0),
    ("partner.attachment_anxiety", 0.0, 1.0),
    ("partner.possessiveness", 0.0, 1.0),
    ("partner.social", 0.0, 1.0),
];

fn population() -> Population {
    let mut p = Population::fixed(&INFO);
    for (name, min, max) in TRAITS {
        p.spread(
            INFO.param_index(name).expect("walkaway parameter"),
            Distribution::Uniform { min, max },
        );
    }
    p
}

fn spec() -> String {
    let base = population().base;
    let params: Vec<String> = INFO
        .params
        .iter()
        .zip(&base)
        .map(|(s, v)| format!("\"{}\": {v:?}", s.name))
        .collect();
    let traits: Vec<String> = TRAITS
        .iter()
        .map(|(n, lo, hi)| format!("{{\"name\": \"{n}\", \"min\": {lo:?}, \"max\": {hi:?}}}"))
        .collect();
    format!(
        "{{\"params\": {{{}}}, \"traits\": [{}]}}\n",
        params.join(", "),
        traits.join(", ")
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> Result<&str, Box<dyn Error>> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| "usage: journal_bench spec|simulate|filter …".into())
    };
    let unknowns = Unknowns::traits_only(&population());
    match arg(0)? {
        "spec" => std::fs::write(arg(1)?, spec())?,
        "simulate" => {
            let days: u32 = arg(1)?.parse()?;
            let seed: u64 = arg(2)?.parse()?;
            let mut s = Stream::with_purpose_code(seed, 0, 400);
            let mut z = vec![0.0; unknowns.dim()];
            unknowns.sample(&mut s, &mut z);
            let entries = simulate_journal(&unknowns, &z, days, &mut s);
            std::fs::write(arg(3)?, to_csv(&entries, None))?;
            let values = unknowns.params(&z);
            let mut truth: Vec<String> = TRAITS
                .iter()
                .map(|(name, _, _)| {
                    let i = INFO.param_index(name).expect("walkaway parameter");
                    format!("\"{name}\": {:.4}", values[i])
                })
                .collect();
            let commitment = Trait::Commitment.value(&Params::from_slice(&values));
            truth.push(format!("\"commitment\": {commitment:.4}"));
            println!("{{{}}}", truth.join(", "));
        }
        "filter" => {
            let text = std::fs::read_to_string(arg(1)?)?;
            let journal = parse_csv(&text, 180)?;
            let particles: usize = arg(2)?.parse()?;
            let seed: u64 = arg(3)?.parse()?;
            let repeat: usize = arg(4)?.parse()?;
            // Metropolis–Hastings steps per resampling (5, the default of
            // the filter and of ibis_particles.py); 0 times the filter
            // without its moves.
            let moves: usize = args.get(5).map_or(Ok(5), |m| m.parse())?;
            let opts = FilterOptions {
                particles,
                seed,
                moves,
                ess_threshold: 0.5,
            };
            let mut seconds = Vec::new();
            let mut post = None;
            for _ in 0..repeat.max(1) {
                let started = Instant::now();
                post = Some(run_filter(&unknowns, &journal.entries, &opts));
                seconds.push(started.elapsed().as_secs_f64());
            }
            let post = post.expect("at least one run");
            let d = post.dim;
            let values: Vec<Vec<f64>> = post.z.chunks(d).map(|z| unknowns.params(z)).collect();
            let w = &post.weights;
            let moment = |f: &dyn Fn(&[f64]) -> f64| {
                let mean: f64 = values.iter().zip(w).map(|(p, wi)| wi * f(p)).sum();
                let var: f64 = values
                    .iter()
                    .zip(w)
                    .map(|(p, wi)| wi * (f(p) - mean).powi(2))
                    .sum();
                (mean, var.sqrt())
            };
            let mut means = Vec::new();
            let mut sds = Vec::new();
            for (name, _, _) in TRAITS {
                let i = INFO.param_index(name).expect("walkaway parameter");
                let (m, s) = moment(&|p: &[f64]| p[i]);
                means.push(format!("\"{name}\": {m}"));
                sds.push(format!("\"{name}\": {s}"));
            }
            let (m, s) = moment(&|p: &[f64]| Trait::Commitment.value(&Params::from_slice(p)));
            means.push(format!("\"commitment\": {m}"));
            sds.push(format!("\"commitment\": {s}"));
            seconds.sort_by(f64::total_cmp);
            println!(
                "{{\"implementation\": \"walkaway-core\", \"particles\": {particles}, \"seed\": {seed}, \"seconds\": {}, \"seconds_all\": {:?}, \"ess_final\": {}, \"resamples\": {}, \"acceptance\": {}, \"means\": {{{}}}, \"sds\": {{{}}}}}",
                seconds[seconds.len() / 2],
                seconds,
                post.diagnostics.ess_final,
                post.diagnostics.resamples,
                post.diagnostics.acceptance,
                means.join(", "),
                sds.join(", ")
            );
        }
        "trace" => {
            let days: u32 = arg(1)?.parse()?;
            let z = (0..unknowns.dim())
                .map(|i| {
                    let u: f64 = arg(2 + i)?.parse()?;
                    if !(u > 0.0 && u < 1.0) {
                        return Err(format!("uniform {}: `{u}` is not allowed; allowed: a number strictly between 0 and 1", i + 1).into());
                    }
                    Ok(logit(u))
                })
                .collect::<Result<Vec<f64>, Box<dyn Error>>>()?;
            let mut model = PartnerModel::new(Params::from_slice(&unknowns.params(&z)));
            let draws = unknowns.draws(&z);
            let mut state = model.start(&draws);
            let (mut contacts, mut bids, mut new) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..days {
                let out = model.step_day(&mut state, &draws, false);
                contacts.push(format!("{:?}", out.expected_contacts));
                bids.push(out.bid.to_string());
                new.push(out.with_new_partner.to_string());
            }
            println!(
                "{{\"expected_contacts\": [{}], \"bid\": [{}], \"with_new_partner\": [{}]}}",
                contacts.join(", "),
                bids.join(", "),
                new.join(", ")
            );
        }
        other => {
            return Err(
                format!("unknown command `{other}`: spec, simulate, filter or trace").into(),
            );
        }
    }
    Ok(())
}
