//! Variance-based sensitivity analysis: Sobol first-order and total indices
//! of a model's outputs over its uncertain inputs ("factors").
//!
//! The first-order index S_i of factor i is the share of an output's
//! variance that factor i explains on its own, Var(E[Y | X_i]) / Var(Y); the
//! total index ST_i is the share that involves factor i at all, alone or
//! together with others, E[Var(Y | X_~i)] / Var(Y). ST_i − S_i is what the
//! factor does only through interactions; ST_i ≈ 0 means it could be fixed
//! anywhere in its range without changing the output's spread.
//!
//! Design (Saltelli et al. 2010, "Variance based sensitivity analysis of
//! model output", Comput. Phys. Commun. 181): two N × k matrices A and B
//! from a 2k-dimensional scrambled Sobol sequence (A the first k
//! coordinates, B the last k), and for each factor i the matrix AB_i, which
//! is A with column i taken from B. That is N·(k + 2) model runs. Estimators:
//! first order S_i = mean(f(B)·(f(AB_i) − f(A))) / V (Saltelli 2010; f(B)
//! centred on the sample mean), total
//! ST_i = mean((f(A) − f(AB_i))²) / (2V) (Jansen 1999), with V the variance
//! of f over the rows of A and B together.
//!
//! Models with their own randomness (a run's chance events) get that
//! randomness as one more factor, "chance": row j of A and every AB_i use
//! chance draw 2j, row j of B uses draw 2j + 1, and one more matrix, A with
//! B's chance draw, gives chance its own indices (N more runs). Sharing A's
//! draw between A and AB_i is what makes f(A) − f(AB_i) measure factor i
//! and not the dice.
//!
//! Intervals: a percentile bootstrap over the rows (a fixed number of
//! resamples drawn from the seed). The rows of a Sobol design are not
//! independent, so these intervals are conservative for smooth outputs.
//!
//! Reproducibility: every point is a pure function of (seed, row, column);
//! rows are evaluated in parallel but stored by row, and every sum runs in
//! row order, so the result is bit-identical for any number of threads.

pub mod walkaway;

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::distribution::Distribution;
use crate::error::ModelError;
use crate::rng::Stream;
use crate::sampling::{Design, SOBOL_MAX_DIMS, Sobol, parameter_stream, unit_coordinate};

/// One uncertain input and the distribution it is drawn from.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub name: String,
    pub distribution: Distribution,
}

/// A model whose outputs are analysed: a function from one value per factor
/// (drawn from the factor's distribution) to a vector of outputs.
pub trait OutputModel: Sync {
    /// How many outputs `evaluate` writes.
    fn outputs(&self) -> usize;

    /// Whether `evaluate` depends on `chance` (its own random events);
    /// then chance is analysed as one more factor.
    fn has_chance(&self) -> bool {
        false
    }

    /// Writes the outputs at `values` (one per factor) into `out`, using
    /// random draw number `chance` for anything random. A solver failure
    /// drops the row (it is counted); any other error stops the analysis.
    fn evaluate(&self, values: &[f64], chance: u64, out: &mut [f64]) -> Result<(), ModelError>;
}

/// How large a design and how many bootstrap resamples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolOptions {
    /// Rows N of A and B (the base sample).
    pub samples: u64,
    pub seed: u64,
    /// Bootstrap resamples for the intervals.
    pub resamples: u32,
    /// Coverage of the intervals, e.g. 0.95.
    pub confidence: f64,
}

impl SobolOptions {
    pub fn new(samples: u64, seed: u64) -> Self {
        Self {
            samples,
            seed,
            resamples: DEFAULT_RESAMPLES,
            confidence: 0.95,
        }
    }
}

pub const DEFAULT_RESAMPLES: u32 = 500;
/// Most rows of A and B: memory grows as samples · (k + 3) · outputs.
pub const MAX_SAMPLES: u64 = 1_000_000;
/// The most factors: A and B need two Sobol dimensions each.
pub const MAX_FACTORS: usize = SOBOL_MAX_DIMS / 2;

/// Name of the pseudo-factor that stands for a model's own random events.
pub const CHANCE: &str = "chance";

