//! Where a batch's input values come from: keyed Monte Carlo draws, fixed values, or
//! other designs (Latin hypercube, Sobol points, copulas) that all map uniforms through
//! each input's quantile function.

use crate::distributions::Sampler;
use crate::model::program::Col;
use crate::rng;
use crate::scenario::Scenario;

/// Fills the input columns of a batch of trials `start..start+len` (lanes beyond `len`
/// must hold valid values too; they are computed and ignored).
pub trait TrialSource: Sync {
    /// Fill `inputs[i][lane]` for every input i.
    fn fill(&self, start: u64, len: usize, inputs: &mut [Col]);
}

/// Plain Monte Carlo with draws keyed by (seed, input name, trial).
pub struct MonteCarlo {
    keys: Vec<u64>,
    samplers: Vec<Sampler>,
    constant: Vec<Option<f64>>,
}

impl MonteCarlo {
    /// Keyed draws for a scenario's inputs.
    pub fn new(s: &Scenario, seed: u64) -> Self {
        MonteCarlo {
            keys: s
                .inputs
                .iter()
                .map(|i| rng::input_key(seed, &i.name))
                .collect(),
            samplers: s.inputs.iter().map(|i| i.sampler.clone()).collect(),
            constant: s
                .inputs
                .iter()
                .map(|i| {
                    if i.is_uncertain() {
                        None
                    } else {
                        Some(i.point_value())
                    }
                })
                .collect(),
        }
    }
}

impl TrialSource for MonteCarlo {
    fn fill(&self, start: u64, _len: usize, inputs: &mut [Col]) {
        let mut u = [0.0; crate::model::program::LANES];
        for (i, col) in inputs.iter_mut().enumerate() {
            match self.constant[i] {
                Some(v) => col.fill(v),
                None => {
                    rng::fill_uniforms(self.keys[i], start, &mut u);
                    self.samplers[i].quantiles(&u, col);
                }
            }
        }
    }
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
