//! `bernoulli`: a risk event, 1 with probability `p` and 0 otherwise.

use crate::distributions::family::{Family, Keys, Truncation, finite, need_all};
use crate::distributions::{DistError, Sampler};

/// 1 with probability `p`, else 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Bernoulli {
    /// Probability of a 1, in [0, 1].
    pub p: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 1] = ["p"];

impl Family for Bernoulli {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [p] = need_all(keys, KEYS)?;
        Ok(Bernoulli { p })
    }

    fn validate(&self) -> Result<(), DistError> {
        finite("p", self.p)?;
        if (0.0..=1.0).contains(&self.p) {
            Ok(())
        } else {
            Err(DistError::ProbabilityOutside(self.p))
        }
    }

    fn sampler(&self, _: Truncation) -> Result<Sampler, DistError> {
        Ok(Sampler::Bernoulli { p: self.p })
    }

    fn is_uncertain(&self) -> bool {
        self.p > 0.0 && self.p < 1.0
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("yes with probability {}", g(self.p))
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("p", self.p)]
    }
}
