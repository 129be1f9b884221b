//! Maximum likelihood for the unbounded continuous families: normal and lognormal in closed
//! form (mean and standard deviation with divisor n, of the values or their logarithms),
//! gamma and Weibull through their one-parameter likelihood equations.

use statrs::function::gamma::digamma;

use super::model::Sample;
use super::optimize::newton_root;
use crate::distributions::range::bisect;
use crate::distributions::{Dist, families};

/// Why a family of positive values cannot take the sample.
fn positive(s: &Sample, family: &str) -> Result<(), String> {
    let (min, _) = s.range();
    if min > 0.0 {
        Ok(())
    } else {
        Err(format!(
            "a {family} takes positive values only, and the smallest value is {}",
            crate::distributions::short_number(min)
        ))
    }
}

/// Normal: the mean and the standard deviation with divisor n.
pub fn normal(s: &Sample) -> Result<Dist, String> {
    Ok(Dist::Normal(families::Normal {
        mean: s.mean,
        sd: s.var.sqrt(),
    }))
}

/// Lognormal: the normal of the logarithms.
pub fn lognormal(s: &Sample) -> Result<Dist, String> {
    positive(s, "lognormal")?;
    let mu = s.mean_of(f64::ln);
    let var = s.mean_of(|x| (x.ln() - mu).powi(2));
    Ok(Dist::LogNormal(families::LogNormal {
        mu,
        sigma: var.sqrt(),
    }))
}

/// Gamma: the shape k solves ln k − ψ(k) = ln(mean) − mean(ln x) (the left side falls from
/// +∞ to 0 as k grows), and the scale is mean / k.
pub fn gamma(s: &Sample) -> Result<Dist, String> {
    positive(s, "gamma")?;
    let gap = s.mean.ln() - s.mean_of(f64::ln);
    if gap.is_nan() || gap <= 0.0 {
        return Err("the values are too close together to fit a gamma".into());
    }
    let shape = bisect(-25.0, 40.0, |ln_k| {
        let k = ln_k.exp();
        gap - (ln_k - digamma(k))
    })
    .exp();
    Ok(Dist::Gamma(families::Gamma {
        shape,
        scale: s.mean / shape,
    }))
}

/// Weibull: with y = ln x, the shape k solves Σ w·y / Σ w − 1/k − mean(y) = 0 for weights
/// w = x^k (increasing in k), found by safeguarded Newton steps; then
/// scale = (mean of x^k)^(1/k). Weights are taken relative to the largest value, so that
/// no power overflows.
pub fn weibull(s: &Sample) -> Result<Dist, String> {
    positive(s, "Weibull")?;
    let n = s.n();
    let ys: Vec<(f64, f64)> = s.distinct.iter().map(|(x, c)| (x.ln(), *c)).collect();
    let top = ys.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let y_mean = ys.iter().map(|(y, c)| c * y).sum::<f64>() / n;
    let moments = |k: f64| {
        let (mut w0, mut w1, mut w2) = (0.0, 0.0, 0.0);
        for (y, c) in &ys {
            let w = c * (k * (y - top)).exp();
            w0 += w;
            w1 += w * y;
            w2 += w * y * y;
        }
        (w0, w1 / w0, w2 / w0)
    };
    let y_sd = (ys
        .iter()
        .map(|(y, c)| c * (y - y_mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    if y_sd.is_nan() || y_sd <= 0.0 {
        return Err("the values are too close together to fit a Weibull".into());
    }
    // The Gumbel law of ln X has sd π/(k√6): a start close to the solution.
    let start = std::f64::consts::PI / (y_sd * 6f64.sqrt());
    let shape = newton_root(1e-4, 1e4, start, |k| {
        let (_, m1, m2) = moments(k);
        (m1 - 1.0 / k - y_mean, (m2 - m1 * m1) + 1.0 / (k * k))
    });
    let (w0, _, _) = moments(shape);
    Ok(Dist::Weibull(families::Weibull {
        shape,
        scale: (top + (w0 / n).ln() / shape).exp(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(values: &[f64]) -> Sample {
        Sample::new(values)
    }

    #[test]
    fn closed_forms_and_likelihood_equations() {
        let s = sample(&[1.0, 2.0, 4.0, 8.0]);
        let Dist::Normal(families::Normal { mean, sd }) = normal(&s).unwrap() else {
            unreachable!()
        };
        assert_eq!(mean, 3.75);
        assert!((sd - (28.75f64 / 4.0).sqrt()).abs() < 1e-12);
        // ln x = 0, ln 2, 2 ln 2, 3 ln 2: mean 1.5 ln 2, variance 1.25 (ln 2)².
        let Dist::LogNormal(families::LogNormal { mu, sigma }) = lognormal(&s).unwrap() else {
            unreachable!()
        };
        let l2 = 2f64.ln();
        assert!((mu - 1.5 * l2).abs() < 1e-12 && (sigma - 1.25f64.sqrt() * l2).abs() < 1e-12);
        // The gamma's equations hold at the solution.
        let Dist::Gamma(families::Gamma { shape, scale }) = gamma(&s).unwrap() else {
            unreachable!()
        };
        let gap = s.mean.ln() - s.mean_of(f64::ln);
        assert!((shape.ln() - digamma(shape) - gap).abs() < 1e-12);
        assert!((shape * scale - s.mean).abs() < 1e-12);
        // So do the Weibull's: the score in k and the scale.
        let Dist::Weibull(families::Weibull { shape: k, scale: l }) = weibull(&s).unwrap() else {
            unreachable!()
        };
        let sum = |f: &dyn Fn(f64) -> f64| s.x.iter().map(|x| f(*x)).sum::<f64>();
        let score = sum(&|x| x.powf(k) * x.ln()) / sum(&|x| x.powf(k)) - 1.0 / k - mu;
        assert!(score.abs() < 1e-12, "{score}");
        assert!((l - (sum(&|x| x.powf(k)) / 4.0).powf(1.0 / k)).abs() < 1e-9 * l);
        assert!(
            lognormal(&sample(&[0.0, 1.0]))
                .unwrap_err()
                .contains("positive values only")
        );
    }
}
