//! One Monte Carlo run of a scenario, from trials to a [`Summary`], with memory bounded
//! independently of the trial count.
//!
//! Up to [`EXACT_LIMIT`] trials, every output value is kept and sorted. Beyond it, a
//! bounded-memory exact method replaces storage: a pilot of the first 65,536 trials sets
//! ~4,096 equal-probability bins per output; pass 1 counts every trial into the bins
//! (with each bin's minimum and maximum, moments and threshold counts); pass 2 re-runs the
//! same trials (draws are keyed, so they are identical) and keeps only the values in the
//! few bins that hold a requested order statistic. Percentiles stay exact; the run costs
//! two passes. Charts and rank correlations use the first [`SAMPLE`] trials.

use std::collections::BTreeMap;

use crate::engine::{self, BatchOut, RunError, RunOptions, Sink, TrialSource};
use crate::model::Plan;
use crate::model::program::Col;
use crate::replicates::{self, RepPercentiles, ReplicateAcc};
use crate::scenario::Scenario;
use crate::stats::Moments;
use rayon::prelude::*;

use crate::summary::{self, CategoryStats, NpvStats, OrderStats, Selected, Summary, TcoStats};

/// Largest run whose outputs are all stored (about 8 bytes × (7 + categories) per trial).
pub const EXACT_LIMIT: u64 = 1_000_000;
/// Trials kept per output for charts and rank correlations.
pub const SAMPLE: u64 = 100_000;
/// Cumulative-path values kept for the cash-flow fan (paths × months).
pub const PATH_BUDGET: u64 = 4_000_000;
/// Pilot size for streaming bins.
pub const PILOT: u64 = 65_536;

/// Output indices: 0 payback, 1 discounted payback, 2 npv, 3 roi, 4 tco, 5 pv costs,
/// 6 pv benefits, 7.. TCO per category.
pub const N_MAIN: usize = 7;

fn output<'a>(b: &'a BatchOut, k: usize) -> &'a Col {
    match k {
        0 => b.payback,
        1 => b.dpayback,
        2 => b.npv,
        3 => b.roi,
        4 => b.tco,
        5 => b.pvc,
        6 => b.pvb,
        c => &b.tco_cat[c - N_MAIN],
    }
}

/// The first trials of a run, per trial, for charts and correlations.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    /// Input draws: `inputs[i][trial]`.
    pub inputs: Vec<Vec<f64>>,
    /// Outputs: `outputs[k][trial]` (k as in [`N_MAIN`]; payback ∞ = censored).
    pub outputs: Vec<Vec<f64>>,
}

/// Percentile bands of cumulative net cash flow by month.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Fan {
    /// Trials the bands are computed from.
    pub trials: u64,
    /// Month index.
    pub months: Vec<u32>,
    /// P5.
    pub p5: Vec<f64>,
    /// P25.
    pub p25: Vec<f64>,
    /// P50.
    pub p50: Vec<f64>,
    /// P75.
    pub p75: Vec<f64>,
    /// P95.
    pub p95: Vec<f64>,
}

impl Fan {
    /// First month where the median cumulative cash flow reaches 0 and stays, interpolated.
    pub fn median_crossing(&self) -> Option<f64> {
        let v = &self.p50;
        let last_neg = v.iter().rposition(|x| *x < 0.0);
        match last_neg {
            None => Some(0.0),
            Some(i) if i + 1 < v.len() => {
                let (a, b) = (v[i], v[i + 1]);
                Some(i as f64 + (-a) / (b - a))
            }
            _ => None,
        }
    }
}

/// What a run produces.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// The summary.
    pub summary: Summary,
    /// The first trials.
    pub sample: Sample,
    /// The cash-flow fan.
    pub fan: Fan,
    /// Cost categories (order of the TCO columns).
    pub categories: Vec<String>,
}

/// How to run.
pub struct RunConfig<'a> {
    /// Trials.
    pub trials: u64,
    /// Seed (recorded in the summary).
    pub seed: u64,
    /// Sampling label for the summary.
    pub sampling: String,
    /// Engine options.
    pub engine: RunOptions<'a>,
    /// Force the streaming method (tests).
    pub force_streaming: bool,
}

