//! Text, CSV and JSON renderings of models, trajectories and forecasts.

use std::fmt::Write;

use serde_json::{Value, json};
use walkaway_core::ensemble::EnsembleSummary;
use walkaway_core::forecast::{Forecast, PairedDifference, Proportion};
use walkaway_core::models::walkaway::OUTCOME_NEUTRAL_MECHANISMS;
use walkaway_core::{ModelInfo, ParamKind, Trajectory, catalog};

use crate::common::Format;

pub const NOT_A_PROPHECY: &str = "This is a model, not a prophecy: it shows what follows from stated assumptions (docs/model.md), not what your partner will do. If you are afraid of your partner, put your safety first and talk to local domestic-violence services or emergency services.";

pub fn models(as_json: bool) -> String {
    let all = catalog();
    if as_json {
        let list: Vec<Value> = all
            .iter()
            .map(|m| {
                let i = m.info();
                json!({
                    "id": i.id,
                    "title": i.title,
                    "description": i.description,
                    "citation": i.citation,
                    "time_unit": i.time_unit,
                    "time": format!("{:?}", i.time).to_lowercase(),
                    "default_t_end": i.default_t_end,
                    "states": i.states.iter().map(|s| json!({"name": s.name, "unit": s.unit, "default": s.default, "description": s.description})).collect::<Vec<_>>(),
                    "params": i.params.iter().map(|p| {
                        let mut v = json!({"name": p.name, "symbol": p.symbol, "unit": p.unit, "default": p.show(p.default), "min": p.min, "max": p.max, "description": p.description});
                        v["kind"] = match p.kind {
                            ParamKind::Real => json!("real"),
                            ParamKind::Flag => json!("flag"),
                            ParamKind::Choice(o) => json!({"choice": o}),
                        };
                        v
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
        return serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
    }
    let mut s = String::new();
    for m in all {
        let i = m.info();
        let _ = writeln!(s, "{} — {}", i.id, i.description);
        let _ = writeln!(
            s,
            "  states ({}): {}",
            i.time_unit,
            i.states
                .iter()
                .map(|x| format!("{} [{}]", x.name, x.unit))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(s, "  parameters:");
        for p in i.params {
            let _ = writeln!(
                s,
                "    {:38} = {:<10} {:24} {}",
                p.name,
                p.show(p.default),
                p.unit,
                p.allowed()
            );
        }
        let _ = writeln!(s, "  citation: {}\n", i.citation);
    }
    s
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 1e4 || (v != 0.0 && v.abs() < 1e-3) {
        format!("{v:.4e}")
    } else {
        format!("{v:.4}")
    }
}

pub fn table(t: &Trajectory) -> String {
    let mut s = String::new();
    let _ = write!(s, "{:>10}", "t");
    for c in &t.columns {
        let _ = write!(s, " {:>14.14}", c);
    }
    s.push('\n');
    for (time, row) in t.times.iter().zip(&t.rows) {
        let _ = write!(s, "{:>10}", fmt_num(*time));
        for v in row {
            let _ = write!(s, " {:>14}", fmt_num(*v));
        }
        s.push('\n');
    }
    for e in &t.events {
        let _ = writeln!(s, "event at t = {:.3}: {} — {}", e.t, e.kind, e.detail);
    }
    if let Some(o) = &t.outcome {
        let _ = writeln!(s, "outcome: {o}");
    }
    s
}

pub fn csv(t: &Trajectory) -> String {
    let mut s = String::from("t");
    for c in &t.columns {
        s.push(',');
        s.push_str(c);
    }
    s.push('\n');
    for (time, row) in t.times.iter().zip(&t.rows) {
        let _ = write!(s, "{time}");
        for v in row {
            let _ = write!(s, ",{v}");
        }
        s.push('\n');
    }
    s
}

pub fn trajectory_json(t: &Trajectory) -> String {
    let v = json!({
        "model": t.model,
        "columns": t.columns,
        "times": t.times,
        "rows": t.rows,
        "events": t.events.iter().map(|e| json!({"t": e.t, "kind": e.kind, "detail": e.detail})).collect::<Vec<_>>(),
        "outcome": t.outcome,
        "stats": {"steps": t.stats.steps, "rejected": t.stats.rejected, "rhs_calls": t.stats.rhs_calls},
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// Columns the story shows when a trajectory has them, in this order, with
/// their headings: the partner's feelings first, then yours.
const STORY_COLUMNS: &[(&str, &str)] = &[
    ("love", "love"),
    ("wanting", "wanting"),
    ("loneliness", "loneliness"),
    ("jealousy", "jealousy"),
    ("negativity", "negativity"),
    ("your_love", "your love"),
];

/// Columns that count what happened since the previous output row; the
/// story adds them up over each printed period instead of sampling them.
const COUNT_COLUMNS: &[(&str, &str)] = &[("contact_attempts", "contacts")];

/// A 0/1 column shown as yes/no.
const FLAG_COLUMNS: &[(&str, &str)] = &[("together", "together?")];

/// Most columns the story shows for a model it knows nothing about.
const GENERIC_COLUMNS: usize = 6;

/// Rows between the start and the end a generic story aims for.
const GENERIC_ROWS: f64 = 26.0;

/// One run told period by period: weeks for models in days, otherwise about
/// two dozen evenly spaced rows. The columns come from the trajectory: the
/// known headline columns when present (the walkaway model), else the first
/// few. Then the events, the outcome, and what the numbers are not.
pub fn story(t: &Trajectory, info: &ModelInfo, title: Option<&str>) -> String {
    let mut s = String::new();
    let in_days = info.time_unit == "days";
    let horizon = t.times.last().copied().unwrap_or(0.0);
    let when = |time: f64| match (in_days, (time - time.round()).abs() < 1e-9) {
        (true, true) => format!("day {:.0}", time.round()),
        (true, false) => format!("day {time:.1}"),
        (false, _) => format!("t = {}", fmt_time(time)),
    };
    let _ = writeln!(
        s,
        "{}: one run of the {} model to {}\n",
        title.unwrap_or(info.title),
        info.id,
        when(horizon)
    );

    let find = |name: &str| t.columns.iter().position(|c| c == name);
    let mut values: Vec<(usize, String)> = STORY_COLUMNS
        .iter()
        .filter_map(|(name, head)| find(name).map(|i| (i, head.to_string())))
        .collect();
    let counts: Vec<(usize, String)> = COUNT_COLUMNS
        .iter()
        .filter_map(|(name, head)| find(name).map(|i| (i, head.to_string())))
        .collect();
    let flags: Vec<(usize, String)> = FLAG_COLUMNS
        .iter()
        .filter_map(|(name, head)| find(name).map(|i| (i, head.to_string())))
        .collect();
    if values.is_empty() {
        values = t
            .columns
            .iter()
            .enumerate()
            .take(GENERIC_COLUMNS)
            .map(|(i, c)| (i, c.clone()))
            .collect();
    }

    // The printing period: a week in days; otherwise a round step giving
    // about GENERIC_ROWS rows.
    let start = t.times.first().copied().unwrap_or(0.0);
    let period = if in_days {
        7.0
    } else {
        round_step((horizon - start) / GENERIC_ROWS)
    };
    let width = |head: &str| head.chars().count().max(8);

    if in_days {
        let _ = write!(s, "{:>5} {:>6}", "week", "day");
    } else {
        let _ = write!(s, "{:>10}", "t");
    }
    for (_, head) in values.iter().chain(&counts).chain(&flags) {
        let _ = write!(s, "  {:>w$}", head, w = width(head));
    }
    s.push('\n');

    let mut sums = vec![0.0; counts.len()];
    let mut next_mark = start + period;
    for (k, (time, row)) in t.times.iter().zip(&t.rows).enumerate() {
        for (sum, (i, _)) in sums.iter_mut().zip(&counts) {
            if k > 0 {
                *sum += row[*i];
            }
        }
        let last = k + 1 == t.rows.len();
        // A small tolerance so 7.000000001 and 6.999999999 both count as day 7.
        let at_mark = *time >= next_mark - 1e-9 * period.max(1.0);
        if !(k == 0 || at_mark || last) {
            continue;
        }
        if at_mark {
            next_mark = start + period * (((*time - start) / period + 1e-9).floor() + 1.0);
        }
        if in_days {
            let week = ((*time - start) / 7.0).ceil();
            let _ = write!(s, "{:>5} {:>6}", format!("{week:.0}"), fmt_time(*time));
        } else {
            let _ = write!(s, "{:>10}", fmt_time(*time));
        }
        for (i, head) in &values {
            let _ = write!(s, "  {:>w$}", fmt_cell(row[*i]), w = width(head));
        }
        for (sum, (_, head)) in sums.iter_mut().zip(&counts) {
            let cell = if k == 0 {
                "-".to_string()
            } else {
                format!("{sum:.0}")
            };
            let _ = write!(s, "  {:>w$}", cell, w = width(head));
            *sum = 0.0;
        }
        for (i, head) in &flags {
            let cell = if row[*i] > 0.5 { "yes" } else { "no" };
            let _ = write!(s, "  {:>w$}", cell, w = width(head));
        }
        s.push('\n');
    }
    if !counts.is_empty() {
        let _ = writeln!(
            s,
            "({} are added up since the previous row.)",
            counts
                .iter()
                .map(|(_, h)| h.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    if t.events.is_empty() {
        let _ = writeln!(s, "\nNo events.");
    } else {
        let _ = writeln!(s, "\nEvents:");
        for e in &t.events {
            let _ = writeln!(s, "  {:>12}: {}", when(e.t), e.detail);
        }
    }
    if let Some(o) = &t.outcome {
        let _ = writeln!(s, "\nOutcome on {}: {o}.", when(horizon));
    }
    if info.id == "walkaway" {
        let _ = writeln!(
            s,
            "\nOne run is one possible story. For probabilities over what you cannot know, run `walkaway forecast`."
        );
    }
    let _ = writeln!(s, "{NOT_A_PROPHECY}");
    s
}

/// A time as a person writes it: whole numbers without decimals.
fn fmt_time(t: f64) -> String {
    if (t - t.round()).abs() < 1e-9 {
        format!("{:.0}", t.round())
    } else {
        fmt_num(t)
    }
}

/// A cell of the week-by-week story. Values below 1e-6 in size are shown as
/// zero: they are below what the solver resolves at the scenario's
/// tolerances (atol 1e-7), and a "−1.7e-9" for loneliness would only confuse.
fn fmt_cell(v: f64) -> String {
    if v.abs() < 1e-6 {
        return "0.000".into();
    }
    if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `x`.
fn round_step(x: f64) -> f64 {
    if !(x > 0.0) || !x.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|step| *step >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

fn pct(p: f64) -> String {
    format!("{:5.1}%", 100.0 * p)
}

fn prop(p: &Proportion) -> String {
    format!(
        "{} ({}–{})",
        pct(p.probability),
        pct(p.ci_low).trim(),
        pct(p.ci_high).trim()
    )
}

fn diff(d: &PairedDifference) -> String {
    format!(
        "{:+.1} pts ({:+.1} to {:+.1})",
        100.0 * d.difference,
        100.0 * d.ci_low,
        100.0 * d.ci_high
    )
}

fn model_range(o: &walkaway_core::forecast::OutcomeProbability) -> String {
    o.model_range.map_or(String::new(), |r| {
        format!("{}–{}", pct(r.low).trim(), pct(r.high).trim())
    })
}

pub fn forecast_table(f: &Forecast, seconds: f64) -> String {
    use walkaway_core::forecast::{TOGETHER, indicator_label};
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Forecast: {} simulated futures over {:.0} days (seed {}).\n",
        f.trajectories,
        f.days.last().copied().unwrap_or(0.0),
        f.seed
    );
    let models = f.model_draws > 0;
    let _ = writeln!(
        s,
        "Where things stand at the horizon                              probability (95% MC interval){}",
        if models {
            "   across plausible models (5–95%)"
        } else {
            ""
        }
    );
    for o in f.yours.outcomes.iter().chain([&f.yours.together]) {
        let _ = writeln!(s, "  {:60} {:26} {}", o.label(), prop(&o.p), model_range(o));
    }
    let _ = writeln!(
        s,
        "\nWho did what, by the horizon                                    probability         median day"
    );
    for e in &f.yours.events {
        let _ = writeln!(
            s,
            "  {:60} {}  {}",
            e.event.label(),
            prop(&e.p),
            e.median_day.map_or("-".into(), |d| format!("{d:.0}"))
        );
    }
    let _ = writeln!(
        s,
        "\nEpisodes: {:.2} separations and {:.2} reunions per simulated future.",
        f.yours.separations_per_run, f.yours.reunions_per_run
    );
    for a in &f.yours.after_reunion {
        let _ = writeln!(
            s,
            "  separated again within {:.0} days of getting back together: {}",
            a.days,
            prop(&a.p)
        );
    }
    let together = indicator_label(TOGETHER);
    if let Some(stay) = &f.staying {
        let _ = writeln!(
            s,
            "\nCompared with staying (same simulated partners): {together}"
        );
        let _ = writeln!(
            s,
            "  {:48} {}   (the comparison)",
            "stay",
            prop(&stay.together.p)
        );
        let _ = writeln!(s, "  {:48} {}", "your plan", prop(&f.yours.together.p));
        for st in &f.strategies {
            let _ = writeln!(s, "  {:48} {}", st.label, prop(&st.together.p));
        }
    } else if !f.strategies.is_empty() {
        let _ = writeln!(s, "\nOther ways (same simulated partners): {together}");
        for st in &f.strategies {
            let _ = writeln!(s, "  {:48} {}", st.label, prop(&st.together.p));
        }
    }
    for flip in &f.order_flips {
        let _ = writeln!(
            s,
            "  note: how {} compares with staying on \"{}\" reverses in {:.0}% of plausible models",
            flip.strategy,
            indicator_label(flip.indicator),
            100.0 * flip.share
        );
    }
    if !f.attribution.is_empty() {
        let _ = writeln!(
            s,
            "\nWhat drives it: change in \"{together}\" with one mechanism switched off"
        );
        for m in &f.attribution {
            if let Some((_, d)) = m.changes.iter().find(|(i, _)| *i == TOGETHER) {
                let note = if OUTCOME_NEUTRAL_MECHANISMS.contains(&m.mechanism) {
                    "  (moves only contact attempts, never the outcome)"
                } else {
                    ""
                };
                let _ = writeln!(s, "  {:62} {}{note}", m.title, diff(d));
            }
        }
        let _ = writeln!(s, "\n{}", f.drivers);
    }
    if models {
        let _ = writeln!(
            s,
            "\nTwo kinds of uncertainty: the 95% interval is Monte Carlo error only; the range across {} plausible models shows what the model's assumed rates leave open (docs/model.md §6).",
            f.model_draws
        );
    }
    let _ = writeln!(
        s,
        "\n({} steps in {seconds:.2} s; {} failed runs)",
        f.steps, f.failures
    );
    let _ = writeln!(s, "{NOT_A_PROPHECY}");
    s
}

pub fn forecast_json(f: &Forecast, seconds: f64) -> String {
    let mut v = walkaway_core::forecast::to_json(f);
    v["seconds"] = json!(seconds);
    v["caveat"] = json!(NOT_A_PROPHECY);
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// An ensemble summary (of one run or of merged parts) in `format`.
pub fn ensemble(summary: &EnsembleSummary, seconds: f64, threads: usize, format: Format) -> String {
    match format {
        Format::Json => ensemble_json(summary, seconds, threads),
        Format::Csv => ensemble_csv(summary),
        Format::Table => ensemble_table(summary, seconds, threads),
    }
}

/// A forecast (of one run or of merged parts) as a table or JSON; callers
/// refuse CSV before the work.
pub fn forecast(f: &Forecast, seconds: f64, format: Format) -> String {
    if format == Format::Json {
        forecast_json(f, seconds)
    } else {
        forecast_table(f, seconds)
    }
}

fn ensemble_json(s: &EnsembleSummary, seconds: f64, threads: usize) -> String {
    let v = serde_json::json!({
        "model": s.spec.model.id(),
        "state_names": s.state_names,
        "final_mean": s.final_mean,
        "final_sd": s.final_sd,
        "trajectories": s.trajectories,
        "steps": s.steps,
        "rejected": s.rejected,
        "rhs_calls": s.rhs_calls,
        "jitter": s.spec.jitter,
        "t_end": s.spec.t_end,
        "rtol": s.spec.rtol,
        "atol": s.spec.atol,
        "seed": s.spec.seed,
        "seconds": seconds,
        "threads": threads,
    });
    format!("{v}\n")
}

fn ensemble_csv(s: &EnsembleSummary) -> String {
    let mut out = String::from("state,mean,sd,standard_error\n");
    let n = s.trajectories as f64;
    for ((name, m), sd) in s.state_names.iter().zip(&s.final_mean).zip(&s.final_sd) {
        out += &format!("{name},{m},{sd},{}\n", sd / n.sqrt());
    }
    out
}

fn ensemble_table(s: &EnsembleSummary, seconds: f64, threads: usize) -> String {
    let n = s.trajectories as f64;
    let mut out = format!(
        "{} trajectories of {} to t = {} (parameters jittered by ±{}%, seed {})\n\n",
        s.trajectories,
        s.spec.model.id(),
        s.spec.t_end,
        100.0 * s.spec.jitter,
        s.spec.seed
    );
    out += &format!(
        "{:<14} {:>14} {:>12} {:>12}\n",
        "state", "mean final", "sd", "± s.e."
    );
    for ((name, m), sd) in s.state_names.iter().zip(&s.final_mean).zip(&s.final_sd) {
        out += &format!("{name:<14} {m:>14.6} {sd:>12.6} {:>12.2e}\n", sd / n.sqrt());
    }
    out += &format!(
        "\n{:.1} accepted steps and {:.1} rejections per trajectory; {seconds:.3} s on {threads} thread(s)\n",
        s.steps as f64 / n,
        s.rejected as f64 / n
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkaway_core::{Event, find};

    fn trajectory(
        columns: &[&str],
        times: &[f64],
        value: impl Fn(f64, usize) -> f64,
    ) -> Trajectory {
        Trajectory {
            model: "test".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            times: times.to_vec(),
            rows: times
                .iter()
                .map(|t| (0..columns.len()).map(|j| value(*t, j)).collect())
                .collect(),
            events: vec![Event {
                t: 3.5,
                kind: "bid".into(),
                detail: "something happens".into(),
            }],
            outcome: Some("an outcome".into()),
            final_state: vec![],
            stats: Default::default(),
        }
    }

    #[test]
    fn round_steps_are_one_two_two_and_a_half_or_five() {
        assert_eq!(round_step(0.77), 1.0);
        assert_eq!(round_step(1.0), 1.0);
        assert_eq!(round_step(1.3), 2.0);
        assert_eq!(round_step(2.2), 2.5);
        assert_eq!(round_step(0.004), 0.005);
        assert_eq!(round_step(7.0), 10.0);
        assert_eq!(round_step(0.0), 1.0);
        assert_eq!(round_step(f64::NAN), 1.0);
    }

    #[test]
    fn days_are_shown_weekly_and_counts_are_summed_per_week() {
        let info = find("walkaway").unwrap().info();
        let days: Vec<f64> = (0..=20).map(f64::from).collect();
        // One contact attempt every day; love equals the day.
        let t = trajectory(&["love", "contact_attempts", "together"], &days, |d, j| {
            [d, 1.0, 0.0][j]
        });
        let s = story(&t, info, Some("Test"));
        let rows: Vec<Vec<&str>> = s
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("week"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty() && !l.starts_with('('))
            .map(|l| l.split_whitespace().collect())
            .collect();
        let days_shown: Vec<&str> = rows.iter().map(|r| r[1]).collect();
        assert_eq!(days_shown, ["0", "7", "14", "20"]);
        let contacts: Vec<&str> = rows.iter().map(|r| r[3]).collect();
        assert_eq!(contacts, ["-", "7", "7", "6"]);
        assert!(rows.iter().all(|r| r[4] == "no"));
        assert!(s.contains("day 3.5: something happens"), "{s}");
        assert!(s.contains("Outcome on day 20: an outcome."), "{s}");
        assert!(s.contains(NOT_A_PROPHECY));
    }

    #[test]
    fn other_models_get_about_two_dozen_evenly_spaced_rows() {
        let info = find("strogatz").unwrap().info();
        let times: Vec<f64> = (0..=80).map(|k| f64::from(k) * 0.25).collect();
        let t = trajectory(
            &["romeo", "juliet"],
            &times,
            |x, j| if j == 0 { x } else { -x },
        );
        let s = story(&t, info, None);
        assert!(s.starts_with(info.title), "{s}");
        let shown: Vec<f64> = s
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("t "))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
            .collect();
        // Horizon 20 / 26 rows → a step of 1.
        let want: Vec<f64> = (0..=20).map(f64::from).collect();
        assert_eq!(shown, want);
        assert!(s.contains("t = 3.5"), "{s}");
    }
}
