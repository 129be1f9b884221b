//! Where a batch's input values come from. Random designs (keyed Monte Carlo, Latin
//! hypercube, Sobol points, copulas) live in the sampling layer above the engine; here are
//! the trait and the fixed-value source.

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

/// The lanes `0..len` of a batch starting at trial `start`, cut where replicates change:
/// (replicate, lanes) pairs, one per replicate the batch touches (one division each).
pub fn replicate_segments(
    start: u64,
    len: usize,
    n: u64,
    r: u64,
) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> {
    let mut l0 = 0usize;
    std::iter::from_fn(move || {
        if l0 >= len {
            return None;
        }
        let rep = replicate_of(start + l0 as u64, n, r);
        let next = replicate_start(rep + 1, n, r).saturating_sub(start);
        let l1 = (next as usize).clamp(l0 + 1, len);
        let seg = (rep as usize, l0..l1);
        l0 = l1;
        Some(seg)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicate_segments_agree_with_replicate_of_lane_by_lane() {
        for (n, r) in [(5_000u64, 16u64), (1_024, 16), (100_003, 7)] {
            for start in [0u64, 255, 256, 310, 4_900.min(n - 1)] {
                let len = 256usize.min((n - start) as usize);
                let mut lanes = 0;
                for (rep, seg) in replicate_segments(start, len, n, r) {
                    assert_eq!(seg.start, lanes, "contiguous");
                    for l in seg.clone() {
                        assert_eq!(replicate_of(start + l as u64, n, r), rep as u64);
                    }
                    lanes = seg.end;
                }
                assert_eq!(lanes, len);
            }
        }
    }
}