#[derive(Default)]
struct Counts {
    pb: [u64; 3],
    dpb: [u64; 3],
    npv_neg: u64,
}

impl Counts {
    fn add(&mut self, b: &BatchOut) {
        for l in 0..b.len {
            let (p, d) = (b.payback[l], b.dpayback[l]);
            self.pb[0] += u64::from(p <= 12.0);
            self.pb[1] += u64::from(p <= 24.0);
            self.pb[2] += u64::from(p.is_finite());
            self.dpb[0] += u64::from(d <= 12.0);
            self.dpb[1] += u64::from(d <= 24.0);
            self.dpb[2] += u64::from(d.is_finite());
            self.npv_neg += u64::from(b.npv[l] < 0.0);
        }
    }
    fn merge(&mut self, o: &Counts) {
        for i in 0..3 {
            self.pb[i] += o.pb[i];
            self.dpb[i] += o.dpb[i];
        }
        self.npv_neg += o.npv_neg;
    }
}

/// Keeps the sample and paths of the first trials.
struct SamplePart {
    n_out: usize,
    sample_below: u64,
    paths_below: u64,
    inputs: Vec<Vec<f64>>,
    outputs: Vec<Vec<f64>>,
    paths: Vec<Vec<f64>>,
}

impl SamplePart {
    fn new(
        n_inputs: usize,
        n_out: usize,
        months: usize,
        sample_below: u64,
        paths_below: u64,
    ) -> Self {
        SamplePart {
            n_out,
            sample_below,
            paths_below,
            inputs: vec![Vec::new(); n_inputs],
            outputs: vec![Vec::new(); n_out],
            paths: vec![Vec::new(); months],
        }
    }
    fn add(&mut self, b: &BatchOut) {
        let take = (self.sample_below.saturating_sub(b.start) as usize).min(b.len);
        if take > 0 {
            for (i, col) in self.inputs.iter_mut().enumerate() {
                col.extend_from_slice(&b.inputs[i][..take]);
            }
            for k in 0..self.n_out {
                self.outputs[k].extend_from_slice(&output(b, k)[..take]);
            }
        }
        let take = (self.paths_below.saturating_sub(b.start) as usize).min(b.len);
        if take > 0 && !b.paths.is_empty() {
            for (t, col) in self.paths.iter_mut().enumerate() {
                col.extend_from_slice(&b.paths[t][..take]);
            }
        }
    }
    fn append(&mut self, o: SamplePart) {
        for (a, b) in self.inputs.iter_mut().zip(o.inputs) {
            a.extend(b);
        }
        for (a, b) in self.outputs.iter_mut().zip(o.outputs) {
            a.extend(b);
        }
        for (a, b) in self.paths.iter_mut().zip(o.paths) {
            a.extend(b);
        }
    }
}

/// Exact mode: keep everything.
struct StoreSink {
    all: Vec<Vec<f64>>,
    counts: Counts,
    sample: SamplePart,
    reps: ReplicateAcc,
}

fn main_cols<'a>(b: &'a BatchOut) -> [&'a [f64]; N_MAIN] {
    std::array::from_fn(|k| &output(b, k)[..b.len])
}

impl Sink for StoreSink {
    fn absorb(&mut self, b: &BatchOut) {
        for (k, v) in self.all.iter_mut().enumerate() {
            v.extend_from_slice(&output(b, k)[..b.len]);
        }
        self.counts.add(b);
        self.sample.add(b);
        self.reps.absorb_cols(b, &main_cols(b));
    }
}

/// Bins for one output: sorted unique edges; bin 2j = open interval below edge j, bin
/// 2j+1 = exactly edge j.
#[derive(Clone)]
struct Bins {
    edges: Vec<f64>,
}

