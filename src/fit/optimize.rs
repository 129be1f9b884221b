//! Small, derivative-light optimisers for the likelihood equations: a safeguarded Newton
//! root finder, golden-section search for one parameter and Nelder–Mead for a few.

/// Root of an increasing function on [lo, hi] (`f(lo) < 0 < f(hi)`), given f and its
/// derivative: Newton steps from `x0`, replaced by bisection whenever a step would leave
/// the bracket, which shrinks every iteration.
pub fn newton_root(mut lo: f64, mut hi: f64, x0: f64, f_df: impl Fn(f64) -> (f64, f64)) -> f64 {
    let mut x = x0.clamp(lo, hi);
    for _ in 0..200 {
        let (f, df) = f_df(x);
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - f / df;
        let next = if df > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 1e-14 * x.abs().max(1e-300) || hi - lo <= 1e-15 * hi.abs() {
            return next;
        }
        x = next;
    }
    x
}

/// The maximum of a unimodal function on [lo, hi] by golden-section search.
pub fn golden_max(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut a, mut b) = (hi - g * (hi - lo), lo + g * (hi - lo));
    let (mut fa, mut fb) = (f(a), f(b));
    for _ in 0..200 {
        if hi - lo <= 1e-12 * (hi.abs() + lo.abs()).max(1e-300) {
            break;
        }
        if fa >= fb {
            hi = b;
            (b, fb) = (a, fa);
            a = hi - g * (hi - lo);
            fa = f(a);
        } else {
            lo = a;
            (a, fa) = (b, fb);
            b = lo + g * (hi - lo);
            fb = f(b);
        }
    }
    0.5 * (lo + hi)
}

/// The maximum of f over ℝ^k by Nelder–Mead from `start`, with initial steps `step`;
/// non-finite values count as −∞. Stops when the simplex's values agree to 1e-10 or after
/// `max_evals` evaluations.
pub fn nelder_mead_max(
    start: &[f64],
    step: &[f64],
    max_evals: usize,
    f: impl Fn(&[f64]) -> f64,
) -> Vec<f64> {
    let k = start.len();
    let value = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::NEG_INFINITY }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=k)
        .map(|i| {
            let mut x = start.to_vec();
            if i > 0 {
                x[i - 1] += step[i - 1];
            }
            let v = value(&x);
            (x, v)
        })
        .collect();
    let mut evals = k + 1;
    let along = |from: &[f64], to: &[f64], t: f64| -> Vec<f64> {
        from.iter().zip(to).map(|(a, b)| a + t * (b - a)).collect()
    };
    while evals < max_evals {
        simplex.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best, worst) = (simplex[0].1, simplex[k].1);
        if best.is_finite() && (best - worst).abs() <= 1e-10 * (1.0 + best.abs()) {
            break;
        }
        let centroid: Vec<f64> = (0..k)
            .map(|j| simplex[..k].iter().map(|p| p.0[j]).sum::<f64>() / k as f64)
            .collect();
        let reflected = along(&simplex[k].0, &centroid, 2.0);
        let fr = value(&reflected);
        evals += 1;
        if fr > simplex[0].1 {
            let expanded = along(&simplex[k].0, &centroid, 3.0);
            let fe = value(&expanded);
            evals += 1;
            simplex[k] = if fe > fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr > simplex[k - 1].1 {
            simplex[k] = (reflected, fr);
        } else {
            let contracted = along(&simplex[k].0, &centroid, 0.5);
            let fc = value(&contracted);
            evals += 1;
            if fc > simplex[k].1 {
                simplex[k] = (contracted, fc);
            } else {
                // Shrink towards the best point.
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 = along(&best, &p.0, 0.5);
                    p.1 = value(&p.0);
                }
                evals += k;
            }
        }
    }
    simplex.sort_by(|a, b| b.1.total_cmp(&a.1));
    simplex.swap_remove(0).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimisers_find_known_optima() {
        // √2 as the root of x² − 2.
        let r = newton_root(0.0, 4.0, 3.0, |x| (x * x - 2.0, 2.0 * x));
        assert!((r - 2f64.sqrt()).abs() < 1e-14);
        // A Newton step that overshoots the bracket falls back to bisection.
        let r = newton_root(-1.0, 20.0, 19.0, |x| (x.atan(), 1.0 / (1.0 + x * x)));
        assert!(r.abs() < 1e-12, "{r}");
        let m = golden_max(0.0, 10.0, |x| -(x - 3.7).powi(2));
        assert!((m - 3.7).abs() < 1e-6);
        // Rosenbrock's valley, maximised as its negative.
        let x = nelder_mead_max(&[-1.2, 1.0], &[0.5, 0.5], 5000, |p| {
            -(100.0 * (p[1] - p[0] * p[0]).powi(2) + (1.0 - p[0]).powi(2))
        });
        assert!(
            (x[0] - 1.0).abs() < 1e-3 && (x[1] - 1.0).abs() < 1e-3,
            "{x:?}"
        );
    }
}
