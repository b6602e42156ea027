//! The separation journal: what your partner actually does, day by day,
//! updates what the model believes about them (docs/journal.md).
//!
//! [`entries`] is what a person records and its checks, [`csv`] the file
//! form, [`dynamics`] your partner's side of the model while apart, run day
//! by day, [`observe`] how likely an entry is given the model's day,
//! [`unknowns`] what is inferred, [`filter`] the particle filter
//! (resample-move) and [`report`] what it tells you. Pure numerics: no I/O.

pub mod csv;
pub mod dynamics;
pub mod entries;
pub mod filter;
pub mod lanes;
pub mod observe;
pub mod report;
pub mod simulate;
#[cfg(test)]
mod tests;
pub mod unknowns;

pub use csv::{COLUMNS, ParsedJournal, parse_csv, to_csv};
pub use entries::*;
pub use filter::{Diagnostics, FilterOptions, FitCheck, Posterior, run_filter};
pub use report::{
    Interval, JournalReport, ParticleSampler, PossessiveWarning, SAFETY_NOTICE, Trait,
    TraitSummary, report,
};
pub use unknowns::Unknowns;

use crate::model::RunOptions;

/// Days of a journal for a forecast with run options `run` and a
/// separation starting on `separation_start`: from the day you left up to
/// (not including) the horizon.
pub fn journal_days(run: &RunOptions, separation_start: f64) -> u32 {
    (run.t_end - separation_start.max(run.t0))
        .clamp(0.0, 100_000.0)
        .ceil() as u32
}

#[cfg(feature = "json")]
mod json;
#[cfg(feature = "json")]
pub use json::{MISFIT_MESSAGE, journal_json};

/// What a journal's analysis runs besides the filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisOptions {
    pub filter: FilterOptions,
    /// Simulated futures of each forecast (before and after the journal);
    /// 0 for none.
    pub trajectories: u64,
}

/// A journal's analysis: the report and the forecasts from the posterior
/// and, on the same footing, from the prior particles.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub report: JournalReport,
    /// The scenario's plan was to stay, so the journal was read as a
    /// separation from day 0 with no contact (see [`separation_population`]).
    pub assumed_separation: bool,
    pub forecast: Option<crate::forecast::Forecast>,
    pub prior_forecast: Option<crate::forecast::Forecast>,
}

/// Runs the filter over checked entries and the forecasts from its
/// particles, with the forecast machinery: the same outcomes, intervals and
/// strategies as the forecast page. Rates are inside the particles, so the
/// forecasts draw no further plausible models.
pub fn analyse(
    population: &crate::population::Population,
    run: &RunOptions,
    entries: &[Entry],
    opts: &AnalysisOptions,
) -> Result<Analysis, crate::ModelError> {
    let mut population = population.clone();
    let assumed_separation = separation_population(&mut population, run.t_end);
    let population = &population;
    let unknowns = Unknowns::new(population);
    let posterior = run_filter(&unknowns, entries, &opts.filter);
    let r = report(&unknowns, entries, &posterior);
    let (forecast, prior_forecast) = if opts.trajectories == 0 {
        (None, None)
    } else {
        let fo = crate::forecast::ForecastOptions {
            trajectories: opts.trajectories,
            seed: opts.filter.seed,
            run: *run,
            strategies: crate::forecast::standard_strategies(run.t_end, 0.5),
            attribution: false,
            series: true,
            model_draws: 0,
        };
        let post = ParticleSampler::posterior(&unknowns, &posterior, opts.filter.seed);
        let prior = ParticleSampler::prior(&unknowns, &posterior);
        (
            Some(crate::forecast::forecast(&post, &fo)?),
            Some(crate::forecast::forecast(&prior, &fo)?),
        )
    };
    Ok(Analysis {
        report: r,
        assumed_separation,
        forecast,
        prior_forecast,
    })
}

/// A journal records a separation. When the scenario's plan is to stay (no
/// separation), the journal is read as the separation it records: from day
/// 0, with no contact and no planned return, so that the forecast after it
/// is the forecast of the separation you are in. Returns whether the plan
/// was changed.
pub fn separation_population(population: &mut crate::population::Population, horizon: f64) -> bool {
    let index = |name: &str| {
        crate::models::walkaway::INFO
            .param_index(name)
            .expect("walkaway parameter")
    };
    let length = index("separation.length");
    let spread = population.spreads.iter().any(|(i, _)| *i == length);
    if spread || population.base[length] > 0.0 {
        return false;
    }
    population.fix(index("separation.start"), 0.0);
    population.fix(length, horizon);
    population.fix(index("separation.contact"), 0.0);
    population.fix(index("separation.after"), 0.0);
    true
}
