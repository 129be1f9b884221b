//! The compiled quantile function of an input ([`Sampler`]) and the tables behind it:
//! closed forms, the tabulated continuous families, cumulative tables of the discrete ones.

use statrs::distribution::{Beta, Continuous, ContinuousCDF};

use statrs::function::gamma::ln_gamma;

use super::table::QuantileTable;
use super::{DistError, normal};

/// The compiled quantile function of an input: maps u in (0,1) to a value.
#[derive(Clone, Debug)]
pub enum Sampler {
    /// Always the same value.
    Constant(f64),
    /// lo + u·width.
    Affine { lo: f64, width: f64 },
    /// exp(ln_lo + u·ln_width), kept within [lo, hi]: uniform in the logarithm.
    LogAffine {
        ln_lo: f64,
        ln_width: f64,
        lo: f64,
        hi: f64,
    },
    /// Triangular closed form.
    Triangular {
        min: f64,
        max: f64,
        fc: f64,
        left: f64,
        right: f64,
    },
    /// mean + sd·Φ⁻¹(lower + u·(upper−lower)), kept within the truncation bounds.
    Normal {
        mean: f64,
        sd: f64,
        lower: f64,
        span: f64,
        lo: f64,
        hi: f64,
    },
    /// exp(mu + sigma·Φ⁻¹(lower + u·span)), kept within the truncation bounds.
    LogNormal {
        mu: f64,
        sigma: f64,
        lower: f64,
        span: f64,
        lo: f64,
        hi: f64,
    },
    /// scale·(−ln(1 − (lower + u·span)))^(1/shape), kept within the truncation bounds;
    /// `sf_lower` = 1 − lower, so that the upper tail keeps its digits.
    Weibull {
        inv_shape: f64,
        scale: f64,
        lower: f64,
        sf_lower: f64,
        span: f64,
        lo: f64,
        hi: f64,
    },
    /// Tabulated continuous quantile (beta, PERT, gamma), truncation folded in.
    Table(QuantileTable),
    /// 1 if u > 1 − p.
    Bernoulli { p: f64 },
    /// `values[i]` for the first i with `cum[i] > u`.
    Cumulative { cum: Vec<f64>, values: Vec<f64> },
    /// values[floor(u·n)], values sorted ascending.
    Resample { values: Vec<f64> },
}

pub(super) fn beta_table(a: f64, b: f64, min: f64, max: f64) -> Sampler {
    // statrs' Beta accepts these shapes (validated positive and finite above).
    match Beta::new(a, b) {
        Ok(d) => {
            let w = max - min;
            Sampler::Table(QuantileTable::build(
                0.0,
                1.0,
                // statrs' inverse panics below p ≈ 1e-200 (a Gaussian copula can ask for
                // 1e-300) and is no more accurate below the smallest 53-bit uniform.
                move |p| min + w * d.inverse_cdf(p.max(f64::EPSILON / 2.0)),
                move |x| d.pdf((x - min) / w) / w,
            ))
        }
        Err(_) => Sampler::Constant(min),
    }
}

/// Poisson probabilities over the range that holds all but ~1e-17 of the mass.
pub(super) fn poisson_table(lambda: f64) -> (Vec<f64>, Vec<f64>) {
    let sd = lambda.sqrt();
    let lo = (lambda - 12.0 * sd - 10.0).floor().max(0.0) as u64;
    let hi = (lambda + 12.0 * sd + 20.0).ceil() as u64;
    let ln_l = lambda.ln();
    let mut values = Vec::with_capacity((hi - lo + 1) as usize);
    let mut weights = Vec::with_capacity(values.capacity());
    for k in lo..=hi {
        let kf = k as f64;
        let lp = kf * ln_l - lambda - statrs::function::gamma::ln_gamma(kf + 1.0);
        values.push(kf);
        weights.push(lp.exp());
    }
    (values, weights)
}

/// Most entries of a negative binomial's cumulative table.
pub const NEGBIN_TABLE_MAX: usize = 4_000_000;

