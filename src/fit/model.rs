//! The data as the fits see them ([`Sample`]) and a fitted distribution as the goodness of
//! fit sees it ([`Model`]): density or probability, CDF and quantile, truncation included,
//! and the log-likelihood that ranks the families.

use statrs::distribution::{
    Beta, Continuous, ContinuousCDF, Discrete, DiscreteCDF, Gamma, LogNormal, NegativeBinomial,
    Normal, Poisson, Triangular, Weibull,
};

use std::sync::OnceLock;

use crate::distributions::{Dist, InputDist, Sampler, families};

/// The observations, sorted, with what every fit reads from them.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Sorted ascending.
    pub x: Vec<f64>,
    /// Distinct values with their counts, ascending.
    pub distinct: Vec<(f64, f64)>,
    /// Every value a non-negative integer?
    pub counts: bool,
    /// Mean.
    pub mean: f64,
    /// Variance with divisor n (the maximum-likelihood one).
    pub var: f64,
}

impl Sample {
    /// From values (any order; at least one, all finite).
    pub fn new(values: &[f64]) -> Sample {
        let mut x = values.to_vec();
        x.sort_by(f64::total_cmp);
        let mut distinct: Vec<(f64, f64)> = Vec::new();
        for v in &x {
            match distinct.last_mut() {
                Some((d, c)) if d == v => *c += 1.0,
                _ => distinct.push((*v, 1.0)),
            }
        }
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let counts = x
            .iter()
            .all(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= 1e15);
        Sample {
            x,
            distinct,
            counts,
            mean,
            var,
        }
    }

    /// Number of observations.
    pub fn n(&self) -> f64 {
        self.x.len() as f64
    }

    /// Smallest and largest value.
    pub fn range(&self) -> (f64, f64) {
        (self.x[0], self.x[self.x.len() - 1])
    }

    /// Mean of f over the observations.
    pub fn mean_of(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.distinct.iter().map(|(v, c)| c * f(*v)).sum::<f64>() / self.n()
    }
}

/// The statrs distribution behind a model.
#[derive(Clone, Debug)]
enum Kind {
    Normal(Normal),
    LogNormal(LogNormal),
    Gamma(Gamma),
    Weibull(Weibull),
    /// A beta scaled to [min, min + width] (also the PERT).
    Beta {
        d: Beta,
        min: f64,
        width: f64,
    },
    Triangular(Triangular),
    Poisson(Poisson),
    NegBinomial(NegativeBinomial),
}

/// A fitted distribution, truncated to [lo, hi] when the input is.
#[derive(Clone, Debug)]
pub struct Model {
    /// The input it is (what the TOML line says).
    pub input: InputDist,
    kind: Kind,
    /// The quantile function payback samples it with, built when first asked for (a
    /// likelihood evaluation needs none).
    sampler: OnceLock<Sampler>,
    lo: f64,
    hi: f64,
    /// Untruncated CDF just below the kept range, and the mass kept.
    below: f64,
    mass: f64,
}

impl Model {
    /// The model of an input of a fitted family; `None` when its parameters are invalid
    /// (for payback's own ranges too) or truncation leaves nothing.
    pub fn new(input: InputDist) -> Option<Model> {
        input.dist.validate().ok()?;
        let kind = match input.dist {
            Dist::Normal(families::Normal { mean, sd }) => {
                Kind::Normal(Normal::new(mean, sd).ok()?)
            }
            Dist::LogNormal(families::LogNormal { mu, sigma }) => {
                Kind::LogNormal(LogNormal::new(mu, sigma).ok()?)
            }
            Dist::Gamma(families::Gamma { shape, scale }) => {
                Kind::Gamma(Gamma::new(shape, 1.0 / scale).ok()?)
            }
            Dist::Weibull(families::Weibull { shape, scale }) => {
                Kind::Weibull(Weibull::new(shape, scale).ok()?)
            }
            Dist::Beta(families::Beta {
                alpha,
                beta,
                min,
                max,
            }) => Kind::Beta {
                d: Beta::new(alpha, beta).ok()?,
                min,
                width: max - min,
            },
            Dist::Pert(ref p) => {
                let (a, b) = p.beta_shapes();
                Kind::Beta {
                    d: Beta::new(a, b).ok()?,
                    min: p.min,
                    width: p.max - p.min,
                }
            }
            Dist::Triangular(families::Triangular { min, mode, max }) => {
                Kind::Triangular(Triangular::new(min, max, mode).ok()?)
            }
            Dist::Poisson(families::Poisson { lambda }) => {
                Kind::Poisson(Poisson::new(lambda).ok()?)
            }
            Dist::NegBinomial(families::NegBinomial { r, p }) => {
                Kind::NegBinomial(NegativeBinomial::new(r, p).ok()?)
            }
            _ => return None,
        };
        let lo = input.trunc_min.unwrap_or(f64::NEG_INFINITY);
        let hi = input.trunc_max.unwrap_or(f64::INFINITY);
        let mut m = Model {
            input,
            kind,
            sampler: OnceLock::new(),
            lo,
            hi,
            below: 0.0,
            mass: 1.0,
        };
        if m.is_discrete() {
            m.below = m.raw_cdf(lo.ceil() - 1.0);
            m.mass = m.raw_cdf(hi.floor()) - m.below;
        } else {
            m.below = m.raw_cdf(lo);
            m.mass = m.raw_cdf(hi) - m.below;
        }
        (m.mass > 0.0).then_some(m)
    }

