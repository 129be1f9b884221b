//! One Monte Carlo run of a scenario, from trials to a [`Summary`], in one pass over the
//! trials with memory bounded independently of the trial count.
//!
//! Every metric of [`Metric::all`] goes into a [`LogHist`] (a mergeable log-linear
//! histogram: O(1) work per value, percentiles within a bucket's width, atoms exact), one
//! per worker thread: integer counts merge in any order, so the result does not depend on
//! threads. Means and variances are accumulated per block and merged in trial order. The
//! first [`SAMPLE`] trials are kept for charts and rank correlations; nothing else grows
//! with the trial count, and no trial is run twice.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::accum::loghist::COARSE_BITS;
use crate::accum::{Counts, LogHist, Metric, SumAcc};
use crate::engine::{self, BatchOut, RunError, RunOptions, Sink, TrialSource};
use crate::model::Plan;
use crate::model::program::Col;
use crate::replicates::{self, RepPercentiles, ReplicateAcc};
use crate::scenario::Scenario;
use crate::stats::Moments;
use rayon::prelude::*;

use crate::summary::{
    self, CategoryStats, NpvStats, OrderStats, Sampling, Selected, Summary, TcoStats, Verdict,
};

pub mod precision;
pub mod spec;
mod state;
pub use precision::PrecisionTarget;
pub use spec::{Progress, RunSpec, SimulateError, run, run_plan};
pub use state::{RunState, STATE_VERSION};

/// Trials kept per output for charts and rank correlations.
pub const SAMPLE: u64 = 100_000;
/// Cumulative-path values kept for the cash-flow fan (paths × months).
pub const PATH_BUDGET: u64 = 4_000_000;

/// Output indices of [`Sample::outputs`] are [`Metric::index`]: the 7 metrics of
/// [`Metric::MAIN`], then one per cost category.
pub const N_MAIN: usize = Metric::MAIN.len();

fn output<'a>(b: &'a BatchOut, k: usize) -> &'a Col {
    metric_of(k).col(b)
}

fn metric_of(k: usize) -> Metric {
    Metric::MAIN
        .get(k)
        .copied()
        .unwrap_or(Metric::TcoCategory(k.saturating_sub(N_MAIN)))
}

/// The first trials of a run, per trial, for charts and correlations.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    /// Input draws: `inputs[i][trial]`.
    pub inputs: Vec<Vec<f64>>,
    /// Outputs: `outputs[k][trial]` (k as in [`N_MAIN`]; payback ∞ = censored).
    pub outputs: Vec<Vec<f64>>,
}