/// Negative binomial probabilities over the range that holds all but ~1e-18 of the mass,
/// by the ratio of successive probabilities from the mode outwards.
pub(super) fn negbin_table(r: f64, p: f64) -> Result<(Vec<f64>, Vec<f64>), DistError> {
    let q = 1.0 - p;
    let ln_q = (-p).ln_1p();
    let mean = r * q / p;
    let too_spread = DistError::CountsTooSpread {
        mean,
        limit: NEGBIN_TABLE_MAX,
    };
    if mean.is_nan() || mean > 1e6 {
        return Err(too_spread);
    }
    let mode = if r > 1.0 {
        ((r - 1.0) * q / p).floor()
    } else {
        0.0
    };
    let ln_pmf = |k: f64| ln_gamma(k + r) - ln_gamma(r) - ln_gamma(k + 1.0) + r * p.ln() + k * ln_q;
    let top = ln_pmf(mode).exp();
    // Below the mode the probabilities increase with k: the mass at k and below is at most
    // (k + 1)·pmf(k).
    let mut below = Vec::new();
    let (mut k, mut w) = (mode, top);
    while k > 0.0 {
        w *= k / ((k - 1.0 + r) * q);
        k -= 1.0;
        if w * (k + 1.0) < 1e-18 {
            break;
        }
        below.push((k, w));
    }
    below.reverse();
    // Above it the ratio pmf(k+1)/pmf(k) = (k + r)/(k + 1)·q tends to q: the mass beyond k
    // is at most pmf(k)·ρ/(1 − ρ) with ρ the larger of the ratio at k and q.
    let mut above = vec![(mode, top)];
    let (mut k, mut w) = (mode, top);
    loop {
        let ratio = (k + r) / (k + 1.0) * q;
        let rho = ratio.max(q);
        if w * rho / (1.0 - rho) < 1e-18 {
            break;
        }
        w *= ratio;
        k += 1.0;
        above.push((k, w));
        if below.len() + above.len() > NEGBIN_TABLE_MAX {
            return Err(too_spread);
        }
    }
    Ok(below.into_iter().chain(above).unzip())
}

/// Discrete distribution restricted to [lo, hi] and renormalised (= conditional on the range).
pub(super) fn cumulative(values: Vec<f64>, weights: Vec<f64>, lo: f64, hi: f64) -> Option<Sampler> {
    let mut pairs: Vec<(f64, f64)> = values
        .into_iter()
        .zip(weights)
        .filter(|(v, w)| *w > 0.0 && *v >= lo && *v <= hi)
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.is_empty() || total <= 0.0 {
        return None;
    }
    let mut acc = 0.0;
    let mut cum = Vec::with_capacity(pairs.len());
    for (_, w) in &pairs {
        acc += w;
        cum.push(acc / total);
    }
    if let Some(last) = cum.last_mut() {
        *last = f64::INFINITY; // u < 1 always lands inside
    }
    Some(Sampler::Cumulative {
        cum,
        values: pairs.into_iter().map(|p| p.0).collect(),
    })
}

/// `out[i] = f(u[i])` over the shorter of the two slices.
#[inline(always)]
fn each(u: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) {
    for (o, u) in out.iter_mut().zip(u) {
        *o = f(*u);
    }
}

/// Lanes of the stack buffer that holds the probabilities of a normal or lognormal batch.
const P_CHUNK: usize = 64;

/// `out[i] = finish(Φ⁻¹(lower + u[i]·span))` over the shorter of `u` and `out`, with the
/// inverse normal evaluated a chunk of lanes at a time ([`normal::inv_phi_slice`]).
#[inline(always)]
fn inv_phi_then(lower: f64, span: f64, u: &[f64], out: &mut [f64], finish: impl Fn(f64) -> f64) {
    let n = u.len().min(out.len());
    let mut p = [0.0; P_CHUNK];
    for (u, out) in u[..n].chunks(P_CHUNK).zip(out[..n].chunks_mut(P_CHUNK)) {
        let p = &mut p[..u.len()];
        for (p, u) in p.iter_mut().zip(u) {
            *p = lower + u * span;
        }
        normal::inv_phi_slice(p, out);
        for o in out.iter_mut() {
            *o = finish(*o);
        }
    }
}