/// An estimate with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// The indices of one factor, one entry per output; `None` where the output
/// does not vary at all (no variance to share out).
#[derive(Debug, Clone, PartialEq)]
pub struct FactorIndices {
    pub name: String,
    pub first_order: Vec<Option<Interval>>,
    pub total: Vec<Option<Interval>>,
}

impl FactorIndices {
    /// The largest total index over the outputs (for ranking factors).
    pub fn largest_total(&self) -> f64 {
        self.total
            .iter()
            .flatten()
            .map(|i| i.estimate)
            .fold(0.0, f64::max)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    /// In the order of the factors given.
    pub factors: Vec<FactorIndices>,
    /// The model's own randomness, if it has any.
    pub chance: Option<FactorIndices>,
    /// Mean and variance of each output over the rows of A and B.
    pub mean: Vec<f64>,
    pub variance: Vec<f64>,
    /// Rows used, and rows dropped because a run failed.
    pub rows: u64,
    pub failed_rows: u64,
    /// Model evaluations made.
    pub evaluations: u64,
}

/// Model evaluations a design makes: N·(k + 2), plus N for chance.
pub fn evaluations(samples: u64, factors: usize, chance: bool) -> u64 {
    samples * (factors as u64 + 2 + u64::from(chance))
}

/// Checks the options and factors a person can get wrong.
pub fn validate(factors: &[Factor], opts: &SobolOptions) -> Result<(), ModelError> {
    let bad = |field: &'static str, value: String, allowed: String| {
        Err(ModelError::InvalidRunOption {
            field,
            value,
            allowed,
        })
    };
    if !(2..=MAX_SAMPLES).contains(&opts.samples) {
        return bad(
            "samples",
            opts.samples.to_string(),
            format!("between 2 and {MAX_SAMPLES}"),
        );
    }
    if factors.is_empty() || factors.len() > MAX_FACTORS {
        return bad(
            "factors",
            factors.len().to_string(),
            format!("between 1 and {MAX_FACTORS} uncertain factors"),
        );
    }
    if !(10..=100_000).contains(&opts.resamples) {
        return bad(
            "resamples",
            opts.resamples.to_string(),
            "between 10 and 100000".into(),
        );
    }
    if !(opts.confidence > 0.0 && opts.confidence < 1.0) {
        return bad(
            "confidence",
            opts.confidence.to_string(),
            "strictly between 0 and 1".into(),
        );
    }
    for f in factors {
        if let Err(e) = f.distribution.validate() {
            return bad("factors", f.name.clone(), e.to_string());
        }
    }
    Ok(())
}

/// Outputs of one row: f(A), f(B), f(AB_1..AB_k) and f(AB_chance), each
/// `outputs` long, one after the other.
type Row = Vec<f64>;

/// Sobol indices of every output of `model` over `factors`.
pub fn sobol_indices(
    factors: &[Factor],
    model: &dyn OutputModel,
    opts: &SobolOptions,
) -> Result<Indices, ModelError> {
    sobol_indices_with_progress(factors, model, opts, &AtomicU64::new(0))
}

