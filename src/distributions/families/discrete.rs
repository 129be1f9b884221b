//! `discrete`: a list of `values` with `weights` (normalised; equal when not given);
//! truncatable.

use crate::distributions::family::{Family, Keys, Truncation, finite, list_length};
use crate::distributions::sampler::cumulative;
use crate::distributions::{DistError, Sampler};

/// One of `values`: the i-th with probability wᵢ / Σ w, w being `weights`.
#[derive(Clone, Debug, PartialEq)]
pub struct Discrete {
    /// The possible values (1 to 1,000,000 of them).
    pub values: Vec<f64>,
    /// Their weights, ≥ 0 and not all 0; one per value.
    pub weights: Vec<f64>,
}

impl Family for Discrete {
    fn keys() -> &'static [&'static str] {
        &["values", "weights"]
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let Some(values) = keys.numbers("values")? else {
            return Err(keys.error_at("values", "missing: `discrete` needs `values` and `weights`"));
        };
        let weights = keys
            .numbers("weights")?
            .unwrap_or_else(|| vec![1.0; values.len()]);
        Ok(Discrete { values, weights })
    }

    fn validate(&self) -> Result<(), DistError> {
        let (values, weights) = (&self.values, &self.weights);
        list_length(values)?;
        if values.len() != weights.len() {
            return Err(DistError::LengthMismatch {
                values: values.len(),
                weights: weights.len(),
            });
        }
        for v in values {
            finite("values", *v)?;
        }
        for (index, w) in weights.iter().enumerate() {
            finite("weights", *w)?;
            if *w < 0.0 {
                return Err(DistError::NegativeWeight { index, value: *w });
            }
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Err(DistError::ZeroWeights);
        }
        Ok(())
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        cumulative(self.values.clone(), self.weights.clone(), t.lo, t.hi)
            .ok_or_else(|| t.no_mass(0.0))
    }

    fn truncatable(&self) -> bool {
        true
    }

    /// Do two different values carry weight?
    fn is_uncertain(&self) -> bool {
        let mut seen = None;
        for (v, w) in self.values.iter().zip(&self.weights) {
            if *w > 0.0 {
                match seen {
                    None => seen = Some(*v),
                    Some(s) if s != *v => return true,
                    _ => {}
                }
            }
        }
        false
    }

    fn describe(&self, _: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("one of {} values", self.values.len())
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }

    fn lists(&self) -> Vec<(&'static str, &[f64])> {
        vec![("values", &self.values), ("weights", &self.weights)]
    }
}