impl Bins {
    fn from_sorted(sorted: &[f64]) -> Self {
        let step = (sorted.len() / 4096).max(1);
        let mut edges: Vec<f64> = sorted.iter().step_by(step).copied().collect();
        if let Some(last) = sorted.last() {
            edges.push(*last);
        }
        edges.dedup();
        Bins { edges }
    }
    fn n_bins(&self) -> usize {
        2 * self.edges.len() + 1
    }
    #[inline]
    fn index(&self, x: f64) -> usize {
        let j = self.edges.partition_point(|e| *e < x);
        if j < self.edges.len() && self.edges[j] == x {
            2 * j + 1
        } else {
            2 * j
        }
    }
}

/// Pass 1: bin counts, bin ranges, moments.
struct HistSink {
    bins: std::sync::Arc<Vec<Bins>>,
    counts: Vec<Vec<u64>>,
    moments: Vec<Moments>,
    thresholds: Counts,
    sample: SamplePart,
    reps: ReplicateAcc,
}

impl Sink for HistSink {
    fn absorb(&mut self, b: &BatchOut) {
        for k in 0..self.counts.len() {
            let col = output(b, k);
            let bins = &self.bins[k];
            for &x in &col[..b.len] {
                let i = bins.index(x);
                self.counts[k][i] += 1;
            }
            self.moments[k].merge(&Moments::of(&col[..b.len]));
        }
        self.thresholds.add(b);
        self.sample.add(b);
        self.reps.absorb_cols(b, &main_cols(b));
    }
}

/// Pass 2: collect values in the bins that hold wanted ranks.
struct CollectSink {
    bins: std::sync::Arc<Vec<Bins>>,
    wanted: std::sync::Arc<Vec<Vec<bool>>>,
    values: Vec<Vec<(usize, f64)>>,
}

impl Sink for CollectSink {
    fn absorb(&mut self, b: &BatchOut) {
        for k in 0..self.values.len() {
            if !self.wanted[k].iter().any(|w| *w) {
                continue;
            }
            let col = output(b, k);
            for &x in &col[..b.len] {
                let i = self.bins[k].index(x);
                if self.wanted[k][i] {
                    self.values[k].push((i, x));
                }
            }
        }
    }
}

/// Order statistics resolved at the needed ranks.
struct Resolved {
    n: u64,
    at: BTreeMap<u64, f64>,
    m: Moments,
}

impl OrderStats for Resolved {
    fn n(&self) -> u64 {
        self.n
    }
    fn at(&self, r: u64) -> f64 {
        self.at.get(&r).copied().unwrap_or(f64::NAN)
    }
    fn moments(&self) -> Moments {
        self.m
    }
}

fn n_outputs(plan: &Plan) -> usize {
    N_MAIN + plan.categories.len()
}

/// Run a scenario and summarise it.
pub fn simulate(
    s: &Scenario,
    source: &dyn TrialSource,
    cfg: &RunConfig,
) -> Result<RunResult, RunError> {
    let plan = Plan::compile(s);
    simulate_plan(s, &plan, source, cfg)
}