impl Sample {
    /// The kept values of one metric, in trial order.
    pub fn output(&self, m: Metric) -> &[f64] {
        self.outputs
            .get(m.index())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
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
    /// How the inputs are drawn (recorded in the summary).
    pub sampling: Sampling,
    /// Engine options.
    pub engine: RunOptions<'a>,
}

/// Keeps the sample and paths of the first trials.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct SamplePart {
    n_out: usize,
    sample_below: u64,
    paths_below: u64,
    #[serde(with = "crate::accum::codec::packed_table")]
    inputs: Vec<Vec<f64>>,
    #[serde(with = "crate::accum::codec::packed_table")]
    outputs: Vec<Vec<f64>>,
    #[serde(with = "crate::accum::codec::packed_table")]
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
    /// Size the vectors once for the block starting at `start` (no regrowth copies).
    fn reserve_block(&mut self, start: u64) {
        let s = self.sample_below.saturating_sub(start).min(engine::BLOCK) as usize;
        let p = self.paths_below.saturating_sub(start).min(engine::BLOCK) as usize;
        self.inputs
            .iter_mut()
            .chain(&mut self.outputs)
            .for_each(|v| v.reserve_exact(s));
        self.paths.iter_mut().for_each(|v| v.reserve_exact(p));
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
    /// Whether this part holds exactly the kept trials of `range` of a run of `n` trials
    /// of `plan`.
    fn check(&self, plan: &Plan, n: u64, range: std::ops::Range<u64>) -> Result<(), String> {
        let months = plan.horizon as usize + 1;
        let (sample_below, paths_below) = kept_below(n, months);
        let kept = |below: u64| below.min(range.end).saturating_sub(range.start) as usize;
        let cols_fit = |cols: &[Vec<f64>], count: usize, len: usize| {
            cols.len() == count && cols.iter().all(|c| c.len() == len)
        };
        let fits = self.n_out == n_outputs(plan)
            && self.sample_below == sample_below
            && self.paths_below == paths_below
            && cols_fit(&self.inputs, plan.n_inputs, kept(sample_below))
            && cols_fit(&self.outputs, self.n_out, kept(sample_below))
            // Paths are kept only when the run records them (a comparison does not).
            && (cols_fit(&self.paths, months, kept(paths_below))
                || cols_fit(&self.paths, months, 0));
        if fits {
            Ok(())
        } else {
            Err("its kept sample of the first trials does not fit the run".into())
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

/// The histograms of one worker thread: every metric, and per replicate the main ones.
#[derive(Clone)]
struct WorkerHists {
    main: Vec<LogHist>,
    reps: Vec<Vec<LogHist>>,
}

/// One [`WorkerHists`] per worker thread (plus one for any other thread), each locked
/// once per batch by the thread that owns it.
struct Slots {
    slots: Vec<Mutex<WorkerHists>>,
}

impl Slots {
    fn new(workers: usize, metrics: usize, replicates: u64) -> Self {
        let reps = if replicates > 1 {
            replicates as usize
        } else {
            0
        };
        Slots {
            slots: (0..workers + 1)
                .map(|_| {
                    Mutex::new(WorkerHists {
                        main: (0..metrics).map(|_| LogHist::new()).collect(),
                        reps: (0..reps)
                            .map(|_| {
                                (0..N_MAIN)
                                    .map(|_| LogHist::with_bits(COARSE_BITS))
                                    .collect()
                            })
                            .collect(),
                    })
                })
                .collect(),
        }
    }

    fn mine(&self) -> std::sync::MutexGuard<'_, WorkerHists> {
        let last = self.slots.len() - 1;
        let i = rayon::current_thread_index().map_or(last, |i| i.min(last));
        self.slots[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Merge every worker's histograms (order-free: integer counts, minima, maxima).
    fn merged(self) -> WorkerHists {
        let mut all = self
            .slots
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()));
        let first = all.next().unwrap_or_else(WorkerHists::empty);
        all.fold(first, |mut acc, w| {
            acc.absorb(&w);
            acc
        })
    }

    /// The same, leaving the slots as they are (for a result before the run ends).
    fn merged_copy(&self) -> WorkerHists {
        let mut acc: Option<WorkerHists> = None;
        for m in &self.slots {
            let w = m.lock().unwrap_or_else(|e| e.into_inner());
            match acc.as_mut() {
                Some(a) => a.absorb(&w),
                None => acc = Some(w.clone()),
            }
        }
        acc.unwrap_or_else(WorkerHists::empty)
    }
}

impl WorkerHists {
    fn empty() -> Self {
        WorkerHists {
            main: Vec::new(),
            reps: Vec::new(),
        }
    }

    /// Add another worker's (or range's) histograms: order-free.
    fn absorb(&mut self, o: &WorkerHists) {
        for (a, b) in self.main.iter_mut().zip(&o.main) {
            a.merge(b);
        }
        for (ra, rb) in self.reps.iter_mut().zip(&o.reps) {
            for (a, b) in ra.iter_mut().zip(rb) {
                a.merge(b);
            }
        }
    }
}

/// One block's statistics: histograms go to the worker's slot; moments, threshold counts,
/// replicate tallies and the kept sample stay with the block and merge in trial order.
pub struct StatSink {
    slots: Arc<Slots>,
    n: u64,
    replicates: u64,
    sums: Vec<SumAcc>,
    counts: Counts,
    sample: SamplePart,
    reps: ReplicateAcc,
}

impl Sink for StatSink {
    fn absorb(&mut self, b: &BatchOut) {
        let len = b.len;
        {
            let mut w = self.slots.mine();
            for (k, h) in w.main.iter_mut().enumerate() {
                h.extend(&output(b, k)[..len]);
            }
            if self.replicates > 1 {
                for (r, lanes) in engine::replicate_segments(b.start, len, self.n, self.replicates)
                {
                    for (k, h) in w.reps[r].iter_mut().enumerate() {
                        h.extend(&output(b, k)[lanes.clone()]);
                    }
                }
            }
        }
        for (k, m) in self.sums.iter_mut().enumerate() {
            m.add_batch(&output(b, k)[..len]);
        }
        self.counts.add(b, 0..b.len);
        self.sample.add(b);
        self.reps.absorb_cols(b, &main_cols(b));
    }
}

fn main_cols<'a>(b: &'a BatchOut) -> [&'a [f64]; N_MAIN] {
    std::array::from_fn(|k| &output(b, k)[..b.len])
}

/// The order statistics of a histogram resolved at the needed ranks, with `m`.
fn resolved(h: &LogHist, ranks: &[u64], m: Moments) -> Selected {
    Selected::found(h.n(), h.order_stats(ranks).into_iter().collect(), m)
}

/// The standard percentiles of one replicate's histogram.
fn replicate_percentiles(h: &LogHist) -> [f64; 7] {
    let ps = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];
    let r = resolved(
        h,
        &summary::percentile_ranks(h.n(), &ps),
        Moments::default(),
    );
    ps.map(|p| summary::percentile(&r, p))
}

/// How many of a run's first trials keep their sample, and their cash-flow paths.
fn kept_below(n: u64, months: usize) -> (u64, u64) {
    let paths = (PATH_BUDGET / months as u64).clamp(1_000, SAMPLE).min(n);
    (SAMPLE.min(n), paths)
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
    let state = simulate_range(plan, source, cfg.trials, 0..cfg.trials, &cfg.engine)?;
    Ok(state.finish(s, plan, cfg))
}

/// Run the trials `range` of a run of `n` trials and return their accumulated state (a
/// shard of the run; states of the ranges that cover 0..n merge into the whole run).
pub fn simulate_range(
    plan: &Plan,
    source: &dyn TrialSource,
    n: u64,
    range: std::ops::Range<u64>,
    engine: &RunOptions,
) -> Result<RunState, RunError> {
    let mut acc = RunAcc::new(plan, n, source.replicates(), engine.threads)
        .statistics_only(engine.statistics_only);
    let maker = acc.sinks();
    engine::run_fold(
        plan,
        source,
        range.clone(),
        &acc.options(engine),
        |start| maker.block_sink(start),
        |sink| acc.merge_block(sink),
    )?;
    drop(maker);
    Ok(acc.into_state(range))
}

/// The sizes of one run that its accumulator and every block sink share: trials, outputs,
/// replicates, months, inputs, and how many first trials keep their sample and paths.
#[derive(Clone, Copy)]
struct RunShape {
    n: u64,
    n_out: usize,
    replicates: u64,
    months: usize,
    n_inputs: usize,
    sample_below: u64,
    paths_below: u64,
}

impl RunShape {
    /// An empty kept sample of this shape.
    fn sample_part(&self) -> SamplePart {
        SamplePart::new(
            self.n_inputs,
            self.n_out,
            self.months,
            self.sample_below,
            self.paths_below,
        )
    }
}

/// Makes the block sinks of one [`RunAcc`].
pub struct SinkMaker {
    slots: Arc<Slots>,
    shape: RunShape,
}

impl SinkMaker {
    /// A sink for the block of trials starting at `start` (at most [`engine::BLOCK`]).
    pub fn block_sink(&self, start: u64) -> StatSink {
        let RunShape {
            n,
            n_out,
            replicates,
            ..
        } = self.shape;
        let mut sample = self.shape.sample_part();
        sample.reserve_block(start);
        StatSink {
            slots: self.slots.clone(),
            n,
            replicates,
            sums: vec![SumAcc::default(); n_out],
            counts: Counts::default(),
            sample,
            reps: ReplicateAcc::new(n, replicates, N_MAIN),
        }
    }
}

/// The statistics of one run as they accumulate: histograms per worker thread, and the
/// block-ordered parts (moments, threshold counts, replicate tallies, kept sample). A run
/// hands every block a [`StatSink`] from [`RunAcc::sinks`], merges the sinks back in
/// trial order with [`RunAcc::merge_block`], and turns the whole into a [`RunResult`] with
/// [`RunAcc::finish`]. Several scenarios can accumulate side by side over the same trials
/// (paired comparisons) without running any trial twice.
pub struct RunAcc {
    shape: RunShape,
    slots: Arc<Slots>,
    sums: Vec<SumAcc>,
    counts: Counts,
    sample: SamplePart,
    reps: ReplicateAcc,
}

impl RunAcc {
    /// For `n` trials of `plan` in `replicates` replicates, on `threads` workers (None =
    /// all cores).
    pub fn new(plan: &Plan, n: u64, replicates: u64, threads: Option<usize>) -> Self {
        let n_out = n_outputs(plan);
        let months = plan.horizon as usize + 1;
        let (sample_below, paths_below) = kept_below(n, months);
        let workers = threads.unwrap_or_else(rayon::current_num_threads);
        let shape = RunShape {
            n,
            n_out,
            replicates,
            months,
            n_inputs: plan.n_inputs,
            sample_below,
            paths_below,
        };
        RunAcc {
            shape,
            slots: Arc::new(Slots::new(workers, n_out, replicates)),
            sums: vec![SumAcc::default(); n_out],
            counts: Counts::default(),
            sample: shape.sample_part(),
            reps: ReplicateAcc::new(n, replicates, N_MAIN),
        }
    }

