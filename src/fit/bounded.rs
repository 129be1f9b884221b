//! Maximum likelihood for the families on a bounded range, [a, b] (given, or estimated from
//! the data: see [`fit`]): the beta's two shapes, the triangular's mode and the PERT's
//! mode (λ = 4). With y = (x − a)/(b − a), the beta and PERT likelihoods depend on the data
//! only through mean(ln y) and mean(ln(1 − y)).

use statrs::function::beta::{beta_reg, ln_beta};

use super::model::Sample;
use super::optimize::{golden_max, nelder_mead_max, newton_root};
use crate::distributions::{Dist, families, short_number};

/// The range of a bounded fit and how many of its ends were estimated from the data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Ends estimated from the data (0, 1 or 2): parameters in the AIC.
    pub estimated: usize,
}

impl Bounds {
    /// The given ends, and for a missing one the data's extreme widened by one average gap
    /// between the sorted values, (max − min)/(n − 1), the unbiased estimate of a uniform's
    /// end: no observation then sits on a bound, where these densities are 0 or infinite.
    /// [`fit`] starts from these.
    pub fn of(s: &Sample, lower: Option<f64>, upper: Option<f64>) -> Bounds {
        let (min, max) = s.range();
        let gap = (max - min) / (s.n() - 1.0).max(1.0);
        Bounds {
            lo: lower.unwrap_or(min - gap),
            hi: upper.unwrap_or(max + gap),
            estimated: usize::from(lower.is_none()) + usize::from(upper.is_none()),
        }
    }

    /// The sufficient statistics mean(ln y) and mean(ln(1 − y)), or why the sample cannot
    /// be fitted on this range (a value on a bound has density 0 or ∞).
    fn logs(&self, s: &Sample, family: &str) -> Result<(f64, f64), String> {
        let (min, max) = s.range();
        if min <= self.lo || max >= self.hi {
            let (side, bound) = if min <= self.lo {
                ("lower", self.lo)
            } else {
                ("upper", self.hi)
            };
            return Err(format!(
                "values lie on the {side} bound {}, where a {family}'s density is 0 or infinite; give a bound beyond the data",
                short_number(bound)
            ));
        }
        let w = self.hi - self.lo;
        let g1 = s.mean_of(|x| ((x - self.lo) / w).ln());
        let g2 = s.mean_of(|x| ((self.hi - x) / w).ln());
        Ok((g1, g2))
    }
}

/// The bounded families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Beta: two shapes.
    Beta,
    /// Triangular: the mode.
    Triangular,
    /// PERT (λ = 4): the mode.
    Pert,
}

/// The family's maximum-likelihood shape on fixed bounds.
fn shape_fit(shape: Shape, s: &Sample, b: &Bounds) -> Result<Dist, String> {
    match shape {
        Shape::Beta => beta(s, b),
        Shape::Triangular => triangular(s, b),
        Shape::Pert => pert(s, b),
    }
}

/// The quantile at p of a bounded distribution standardised to [0, 1].
fn unit_quantile(d: &Dist, p: f64) -> f64 {
    // Safeguarded Newton steps on the CDF: statrs' inverse does not return for some
    // extreme shapes.
    let beta = |a: f64, b: f64| {
        let ln_b = ln_beta(a, b);
        let pdf = |y: f64| ((a - 1.0) * y.ln() + (b - 1.0) * (-y).ln_1p() - ln_b).exp();
        newton_root(0.0, 1.0, a / (a + b), |y| (beta_reg(a, b, y) - p, pdf(y)))
    };
    match *d {
        Dist::Beta(families::Beta {
            alpha, beta: bb, ..
        }) => beta(alpha, bb),
        Dist::Pert(ref p) => {
            let (a, bb) = p.beta_shapes();
            beta(a, bb)
        }
        Dist::Triangular(families::Triangular { min, mode, max }) => {
            let t = (mode - min) / (max - min);
            if p < t {
                (p * t).sqrt()
            } else {
                1.0 - ((1.0 - p) * (1.0 - t)).sqrt()
            }
        }
        _ => f64::NAN,
    }
}