/// Run a compiled plan and summarise it.
pub fn simulate_plan(
    s: &Scenario,
    plan: &Plan,
    source: &dyn TrialSource,
    cfg: &RunConfig,
) -> Result<RunResult, RunError> {
    let n = cfg.trials;
    let n_out = n_outputs(plan);
    let months = plan.horizon as usize + 1;
    let paths_below = (PATH_BUDGET / months as u64).clamp(1_000, SAMPLE).min(n);
    let sample_below = SAMPLE.min(n);
    let opts = RunOptions {
        threads: cfg.engine.threads,
        record_paths_below: paths_below,
        cancel: cfg.engine.cancel,
        progress: cfg.engine.progress,
    };
    let new_sample = || SamplePart::new(plan.n_inputs, n_out, months, sample_below, paths_below);
    let streaming = cfg.force_streaming || n > EXACT_LIMIT;
    let r = source.replicates();
    let new_reps = || ReplicateAcc::new(n, r, N_MAIN);
    let mut reps = new_reps();
    let mut rep_pcts: Option<Vec<RepPercentiles>> = None;
    let (stats, counts, sample): (Vec<Box<dyn OrderStats>>, Counts, SamplePart) = if !streaming {
        let mut all: Vec<Vec<f64>> = vec![Vec::with_capacity(n as usize); n_out];
        let mut counts = Counts::default();
        let mut sample = new_sample();
        engine::run_fold(
            plan,
            source,
            0..n,
            &opts,
            |_| StoreSink {
                all: vec![Vec::new(); n_out],
                counts: Counts::default(),
                sample: new_sample(),
                reps: new_reps(),
            },
            |sink| {
                for (a, b) in all.iter_mut().zip(sink.all) {
                    a.extend(b);
                }
                counts.merge(&sink.counts);
                sample.append(sink.sample);
                reps.merge(&sink.reps);
            },
        )?;
        if r > 1 {
            rep_pcts = Some(
                all[..N_MAIN]
                    .par_iter()
                    .map(|v| replicate_percentiles(v, r))
                    .collect(),
            );
        }
        let ranks = summary::needed_ranks(n);
        let stats: Vec<Box<dyn OrderStats>> = all
            .into_par_iter()
            .map(|v| Box::new(Selected::new(v, &ranks)) as Box<dyn OrderStats>)
            .collect();
        (stats, counts, sample)
    } else {
        streaming_stats(plan, source, n, &opts, n_out, &new_sample, &mut reps)?
    };

    let cat_stats: Vec<CategoryStats> = plan
        .categories
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let o = &*stats[N_MAIN + c];
            CategoryStats {
                category: name.clone(),
                mean: o.moments().mean,
                p10: summary::percentile(o, 0.10),
                p90: summary::percentile(o, 0.90),
            }
        })
        .collect();
    let mut sorted_cats = cat_stats.clone();
    sorted_cats.sort_by(|a, b| b.mean.total_cmp(&a.mean));
    let payback = summary::payback_stats(
        &*stats[0],
        counts.pb[0],
        counts.pb[1],
        counts.pb[2],
        s.horizon,
    );
    let discounted = summary::payback_stats(
        &*stats[1],
        counts.dpb[0],
        counts.dpb[1],
        counts.dpb[2],
        s.horizon,
    );
    let npv_stats = summary::value_stats(&*stats[2]);
    let (a, b) = crate::stats::wilson(counts.npv_neg, n);
    let mut warnings = Vec::new();
    let censored = 1.0 - payback.prob_within_horizon;
    if censored > 0.2 {
        warnings.push(format!(
            "{:.0}% of trials do not pay back within {} months; consider a longer horizon_months",
            100.0 * censored,
            s.horizon
        ));
    }
    let (roi, roi_undefined) = summary::defined_value_stats(&*stats[3]);
    if roi_undefined > 0 {
        warnings.push(format!(
            "ROI is undefined in {roi_undefined} of {n} trials (the present value of costs is 0 there), so ROI is not reported"
        ));
    }
    if n < 1_000 {
        warnings.push(format!(
            "only {n} trials: percentiles are rough; use --trials 10000 or more"
        ));
    }
    let summary = Summary {
        schema_version: 2,
        scenario: s.name.clone(),
        currency: s.currency.clone(),
        trials: n,
        seed: cfg.seed,
        sampling: cfg.sampling.clone(),
        horizon_months: s.horizon,
        discount_rate: s.discount_rate,
        verdict: summary::verdict(&payback, s.horizon),
        payback,
        discounted_payback: discounted,
        npv: NpvStats {
            stats: npv_stats,
            prob_negative: counts.npv_neg as f64 / n.max(1) as f64,
            prob_negative_ci: [a, b],
        },
        roi,
        tco: TcoStats {
            stats: summary::value_stats(&*stats[4]),
            by_category: cat_stats
                .iter()
                .map(|c| (c.category.clone(), c.mean))
                .collect(),
            categories: sorted_cats,
        },
        pv_costs: summary::value_stats(&*stats[5]),
        pv_benefits: summary::value_stats(&*stats[6]),
        warnings,
        intervals: summary::Intervals::IndependentDraws,
        precision: None,
    };
    let mut summary = summary;
    replicates::apply(&mut summary, &reps, rep_pcts.as_deref());
    let fan = fan_from_paths(&sample.paths);
    Ok(RunResult {
        summary,
        sample: Sample {
            inputs: sample.inputs,
            outputs: sample.outputs,
        },
        fan,
        categories: plan.categories.clone(),
    })
}