    /// The same accumulator keeping no per-trial sample when `yes` (see
    /// [`RunOptions::statistics_only`]).
    pub fn statistics_only(mut self, yes: bool) -> Self {
        if yes {
            self.shape.sample_below = 0;
            self.shape.paths_below = 0;
            self.sample = self.shape.sample_part();
        }
        self
    }

    /// Engine options for this run: `engine`'s threads, cancel flag and progress, with the
    /// cash-flow paths recorded for the fan.
    pub fn options<'a>(&self, engine: &RunOptions<'a>) -> RunOptions<'a> {
        RunOptions {
            threads: engine.threads,
            record_paths_below: self.shape.paths_below,
            cancel: engine.cancel,
            progress: engine.progress,
            simd: engine.simd,
            statistics_only: engine.statistics_only,
        }
    }

    /// What makes this run's block sinks (drop it before [`RunAcc::finish`]).
    pub fn sinks(&self) -> SinkMaker {
        SinkMaker {
            slots: self.slots.clone(),
            shape: self.shape,
        }
    }

    /// Take a finished block's sink (blocks must come in trial order).
    pub fn merge_block(&mut self, sink: StatSink) {
        self.merge_parts(&sink.sums, &sink.counts, sink.sample, &sink.reps);
    }

    /// Merge the block-ordered parts of the trials that follow this accumulator's.
    fn merge_parts(
        &mut self,
        sums: &[SumAcc],
        counts: &Counts,
        sample: SamplePart,
        reps: &ReplicateAcc,
    ) {
        for (a, b) in self.sums.iter_mut().zip(sums) {
            a.merge(b);
        }
        self.counts.merge(counts);
        self.sample.append(sample);
        self.reps.merge(reps);
    }

    /// The run's result.
    pub fn finish(self, s: &Scenario, plan: &Plan, cfg: &RunConfig) -> RunResult {
        let n = self.shape.n;
        self.into_state(0..n).finish(s, plan, cfg)
    }
}

