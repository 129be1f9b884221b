//! Fits truncated to the given bounds. The untruncated maximum-likelihood fit is the start;
//! when the bounds cut off more than 1e-9 of it, the parameters are refined by Nelder–Mead
//! on the truncated log-likelihood, Σ ln f(xᵢ) − n ln(F(upper) − F(lower)), in coordinates
//! that keep every parameter valid (logarithms of scales and shapes, the logit of p).

use statrs::function::gamma::ln_gamma;

use super::model::{Model, Sample};
use super::optimize::nelder_mead_max;
use crate::distributions::{Dist, InputDist, families};

/// Unconstrained coordinates of a fitted family's parameters.
fn coordinates(d: &Dist) -> Option<Vec<f64>> {
    Some(match *d {
        Dist::Normal(families::Normal { mean, sd }) => vec![mean, sd.ln()],
        Dist::LogNormal(families::LogNormal { mu, sigma }) => vec![mu, sigma.ln()],
        Dist::Gamma(families::Gamma { shape, scale })
        | Dist::Weibull(families::Weibull { shape, scale }) => {
            vec![shape.ln(), scale.ln()]
        }
        Dist::Poisson(families::Poisson { lambda }) => vec![lambda.ln()],
        Dist::NegBinomial(families::NegBinomial { r, p }) => vec![r.ln(), (p / (1.0 - p)).ln()],
        _ => return None,
    })
}

/// The distribution of `like` at coordinates `c`.
fn from_coordinates(like: &Dist, c: &[f64]) -> Dist {
    match like {
        Dist::Normal(families::Normal { .. }) => Dist::Normal(families::Normal {
            mean: c[0],
            sd: c[1].exp(),
        }),
        Dist::LogNormal(families::LogNormal { .. }) => Dist::LogNormal(families::LogNormal {
            mu: c[0],
            sigma: c[1].exp(),
        }),
        Dist::Gamma(families::Gamma { .. }) => Dist::Gamma(families::Gamma {
            shape: c[0].exp(),
            scale: c[1].exp(),
        }),
        Dist::Weibull(families::Weibull { .. }) => Dist::Weibull(families::Weibull {
            shape: c[0].exp(),
            scale: c[1].exp(),
        }),
        Dist::Poisson(families::Poisson { .. }) => {
            Dist::Poisson(families::Poisson { lambda: c[0].exp() })
        }
        Dist::NegBinomial(families::NegBinomial { .. }) => {
            Dist::NegBinomial(families::NegBinomial {
                r: c[0].exp(),
                p: 1.0 / (1.0 + (-c[1]).exp()),
            })
        }
        other => other.clone(),
    }
}

/// Sums of the sample that the normal, lognormal, gamma and Poisson log-likelihoods depend
/// on, so that each evaluation of the truncated likelihood costs O(1) for them.
struct Sums {
    n: f64,
    x: f64,
    x2: f64,
    ln: f64,
    ln2: f64,
    ln_factorial: f64,
}

impl Sums {
    fn of(s: &Sample) -> Sums {
        let sum = |f: &dyn Fn(f64) -> f64| s.distinct.iter().map(|(v, c)| c * f(*v)).sum::<f64>();
        Sums {
            n: s.n(),
            x: sum(&|v| v),
            x2: sum(&|v| v * v),
            ln: sum(&|v| v.ln()),
            ln2: sum(&|v| v.ln() * v.ln()),
            ln_factorial: sum(&|v| ln_gamma(v + 1.0)),
        }
    }