impl Sampler {
    /// The value at probability `u` in (0, 1).
    #[inline(always)]
    pub fn quantile(&self, u: f64) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Affine { lo, width } => lo + u * width,
            Sampler::LogAffine {
                ln_lo,
                ln_width,
                lo,
                hi,
            } => (ln_lo + u * ln_width).exp().max(*lo).min(*hi),
            Sampler::Triangular {
                min,
                max,
                fc,
                left,
                right,
            } => {
                if u < *fc {
                    min + (u * left).sqrt()
                } else {
                    max - ((1.0 - u) * right).sqrt()
                }
            }
            Sampler::Normal {
                mean,
                sd,
                lower,
                span,
                lo,
                hi,
            } => (mean + sd * normal::inv_phi(lower + u * span))
                .max(*lo)
                .min(*hi),
            Sampler::LogNormal {
                mu,
                sigma,
                lower,
                span,
                lo,
                hi,
            } => (mu + sigma * normal::inv_phi(lower + u * span))
                .exp()
                .max(*lo)
                .min(*hi),
            Sampler::Weibull {
                inv_shape,
                scale,
                lower,
                sf_lower,
                span,
                lo,
                hi,
            } => {
                // −ln(1 − p), from p itself below 1/2 and from 1 − p above.
                let p = lower + u * span;
                let h = if p < 0.5 {
                    -(-p).ln_1p()
                } else {
                    -(sf_lower - u * span).ln()
                };
                (scale * h.powf(*inv_shape)).max(*lo).min(*hi)
            }
            Sampler::Table(t) => t.eval(u),
            // Non-decreasing in u (as every quantile function): 1 on the top p of (0, 1).
            Sampler::Bernoulli { p } => {
                if u > 1.0 - *p {
                    1.0
                } else {
                    0.0
                }
            }
            Sampler::Cumulative { cum, values } => {
                let i = cum.partition_point(|c| *c <= u);
                values[i.min(values.len() - 1)]
            }
            Sampler::Resample { values } => {
                let i = (u * values.len() as f64) as usize;
                values[i.min(values.len() - 1)]
            }
        }
    }

    /// Fill `out[i] = quantile(u[i])`, bit for bit, with the match on the family outside
    /// the loop over lanes.
    pub fn quantiles(&self, u: &[f64], out: &mut [f64]) {
        match self {
            Sampler::Constant(v) => out.iter_mut().for_each(|o| *o = *v),
            Sampler::Affine { lo, width } => each(u, out, |u| lo + u * width),
            Sampler::Triangular {
                min,
                max,
                fc,
                left,
                right,
            } => each(u, out, |u| {
                // Both branches on every lane, then a select: no jump to mispredict.
                let below = min + (u * left).sqrt();
                let above = max - ((1.0 - u) * right).sqrt();
                if u < *fc { below } else { above }
            }),
            Sampler::Normal {
                mean,
                sd,
                lower,
                span,
                lo,
                hi,
            } => inv_phi_then(*lower, *span, u, out, |z| (mean + sd * z).max(*lo).min(*hi)),
            Sampler::LogNormal {
                mu,
                sigma,
                lower,
                span,
                lo,
                hi,
            } => inv_phi_then(*lower, *span, u, out, |z| {
                (mu + sigma * z).exp().max(*lo).min(*hi)
            }),
            Sampler::Table(t) => t.eval_slice(u, out),
            Sampler::Bernoulli { p } => {
                let q = 1.0 - *p;
                each(u, out, |u| if u > q { 1.0 } else { 0.0 })
            }
            // Log-uniform and Weibull draws are their `exp`, `ln` and `powf`; the others look up.
            Sampler::LogAffine { .. }
            | Sampler::Weibull { .. }
            | Sampler::Cumulative { .. }
            | Sampler::Resample { .. } => each(u, out, |u| self.quantile(u)),
        }
    }

    /// Smallest and largest possible values (the support after truncation).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Sampler::Constant(v) => (*v, *v),
            Sampler::Bernoulli { p } => {
                if *p >= 1.0 {
                    (1.0, 1.0)
                } else if *p <= 0.0 {
                    (0.0, 0.0)
                } else {
                    (0.0, 1.0)
                }
            }
            Sampler::Cumulative { values, .. } | Sampler::Resample { values } => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo, hi)
            }
            _ => (self.quantile(0.0), self.quantile(1.0)),
        }
    }

    /// Mean of the (truncated) distribution, by integrating the quantile function
    /// (exact for discrete tables).
    pub fn mean(&self) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Bernoulli { p } => *p,
            Sampler::Cumulative { cum, values } => {
                let mut prev = 0.0;
                let mut m = 0.0;
                for (c, v) in cum.iter().zip(values) {
                    let c = c.min(1.0);
                    m += (c - prev) * v;
                    prev = c;
                }
                m
            }
            Sampler::Resample { values } => values.iter().sum::<f64>() / values.len() as f64,
            _ => {
                // Midpoint rule on a fine grid, with the tails refined geometrically.
                const N: usize = 1 << 16;
                let mut s = 0.0;
                // Each term divided by N (a power of two: exact), so that values near
                // f64::MAX do not overflow the sum.
                for i in 0..N {
                    s += self.quantile((i as f64 + 0.5) / N as f64) / N as f64;
                }
                s
            }
        }
    }
}
