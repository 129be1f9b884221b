//! Runs trials in parallel, reproducibly.
//!
//! Trials are cut into fixed blocks of [`BLOCK`] trials (independent of the thread count);
//! each block runs batch by batch through the kernel into a [`Sink`] of its own, and the
//! caller merges the sinks in block order. Because every draw is a pure function of
//! (seed, input, trial) (see [`crate::rng`]), the result is bit-identical for any number
//! of threads.

pub mod kernel;
pub mod simd;
pub mod sources;

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::model::Plan;
use crate::model::program::{Col, LANES};
pub use kernel::Scratch;
pub use simd::{Kernel, Simd};
pub use sources::{FixedSource, TrialSource, replicate_of, replicate_segments, replicate_start};

/// Trials per parallel block.
pub const BLOCK: u64 = 16 * LANES as u64;

/// What a batch produced; lanes `0..len` are valid.
pub struct BatchOut<'a> {
    /// First trial index.
    pub start: u64,
    /// Valid lanes.
    pub len: usize,
    /// Input columns by input index.
    pub inputs: &'a [Col],
    /// Payback (∞ = did not pay back within the horizon).
    pub payback: &'a Col,
    /// Discounted payback.
    pub dpayback: &'a Col,
    /// NPV.
    pub npv: &'a Col,
    /// ROI.
    pub roi: &'a Col,
    /// TCO.
    pub tco: &'a Col,
    /// PV costs.
    pub pvc: &'a Col,
    /// PV benefits.
    pub pvb: &'a Col,
    /// Peak funding need: max(0, −min over months of the cumulative cash flow).
    pub peak: &'a Col,
    /// TCO per category.
    pub tco_cat: &'a [Col],
    /// Cumulative cash flow per month (empty unless recorded for this batch).
    pub paths: &'a [Col],
}

/// Receives batches of one block, in trial order.
pub trait Sink: Send {
    /// Take one batch.
    fn absorb(&mut self, out: &BatchOut);
}

/// Run-time failures.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An amount was not a finite number.
    #[error(
        "line item `{item}` is {value} in month {month} of trial {trial} (a division by zero, ln or sqrt of a negative number, clamp bounds lo > hi, or overflow?); inputs in that trial: {inputs}"
    )]
    NonFinite {
        /// Item.
        item: String,
        /// Month.
        month: u32,
        /// Trial.
        trial: u64,
        /// The value (NaN or ±∞).
        value: f64,
        /// The trial's input values.
        inputs: String,
    },
    /// Cumulative sums overflowed.
    #[error("cash flows overflowed to infinity in trial {trial}; amounts are too large")]
    Overflow {
        /// Trial.
        trial: u64,
    },
    /// Stopped by the user.
    #[error("interrupted")]
    Interrupted,
    /// Thread pool.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// Options of a run.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Worker threads (None = all cores).
    pub threads: Option<usize>,
    /// Record cumulative paths for trials below this index.
    pub record_paths_below: u64,
    /// Set to stop early.
    pub cancel: Option<&'a AtomicBool>,
    /// Counts finished trials.
    pub progress: Option<&'a AtomicU64>,
    /// Instruction sets the kernel may use (the results are the same; see [`simd`]).
    pub simd: Simd,
    /// Keep no per-trial sample (the first trials' inputs, outputs and cash-flow paths,
    /// which charts, rank correlations and the cash-flow fan draw from): the statistics
    /// are the same, the run lighter. For a summary alone.
    pub statistics_only: bool,
}

/// Blocks run in parallel before their sinks are handed to the merge, in order.
pub const CHUNK_BLOCKS: u64 = 16;

/// Run `trials` through the model; returns one sink per block, in order.
pub fn run<S, F>(
    plan: &Plan,
    source: &dyn TrialSource,
    trials: Range<u64>,
    opts: &RunOptions,
    make_sink: F,
) -> Result<Vec<S>, RunError>
where
    S: Sink,
    F: Fn(u64) -> S + Sync,
{
    let mut out = Vec::new();
    run_fold(plan, source, trials, opts, make_sink, |s| out.push(s))?;
    Ok(out)
}