#[allow(clippy::too_many_arguments)]
fn summarise(
    s: &Scenario,
    plan: &Plan,
    cfg: &RunConfig,
    n: u64,
    stats: Vec<Box<dyn OrderStats>>,
    counts: Counts,
    sample: SamplePart,
    reps: ReplicateAcc,
    rep_pcts: Option<Vec<RepPercentiles>>,
) -> RunResult {
    let cat_stats: Vec<CategoryStats> = plan
        .categories
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let o = &*stats[Metric::TcoCategory(c).index()];
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
    let stat = |m: Metric| &*stats[m.index()];
    let payback = summary::payback_stats(stat(Metric::Payback), counts.pb, s.horizon);
    let discounted = summary::payback_stats(stat(Metric::DiscountedPayback), counts.dpb, s.horizon);
    let npv_stats = summary::value_stats(stat(Metric::Npv));
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
    let (roi, roi_undefined) = summary::defined_value_stats(stat(Metric::Roi));
    if roi_undefined > 0 {
        warnings.push(format!(
            "ROI is undefined in {} of {} trials (the present value of costs is 0 or negative there), so ROI is not reported",
            crate::format::count(roi_undefined),
            crate::format::count(n)
        ));
    }
    if n < 1_000 && cfg.sampling != Sampling::Deterministic {
        warnings.push(format!(
            "only {n} trials: percentiles are rough; run 10,000 trials or more"
        ));
    }
    let summary = Summary {
        schema_version: 2,
        scenario: s.name.clone(),
        currency: s.currency.clone(),
        trials: n,
        seed: cfg.seed,
        sampling: cfg.sampling,
        horizon_months: s.horizon,
        discount_rate: s.discount_rate,
        verdict: Verdict::judge(&payback, s.horizon, cfg.sampling),
        payback,
        discounted_payback: discounted,
        npv: NpvStats {
            stats: npv_stats,
            prob_negative: counts.npv_neg as f64 / n.max(1) as f64,
            prob_negative_ci: [a, b],
        },
        roi,
        tco: TcoStats {
            stats: summary::value_stats(stat(Metric::Tco)),
            by_category: cat_stats
                .iter()
                .map(|c| (c.category.clone(), c.mean))
                .collect(),
            categories: sorted_cats,
        },
        pv_costs: summary::value_stats(stat(Metric::PvCosts)),
        pv_benefits: summary::value_stats(stat(Metric::PvBenefits)),
        peak_funding: summary::value_stats(stat(Metric::PeakFunding)),
        warnings,
        intervals: summary::Intervals::IndependentDraws,
        precision: None,
    };
    let mut summary = summary;
    replicates::apply(&mut summary, &reps, rep_pcts.as_deref());
    let fan = fan_from_paths(sample.paths);
    RunResult {
        summary,
        sample: Sample {
            inputs: sample.inputs,
            outputs: sample.outputs,
        },
        fan,
        categories: plan.categories.clone(),
    }
}

fn fan_from_paths(paths: Vec<Vec<f64>>) -> Fan {
    let mut fan = Fan {
        trials: paths.first().map(|p| p.len() as u64).unwrap_or(0),
        ..Fan::default()
    };
    let n = fan.trials;
    let ranks = summary::percentile_ranks(n, &[0.05, 0.25, 0.5, 0.75, 0.95]);
    // Exact order statistics by selection, on the columns themselves (they are not needed
    // afterwards, so nothing is copied).
    let cols: Vec<Selected> = paths
        .into_par_iter()
        .map(|col| Selected::new(col, &ranks))
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
