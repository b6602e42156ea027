//! The filter: iterated batch importance sampling with resample-move
//! (Chopin 2002), docs/journal.md "The filter".
//!
//! Given its traits, rates and chance draws, a partner's separation is
//! deterministic (as in the model's own forecast runs), so a particle is
//! just its coordinates z and the posterior after day d is a posterior over
//! a static vector. Each recorded day reweights the particles by the
//! entry's likelihood; when the effective sample size falls below half the
//! particles they are resampled and each is moved by
//! Metropolis–Hastings steps that target the exact posterior given every
//! day so far (the path is re-run from the day you left for each proposal).
//! The moves keep the static traits from collapsing onto the few particles
//! that survive resampling, without the bias of artificial noise.
//!
//! Cost: the moves are nearly all of it (each re-runs a path). Two exact
//! savings: a proposal's replay stops as soon as its likelihood can no
//! longer reach what acceptance needs (every day's term is ≤ 0; see
//! [`replay_above`]), and the replays run in SIMD lanes, a lane taking the
//! next candidate as soon as its own is done ([`replay_candidates`]).
//! docs/performance.md, "Journal filter".

use rayon::prelude::*;

use super::dynamics::{DayOutcome, Draws, PartnerModel, PartnerState};
use super::entries::{Entry, Request};
use super::lanes::DayLanes;
use super::observe;
use super::unknowns::Unknowns;
use crate::ensemble::{KernelPath, LaneWork, run_lane_work};
use crate::models::walkaway::Params;
use crate::rng::Stream;

/// Purpose codes of the filter's random streams.
const STREAM_START: u32 = 200;
const STREAM_RESAMPLE: u32 = 201;
const STREAM_MOVE: u32 = 202;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilterOptions {
    pub particles: usize,
    pub seed: u64,
    /// Metropolis–Hastings steps per particle at each resampling.
    pub moves: usize,
    /// Resample when the ESS falls below this share of the particles.
    pub ess_threshold: f64,
}

impl Default for FilterOptions {
    fn default() -> Self {
        Self {
            particles: 2000,
            seed: 1,
            moves: 5,
            ess_threshold: 0.5,
        }
    }
}

/// Most particles a filter may use (memory and time stay bounded for
/// anything a person can send).
pub const MAX_PARTICLES: usize = 100_000;
/// Most Metropolis–Hastings steps per resampling.
pub const MAX_MOVES: usize = 50;

/// The journal as the filter reads it: one slot per day from the day you
/// left to the last day it uses.
#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    pub days: Vec<Option<&'a Entry>>,
    /// Each recorded day's entry, ready to score particles' days.
    pub scorers: Vec<Option<observe::Scorer>>,
    /// The day you accepted a request, if any (the filter stops there).
    pub reunited_on: Option<u32>,
}

impl<'a> Timeline<'a> {
    pub fn new(entries: &'a [Entry]) -> Self {
        let reunited_on = entries
            .iter()
            .find(|e| e.request == Some(Request::Accepted))
            .map(|e| e.day);
        let last = entries
            .iter()
            .map(|e| e.day)
            .filter(|d| reunited_on.is_none_or(|r| *d <= r))
            .max();
        let mut days = vec![None; last.map_or(0, |d| d as usize + 1)];
        for e in entries {
            if let Some(slot) = days.get_mut(e.day as usize) {
                *slot = Some(e);
            }
        }
        let scorers = days.iter().map(|e| e.map(observe::Scorer::new)).collect();
        Self {
            days,
            scorers,
            reunited_on,
        }
    }

    fn accepts_on(&self, day: usize) -> bool {
        self.reunited_on == Some(day as u32)
    }
}

/// A particle's model, draws and state at the current day.
#[derive(Debug, Clone)]
pub struct Path {
    pub model: PartnerModel,
    pub draws: Draws,
    pub state: PartnerState,
    /// ln likelihood of the journal up to the current day.
    pub ln_likelihood: f64,
}

impl Path {
    /// The particle `z` on the day you left, before any entry.
    pub fn start(unknowns: &Unknowns, z: &[f64]) -> Self {
        let mut model = PartnerModel::new(Params::from_slice(&unknowns.params(z)));
        let draws = unknowns.draws(z);
        let state = model.start(&draws);
        Self {
            model,
            draws,
            state,
            ln_likelihood: 0.0,
        }
    }
}