type StreamOut = (Vec<Box<dyn OrderStats>>, Counts, SamplePart);

fn streaming_stats(
    plan: &Plan,
    source: &dyn TrialSource,
    n: u64,
    opts: &RunOptions,
    n_out: usize,
    new_sample: &(dyn Fn() -> SamplePart + Sync),
    reps: &mut ReplicateAcc,
) -> Result<StreamOut, RunError> {
    // Pilot: the first trials, stored, to place the bins.
    let pilot_n = PILOT.min(n);
    let pilot_opts = RunOptions {
        threads: opts.threads,
        record_paths_below: 0,
        cancel: opts.cancel,
        progress: None,
    };
    let pilot = engine::run(plan, source, 0..pilot_n, &pilot_opts, |_| StoreSink {
        all: vec![Vec::new(); n_out],
        counts: Counts::default(),
        sample: SamplePart::new(0, 0, 0, 0, 0),
        reps: ReplicateAcc::new(n, 1, 0),
    })?;
    let mut pv: Vec<Vec<f64>> = vec![Vec::new(); n_out];
    for s in pilot {
        for (a, b) in pv.iter_mut().zip(s.all) {
            a.extend(b);
        }
    }
    let bins: Vec<Bins> = pv
        .into_iter()
        .map(|mut v| {
            v.sort_unstable_by(f64::total_cmp);
            Bins::from_sorted(&v)
        })
        .collect();
    let bins = std::sync::Arc::new(bins);
    // Pass 1.
    let mut counts: Vec<Vec<u64>> = bins.iter().map(|b| vec![0; b.n_bins()]).collect();
    let mut moments = vec![Moments::default(); n_out];
    let mut thresholds = Counts::default();
    let mut sample = new_sample();
    let r = reps.replicates();
    let merge = |s: HistSink| {
        for k in 0..n_out {
            for i in 0..counts[k].len() {
                counts[k][i] += s.counts[k][i];
            }
            moments[k].merge(&s.moments[k]);
        }
        thresholds.merge(&s.thresholds);
        sample.append(s.sample);
        reps.merge(&s.reps);
    };
    engine::run_fold(
        plan,
        source,
        0..n,
        opts,
        |_| HistSink {
            bins: bins.clone(),
            counts: bins.iter().map(|b| vec![0; b.n_bins()]).collect(),
            moments: vec![Moments::default(); n_out],
            thresholds: Counts::default(),
            sample: new_sample(),
            reps: ReplicateAcc::new(n, r, N_MAIN),
        },
        merge,
    )?;
    // Which bins hold the needed ranks?
    let ranks = summary::needed_ranks(n);
    let mut known: Vec<BTreeMap<u64, f64>> = vec![BTreeMap::new(); n_out];
    let mut wanted: Vec<Vec<bool>> = bins.iter().map(|b| vec![false; b.n_bins()]).collect();
    let mut rank_bin: Vec<Vec<(u64, usize, u64)>> = vec![Vec::new(); n_out]; // (rank, bin, rank within bin)
    for k in 0..n_out {
        let mut cum = 0u64;
        let mut ri = 0;
        for (i, c) in counts[k].iter().enumerate() {
            while ri < ranks.len() && ranks[ri] < cum + c {
                let r = ranks[ri];
                // Odd bins hold exactly one value (an edge): no need to collect them.
                if i % 2 == 1 {
                    known[k].insert(r, bins[k].edges[i / 2]);
                } else {
                    wanted[k][i] = true;
                    rank_bin[k].push((r, i, r - cum));
                }
                ri += 1;
            }
            cum += c;
        }
    }
    // Pass 2 only if some rank is not yet known.
    if rank_bin.iter().any(|v| !v.is_empty()) {
        let wanted = std::sync::Arc::new(wanted);
        let quiet = RunOptions {
            threads: opts.threads,
            record_paths_below: 0,
            cancel: opts.cancel,
            progress: opts.progress,
        };
        let mut per_bin: Vec<BTreeMap<usize, Vec<f64>>> = vec![BTreeMap::new(); n_out];
        engine::run_fold(
            plan,
            source,
            0..n,
            &quiet,
            |_| CollectSink {
                bins: bins.clone(),
                wanted: wanted.clone(),
                values: vec![Vec::new(); n_out],
            },
            |s| {
                for (k, vals) in s.values.into_iter().enumerate() {
                    for (i, x) in vals {
                        per_bin[k].entry(i).or_default().push(x);
                    }
                }
            },
        )?;
        for k in 0..n_out {
            for v in per_bin[k].values_mut() {
                v.sort_unstable_by(f64::total_cmp);
            }
            for &(r, i, within) in &rank_bin[k] {
                let v = per_bin[k]
                    .get(&i)
                    .and_then(|v| v.get(within as usize))
                    .copied()
                    .unwrap_or(f64::NAN);
                known[k].insert(r, v);
            }
        }
    }
    let stats = known
        .into_iter()
        .zip(moments)
        .map(|(at, m)| Box::new(Resolved { n, at, m }) as Box<dyn OrderStats>)
        .collect();
    Ok((stats, thresholds, sample))
}

