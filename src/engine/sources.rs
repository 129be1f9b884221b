//! Where a batch's input values come from. Random designs (keyed Monte Carlo, Latin
//! hypercube, Sobol points, copulas) live in [`crate::sampling::Design`]; here are the trait
//! and the fixed-value source.

use crate::model::program::Col;

/// Fills the input columns of a batch of trials `start..start+len` (lanes beyond `len`
/// must hold valid values too; they are computed and ignored).
pub trait TrialSource: Sync {
    /// Fill `inputs[i][lane]` for every input i.
    fn fill(&self, start: u64, len: usize, inputs: &mut [Col]);
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
