//! The accumulated state of a run over a range of its trials ([`RunState`]): what a shard
//! of a run on another machine writes, what merges into one run, and what finishes into a
//! [`RunResult`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{
    N_MAIN, RunAcc, RunConfig, RunResult, SamplePart, WorkerHists, replicate_percentiles, summarise,
};
use crate::accum::loghist::{COARSE_BITS, FINE_BITS};
use crate::accum::{Counts, LogHist, SumAcc};
use crate::model::Plan;
use crate::replicates::{RepPercentiles, ReplicateAcc};
use crate::scenario::Scenario;
use crate::summary::{self, OrderStats};
use rayon::prelude::*;

/// Version of [`RunState`]'s serialised form.
pub const STATE_VERSION: u32 = 2;

/// The whole accumulated state of a run over a range of its trials: what a shard of a run
/// on another machine sends back. States of adjacent ranges of the same run merge (in
/// trial order, for the kept sample) into exactly the state of one run over both: every
/// other part is integer counts, minima, maxima and exact sums.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunState {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// Trials of the whole run (replicate boundaries and the kept sample depend on it).
    pub trials: u64,
    /// The trials this state covers, `[start, end)`.
    pub range: [u64; 2],
    /// Replicates of the design.
    pub replicates: u64,
    hists: Vec<LogHist>,
    rep_hists: Vec<Vec<LogHist>>,
    sums: Vec<SumAcc>,
    counts: Counts,
    sample: SamplePart,
    reps: ReplicateAcc,
}

impl RunAcc {
    /// The state after running the trials `range` (every block merged).
    pub fn into_state(self, range: std::ops::Range<u64>) -> RunState {
        let RunAcc {
            shape,
            slots,
            sums,
            counts,
            sample,
            reps,
            ..
        } = self;
        let slots = Arc::try_unwrap(slots).unwrap_or_else(|_| unreachable!("every sink is merged"));
        let hists = slots.merged();
        RunState {
            version: STATE_VERSION,
            trials: shape.n,
            range: [range.start, range.end],
            replicates: shape.replicates,
            hists: hists.main,
            rep_hists: hists.reps,
            sums,
            counts,
            sample,
            reps,
        }
    }

    /// An accumulator holding a state (to merge others into, then finish).
    pub fn from_state(plan: &Plan, state: RunState, threads: Option<usize>) -> Self {
        let mut acc = RunAcc::new(plan, state.trials, state.replicates, threads);
        {
            let mut w = acc.slots.slots[0].lock().unwrap_or_else(|e| e.into_inner());
            w.main = state.hists;
            w.reps = state.rep_hists;
        }
        acc.sums = state.sums;
        acc.counts = state.counts;
        acc.sample = state.sample;
        acc.reps = state.reps;
        acc
    }

    /// Let the run go on to `n` trials in all (Monte Carlo designs only: a Latin hypercube
    /// or Sobol design depends on the total). The trials run so far are kept; the next
    /// ones are merged as they come, so precision control never runs a trial twice.
    pub fn grow(&mut self, n: u64) {
        let shape = &mut self.shape;
        debug_assert!(shape.replicates <= 1 && n >= shape.n);
        shape.n = n;
        (shape.sample_below, shape.paths_below) = super::kept_below(n, shape.months);
        self.sample.sample_below = shape.sample_below;
        self.sample.paths_below = shape.paths_below;
        self.reps = ReplicateAcc::new(n, 1, N_MAIN);
    }

    /// The result so far, leaving the accumulator to go on.
    pub fn result_so_far(&self, s: &Scenario, plan: &Plan, cfg: &RunConfig) -> RunResult {
        let hists = self.slots.merged_copy();
        RunState {
            version: STATE_VERSION,
            trials: self.shape.n,
            range: [0, self.shape.n],
            replicates: self.shape.replicates,
            hists: hists.main,
            rep_hists: hists.reps,
            sums: self.sums.clone(),
            counts: self.counts,
            sample: self.sample.clone(),
            reps: self.reps.clone(),
        }
        .finish(s, plan, cfg)
    }

