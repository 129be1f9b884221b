//! `negbinomial`: overdispersed counts, the failures before the `r`-th success of trials
//! that succeed with probability `p` (mean r(1 − p)/p, variance mean/p); truncatable.

use crate::distributions::family::{
    Family, Keys, Truncation, finite, need_all, positive, shape_within,
};
use crate::distributions::sampler::{cumulative, negbin_table};
use crate::distributions::{DistError, NEGBIN_R_RANGE, Sampler, short_number};

/// Negative binomial counts: P(X = k) = Γ(k + r)/(Γ(r)·k!)·pʳ·(1 − p)ᵏ.
#[derive(Clone, Debug, PartialEq)]
pub struct NegBinomial {
    /// Number of successes r (need not be whole), within [`NEGBIN_R_RANGE`].
    pub r: f64,
    /// Success probability, in (0, 1).
    pub p: f64,
}

impl NegBinomial {
    /// The mean count r(1 − p)/p.
    fn mean_count(&self) -> f64 {
        self.r * (1.0 - self.p) / self.p
    }
}

/// The keys of its parameters.
const KEYS: [&str; 2] = ["r", "p"];

impl Family for NegBinomial {
    fn keys() -> &'static [&'static str] {
        &KEYS
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let [r, p] = need_all(keys, KEYS)?;
        Ok(NegBinomial { r, p })
    }

    fn validate(&self) -> Result<(), DistError> {
        let (r, p) = (self.r, self.p);
        positive("r", r)?;
        shape_within("r", r, NEGBIN_R_RANGE, || {
            format!(
                "; a negative binomial with r this large is a Poisson: use dist = \"poisson\", lambda = {}",
                short_number(self.mean_count())
            )
        })?;
        finite("p", p)?;
        if p > 0.0 && p < 1.0 {
            Ok(())
        } else {
            Err(DistError::SuccessProbability(p))
        }
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        let (values, weights) = negbin_table(self.r, self.p)?;
        cumulative(values, weights, t.lo, t.hi).ok_or_else(|| t.no_mass(0.0))
    }

    fn truncatable(&self) -> bool {
        true
    }

    fn describe(&self, g: &dyn Fn(f64) -> String, _: bool) -> String {
        let (r, p, mean) = (g(self.r), g(self.p), g(self.mean_count()));
        format!("negative binomial r {r}, p {p} (mean {mean})")
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        vec![("r", self.r), ("p", self.p)]
    }
}