/// Runs a particle's separation from the day you left through day
/// `through` (inclusive), scoring the entries on the way.
pub fn replay(unknowns: &Unknowns, z: &[f64], timeline: &Timeline<'_>, through: usize) -> Path {
    replay_above(unknowns, z, timeline, through, None).expect("a replay without a floor ends")
}

/// [`replay`] that gives up (`None`) as soon as the ln likelihood so far is
/// at or below `floor`. Every day's term is at most 0
/// ([`observe::Scorer::ln_likelihood`]), so the sum can only fall from
/// there: the path's full ln likelihood is at or below `floor` too, and a
/// Metropolis–Hastings step that needs more than `floor` rejects it all the
/// same. Exact early rejection (no approximation), and most proposals are
/// rejected.
pub(crate) fn replay_above(
    unknowns: &Unknowns,
    z: &[f64],
    timeline: &Timeline<'_>,
    through: usize,
    floor: Option<f64>,
) -> Option<Path> {
    let mut path = Path::start(unknowns, z);
    let days = (through + 1).min(timeline.days.len());
    for (day, scorer) in timeline.scorers[..days].iter().enumerate() {
        let out = path
            .model
            .step_day(&mut path.state, &path.draws, timeline.accepts_on(day));
        if let Some(scorer) = scorer {
            path.ln_likelihood += scorer.ln_likelihood(&out);
            if floor.is_some_and(|f| path.ln_likelihood <= f) {
                return None;
            }
        }
    }
    if floor.is_some_and(|f| path.ln_likelihood <= f) {
        return None;
    }
    Some(path)
}

/// The filter's state after the last day of the journal.
#[derive(Debug, Clone)]
pub struct Posterior {
    pub dim: usize,
    /// Coordinates, particle after particle.
    pub z: Vec<f64>,
    /// Normalised weights.
    pub weights: Vec<f64>,
    pub paths: Vec<Path>,
    /// The prior particles (before any entry), for comparisons.
    pub prior_z: Vec<f64>,
    pub diagnostics: Diagnostics,
}

/// How the filter went.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagnostics {
    pub particles: usize,
    /// ESS after the last day, and the lowest ESS after any day (before
    /// resampling), both as counts of particles.
    pub ess_final: f64,
    pub ess_min: f64,
    pub resamples: usize,
    /// Share of Metropolis–Hastings proposals accepted.
    pub acceptance: f64,
    /// ln p(journal), the model's evidence for what you recorded.
    pub ln_evidence: f64,
    /// Days the filter used (from the day you left).
    pub days_used: usize,
    /// One-step-ahead checks of recorded contact counts (see [`FitCheck`]).
    pub fit: FitCheck,
}

/// The posterior predictive check: for each recorded count, how extreme it
/// is under the filter's prediction made the day before (a mixture of
/// Poisson counts over the particles). A model that fits gives extreme
/// counts rarely; many of them mean the model cannot produce what you
/// recorded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FitCheck {
    pub counts_checked: usize,
    /// Counts in the outer 1 % (two-sided) of their prediction.
    pub extreme_counts: usize,
    /// Counts in the outer 0.01 %: one alone is enough to say "no fit".
    pub impossible_counts: usize,
    /// The most extreme day (two-sided tail probability) and its count.
    pub worst: Option<(u32, u32, f64)>,
    pub fits: bool,
}

impl FitCheck {
    /// Whether the extremes are more than chance allows: any count in the
    /// outer 0.01 %, or more counts in the outer 1 % than a Binomial(n,
    /// 0.01) gives with probability 0.999 (at least 2).
    fn decide(&mut self) {
        let n = self.counts_checked as f64;
        let allowed = (0.01 * n + 3.1 * (0.01 * 0.99 * n).sqrt()).floor().max(1.0) as usize;
        self.fits = self.impossible_counts == 0 && self.extreme_counts <= allowed;
    }
}

