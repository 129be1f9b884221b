//! Where a batch's input values come from. Random designs (keyed Monte Carlo, Latin
//! hypercube, Sobol points, copulas) live in [`crate::sampling::Design`]; here are the trait
//! and the fixed-value source.

use crate::model::program::Col;

/// Fills the input columns of a batch of trials `start..start+len` (lanes beyond `len`
/// must hold valid values too; they are computed and ignored).
pub trait TrialSource: Sync {
    /// Fill `inputs[i][lane]` for every input i.
    fn fill(&self, start: u64, len: usize, inputs: &mut [Col]);

    /// Independent randomisations the trials are split into (contiguous, nearly equal
    /// ranges; see [`replicate_of`]). Error estimates of Latin hypercube and Sobol designs
    /// come from the spread between them; 1 = independent draws.
    fn replicates(&self) -> u64 {
        1
    }
}

/// The replicate of trial `t` when `n` trials are split into `r` replicates: replicate
/// `k` holds trials `replicate_start(k)..replicate_start(k + 1)`.
#[inline]
pub fn replicate_of(t: u64, n: u64, r: u64) -> u64 {
    ((t as u128 * r as u128) / n.max(1) as u128) as u64
}

/// First trial of replicate `k` (ceil(k·n / r)).
#[inline]
pub fn replicate_start(k: u64, n: u64, r: u64) -> u64 {
    ((k as u128 * n as u128).div_ceil(r.max(1) as u128)) as u64
}

/// Every trial gets the same input values (deterministic runs, tornado ends).
pub struct FixedSource {
    /// Values by input index.
    pub values: Vec<f64>,
}

impl TrialSource for FixedSource {
    fn fill(&self, _start: u64, _len: usize, inputs: &mut [Col]) {
        for (col, v) in inputs.iter_mut().zip(&self.values) {
            col.fill(*v);
        }
    }
}