/// [`sobol_indices`], adding the number of finished model evaluations to
/// `progress` as it goes (for a progress display; the result is the same).
pub fn sobol_indices_with_progress(
    factors: &[Factor],
    model: &dyn OutputModel,
    opts: &SobolOptions,
    progress: &AtomicU64,
) -> Result<Indices, ModelError> {
    validate(factors, opts)?;
    let k = factors.len();
    let m = model.outputs();
    let chance = model.has_chance();
    let sobol = Sobol::new(2 * k).expect("at most MAX_FACTORS factors");
    let rows: Vec<Option<Row>> = (0..opts.samples)
        .into_par_iter()
        .map(|j| {
            let row = evaluate_row(factors, model, &sobol, opts, j);
            progress.fetch_add(evaluations(1, k, chance), Ordering::Relaxed);
            row
        })
        .collect::<Result<_, _>>()?;
    let rows: Vec<Row> = {
        let all = rows.len() as u64;
        let kept: Vec<Row> = rows.into_iter().flatten().collect();
        if kept.len() < 2 {
            return Err(ModelError::InvalidRunOption {
                field: "samples",
                value: opts.samples.to_string(),
                allowed: format!(
                    "a design where at least 2 rows run; {} of {all} failed",
                    all - kept.len() as u64
                ),
            });
        }
        kept
    };
    let failed_rows = opts.samples - rows.len() as u64;
    let design = Terms::new(&rows, k, m, chance);
    let all: Vec<u32> = vec![1; rows.len()];
    let point = design.estimate(&all);
    let resampled: Vec<Estimate> = (0..opts.resamples)
        .into_par_iter()
        .map(|r| design.estimate(&resample_counts(rows.len(), opts.seed, r)))
        .collect();
    let interval = |pick: &dyn Fn(&Estimate) -> Option<f64>| -> Option<Interval> {
        let estimate = pick(&point)?;
        let mut values: Vec<f64> = resampled.iter().filter_map(pick).collect();
        values.sort_by(f64::total_cmp);
        let tail = (1.0 - opts.confidence) / 2.0;
        Some(Interval {
            estimate,
            low: percentile(&values, tail).unwrap_or(estimate),
            high: percentile(&values, 1.0 - tail).unwrap_or(estimate),
        })
    };
    let indices_of = |name: &str, column: usize| FactorIndices {
        name: name.to_string(),
        first_order: (0..m)
            .map(|o| interval(&|e: &Estimate| e.first_order(column, o)))
            .collect(),
        total: (0..m)
            .map(|o| interval(&|e: &Estimate| e.total(column, o)))
            .collect(),
    };
    Ok(Indices {
        factors: factors
            .iter()
            .enumerate()
            .map(|(i, f)| indices_of(&f.name, i))
            .collect(),
        chance: chance.then(|| indices_of(CHANCE, k)),
        mean: point.mean.clone(),
        variance: point.variance.clone(),
        rows: rows.len() as u64,
        failed_rows,
        evaluations: evaluations(opts.samples, k, chance),
    })
}

/// Runs row `j` of every matrix; `None` if a run failed.
fn evaluate_row(
    factors: &[Factor],
    model: &dyn OutputModel,
    sobol: &Sobol,
    opts: &SobolOptions,
    j: u64,
) -> Result<Option<Row>, ModelError> {
    let k = factors.len();
    let m = model.outputs();
    let chance = model.has_chance();
    let mut stream = parameter_stream(opts.seed, j);
    let mut draw = |dim: usize, factor: &Factor| {
        let u = unit_coordinate(
            Design::Sobol,
            Some(sobol),
            j,
            opts.samples,
            opts.seed,
            dim,
            &mut stream,
        );
        factor.distribution.quantile(u)
    };
    let a: Vec<f64> = factors
        .iter()
        .enumerate()
        .map(|(i, f)| draw(i, f))
        .collect();
    let b: Vec<f64> = factors
        .iter()
        .enumerate()
        .map(|(i, f)| draw(k + i, f))
        .collect();
    let (chance_a, chance_b) = (2 * j, 2 * j + 1);
    let columns = k + 2 + usize::from(chance);
    let mut row = vec![0.0; columns * m];
    let run = |values: &[f64], chance: u64, slot: usize, row: &mut [f64]| match model.evaluate(
        values,
        chance,
        &mut row[slot * m..(slot + 1) * m],
    ) {
        Ok(()) => Ok(true),
        Err(ModelError::Solver(_)) => Ok(false),
        Err(e) => Err(e),
    };
    if !run(&a, chance_a, 0, &mut row)? || !run(&b, chance_b, 1, &mut row)? {
        return Ok(None);
    }
    let mut ab = a.clone();
    for i in 0..k {
        ab[i] = b[i];
        let ok = run(&ab, chance_a, 2 + i, &mut row)?;
        ab[i] = a[i];
        if !ok {
            return Ok(None);
        }
    }
    if chance && !run(&a, chance_b, 2 + k, &mut row)? {
        return Ok(None);
    }
    Ok(Some(row))
}