    /// Σ ln f(xᵢ) of the untruncated distribution, when the sums determine it.
    fn log_likelihood(&self, d: &Dist) -> Option<f64> {
        let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        let n = self.n;
        Some(match *d {
            Dist::Normal(families::Normal { mean, sd }) => {
                let q = self.x2 - 2.0 * mean * self.x + n * mean * mean;
                -n * (sd.ln() + half_ln_2pi) - q / (2.0 * sd * sd)
            }
            Dist::LogNormal(families::LogNormal { mu, sigma }) => {
                let q = self.ln2 - 2.0 * mu * self.ln + n * mu * mu;
                -self.ln - n * (sigma.ln() + half_ln_2pi) - q / (2.0 * sigma * sigma)
            }
            Dist::Gamma(families::Gamma { shape, scale }) => {
                (shape - 1.0) * self.ln
                    - self.x / scale
                    - n * (ln_gamma(shape) + shape * scale.ln())
            }
            Dist::Poisson(families::Poisson { lambda }) => {
                self.x * lambda.ln() - n * lambda - self.ln_factorial
            }
            _ => return None,
        })
    }
}

/// The model of `input` (its untruncated fit with its truncation), refined to the
/// truncated maximum likelihood when the truncation matters; `None` when invalid.
pub fn refine(input: InputDist, s: &Sample) -> Option<Model> {
    let start = Model::new(input.clone())?;
    let truncated = input.trunc_min.is_some() || input.trunc_max.is_some();
    let Some(c0) = coordinates(&input.dist) else {
        return Some(start);
    };
    if !truncated || start.kept_mass() > 1.0 - 1e-9 {
        return Some(start);
    }
    let model_at = |c: &[f64]| {
        Model::new(InputDist {
            dist: from_coordinates(&input.dist, c),
            ..input.clone()
        })
    };
    // Densities (not the probabilities of counts under a continuous family) of a family
    // whose likelihood the sums give: Σ ln f − n ln(kept mass).
    let sums = (!s.counts || start.is_discrete()).then(|| Sums::of(s));
    let ll = |c: &[f64]| {
        let Some(m) = model_at(c) else {
            return f64::NEG_INFINITY;
        };
        match sums.as_ref().and_then(|u| u.log_likelihood(&m.input.dist)) {
            Some(l) => l - s.n() * m.kept_mass().ln(),
            None => m.log_likelihood(s),
        }
    };
    let best = nelder_mead_max(&c0, &vec![0.1; c0.len()], 600, ll);
    let refined = model_at(&best)?;
    if refined.log_likelihood(s) >= start.log_likelihood(s) {
        Some(refined)
    } else {
        Some(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums give the same truncated log-likelihood as the densities, and refining
    /// never lowers it.
    #[test]
    fn sums_match_the_densities_and_refining_helps() {
        let s = Sample::new(&[0.5, 1.2, 2.0, 2.2, 3.9, 4.4, 6.0, 7.5, 9.1]);
        let counts = Sample::new(&[0.0, 1.0, 1.0, 2.0, 4.0, 6.0]);
        let sums = Sums::of(&s);
        for d in [
            Dist::Normal(families::Normal { mean: 3.0, sd: 2.0 }),
            Dist::LogNormal(families::LogNormal {
                mu: 1.0,
                sigma: 0.8,
            }),
            Dist::Gamma(families::Gamma {
                shape: 2.0,
                scale: 1.7,
            }),
        ] {
            let input = InputDist {
                trunc_min: Some(0.2),
                trunc_max: Some(10.0),
                ..InputDist::plain(d.clone())
            };
            let m = Model::new(input.clone()).unwrap();
            let fast = sums.log_likelihood(&d).unwrap() - s.n() * m.kept_mass().ln();
            assert!((fast - m.log_likelihood(&s)).abs() < 1e-9, "{d:?}");
            let refined = refine(input, &s).unwrap();
            assert!(
                refined.log_likelihood(&s) >= m.log_likelihood(&s) - 1e-9,
                "{d:?}"
            );
        }
        let p = Dist::Poisson(families::Poisson { lambda: 2.5 });
        let m = Model::new(InputDist::plain(p.clone())).unwrap();
        let fast = Sums::of(&counts).log_likelihood(&p).unwrap();
        assert!((fast - m.log_likelihood(&counts)).abs() < 1e-9);
    }
}