/// Where the fitted distribution would put the data's extremes: the bounds that place
/// the smallest value at its unit quantile 1/(n + 1) and the largest at n/(n + 1), the
/// average positions of the extremes of n draws; a given bound stays.
fn extremes_bounds(
    d: &Dist,
    s: &Sample,
    lower: Option<f64>,
    upper: Option<f64>,
) -> Option<(f64, f64)> {
    let (min, max) = s.range();
    let n = s.n();
    let (y_lo, y_hi) = (
        unit_quantile(d, 1.0 / (n + 1.0)),
        unit_quantile(d, n / (n + 1.0)),
    );
    if !(y_lo >= 0.0 && y_hi <= 1.0 && y_hi > y_lo) {
        return None;
    }
    let (lo, hi) = match (lower, upper) {
        (None, None) => {
            let w = (max - min) / (y_hi - y_lo);
            (min - y_lo * w, min - y_lo * w + w)
        }
        (None, Some(u)) => ((min - y_lo * u) / (1.0 - y_lo), u),
        (Some(l), _) => (l, l + (max - l) / y_hi),
    };
    (lo < min && hi > max).then_some((lo, hi))
}

/// A bounded family fitted with its missing bounds estimated: starting from
/// [`Bounds::of`], the shape is fitted, then the bounds are moved to [`extremes_bounds`]
/// and the shape refitted, until the bounds move by less than 1% of the average gap
/// between values (with Aitken's extrapolation every third step). Bounds that run off
/// (beyond one data range from the data) mean the data look unbounded on that side.
pub fn fit(
    shape: Shape,
    s: &Sample,
    lower: Option<f64>,
    upper: Option<f64>,
) -> Result<(Dist, Bounds), String> {
    let mut b = Bounds::of(s, lower, upper);
    let mut d = shape_fit(shape, s, &b)?;
    if b.estimated == 0 {
        return Ok((d, b));
    }
    let (min, max) = s.range();
    let (range, tol) = (max - min, 0.01 * (max - min) / s.n());
    let unsettled = || {
        "its bounds, estimated from the data, do not settle: the data look unbounded; give the lower and upper bounds if the quantity has them".to_string()
    };
    let mut history: Vec<(f64, f64)> = vec![(b.lo, b.hi)];
    for _ in 0..60 {
        let Some(mut next) = extremes_bounds(&d, s, lower, upper) else {
            return Err(unsettled());
        };
        history.push(next);
        if let [.., x0, x1, x2] = history.as_slice()
            && history.len().is_multiple_of(3)
        {
            let aitken = |a: f64, b: f64, c: f64| {
                let den = c - 2.0 * b + a;
                if den.abs() > 0.0 {
                    c - (c - b) * (c - b) / den
                } else {
                    c
                }
            };
            let jump = (aitken(x0.0, x1.0, x2.0), aitken(x0.1, x1.1, x2.1));
            if jump.0 < min && jump.1 > max && jump.0.is_finite() && jump.1.is_finite() {
                next = jump;
            }
        }
        if next.0 < min - range || next.1 > max + range {
            return Err(unsettled());
        }
        let moved = (next.0 - b.lo).abs().max((next.1 - b.hi).abs());
        b = Bounds {
            lo: next.0,
            hi: next.1,
            ..b
        };
        d = shape_fit(shape, s, &b)?;
        if moved <= tol {
            return Ok((d, b));
        }
    }
    Err(unsettled())
}

/// Beta on the bounds: the shapes maximise (α−1)·g1 + (β−1)·g2 − ln B(α, β), by
/// Nelder–Mead on their logarithms from the method-of-moments shapes.
pub fn beta(s: &Sample, b: &Bounds) -> Result<Dist, String> {
    let (g1, g2) = b.logs(s, "beta")?;
    let w = b.hi - b.lo;
    let m = (s.mean - b.lo) / w;
    let v = s.var / (w * w);
    let common = (m * (1.0 - m) / v - 1.0).max(0.2);
    let start = [(m * common).ln(), ((1.0 - m) * common).ln()];
    let ll = |p: &[f64]| {
        let (a, bb) = (p[0].exp(), p[1].exp());
        (a - 1.0) * g1 + (bb - 1.0) * g2 - ln_beta(a, bb)
    };
    let best = nelder_mead_max(&start, &[0.3, 0.3], 2000, ll);
    Ok(Dist::Beta(families::Beta {
        alpha: best[0].exp(),
        beta: best[1].exp(),
        min: b.lo,
        max: b.hi,
    }))
}

/// PERT (λ = 4) on the bounds: its log-likelihood is concave in the mode's position
/// t = (mode − a)/(b − a), maximised by golden-section search.
pub fn pert(s: &Sample, b: &Bounds) -> Result<Dist, String> {
    let (g1, g2) = b.logs(s, "PERT")?;
    let ll = |t: f64| {
        let (a, bb) = (1.0 + 4.0 * t, 1.0 + 4.0 * (1.0 - t));
        (a - 1.0) * g1 + (bb - 1.0) * g2 - ln_beta(a, bb)
    };
    let t = golden_max(0.0, 1.0, ll);
    Ok(Dist::Pert(families::Pert {
        min: b.lo,
        mode: b.lo + t * (b.hi - b.lo),
        max: b.hi,
        lambda: 4.0,
    }))
}

