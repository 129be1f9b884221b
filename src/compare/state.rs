//! The paired state of a comparison over a range of its trials: every option's
//! [`RunState`] and every pair's counts and exact sums of per-trial differences. Like a
//! run's, the states of adjacent ranges merge (in trial order) into exactly the state of
//! one comparison over both, so a comparison can be sharded across machines.

use serde::{Deserialize, Serialize};

use super::{CompareConfig, OptionInput};
use crate::accum::SumAcc;
use crate::engine::{self, BatchOut, MultiSink, RunError, RunOptions, Sink, TrialSource};
use crate::model::Plan;
use crate::model::program::LANES;
use crate::simulate::{RunAcc, RunState, StatSink};

/// Paired counts and per-trial differences of two options, summed over trials.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(super) struct PairAcc {
    /// a higher NPV, b higher NPV, a shorter payback, b shorter, a better on both, b better
    /// on both, a lower TCO, b lower TCO.
    pub(super) c: [u64; 8],
    /// NPV(a) − NPV(b), per trial (exact sums: merge in any order).
    pub(super) npv: SumAcc,
    /// TCO(a) − TCO(b).
    pub(super) tco: SumAcc,
}

impl PairAcc {
    fn absorb(&mut self, a: &BatchOut, b: &BatchOut) {
        let len = a.len;
        let mut dn = [0.0; LANES];
        let mut dt = [0.0; LANES];
        for l in 0..len {
            let (na, nb) = (a.npv[l], b.npv[l]);
            let (ya, yb) = (a.payback[l], b.payback[l]);
            let (ta, tb) = (a.tco[l], b.tco[l]);
            self.c[0] += u64::from(na > nb);
            self.c[1] += u64::from(nb > na);
            self.c[2] += u64::from(ya < yb);
            self.c[3] += u64::from(yb < ya);
            self.c[4] += u64::from(na > nb && ya < yb);
            self.c[5] += u64::from(nb > na && yb < ya);
            self.c[6] += u64::from(ta < tb);
            self.c[7] += u64::from(tb < ta);
            dn[l] = na - nb;
            dt[l] = ta - tb;
        }
        self.npv.add_batch(&dn[..len]);
        self.tco.add_batch(&dt[..len]);
    }

    fn merge(&mut self, o: &PairAcc) {
        for (x, y) in self.c.iter_mut().zip(o.c) {
            *x += y;
        }
        self.npv.merge(&o.npv);
        self.tco.merge(&o.tco);
    }
}

/// One block of a paired run: every option's statistics and every pair's sums.
struct CompareSink {
    options: Vec<StatSink>,
    pairs: Vec<PairAcc>,
}

impl MultiSink for CompareSink {
    fn absorb(&mut self, outs: &[BatchOut]) {
        for (sink, out) in self.options.iter_mut().zip(outs) {
            sink.absorb(out);
        }
        let mut k = 0;
        for a in 0..outs.len() {
            for b in a + 1..outs.len() {
                self.pairs[k].absorb(&outs[a], &outs[b]);
                k += 1;
            }
        }
    }
}

/// The state of a comparison over a range of its trials.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompareState {
    /// Each option's run state, in option order.
    pub options: Vec<RunState>,
    /// Each pair's sums, pairs (a, b) with a < b in order.
    pairs: Vec<PairAcc>,
}

impl CompareState {
    pub(super) fn into_parts(self) -> (Vec<RunState>, Vec<PairAcc>) {
        (self.options, self.pairs)
    }