/// How often each row appears in bootstrap resample `r` (N draws with
/// replacement, from the resample's own stream).
fn resample_counts(rows: usize, seed: u64, r: u32) -> Vec<u32> {
    let mut stream = Stream::with_purpose_code(seed, u64::from(r), 0x5E_B007);
    let mut counts = vec![0u32; rows];
    for _ in 0..rows {
        let pick = ((stream.uniform() * rows as f64) as usize).min(rows - 1);
        counts[pick] += 1;
    }
    counts
}

/// The value below which a share `q` of the sorted `values` lies (linear
/// interpolation between order statistics).
fn percentile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let position = q * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(values.len() - 1);
    let w = position - below as f64;
    Some(values[below] * (1.0 - w) + values[above] * w)
}

/// The design's rows with what the estimators need.
struct Terms<'a> {
    rows: &'a [Row],
    /// The outputs' means over all rows: subtracted from f(B) in the
    /// first-order sum, which leaves its expectation alone (f(AB_i) − f(A)
    /// has mean 0) but removes the noise a large mean would add.
    centre: Vec<f64>,
    /// Columns AB_i (and AB_chance).
    columns: usize,
    outputs: usize,
}

/// Sums of one (re)sample, turned into indices on demand.
struct Estimate {
    mean: Vec<f64>,
    variance: Vec<f64>,
    /// Per column and output: mean of f(B)·(f(AB_i) − f(A)).
    first: Vec<f64>,
    /// Per column and output: mean of (f(A) − f(AB_i))² / 2.
    total: Vec<f64>,
}

impl Estimate {
    fn first_order(&self, column: usize, output: usize) -> Option<f64> {
        let v = self.variance[output];
        (v > 0.0).then(|| self.first[column * self.variance.len() + output] / v)
    }

    fn total(&self, column: usize, output: usize) -> Option<f64> {
        let v = self.variance[output];
        (v > 0.0).then(|| self.total[column * self.variance.len() + output] / v)
    }
}

impl<'a> Terms<'a> {
    fn new(rows: &'a [Row], factors: usize, outputs: usize, chance: bool) -> Self {
        let mut centre = vec![0.0; outputs];
        for row in rows {
            for o in 0..outputs {
                centre[o] += row[o] + row[outputs + o];
            }
        }
        for c in &mut centre {
            *c /= 2.0 * rows.len() as f64;
        }
        Self {
            rows,
            centre,
            columns: factors + usize::from(chance),
            outputs,
        }
    }

    /// The estimators over the rows, row j counted `weights[j]` times; the
    /// sums run in row order.
    fn estimate(&self, weights: &[u32]) -> Estimate {
        let m = self.outputs;
        let n: f64 = weights.iter().map(|w| f64::from(*w)).sum();
        let mut sum = vec![0.0; m];
        let mut first = vec![0.0; self.columns * m];
        let mut total = vec![0.0; self.columns * m];
        for (row, &w) in self.rows.iter().zip(weights) {
            if w == 0 {
                continue;
            }
            let w = f64::from(w);
            let (fa, rest) = row.split_at(m);
            let (fb, ab) = rest.split_at(m);
            for o in 0..m {
                sum[o] += w * (fa[o] + fb[o]);
            }
            for c in 0..self.columns {
                let fab = &ab[c * m..(c + 1) * m];
                for o in 0..m {
                    let slot = c * m + o;
                    first[slot] += w * (fb[o] - self.centre[o]) * (fab[o] - fa[o]);
                    let d = fa[o] - fab[o];
                    total[slot] += w * d * d;
                }
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / (2.0 * n)).collect();
        // Centred second pass: stabler than E[f²] − E[f]² for outputs far from 0.
        let mut squares = vec![0.0; m];
        for (row, &w) in self.rows.iter().zip(weights) {
            if w == 0 {
                continue;
            }
            let w = f64::from(w);
            for o in 0..m {
                let (da, db) = (row[o] - mean[o], row[m + o] - mean[o]);
                squares[o] += w * (da * da + db * db);
            }
        }
        Estimate {
            variance: squares.iter().map(|s| s / (2.0 * n - 1.0)).collect(),
            mean,
            first: first.iter().map(|s| s / n).collect(),
            total: total.iter().map(|s| s / (2.0 * n)).collect(),
        }
    }
}

#[cfg(test)]
mod tests;
