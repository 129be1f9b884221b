//! `poisson`: counts of independent events (incidents, outages) with mean `lambda`;
//! truncatable.

use crate::distributions::family::{Family, Keys, Truncation, need_all, positive};
use crate::distributions::sampler::{cumulative, poisson_table};
use crate::distributions::{DistError, Sampler};

/// Largest Poisson mean the cumulative table serves.
const LAMBDA_MAX: f64 = 1e6;

/// Poisson counts: P(X = k) = λᵏ·e^(−λ)/k!.
#[derive(Clone, Debug, PartialEq)]
pub struct Poisson {
    /// Mean count λ, in (0, 10⁶].
    pub lambda: f64,
}

/// The keys of its parameters.
const KEYS: [&str; 1] = ["lambda"];

impl Family for Poisson {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [lambda] = need_all(keys, KEYS)?;
        Ok(Poisson { lambda })
    }

    fn validate(&self) -> Result<(), DistError> {
        positive("lambda", self.lambda)?;
        if self.lambda > LAMBDA_MAX {
            Err(DistError::LambdaTooLarge(self.lambda))
        } else {
            Ok(())
        }
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        let (values, weights) = poisson_table(self.lambda);
        cumulative(values, weights, t.lo, t.hi).ok_or_else(|| t.no_mass(0.0))
    }

    fn truncatable(&self) -> bool {
        true
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("Poisson mean {}", g(self.lambda))
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("lambda", self.lambda)]
    }
}