    /// The probability the untruncated distribution puts within the truncation bounds.
    pub fn kept_mass(&self) -> f64 {
        self.mass
    }

    /// A count distribution (Poisson, negative binomial)?
    pub fn is_discrete(&self) -> bool {
        matches!(self.kind, Kind::Poisson(_) | Kind::NegBinomial(_))
    }

    fn raw_cdf(&self, x: f64) -> f64 {
        if x == f64::NEG_INFINITY || x.is_nan() {
            return 0.0;
        }
        if x == f64::INFINITY {
            return 1.0;
        }
        let count = |x: f64| -> Option<u64> { (x >= 0.0).then(|| x.floor().min(1e15) as u64) };
        match &self.kind {
            Kind::Normal(d) => d.cdf(x),
            Kind::LogNormal(d) => d.cdf(x),
            Kind::Gamma(d) => d.cdf(x),
            Kind::Weibull(d) => d.cdf(x),
            Kind::Beta { d, min, width } => d.cdf(((x - min) / width).clamp(0.0, 1.0)),
            Kind::Triangular(d) => d.cdf(x),
            Kind::Poisson(d) => count(x).map_or(0.0, |k| d.cdf(k)),
            Kind::NegBinomial(d) => count(x).map_or(0.0, |k| d.cdf(k)),
        }
    }

    fn raw_ln_density(&self, x: f64) -> f64 {
        let count = |x: f64| -> Option<u64> {
            (x >= 0.0 && x.fract() == 0.0).then_some(x.min(1e15) as u64)
        };
        match &self.kind {
            Kind::Normal(d) => d.ln_pdf(x),
            Kind::LogNormal(d) => d.ln_pdf(x),
            Kind::Gamma(d) => d.ln_pdf(x),
            Kind::Weibull(d) => d.ln_pdf(x),
            Kind::Beta { d, min, width } => {
                let y = (x - min) / width;
                if y > 0.0 && y < 1.0 {
                    d.ln_pdf(y) - width.ln()
                } else {
                    f64::NEG_INFINITY
                }
            }
            Kind::Triangular(d) => d.ln_pdf(x),
            Kind::Poisson(d) => count(x).map_or(f64::NEG_INFINITY, |k| d.ln_pmf(k)),
            Kind::NegBinomial(d) => count(x).map_or(f64::NEG_INFINITY, |k| d.ln_pmf(k)),
        }
    }

    /// P(X ≤ x) of the (truncated) distribution.
    pub fn cdf(&self, x: f64) -> f64 {
        if x < self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return 1.0;
        }
        ((self.raw_cdf(x) - self.below) / self.mass).clamp(0.0, 1.0)
    }

    /// ln of the density (continuous) or probability (counts) at x, truncation included.
    pub fn ln_density(&self, x: f64) -> f64 {
        if x < self.lo || x > self.hi {
            return f64::NEG_INFINITY;
        }
        self.raw_ln_density(x) - self.mass.ln()
    }

    /// The density (or probability) at x, for charts.
    pub fn density(&self, x: f64) -> f64 {
        self.ln_density(x).exp()
    }

    /// The value at probability p.
    pub fn quantile(&self, p: f64) -> f64 {
        self.sampler
            .get_or_init(|| self.input.sampler().unwrap_or(Sampler::Constant(f64::NAN)))
            .quantile(p)
    }

    /// The log-likelihood of the sample: densities for continuous data; for counts, the
    /// probability of each count, which for a continuous distribution is that of the unit
    /// interval around it, so that every family is ranked on the same footing.
    pub fn log_likelihood(&self, s: &Sample) -> f64 {
        let term = |x: f64| {
            if s.counts && !self.is_discrete() {
                (self.cdf(x + 0.5) - self.cdf(x - 0.5)).ln()
            } else {
                self.ln_density(x)
            }
        };
        s.distinct.iter().map(|(v, c)| c * term(*v)).sum()
    }
}
