//! `empirical`: resampling of observed values, given inline (`values = [...]`) or as a
//! column of a CSV file (`file`, `column`); truncatable.

use crate::distributions::family::{Family, Keys, Truncation, finite, list_length};
use crate::distributions::{DistError, Sampler};

/// One of the observations, each equally likely (a value observed k times out of n is
/// drawn with probability k/n).
#[derive(Clone, Debug, PartialEq)]
pub struct Empirical {
    /// The observations, in the order given (1 to 1,000,000 of them).
    pub values: Vec<f64>,
}

impl Family for Empirical {
    fn keys() -> &'static [&'static str] {
        &["values", "file", "column"]
    }

    fn read<E>(keys: &dyn Keys<E>) -> Result<Self, E> {
        let values = match (keys.has("values"), keys.has("file")) {
            (true, false) => keys.numbers("values")?.unwrap_or_default(),
            (false, true) => keys.data_file()?,
            _ => {
                return Err(
                    keys.error("`empirical` needs either `values = [...]` or `file` and `column`")
                );
            }
        };
        Ok(Empirical { values })
    }

    fn validate(&self) -> Result<(), DistError> {
        list_length(&self.values)?;
        self.values.iter().try_for_each(|v| finite("values", *v))
    }

    fn sampler(&self, t: Truncation) -> Result<Sampler, DistError> {
        // Sorted, so that the quantile function is non-decreasing: LHS strata, copulas,
        // tornado ends and P10–P90 all read it as a quantile. Repeated values keep their
        // multiplicity (each observation is equally likely).
        let mut kept: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|v| *v >= t.lo && *v <= t.hi)
            .collect();
        if kept.is_empty() {
            return Err(t.no_mass(0.0));
        }
        kept.sort_by(f64::total_cmp);
        Ok(Sampler::Resample { values: kept })
    }

    fn truncatable(&self) -> bool {
        true
    }

    fn is_uncertain(&self) -> bool {
        self.values.iter().any(|v| *v != self.values[0])
    }

    fn describe(&self, _: &dyn Fn(f64) -> String, _: bool) -> String {
        format!("resampled from {} observations", self.values.len())
    }

    fn parameters(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }

    fn lists(&self) -> Vec<(&'static str, &[f64])> {
        vec![("values", &self.values)]
    }
}