    /// Merge the state of the trials that follow this accumulator's (trial order matters
    /// only for the kept sample, which is the run's first trials).
    pub fn merge_state(&mut self, later: RunState) {
        self.slots.slots[0]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .absorb(&WorkerHists {
                main: later.hists,
                reps: later.rep_hists,
            });
        self.merge_parts(&later.sums, &later.counts, later.sample, &later.reps);
    }
}

impl RunState {
    /// The result of the run this state covers (all of it: `range` = 0..`trials`).
    pub fn finish(self, s: &Scenario, plan: &Plan, cfg: &RunConfig) -> RunResult {
        let n = self.trials;
        let ranks = summary::needed_ranks(n);
        let stats: Vec<Box<dyn OrderStats>> = self
            .hists
            .par_iter()
            .zip(&self.sums)
            .map(|(h, m)| Box::new(super::resolved(h, &ranks, m.moments())) as Box<dyn OrderStats>)
            .collect();
        let rep_pcts: Option<Vec<RepPercentiles>> = (self.replicates > 1).then(|| {
            (0..N_MAIN)
                .map(|k| {
                    self.rep_hists
                        .iter()
                        .map(|rep| replicate_percentiles(&rep[k]))
                        .collect()
                })
                .collect()
        });
        summarise(
            s,
            plan,
            cfg,
            n,
            stats,
            self.counts,
            self.sample,
            self.reps,
            rep_pcts,
        )
    }
}

impl RunState {
    /// Merge the states of adjacent ranges of one run of `plan`, in trial order (checked
    /// with [`RunState::check`] first when read from files), into the state of their union.
    pub fn merge_in_order(plan: &Plan, states: Vec<RunState>, threads: Option<usize>) -> Self {
        let mut it = states.into_iter();
        let Some(first) = it.next() else {
            return RunAcc::new(plan, 0, 1, threads).into_state(0..0);
        };
        let start = first.range[0];
        let mut end = first.range[1];
        let mut acc = RunAcc::from_state(plan, first, threads);
        for st in it {
            end = st.range[1];
            acc.merge_state(st);
        }
        acc.into_state(start..end)
    }

    /// Check that this state fits a run of `plan` over its range: every vector has the
    /// plan's shape and every tally counts the range's trials, so that a state read from a
    /// file cannot make [`RunState::finish`] misbehave.
    ///
    /// # Errors
    /// What does not fit, in words.
    pub fn check(&self, plan: &Plan) -> Result<(), String> {
        let [start, end] = self.range;
        if start > end || end > self.trials {
            return Err(format!(
                "its trial range {start}..{end} is not within the run's {} trials",
                self.trials
            ));
        }
        let len = end - start;
        if let Some(h) = self.hists.iter().find(|h| h.bits() != FINE_BITS) {
            return Err(format!(
                "a histogram keeps {} bits per bucket where a run keeps {FINE_BITS}",
                h.bits()
            ));
        }
        let n_out = super::n_outputs(plan);
        if self.hists.len() != n_out || self.sums.len() != n_out {
            return Err(format!(
                "it has {} metrics where the scenario has {n_out}",
                self.hists.len()
            ));
        }
        if self
            .hists
            .iter()
            .any(|h| !h.is_consistent() || h.n() != len)
        {
            return Err(format!(
                "a histogram does not count the {len} trials of its range"
            ));
        }
        let reps = if self.replicates > 1 {
            self.replicates as usize
        } else {
            0
        };
        let rep_shape =
            self.rep_hists.len() == reps && self.rep_hists.iter().all(|r| r.len() == N_MAIN);
        let rep_total = |k: usize| {
            self.rep_hists
                .iter()
                .map(|r| r[k].n())
                .try_fold(0u64, u64::checked_add)
        };
        let rep_counts = self
            .rep_hists
            .iter()
            .flatten()
            .all(|h| h.is_consistent() && h.bits() == COARSE_BITS)
            && (reps == 0 || (0..N_MAIN).all(|k| rep_total(k) == Some(len)));
        if !rep_shape || !rep_counts {
            return Err("its replicate histograms do not fit the run".into());
        }
        if self.counts.n != len || !self.reps.fits(self.trials, self.replicates, N_MAIN, len) {
            return Err(format!(
                "its tallies do not count the {len} trials of its range"
            ));
        }
        self.sample.check(plan, self.trials, start..end)
    }
}