    /// Check that this state fits a comparison of `plans` (see [`RunState::check`]).
    ///
    /// # Errors
    /// What does not fit, in words.
    pub fn check(&self, plans: &[Plan]) -> Result<(), String> {
        let k = plans.len();
        if self.options.len() != k || self.pairs.len() != k * k.saturating_sub(1) / 2 {
            return Err(format!(
                "it holds {} options where the comparison has {k}",
                self.options.len()
            ));
        }
        for (i, (st, plan)) in self.options.iter().zip(plans).enumerate() {
            st.check(plan)
                .map_err(|e| format!("option {}: {e}", i + 1))?;
        }
        let len = self.options.first().map_or(0, |o| o.range[1] - o.range[0]);
        if self
            .options
            .iter()
            .any(|o| o.range != self.options[0].range)
            || self
                .pairs
                .iter()
                .any(|p| p.npv.n() != len || p.tco.n() != len)
        {
            return Err("its options or pairs cover different trials".into());
        }
        Ok(())
    }

    /// Merge the checked states of adjacent ranges, in trial order, into the state of the
    /// whole comparison.
    pub fn merge_in_order(
        plans: &[Plan],
        states: Vec<CompareState>,
        threads: Option<usize>,
    ) -> Self {
        let k = plans.len();
        let mut per_option: Vec<Vec<RunState>> = (0..k).map(|_| Vec::new()).collect();
        let mut pairs = vec![PairAcc::default(); k * k.saturating_sub(1) / 2];
        for st in states {
            for (v, o) in per_option.iter_mut().zip(st.options) {
                v.push(o);
            }
            for (a, b) in pairs.iter_mut().zip(&st.pairs) {
                a.merge(b);
            }
        }
        let options = per_option
            .into_iter()
            .zip(plans)
            .map(|(v, plan)| RunState::merge_in_order(plan, v, threads))
            .collect();
        CompareState { options, pairs }
    }
}

/// Run the trials `range` of a comparison of `cfg.trials` trials: every option's trials
/// side by side in one pass, its own statistics and the paired sums together; with
/// `paths`, each option also keeps the cash-flow paths of its fan chart.
///
/// # Errors
/// The failing option's index and the engine's error.
pub fn compare_range(
    options: &[OptionInput],
    cfg: &CompareConfig,
    range: std::ops::Range<u64>,
    paths: bool,
) -> Result<CompareState, (usize, RunError)> {
    let n = cfg.trials;
    let plans: Vec<Plan> = options.iter().map(|o| Plan::compile(o.scenario)).collect();
    let plan_refs: Vec<&Plan> = plans.iter().collect();
    let sources: Vec<&dyn TrialSource> = options.iter().map(|o| o.source).collect();
    let mut accs: Vec<RunAcc> = plans
        .iter()
        .zip(options)
        .map(|(p, o)| RunAcc::new(p, n, o.source.replicates(), cfg.threads))
        .collect();
    let makers: Vec<_> = accs.iter().map(|a| a.sinks()).collect();
    let k = options.len();
    let n_pairs = k * k.saturating_sub(1) / 2;
    let mut pairs = vec![PairAcc::default(); n_pairs];
    // The options share one horizon, so they record the same number of paths.
    let record_paths_below = match accs.first() {
        Some(a) if paths => a.options(&RunOptions::default()).record_paths_below,
        _ => 0,
    };
    let opts = RunOptions {
        threads: cfg.threads,
        record_paths_below,
        cancel: cfg.cancel,
        progress: cfg
            .progress
            .map(|p| p.stretch((range.end - range.start).saturating_mul(k as u64))),
        ..RunOptions::default()
    };
    engine::run_fold_many(
        &plan_refs,
        &sources,
        range.clone(),
        &opts,
        |start| CompareSink {
            options: makers.iter().map(|m| m.block_sink(start)).collect(),
            pairs: vec![PairAcc::default(); n_pairs],
        },
        |sink| {
            for (acc, s) in accs.iter_mut().zip(sink.options) {
                acc.merge_block(s);
            }
            for (a, b) in pairs.iter_mut().zip(&sink.pairs) {
                a.merge(b);
            }
        },
    )?;
    drop(makers);
    Ok(CompareState {
        options: accs
            .into_iter()
            .map(|a| a.into_state(range.clone()))
            .collect(),
        pairs,
    })
}