/// The standard percentiles of each replicate's slice of one output (trial order).
fn replicate_percentiles(v: &[f64], r: u64) -> RepPercentiles {
    let n = v.len() as u64;
    (0..r)
        .map(|k| {
            let a = engine::replicate_start(k, n, r) as usize;
            let b = engine::replicate_start(k + 1, n, r) as usize;
            let part = v[a..b].to_vec();
            let ps = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];
            let ranks = summary::percentile_ranks(part.len() as u64, &ps);
            let sel = Selected::new(part, &ranks);
            ps.map(|p| summary::percentile(&sel, p))
        })
        .collect()
}

fn fan_from_paths(paths: &[Vec<f64>]) -> Fan {
    let mut fan = Fan {
        trials: paths.first().map(|p| p.len() as u64).unwrap_or(0),
        ..Fan::default()
    };
    let n = fan.trials;
    let ranks = summary::percentile_ranks(n, &[0.05, 0.25, 0.5, 0.75, 0.95]);
    let cols: Vec<Selected> = paths
        .par_iter()
        .map(|col| Selected::new(col.clone(), &ranks))
        .collect();
    for (t, o) in cols.iter().enumerate() {
        fan.months.push(t as u32);
        fan.p5.push(summary::percentile(o, 0.05));
        fan.p25.push(summary::percentile(o, 0.25));
        fan.p50.push(summary::percentile(o, 0.50));
        fan.p75.push(summary::percentile(o, 0.75));
        fan.p95.push(summary::percentile(o, 0.95));
    }
    fan
}

#[cfg(test)]
mod tests {
    use super::Bins;

    #[test]
    fn lookup_bins_agree_with_a_plain_search() {
        let mut v: Vec<f64> = (0..20_000)
            .map(|i| ((i * 7919) % 20_000) as f64 / 3.0 - 1000.0)
            .collect();
        v.extend([f64::INFINITY; 50]);
        v.extend([5.0; 300]);
        v.sort_by(f64::total_cmp);
        let b = Bins::from_sorted(&v);
        let plain = |x: f64| {
            let j = b.edges.partition_point(|e| *e < x);
            if j < b.edges.len() && b.edges[j] == x {
                2 * j + 1
            } else {
                2 * j
            }
        };
        for x in [
            -1e9,
            -1000.0,
            -999.9,
            0.0,
            5.0,
            5.000001,
            123.4,
            5665.0,
            5666.4,
            1e12,
            f64::INFINITY,
        ] {
            assert_eq!(b.index(x), plain(x), "{x}");
        }
        for &x in &v {
            assert_eq!(b.index(x), plain(x), "{x}");
        }
    }
}