/// Run `trials`, handing each block's sink to `merge` in block order as soon as its chunk
/// of [`CHUNK_BLOCKS`] blocks is done, so memory holds one chunk of sinks at a time.
pub fn run_fold<S, F>(
    plan: &Plan,
    source: &dyn TrialSource,
    trials: Range<u64>,
    opts: &RunOptions,
    make_sink: F,
    mut merge: impl FnMut(S) + Send,
) -> Result<(), RunError>
where
    S: Sink,
    F: Fn(u64) -> S + Sync,
{
    fold_blocks(
        trials,
        opts.threads,
        |range| run_block(plan, source, range.clone(), opts, make_sink(range.start)),
        &mut merge,
    )
}

/// Cut `trials` into blocks of [`BLOCK`], run them `CHUNK_BLOCKS` at a time in parallel
/// (on a pool of `threads` workers, or the global one), and hand each block's result to
/// `merge` in block order. Every block of a chunk finishes before the first error *in
/// trial order* is returned, so the trial an error names does not depend on which thread
/// was faster (collecting into a `Result` would keep whichever error came first).
fn fold_blocks<S, E>(
    trials: Range<u64>,
    threads: Option<usize>,
    run: impl Fn(Range<u64>) -> Result<S, E> + Sync,
    merge: &mut (impl FnMut(S) + Send),
) -> Result<(), E>
where
    S: Send,
    E: Send + From<RunError>,
{
    let n_blocks = (trials.end - trials.start).div_ceil(BLOCK);
    let mut work = || -> Result<(), E> {
        let mut b0 = 0;
        while b0 < n_blocks {
            let b1 = (b0 + CHUNK_BLOCKS).min(n_blocks);
            let results: Vec<Result<S, E>> = (b0..b1)
                .into_par_iter()
                .map(|b| {
                    let start = trials.start + b * BLOCK;
                    run(start..(start + BLOCK).min(trials.end))
                })
                .collect();
            let mut sinks = Vec::with_capacity(results.len());
            for r in results {
                sinks.push(r?);
            }
            sinks.into_iter().for_each(&mut *merge);
            b0 = b1;
        }
        Ok(())
    };
    match threads {
        Some(n) => pool(n).map_err(E::from)?.install(work),
        None => work(),
    }
}

/// Run `f` on the pool of `threads` workers a run would use (`None`: the global pool), so
/// that work around a run (building a scenario's quantile tables) keeps to the same
/// threads.
pub fn on_threads<R: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> R + Send,
) -> Result<R, RunError> {
    match threads {
        Some(n) => Ok(pool(n)?.install(f)),
        None => Ok(f()),
    }
}

/// A thread pool of `n` workers, built once per size and reused (sweeps run many times).
fn pool(n: usize) -> Result<std::sync::Arc<rayon::ThreadPool>, RunError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = pools.get(&n) {
        return Ok(p.clone());
    }
    let p = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|_| RunError::Threads(n))?,
    );
    pools.insert(n, p.clone());
    Ok(p)
}

/// Trials in the batch starting at `start`: batches end at absolute multiples of
/// [`LANES`] (or at `end`), so a batch holds the same trials however the range was split
/// into blocks, threads or shards (at multiples of [`LANES`]), and per-batch sums are
/// reproducible.
#[inline]
fn batch_len(start: u64, end: u64) -> usize {
    let to_boundary = LANES as u64 - start % LANES as u64;
    (end - start).min(to_boundary) as usize
}

/// The error for the first trial of a batch whose amounts are not finite, if any.
fn non_finite(plan: &Plan, s: &Scratch, start: u64, len: usize) -> Option<RunError> {
    let l = kernel::first_non_finite(s, len)?;
    let inputs: Vec<f64> = (0..plan.n_inputs).map(|i| s.regs[i][l]).collect();
    let trial = start + l as u64;
    Some(match plan.first_non_finite_amount(&inputs) {
        Some((month, item, value)) => RunError::NonFinite {
            item,
            month,
            trial,
            value,
            inputs: plan
                .input_names
                .iter()
                .zip(&inputs)
                .map(|(n, v)| format!("{n} = {}", crate::format::short_number(*v)))
                .collect::<Vec<_>>()
                .join(", "),
        },
        None => RunError::Overflow { trial },
    })
}