/// Triangular on the bounds. Between two observations the log-likelihood is convex in the
/// mode, so its maximum is at an observation or a bound (Oliver 1972); with prefix sums of
/// ln(x − a) and suffix sums of ln(b − x) every candidate costs O(1).
pub fn triangular(s: &Sample, b: &Bounds) -> Result<Dist, String> {
    b.logs(s, "triangular")?;
    let (a, hi) = (b.lo, b.hi);
    let d = &s.distinct;
    // left[i] = Σ over values below distinct value i of ln(x − a); right[i] = Σ over values
    // from distinct value i up of ln(b − x); below[i] = how many values lie below it.
    let mut left = vec![0.0; d.len() + 1];
    let mut below = vec![0.0; d.len() + 1];
    for (i, (x, c)) in d.iter().enumerate() {
        left[i + 1] = left[i] + c * (x - a).ln();
        below[i + 1] = below[i] + c;
    }
    let mut right = vec![0.0; d.len() + 1];
    for (i, (x, c)) in d.iter().enumerate().rev() {
        right[i] = right[i + 1] + c * (hi - x).ln();
    }
    let n = s.n();
    let at = |i: usize, mode: f64| {
        let k = below[i];
        let l = if k > 0.0 { k * (mode - a).ln() } else { 0.0 };
        let r = if n - k > 0.0 {
            (n - k) * (hi - mode).ln()
        } else {
            0.0
        };
        left[i] - l + right[i] - r
    };
    let mut best = (at(0, a), a);
    for (i, (x, _)) in d.iter().enumerate() {
        let v = at(i, *x);
        if v > best.0 {
            best = (v, *x);
        }
    }
    let top = at(d.len(), hi);
    if top > best.0 {
        best = (top, hi);
    }
    Ok(Dist::Triangular(families::Triangular {
        min: a,
        mode: best.1,
        max: hi,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distributions::InputDist;
    use crate::fit::model::Model;

    /// Each fit beats nearby parameters on the same bounds (a local check of the maximum).
    #[test]
    fn bounded_fits_are_likelihood_maxima() {
        let s = Sample::new(&[1.0, 2.0, 2.5, 3.0, 3.2, 4.0, 5.5, 7.0, 8.0, 9.5]);
        let b = Bounds::of(&s, Some(0.0), Some(10.0));
        assert_eq!(b.estimated, 0);
        let ll = |d: Dist| Model::new(InputDist::plain(d)).unwrap().log_likelihood(&s);
        let Dist::Beta(families::Beta {
            alpha, beta: bb, ..
        }) = beta(&s, &b).unwrap()
        else {
            unreachable!()
        };
        let at = |a: f64, c: f64| {
            ll(Dist::Beta(families::Beta {
                alpha: a,
                beta: c,
                min: 0.0,
                max: 10.0,
            }))
        };
        let top = at(alpha, bb);
        for (da, db) in [(0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01)] {
            assert!(top >= at(alpha * (1.0 + da), bb * (1.0 + db)), "beta");
        }
        let Dist::Triangular(families::Triangular { mode, .. }) = triangular(&s, &b).unwrap()
        else {
            unreachable!()
        };
        let tri = |m: f64| {
            ll(Dist::Triangular(families::Triangular {
                min: 0.0,
                mode: m,
                max: 10.0,
            }))
        };
        for m in (1..100).map(|i| i as f64 / 10.0) {
            assert!(tri(mode) >= tri(m) - 1e-9, "triangular mode {mode} vs {m}");
        }
        let Dist::Pert(families::Pert { mode, .. }) = pert(&s, &b).unwrap() else {
            unreachable!()
        };
        let pe = |m: f64| {
            ll(Dist::Pert(families::Pert {
                min: 0.0,
                mode: m,
                max: 10.0,
                lambda: 4.0,
            }))
        };
        for m in (1..100).map(|i| i as f64 / 10.0) {
            assert!(pe(mode) >= pe(m) - 1e-9, "PERT mode {mode} vs {m}");
        }
        // Estimated bounds lie one average gap beyond the data.
        let e = Bounds::of(&s, None, None);
        let gap = 8.5 / 9.0;
        assert_eq!((e.lo, e.hi, e.estimated), (1.0 - gap, 9.5 + gap, 2));
        let on = Bounds::of(&s, Some(1.0), None);
        assert!(beta(&s, &on).unwrap_err().contains("lower bound 1"));
    }
}
