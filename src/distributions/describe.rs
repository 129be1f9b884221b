//! Inputs described the way people say them ("PERT 5 / 15 / 25", "lognormal, 90% between 5
//! and 30"), for `validate`, the report's assumptions table and chart labels.

use super::{Dist, InputDist, normal, short_number};

impl InputDist {
    /// Describe as people say it, e.g. "PERT 5 / 15 / 25", "uniform 5,000 to 20,000".
    pub fn describe(&self) -> String {
        self.describe_with(&crate::format::number)
    }

    /// [`describe`](Self::describe) with the numbers written by `g` (a report's number style).
    pub fn describe_with(&self, g: &dyn Fn(f64) -> String) -> String {
        let mut s = match &self.dist {
            Dist::Constant(v) => g(*v),
            Dist::Uniform { min, max } => format!("uniform {} to {}", g(*min), g(*max)),
            Dist::Triangular { min, mode, max } => {
                format!("triangular {} / {} / {}", g(*min), g(*mode), g(*max))
            }
            Dist::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                if (*lambda - 4.0).abs() < 1e-12 {
                    format!("PERT {} / {} / {}", g(*min), g(*mode), g(*max))
                } else {
                    format!(
                        "PERT {} / {} / {} (λ = {})",
                        g(*min),
                        g(*mode),
                        g(*max),
                        g(*lambda)
                    )
                }
            }
            Dist::Normal { mean, sd } => format!("normal mean {}, sd {}", g(*mean), g(*sd)),
            Dist::LogNormal { mu, sigma } if self.interval_form => format!(
                "lognormal, 90% between {} and {}",
                g((mu - normal::Z95 * sigma).exp()),
                g((mu + normal::Z95 * sigma).exp())
            ),
            Dist::LogNormal { mu, sigma } => {
                let med = mu.exp();
                let p95 = (mu + normal::Z95 * sigma).exp();
                format!("lognormal median {}, P95 {}", g(med), g(p95))
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                if *min == 0.0 && *max == 1.0 {
                    format!("beta({}, {})", g(*alpha), g(*beta))
                } else {
                    format!(
                        "beta({}, {}) on {} to {}",
                        g(*alpha),
                        g(*beta),
                        g(*min),
                        g(*max)
                    )
                }
            }
            Dist::Gamma { shape, scale } => {
                format!("gamma shape {}, scale {}", g(*shape), g(*scale))
            }
            Dist::Bernoulli { p } => format!("yes with probability {}", g(*p)),
            Dist::Poisson { lambda } => format!("Poisson mean {}", g(*lambda)),
            Dist::Weibull { shape, scale } => {
                format!("Weibull shape {}, scale {}", g(*shape), g(*scale))
            }
            Dist::NegBinomial { r, p } => format!(
                "negative binomial r {}, p {} (mean {})",
                g(*r),
                g(*p),
                g(r * (1.0 - p) / p)
            ),
            Dist::Discrete { values, .. } => format!("one of {} values", values.len()),
            Dist::Empirical { values } => format!("resampled from {} observations", values.len()),
        };
        if let Dist::Normal { mean, sd } = &self.dist
            && self.interval_form
        {
            s = format!(
                "normal, 90% between {} and {}",
                g(mean - normal::Z95 * sd),
                g(mean + normal::Z95 * sd)
            );
        }
        s.push_str(&self.truncation_text());
        s
    }

    /// The input as it was written: a range as the scenario gave it (`5 to 30 (a 90%
    /// range, lognormal)`, `gamma with p10 = 5, p90 = 30`), anything else as
    /// [`InputDist::describe`] says it.
    pub fn describe_as_written(&self) -> String {
        self.describe_as_written_with(&crate::format::number)
    }

    /// [`describe_as_written`](Self::describe_as_written), other numbers written by `g`.
    pub fn describe_as_written_with(&self, g: &dyn Fn(f64) -> String) -> String {
        match &self.range {
            Some(r) => format!("{}{}", r.label(self.dist.family()), self.truncation_text()),
            None => self.describe_with(g),
        }
    }

    /// `, truncated to [a, b]`, `, at least a`, `, at most b`, or nothing.
    fn truncation_text(&self) -> String {
        let g = short_number;
        match (self.trunc_min, self.trunc_max) {
            (Some(a), Some(b)) => format!(", truncated to [{}, {}]", g(a), g(b)),
            (Some(a), None) => format!(", at least {}", g(a)),
            (None, Some(b)) => format!(", at most {}", g(b)),
            _ => String::new(),
        }
    }
}