fn batch_out<'a>(
    s: &'a Scratch,
    n_inputs: usize,
    start: u64,
    len: usize,
    record: bool,
) -> BatchOut<'a> {
    BatchOut {
        start,
        len,
        inputs: &s.regs[..n_inputs],
        payback: &s.payback,
        dpayback: &s.dpayback,
        npv: &s.npv,
        roi: &s.roi,
        tco: &s.tco,
        pvc: &s.pvc,
        pvb: &s.pvb,
        peak: &s.peak,
        tco_cat: &s.tco_cat,
        paths: if record { &s.paths } else { &[] },
    }
}

/// Receives, for each batch of trials, one [`BatchOut`] per plan of a paired run (the same
/// trial indices through every plan), in trial order.
pub trait MultiSink: Send {
    /// Take one batch of every plan.
    fn absorb(&mut self, outs: &[BatchOut]);
}

/// Run the same trials through several plans side by side (common random numbers: each
/// plan reads its own source at the same trial indices), handing each block's sink to
/// `merge` in block order. An error names the plan (its index) that failed first in trial
/// order.
pub fn run_fold_many<S, F>(
    plans: &[&Plan],
    sources: &[&dyn TrialSource],
    trials: Range<u64>,
    opts: &RunOptions,
    make_sink: F,
    mut merge: impl FnMut(S) + Send,
) -> Result<(), (usize, RunError)>
where
    S: MultiSink,
    F: Fn(u64) -> S + Sync,
{
    fold_blocks(
        trials,
        opts.threads,
        |range| {
            run_block_many(plans, sources, range.clone(), opts, make_sink(range.start))
                .map_err(PlanError)
        },
        &mut merge,
    )
    .map_err(|e| e.0)
}

/// A run-time error of one plan of a paired run: (plan index, error).
struct PlanError((usize, RunError));

impl From<RunError> for PlanError {
    fn from(e: RunError) -> Self {
        PlanError((0, e))
    }
}

fn run_block_many<S: MultiSink>(
    plans: &[&Plan],
    sources: &[&dyn TrialSource],
    range: Range<u64>,
    opts: &RunOptions,
    mut sink: S,
) -> Result<S, (usize, RunError)> {
    if let Some(c) = opts.cancel
        && c.load(Ordering::Relaxed)
    {
        return Err((0, RunError::Interrupted));
    }
    let record = range.start < opts.record_paths_below;
    let batch_kernel = Kernel::select(opts.simd);
    let mut scratch: Vec<Scratch> = plans.iter().map(|p| Scratch::new(p, record)).collect();
    let mut start = range.start;
    while start < range.end {
        let len = batch_len(start, range.end);
        for (i, (plan, s)) in plans.iter().zip(scratch.iter_mut()).enumerate() {
            sources[i].fill(start, len, &mut s.regs[..plan.n_inputs]);
            batch_kernel.run_batch(plan, s);
            if let Some(e) = non_finite(plan, s, start, len) {
                return Err((i, e));
            }
        }
        let rec = record && start < opts.record_paths_below;
        let outs: Vec<BatchOut> = plans
            .iter()
            .zip(&scratch)
            .map(|(p, s)| batch_out(s, p.n_inputs, start, len, rec))
            .collect();
        sink.absorb(&outs);
        start += len as u64;
    }
    if let Some(p) = opts.progress {
        p.fetch_add(range.end - range.start, Ordering::Relaxed);
    }
    Ok(sink)
}

/// Run one contiguous range of trials into a sink (single-threaded).
pub fn run_block<S: Sink>(
    plan: &Plan,
    source: &dyn TrialSource,
    range: Range<u64>,
    opts: &RunOptions,
    mut sink: S,
) -> Result<S, RunError> {
    if let Some(c) = opts.cancel
        && c.load(Ordering::Relaxed)
    {
        return Err(RunError::Interrupted);
    }
    let record = range.start < opts.record_paths_below;
    let batch_kernel = Kernel::select(opts.simd);
    let mut s = Scratch::new(plan, record);
    let mut start = range.start;
    while start < range.end {
        let len = batch_len(start, range.end);
        source.fill(start, len, &mut s.regs[..plan.n_inputs]);
        batch_kernel.run_batch(plan, &mut s);
        if let Some(e) = non_finite(plan, &s, start, len) {
            return Err(e);
        }
        let rec = record && start < opts.record_paths_below;
        sink.absorb(&batch_out(&s, plan.n_inputs, start, len, rec));
        start += len as u64;
    }
    if let Some(p) = opts.progress {
        p.fetch_add(range.end - range.start, Ordering::Relaxed);
    }
    Ok(sink)
}
