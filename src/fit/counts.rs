//! Maximum likelihood for counts (every value a non-negative integer): the Poisson's mean,
//! and the negative binomial's r and p, whose p = r/(r + mean) leaves one equation in r.

use statrs::function::gamma::digamma;

use super::model::Sample;
use crate::distributions::range::bisect;
use crate::distributions::{Dist, NEGBIN_R_RANGE, families, short_number};

/// Poisson: λ = the mean.
pub fn poisson(s: &Sample) -> Result<Dist, String> {
    if s.mean <= 0.0 {
        return Err("every value is 0".into());
    }
    Ok(Dist::Poisson(families::Poisson { lambda: s.mean }))
}

/// Negative binomial: with p = r/(r + m) (m the mean), the profile score in r,
/// Σ ψ(xᵢ + r) − n ψ(r) + n ln(r/(r + m)), falls from +∞ and has one root when the variance
/// exceeds the mean (found by bisection on ln r); otherwise the maximum is the Poisson limit.
pub fn negative_binomial(s: &Sample) -> Result<Dist, String> {
    let m = s.mean;
    if s.var <= m {
        return Err(format!(
            "the variance ({}) is not above the mean ({}): the counts are not overdispersed, and the negative binomial's best fit is the Poisson",
            short_number(s.var),
            short_number(m)
        ));
    }
    let n = s.n();
    let score = |ln_r: f64| {
        let r = ln_r.exp();
        let sum: f64 = s
            .distinct
            .iter()
            .map(|(x, c)| c * (digamma(x + r) - digamma(r)))
            .sum();
        sum + n * (r / (r + m)).ln()
    };
    let (lo, hi) = (1e-8f64.ln(), NEGBIN_R_RANGE.1.ln());
    if score(hi) > 0.0 {
        return Err(format!(
            "its r would exceed {}: the counts are as good as Poisson",
            short_number(NEGBIN_R_RANGE.1)
        ));
    }
    let r = bisect(lo, hi, |ln_r| -score(ln_r)).exp();
    Ok(Dist::NegBinomial(families::NegBinomial {
        r,
        p: r / (r + m),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::function::gamma::ln_gamma;

    #[test]
    fn count_fits_solve_their_equations() {
        let s = Sample::new(&[0.0, 0.0, 1.0, 1.0, 2.0, 3.0, 5.0, 9.0, 14.0]);
        assert_eq!(
            poisson(&s).unwrap(),
            Dist::Poisson(families::Poisson { lambda: s.mean })
        );
        let Dist::NegBinomial(families::NegBinomial { r, p }) = negative_binomial(&s).unwrap()
        else {
            unreachable!()
        };
        assert!((p - r / (r + s.mean)).abs() < 1e-15);
        // The profile log-likelihood is highest at r.
        let ll = |r: f64| {
            let p = r / (r + s.mean);
            s.x.iter()
                .map(|x| {
                    ln_gamma(x + r) - ln_gamma(r) - ln_gamma(x + 1.0)
                        + r * p.ln()
                        + x * (1.0 - p).ln()
                })
                .sum::<f64>()
        };
        for f in [0.9, 0.99, 1.01, 1.1] {
            assert!(ll(r) > ll(r * f), "r = {r}, {f}");
        }
        let flat = Sample::new(&[2.0, 3.0, 2.0, 3.0]);
        assert!(
            negative_binomial(&flat)
                .unwrap_err()
                .contains("not overdispersed")
        );
    }
}