fn ess(weights: &[f64]) -> f64 {
    let s: f64 = weights.iter().sum();
    let s2: f64 = weights.iter().map(|w| w * w).sum();
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// Normalises ln weights in place into weights summing to 1; returns ln of
/// the mean of exp(ln weight) relative to `reference`.
fn normalise(ln_w: &[f64], w: &mut [f64]) -> f64 {
    let max = ln_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for (wi, &l) in w.iter_mut().zip(ln_w) {
        *wi = if max.is_finite() {
            (l - max).exp()
        } else {
            1.0
        };
        sum += *wi;
    }
    for wi in w.iter_mut() {
        *wi /= sum;
    }
    max + sum.ln()
}

/// Systematic resampling: indices of the particles kept.
fn resample(weights: &[f64], stream: &mut Stream) -> Vec<usize> {
    let n = weights.len();
    let u0 = stream.uniform() / n as f64;
    let mut out = Vec::with_capacity(n);
    let mut cum = 0.0;
    let mut i = 0;
    for k in 0..n {
        let u = u0 + k as f64 / n as f64;
        while i + 1 < n && cum + weights[i] < u {
            cum += weights[i];
            i += 1;
        }
        out.push(i);
    }
    out
}

/// Two-sided tail probability of count `k` under the mixture of Poisson
/// means `means` with weights `w`: 2 min(P(Y ≤ k), P(Y ≥ k)), capped at 1.
fn mixture_tail(k: u32, means: &[(f64, f64)]) -> f64 {
    let mut below = 0.0; // P(Y < k)
    let mut at = 0.0;
    for &(w, mean) in means {
        let mut pmf = (-mean).exp();
        let mut cdf = 0.0;
        for j in 0..k {
            cdf += pmf;
            pmf *= mean / f64::from(j + 1);
        }
        below += w * cdf;
        at += w * pmf;
    }
    let le = below + at;
    let ge = 1.0 - below;
    (2.0 * le.min(ge)).min(1.0)
}

/// Particles used for the one-step prediction of a count (a systematic
/// subsample by weight keeps the check's cost independent of N).
const CHECK_PARTICLES: usize = 256;

/// Runs the filter over the journal.
pub fn run_filter(unknowns: &Unknowns, entries: &[Entry], opts: &FilterOptions) -> Posterior {
    let n = opts.particles.clamp(1, MAX_PARTICLES);
    let d = unknowns.dim();
    let timeline = Timeline::new(entries);
    let mut z = vec![0.0; n * d];
    z.par_chunks_mut(d).enumerate().for_each(|(i, zi)| {
        let mut s = Stream::with_purpose_code(opts.seed, i as u64, STREAM_START);
        unknowns.sample(&mut s, zi);
    });
    let prior_z = z.clone();
    let mut paths: Vec<Path> = z
        .par_chunks(d)
        .map(|zi| Path::start(unknowns, zi))
        .collect();
    let mut ln_w = vec![0.0; n];
    let mut w = vec![1.0 / n as f64; n];
    let mut diag = Diagnostics {
        particles: n,
        ess_min: n as f64,
        days_used: timeline.days.len(),
        ..Default::default()
    };
    let (mut proposed, mut accepted) = (0usize, 0usize);
    let mut resample_round = 0u64;

    for day in 0..timeline.days.len() {
        let accept = timeline.accepts_on(day);
        let outs: Vec<DayOutcome> = paths
            .par_iter_mut()
            .map(|p| p.model.step_day(&mut p.state, &p.draws, accept))
            .collect();
        let (Some(entry), Some(scorer)) = (timeline.days[day], timeline.scorers[day]) else {
            continue;
        };
        if let Some(k) = entry.contacts {
            let mut s = Stream::with_purpose_code(opts.seed, day as u64, STREAM_RESAMPLE + 100);
            let picked = if n > CHECK_PARTICLES {
                // A systematic resample thinned to the check's size.
                let sub = resample(&w, &mut s);
                sub.into_iter()
                    .step_by(n / CHECK_PARTICLES)
                    .collect::<Vec<_>>()
            } else {
                (0..n).collect()
            };
            let weight = 1.0 / picked.len() as f64;
            let means: Vec<(f64, f64)> = picked
                .iter()
                .map(|&i| {
                    let wi = if n > CHECK_PARTICLES { weight } else { w[i] };
                    (wi, observe::contact_mean(outs[i].expected_contacts))
                })
                .collect();
            let tail = mixture_tail(k, &means);
            let fit = &mut diag.fit;
            fit.counts_checked += 1;
            if tail < 0.01 {
                fit.extreme_counts += 1;
            }
            if tail < 1e-4 {
                fit.impossible_counts += 1;
            }
            if fit.worst.is_none_or(|(_, _, t)| tail < t) {
                fit.worst = Some((day as u32, k, tail));
            }
        }
        let lls: Vec<f64> = outs.par_iter().map(|o| scorer.ln_likelihood(o)).collect();
        // Evidence increment: ln Σ W_i exp(ll_i).
        let max = lls.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let inc: f64 = w.iter().zip(&lls).map(|(wi, l)| wi * (l - max).exp()).sum();
        diag.ln_evidence += max + inc.ln();
        for ((lw, p), l) in ln_w.iter_mut().zip(paths.iter_mut()).zip(&lls) {
            *lw += l;
            p.ln_likelihood += l;
        }
        normalise(&ln_w, &mut w);
        let e = ess(&w);
        diag.ess_min = diag.ess_min.min(e);
        if e < opts.ess_threshold * n as f64 && day + 1 < timeline.days.len() || e < 1.5 {
            let mut s = Stream::with_purpose_code(opts.seed, resample_round, STREAM_RESAMPLE);
            let kept = resample(&w, &mut s);
            let old_z = z.clone();
            for (k, &i) in kept.iter().enumerate() {
                z[k * d..(k + 1) * d].copy_from_slice(&old_z[i * d..(i + 1) * d]);
            }
            paths = kept.iter().map(|&i| paths[i].clone()).collect();
            ln_w.iter_mut().for_each(|l| *l = 0.0);
            w.iter_mut().for_each(|x| *x = 1.0 / n as f64);
            let (p, a) = rejuvenate(
                unknowns,
                &timeline,
                day,
                &mut z,
                &mut paths,
                opts,
                resample_round,
            );
            proposed += p;
            accepted += a;
            diag.resamples += 1;
            resample_round += 1;
        }
    }
    diag.ess_final = ess(&w);
    diag.acceptance = if proposed > 0 {
        accepted as f64 / proposed as f64
    } else {
        f64::NAN
    };
    diag.fit.decide();
    Posterior {
        dim: d,
        z,
        weights: w,
        paths,
        prior_z,
        diagnostics: diag,
    }
}

/// Lower Cholesky factor of `scale` × `cov` (with a small floor on the
/// diagonal, so a collapsed coordinate can move again); the diagonal's
/// square root if the matrix is not positive definite.
fn lower_factor(cov: &nalgebra::DMatrix<f64>, scale: f64) -> nalgebra::DMatrix<f64> {
    let d = cov.nrows();
    let mut m = cov * scale;
    for a in 0..d {
        m[(a, a)] += 1e-4;
    }
    match m.clone().cholesky() {
        Some(c) => c.l(),
        None => {
            nalgebra::DMatrix::from_fn(d, d, |a, b| if a == b { m[(a, a)].sqrt() } else { 0.0 })
        }
    }
}

/// Inflation of the particles' covariance in the global proposal (its
/// tails must cover the posterior's).
const GLOBAL_INFLATION: f64 = 1.5;

/// Metropolis–Hastings on every particle (equal weights after
/// resampling), alternating a global proposal (a normal fitted to the
/// particles, covariance inflated by [`GLOBAL_INFLATION`]) with a local
/// random walk (covariance (2.38²/d) × the particles' own, Roberts &
/// Rosenthal's scaling), as adaptive SMC samplers do. Both leave the
/// posterior given the days so far invariant. Returns (proposals,
/// acceptances).
fn rejuvenate(
    unknowns: &Unknowns,
    timeline: &Timeline<'_>,
    day: usize,
    z: &mut [f64],
    paths: &mut [Path],
    opts: &FilterOptions,
    round: u64,
) -> (usize, usize) {
    let d = unknowns.dim();
    let n = paths.len();
    debug_assert_eq!(z.len(), n * d);
    let mut mean = vec![0.0; d];
    for zi in z.chunks(d) {
        for (m, x) in mean.iter_mut().zip(zi) {
            *m += x / n as f64;
        }
    }
    let mut cov = nalgebra::DMatrix::<f64>::zeros(d, d);
    for zi in z.chunks(d) {
        for a in 0..d {
            let da = zi[a] - mean[a];
            for b in 0..=a {
                cov[(a, b)] += da * (zi[b] - mean[b]) / n as f64;
            }
        }
    }
    for a in 0..d {
        for b in 0..a {
            cov[(b, a)] = cov[(a, b)];
        }
    }
    let rw = lower_factor(&cov, 2.38 * 2.38 / d as f64);
    let global = lower_factor(&cov, GLOBAL_INFLATION);
    let global_inv = global
        .clone()
        .try_inverse()
        .unwrap_or_else(|| nalgebra::DMatrix::identity(d, d));
    // ln q(z) of the global proposal, up to its constant.
    let ln_q = |z: &[f64]| {
        let mut total = 0.0;
        for a in 0..d {
            let mut v = 0.0;
            for b in 0..=a {
                v += global_inv[(a, b)] * (z[b] - mean[b]);
            }
            total += v * v;
        }
        -0.5 * total
    };
    let moves = opts.moves.min(MAX_MOVES);
    let kernel = KernelPath::best();
    let counts: Vec<(usize, usize)> = z
        .par_chunks_mut(d * GROUP)
        .zip(paths.par_chunks_mut(GROUP))
        .enumerate()
        .map(|(g, (zs, group))| {
            // Each particle keeps its own stream and its own chain; the
            // group only runs its candidates' replays through the lanes
            // together.
            let members = group.len();
            let mut streams: Vec<Stream> = (0..members)
                .map(|l| {
                    let i = (g * GROUP + l) as u64;
                    Stream::with_purpose_code(opts.seed, (round << 32) | i, STREAM_MOVE)
                })
                .collect();
            let mut xi = vec![0.0; d];
            let mut cands = vec![0.0; d * members];
            let mut lps: Vec<f64> = zs.chunks(d).map(|zi| unknowns.ln_prior(zi)).collect();
            let mut lp_cs = vec![0.0; members];
            let mut floors = vec![0.0; members];
            let mut acc = 0;
            for step in 0..moves {
                // Even steps: a global (independent) proposal from a normal
                // fitted to the particles; odd steps: a local random walk.
                let independent = step % 2 == 0;
                let factor = if independent { &global } else { &rw };
                for l in 0..members {
                    let s = &mut streams[l];
                    let zi = &zs[l * d..(l + 1) * d];
                    let cand = &mut cands[l * d..(l + 1) * d];
                    for x in xi.iter_mut() {
                        *x = s.normal();
                    }
                    for a in 0..d {
                        let mut v = 0.0;
                        for b in 0..=a {
                            v += factor[(a, b)] * xi[b];
                        }
                        cand[a] = if independent { mean[a] } else { zi[a] } + v;
                    }
                    lp_cs[l] = unknowns.ln_prior(cand);
                    // Accept when ln U < ln ratio = ll(cand) + rest, that
                    // is when the candidate's ln likelihood exceeds
                    // ln U − rest: its replay stops as soon as it cannot.
                    let mut rest = lp_cs[l] - group[l].ln_likelihood - lps[l];
                    if independent {
                        rest += ln_q(zi) - ln_q(cand);
                    }
                    floors[l] = s.uniform().ln() - rest;
                }
                let replays = replay_candidates(kernel, unknowns, &cands, timeline, day, &floors);
                for (l, replayed) in replays.into_iter().enumerate() {
                    if let Some(p_c) = replayed {
                        zs[l * d..(l + 1) * d].copy_from_slice(&cands[l * d..(l + 1) * d]);
                        group[l] = p_c;
                        lps[l] = lp_cs[l];
                        acc += 1;
                    }
                }
            }
            (moves * members, acc)
        })
        .collect();
    counts
        .iter()
        .fold((0, 0), |(p, a), (pi, ai)| (p + pi, a + ai))
}

/// Particles whose moves run together in [`rejuvenate`]: enough candidates
/// at each step to keep the lanes full while candidates stop at different
/// days, and enough groups to share out among the threads.
const GROUP: usize = 64;

/// [`replay_above`] for the candidates `cands` (one after the other, `dim`
/// coordinates each), each with its own floor: `None` for a candidate
/// whose ln likelihood falls to its floor. The replays run in the lanes of
/// `kernel` ([`DayLanes`]); a lane whose candidate stops takes the next
/// one, so lanes can be at different days. Each candidate gets the bits
/// its own [`replay_above`] gives, on every path.
pub(crate) fn replay_candidates(
    kernel: KernelPath,
    unknowns: &Unknowns,
    cands: &[f64],
    timeline: &Timeline<'_>,
    through: usize,
    floors: &[f64],
) -> Vec<Option<Path>> {
    run_lane_work(
        kernel,
        Replays {
            unknowns,
            cands,
            timeline,
            through,
            floors,
        },
    )
}

/// The arguments of [`replay_candidates`], as work for the lanes.
struct Replays<'a, 't> {
    unknowns: &'a Unknowns,
    cands: &'a [f64],
    timeline: &'a Timeline<'t>,
    through: usize,
    floors: &'a [f64],
}

impl LaneWork for Replays<'_, '_> {
    type Output = Vec<Option<Path>>;

    #[inline(always)]
    fn run<const W: usize>(self) -> Vec<Option<Path>> {
        let Replays {
            unknowns,
            cands,
            timeline,
            through,
            floors,
        } = self;
        let d = unknowns.dim();
        let n = floors.len();
        let days = (through + 1).min(timeline.days.len());
        let mut results: Vec<Option<Path>> = (0..n).map(|_| None).collect();
        let mut lanes: Option<DayLanes<W>> = None;
        // Each lane's candidate, the day it runs next, and its ln
        // likelihood so far.
        let mut job = [0usize; W];
        let mut day = [0usize; W];
        let mut ll = [0.0f64; W];
        let mut next = 0;
        loop {
            for w in 0..W {
                if lanes.as_ref().is_some_and(|l| l.is_occupied(w)) {
                    continue;
                }
                while next < n {
                    let i = next;
                    next += 1;
                    let p = Path::start(unknowns, &cands[i * d..(i + 1) * d]);
                    if days == 0 {
                        if !(p.ln_likelihood <= floors[i]) {
                            results[i] = Some(p);
                        }
                        continue;
                    }
                    lanes
                        .get_or_insert_with(|| DayLanes::new(&p.model, &p.draws, &p.state))
                        .load(w, &p.model, &p.draws, &p.state);
                    (job[w], day[w], ll[w]) = (i, 0, 0.0);
                    break;
                }
            }
            let Some(l) = lanes.as_mut() else { break };
            if !(0..W).any(|w| l.is_occupied(w)) {
                break;
            }
            let mut accept = [false; W];
            for w in 0..W {
                accept[w] = timeline.accepts_on(day[w]);
            }
            let outs = l.step_day(accept);
            for w in 0..W {
                if !l.is_occupied(w) {
                    continue;
                }
                let floor = floors[job[w]];
                if let Some(scorer) = &timeline.scorers[day[w]] {
                    ll[w] += scorer.ln_likelihood(&outs[w]);
                    if ll[w] <= floor {
                        l.clear(w);
                        continue;
                    }
                }
                day[w] += 1;
                if day[w] == days {
                    if !(ll[w] <= floor) {
                        let (model, draws) = l.particle(w);
                        results[job[w]] = Some(Path {
                            model: *model,
                            draws: *draws,
                            state: l.state(w),
                            ln_likelihood: ll[w],
                        });
                    }
                    l.clear(w);
                }
            }
        }
        results
    }
}

/// ln of the predictive probability of the entries from day `scored_from`
/// on, for particles `z` with weights `weights`, each run from the day you
/// left over the whole journal: the log score of a forecast of those days
/// (the posterior's after the earlier days, or the prior's).
pub fn ln_predictive(
    unknowns: &Unknowns,
    z: &[f64],
    weights: &[f64],
    entries: &[Entry],
    scored_from: u32,
) -> f64 {
    let d = unknowns.dim();
    let timeline = Timeline::new(entries);
    let lls: Vec<f64> = z
        .par_chunks(d)
        .map(|zi| {
            let Path {
                model,
                draws,
                mut state,
                ..
            } = Path::start(unknowns, zi);
            let mut ll = 0.0;
            for day in 0..timeline.days.len() {
                let out = model.step_day(&mut state, &draws, timeline.accepts_on(day));
                if day as u32 >= scored_from
                    && let Some(scorer) = &timeline.scorers[day]
                {
                    ll += scorer.ln_likelihood(&out);
                }
            }
            ll
        })
        .collect();
    let max = lls.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let total: f64 = weights.iter().sum();
    let s: f64 = weights
        .iter()
        .zip(&lls)
        .map(|(w, l)| w / total * (l - max).exp())
        .sum();
    max + s.ln()
}
