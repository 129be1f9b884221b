//! Fits truncated to the given bounds. The untruncated maximum-likelihood fit is the start;
//! when the bounds cut off more than 1e-9 of it, the parameters are refined by Nelder–Mead
//! on the truncated log-likelihood, Σ ln f(xᵢ) − n ln(F(upper) − F(lower)), in coordinates
//! that keep every parameter valid (logarithms of scales and shapes, the logit of p).

use super::model::{Model, Sample};
use super::optimize::nelder_mead_max;
use crate::distributions::{Dist, InputDist};

/// Unconstrained coordinates of a fitted family's parameters.
fn coordinates(d: &Dist) -> Option<Vec<f64>> {
    Some(match *d {
        Dist::Normal { mean, sd } => vec![mean, sd.ln()],
        Dist::LogNormal { mu, sigma } => vec![mu, sigma.ln()],
        Dist::Gamma { shape, scale } | Dist::Weibull { shape, scale } => {
            vec![shape.ln(), scale.ln()]
        }
        Dist::Poisson { lambda } => vec![lambda.ln()],
        Dist::NegBinomial { r, p } => vec![r.ln(), (p / (1.0 - p)).ln()],
        _ => return None,
    })
}

/// The distribution of `like` at coordinates `c`.
fn from_coordinates(like: &Dist, c: &[f64]) -> Dist {
    match like {
        Dist::Normal { .. } => Dist::Normal {
            mean: c[0],
            sd: c[1].exp(),
        },
        Dist::LogNormal { .. } => Dist::LogNormal {
            mu: c[0],
            sigma: c[1].exp(),
        },
        Dist::Gamma { .. } => Dist::Gamma {
            shape: c[0].exp(),
            scale: c[1].exp(),
        },
        Dist::Weibull { .. } => Dist::Weibull {
            shape: c[0].exp(),
            scale: c[1].exp(),
        },
        Dist::Poisson { .. } => Dist::Poisson { lambda: c[0].exp() },
        Dist::NegBinomial { .. } => Dist::NegBinomial {
            r: c[0].exp(),
            p: 1.0 / (1.0 + (-c[1]).exp()),
        },
        other => other.clone(),
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
    let ll = |c: &[f64]| model_at(c).map_or(f64::NEG_INFINITY, |m| m.log_likelihood(s));
    let best = nelder_mead_max(&c0, &vec![0.1; c0.len()], 600, ll);
    let refined = model_at(&best)?;
    if refined.log_likelihood(s) >= start.log_likelihood(s) {
        Some(refined)
    } else {
        Some(start)
    }
}
