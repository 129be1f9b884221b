//! Every distribution's sampled moments and quantiles against statrs at a fixed seed.

use payback::distributions::{Dist, InputDist, Sampler, families};
use payback::rng;
use payback::stats::percentile_sorted;
use statrs::distribution::{
    Beta, Continuous, ContinuousCDF, DiscreteCDF, Gamma, LogNormal, NegativeBinomial, Normal,
    Poisson, Triangular, Uniform, Weibull,
};
use statrs::statistics::Distribution;

const N: u64 = 200_000;

fn draws(d: &InputDist) -> Vec<f64> {
    let s = d.sampler().expect("valid");
    let key = rng::input_key(3, "x");
    let mut v: Vec<f64> = (0..N).map(|i| s.quantile(rng::uniform(key, i))).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn check(name: &str, v: &[f64], mean: f64, sd: f64, q: &dyn Fn(f64) -> f64) {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let s = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
    let se = sd / (v.len() as f64).sqrt();
    assert!((m - mean).abs() < 5.0 * se, "{name}: mean {m} vs {mean}");
    assert!((s / sd - 1.0).abs() < 0.02, "{name}: sd {s} vs {sd}");
    for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
        let got = percentile_sorted(v, p);
        let want = q(p);
        assert!(
            (got - want).abs() < 0.02 * sd,
            "{name}: q{p} {got} vs {want}"
        );
    }
}

#[test]
fn continuous_distributions_match_statrs() {
    let u = Uniform::new(10.0, 20.0).unwrap();
    check(
        "uniform",
        &draws(&InputDist::plain(Dist::Uniform(families::Uniform {
            min: 10.0,
            max: 20.0,
        }))),
        u.mean().unwrap(),
        u.std_dev().unwrap(),
        &|p| u.inverse_cdf(p),
    );
    let t = Triangular::new(5.0, 25.0, 15.0).unwrap();
    check(
        "triangular",
        &draws(&InputDist::plain(Dist::Triangular(families::Triangular {
            min: 5.0,
            mode: 15.0,
            max: 25.0,
        }))),
        t.mean().unwrap(),
        t.std_dev().unwrap(),
        &|p| t.inverse_cdf(p),
    );
    let n = Normal::new(100.0, 15.0).unwrap();
    check(
        "normal",
        &draws(&InputDist::plain(Dist::Normal(families::Normal {
            mean: 100.0,
            sd: 15.0,
        }))),
        100.0,
        15.0,
        &|p| n.inverse_cdf(p),
    );
    let l = LogNormal::new(2.5, 0.4).unwrap();
    check(
        "lognormal",
        &draws(&InputDist::plain(Dist::LogNormal(families::LogNormal {
            mu: 2.5,
            sigma: 0.4,
        }))),
        l.mean().unwrap(),
        l.std_dev().unwrap(),
        &|p| l.inverse_cdf(p),
    );
    let b = Beta::new(2.0, 5.0).unwrap();
    check(
        "beta",
        &draws(&InputDist::plain(Dist::Beta(families::Beta {
            alpha: 2.0,
            beta: 5.0,
            min: 0.0,
            max: 1.0,
        }))),
        b.mean().unwrap(),
        b.std_dev().unwrap(),
        &|p| b.inverse_cdf(p),
    );
    let g = Gamma::new(2.0, 1.0 / 3.0).unwrap();
    check(
        "gamma",
        &draws(&InputDist::plain(Dist::Gamma(families::Gamma {
            shape: 2.0,
            scale: 3.0,
        }))),
        g.mean().unwrap(),
        g.std_dev().unwrap(),
        &|p| g.inverse_cdf(p),
    );
    let w = Weibull::new(1.7, 12.0).unwrap();
    check(
        "weibull",
        &draws(&InputDist::plain(Dist::Weibull(families::Weibull {
            shape: 1.7,
            scale: 12.0,
        }))),
        w.mean().unwrap(),
        w.std_dev().unwrap(),
        &|p| w.inverse_cdf(p),
    );
    // PERT(5, 8, 20) = 5 + 15·Beta(1 + 4·3/15, 1 + 4·12/15).
    let pb = Beta::new(1.8, 4.2).unwrap();
    check(
        "pert",
        &draws(&InputDist::plain(Dist::Pert(families::Pert {
            min: 5.0,
            mode: 8.0,
            max: 20.0,
            lambda: 4.0,
        }))),
        5.0 + 15.0 * pb.mean().unwrap(),
        15.0 * pb.std_dev().unwrap(),
        &|p| 5.0 + 15.0 * pb.inverse_cdf(p),
    );
}

/// Log-uniform against its closed form: quantile min·(max/min)^u, mean
/// (max − min)/ln(max/min) (also the point value), variance (max² − min²)/(2·ln(max/min))
/// − mean², every order of magnitude equally likely, and what `validate` says of it.
#[test]
fn loguniform_matches_its_closed_form() {
    let (min, max) = (1_000.0, 100_000.0);
    let d = InputDist::plain(Dist::LogUniform(families::LogUniform { min, max }));
    let s = d.sampler().unwrap();
    let ln_r = (max / min).ln();
    for u in [0.0, 1e-12, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0 - 1e-12, 1.0] {
        let want = min * (max / min).powf(u);
        let got = s.quantile(u);
        assert!((got / want - 1.0).abs() < 1e-13, "Q({u}) {got} vs {want}");
    }
    assert_eq!(s.support(), (min, max));
    let mean = (max - min) / ln_r;
    let sd = ((max * max - min * min) / (2.0 * ln_r) - mean * mean).sqrt();
    assert!((d.point_value(&s) / mean - 1.0).abs() < 1e-14);
    let v = draws(&d);
    check("loguniform", &v, mean, sd, &|p| min * (max / min).powf(p));
    // Each decade (1k–10k, 10k–100k) holds half the draws.
    let first = v.iter().filter(|x| **x < 10_000.0).count() as f64 / N as f64;
    assert!((first - 0.5).abs() < 0.005, "{first}");
    assert_eq!(d.describe(), "log-uniform 1,000 to 100,000");
    // Bounds close together: the mean is their midpoint to 1e-12 (no cancellation).
    let near = Dist::LogUniform(families::LogUniform {
        min: 1_000.0,
        max: 1_000.001,
    });
    let near = InputDist::plain(near);
    let p = near.point_value(&near.sampler().unwrap());
    assert!((p / 1_000.000_5 - 1.0).abs() < 1e-12, "{p}");
    // Bounds that are not positive, or not increasing, are typed errors.
    for (min, max) in [(0.0, 10.0), (-1.0, 10.0), (10.0, 10.0), (10.0, 1.0)] {
        let d = Dist::LogUniform(families::LogUniform { min, max });
        assert!(d.validate().is_err(), "{min} {max}");
    }
}

/// A Weibull truncated below only reaches its largest probabilities with finite values
/// (its survival at the bound and 1 − F(bound) are rounded apart).
#[test]
fn weibull_truncated_below_has_a_finite_top_quantile() {
    for min in [18.059, 0.5, 3.0, 40.0] {
        let d = InputDist {
            trunc_min: Some(min),
            ..InputDist::plain(Dist::Weibull(families::Weibull {
                shape: 1.2,
                scale: 28.5,
            }))
        };
        let s = d.sampler().unwrap_or_else(|e| panic!("min {min}: {e}"));
        let top = s.quantile(1.0 - f64::EPSILON / 2.0);
        assert!(top.is_finite() && top > min, "min {min}: {top}");
    }
}

/// Negative binomial draws: mean, variance and the probability of each small count, and
/// the point values (means) of both new families in closed form.
#[test]
fn negative_binomial_and_weibull_point_values() {
    let d = InputDist::plain(Dist::NegBinomial(families::NegBinomial { r: 2.5, p: 0.3 }));
    let v = draws(&d);
    let nb = NegativeBinomial::new(2.5, 0.3).unwrap();
    let mean = 2.5 * 0.7 / 0.3;
    let var = mean / 0.3;
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let s2 = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
    assert!(
        (m - mean).abs() < 5.0 * (var / N as f64).sqrt(),
        "{m} vs {mean}"
    );
    assert!((s2 / var - 1.0).abs() < 0.03, "{s2} vs {var}");
    for k in 0..8u64 {
        let share = v.iter().filter(|x| **x == k as f64).count() as f64 / N as f64;
        let want = statrs::distribution::Discrete::pmf(&nb, k);
        assert!((share - want).abs() < 0.004, "P({k}) {share} vs {want}");
    }
    let sampler = d.sampler().unwrap();
    assert!((d.point_value(&sampler) - mean).abs() < 1e-9);
    let w = InputDist::plain(Dist::Weibull(families::Weibull {
        shape: 1.7,
        scale: 12.0,
    }));
    let ws = w.sampler().unwrap();
    let want = Weibull::new(1.7, 12.0).unwrap().mean().unwrap();
    assert!((w.point_value(&ws) - want).abs() < 1e-9 * want);
    assert!((ws.mean() - want).abs() < 1e-4 * want);
    // Out of range: r so large that the negative binomial is a Poisson, p outside (0, 1).
    let e = InputDist::plain(Dist::NegBinomial(families::NegBinomial { r: 1e7, p: 0.5 }))
        .sampler()
        .unwrap_err()
        .to_string();
    assert!(e.contains("is a Poisson"), "{e}");
    for p in [0.0, 1.0, 1.5] {
        let e = InputDist::plain(Dist::NegBinomial(families::NegBinomial { r: 2.0, p }))
            .sampler()
            .unwrap_err()
            .to_string();
        assert!(e.contains("greater than 0 and less than 1"), "{e}");
    }
    let e = InputDist::plain(Dist::NegBinomial(families::NegBinomial { r: 0.5, p: 1e-9 }))
        .sampler()
        .unwrap_err()
        .to_string();
    assert!(e.contains("use a gamma or a lognormal"), "{e}");
}

#[test]
fn discrete_distributions_match() {
    let v = draws(&InputDist::plain(Dist::Poisson(families::Poisson {
        lambda: 4.0,
    })));
    let po = Poisson::new(4.0).unwrap();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    assert!((m - 4.0).abs() < 0.03, "{m}");
    for p in [0.1, 0.5, 0.9] {
        assert_eq!(percentile_sorted(&v, p), po.inverse_cdf(p) as f64, "p={p}");
    }
    let v = draws(&InputDist::plain(Dist::Bernoulli(families::Bernoulli {
        p: 0.3,
    })));
    let share = v.iter().sum::<f64>() / v.len() as f64;
    assert!((share - 0.3).abs() < 0.005, "{share}");
    let v = draws(&InputDist::plain(Dist::Discrete(families::Discrete {
        values: vec![1.0, 2.0, 5.0],
        weights: vec![2.0, 1.0, 1.0],
    })));
    let ones = v.iter().filter(|x| **x == 1.0).count() as f64 / v.len() as f64;
    assert!((ones - 0.5).abs() < 0.005);
    let v = draws(&InputDist::plain(Dist::Empirical(families::Empirical {
        values: vec![3.0, 7.0, 7.0, 9.0],
    })));
    let sevens = v.iter().filter(|x| **x == 7.0).count() as f64 / v.len() as f64;
    assert!((sevens - 0.5).abs() < 0.005);
}

#[test]
fn truncation_samples_the_truncated_distribution() {
    let d = InputDist {
        trunc_min: Some(90.0),
        trunc_max: Some(120.0),
        ..InputDist::plain(Dist::Normal(families::Normal {
            mean: 100.0,
            sd: 15.0,
        }))
    };
    let v = draws(&d);
    assert!(v[0] >= 90.0 && *v.last().unwrap() <= 120.0);
    // The truncated CDF at 100: (Φ(0) − Φ(−2/3)) / (Φ(4/3) − Φ(−2/3)).
    let n = Normal::standard();
    let want = (n.cdf(0.0) - n.cdf(-2.0 / 3.0)) / (n.cdf(4.0 / 3.0) - n.cdf(-2.0 / 3.0));
    let got = v.iter().filter(|x| **x <= 100.0).count() as f64 / v.len() as f64;
    assert!((got - want).abs() < 0.005, "{got} vs {want}");
    let d = InputDist {
        trunc_min: Some(2.0),
        trunc_max: Some(6.0),
        ..InputDist::plain(Dist::Poisson(families::Poisson { lambda: 4.0 }))
    };
    let v = draws(&d);
    let po = Poisson::new(4.0).unwrap();
    let mass = po.cdf(6) - po.cdf(1);
    let twos = v.iter().filter(|x| **x == 2.0).count() as f64 / v.len() as f64;
    assert!((twos - statrs::distribution::Discrete::pmf(&po, 2) / mass).abs() < 0.005);
}

#[test]
fn ninety_percent_interval_forms() {
    let s = crate::util::scenario(
        r#"name = "t"
[inputs]
a = { dist = "normal", p5 = 10, p95 = 30 }
b = { dist = "lognormal", median = 40, p95 = 120 }
c = { dist = "lognormal", p5 = 55, p95 = 130 }
[[costs]]
name = "x"
category = "licence"
when = "once"
amount = "a + b + c"
"#,
    );
    let q = |i: usize, p: f64| s.inputs[i].quantile(p);
    assert!((q(0, 0.05) - 10.0).abs() < 1e-9 && (q(0, 0.95) - 30.0).abs() < 1e-9);
    assert!((q(1, 0.5) - 40.0).abs() < 1e-9 && (q(1, 0.95) - 120.0).abs() < 1e-9);
    assert!((q(2, 0.05) - 55.0).abs() < 1e-9 && (q(2, 0.95) - 130.0).abs() < 1e-9);
    // Point values: medians for interval forms.
    assert!((s.inputs[0].point_value() - 20.0).abs() < 1e-9);
    assert!((s.inputs[1].point_value() - 40.0).abs() < 1e-9);
}

/// The tabulated quantile functions (PERT, beta, gamma) in their tails against statrs'
/// exact inverse CDF, at 2,000 log-spaced tail probabilities s from 1e-15 to 2⁻⁷ (the
/// tail tables' range) on each side: the error in probability beyond the 2⁻⁵³ spacing of
/// doubles below 1, (|F(Q̃(u)) − F(Q(u))| − 2⁻⁵³) / s with |ΔF| = f(Q)·|Q̃ − Q| (f the
/// statrs density, per unit of truncated mass), must stay within [`payback::distributions::TAIL_REL_ERROR`] (or the
/// value within 4 ulps of the exact one, where doubles are sparser than that); the value
/// error is reported relative to the
/// distance from the end of the support on that side.
#[test]
fn tabulated_tails_match_the_exact_inverse() {
    use payback::distributions::TAIL_REL_ERROR;
    // (input, unit-scale density, CDF, survival function, inverse, value of each end (the
    // gamma's upper end: 0, so that its value error is relative))
    type F = Box<dyn Fn(f64) -> f64>;
    let beta = |a: f64, b: f64| -> (F, F, F, F) {
        let d = Beta::new(a, b).unwrap();
        (
            Box::new(move |x| d.pdf(x)),
            Box::new(move |x| d.cdf(x)),
            Box::new(move |x| d.sf(x)),
            Box::new(move |p| d.inverse_cdf(p.max(f64::EPSILON / 2.0))),
        )
    };
    let gamma = |k: f64| -> (F, F, F, F) {
        let d = Gamma::new(k, 1.0).unwrap();
        (
            Box::new(move |x| d.pdf(x)),
            Box::new(move |x| d.cdf(x)),
            Box::new(move |x| d.sf(x)),
            Box::new(move |p| d.inverse_cdf(p)),
        )
    };
    let pert = |min: f64, mode: f64, max: f64, l: f64| {
        Dist::Pert(families::Pert {
            min,
            mode,
            max,
            lambda: l,
        })
    };
    let beta_d = |alpha: f64, beta: f64| {
        Dist::Beta(families::Beta {
            alpha,
            beta,
            min: 0.0,
            max: 1.0,
        })
    };
    let gamma_d = |shape: f64| Dist::Gamma(families::Gamma { shape, scale: 1.0 });
    type Case = (&'static str, InputDist, (F, F, F, F), (f64, f64));
    let cases: Vec<Case> = vec![
        (
            "pert(0, 0.2, 1)",
            InputDist::plain(pert(0.0, 0.2, 1.0, 4.0)),
            beta(1.8, 4.2),
            (0.0, 1.0),
        ),
        (
            "pert(0, 0, 1)",
            InputDist::plain(pert(0.0, 0.0, 1.0, 4.0)),
            beta(1.0, 5.0),
            (0.0, 1.0),
        ),
        (
            "pert(0, 1, 1)",
            InputDist::plain(pert(0.0, 1.0, 1.0, 4.0)),
            beta(5.0, 1.0),
            (0.0, 1.0),
        ),
        (
            "pert(0, 0.3, 1, λ 2)",
            InputDist::plain(pert(0.0, 0.3, 1.0, 2.0)),
            beta(1.6, 2.4),
            (0.0, 1.0),
        ),
        (
            "pert(0, 0.3, 1, λ 100)",
            InputDist::plain(pert(0.0, 0.3, 1.0, 100.0)),
            beta(31.0, 71.0),
            (0.0, 1.0),
        ),
        // Not beta(0.5, 0.5): statrs' inverse there is no reference (it gives 1.18e-16 at
        // every p from 1e-14 to 1e-11; the exact quantile at 3.6e-14 is 3.2e-27).
        (
            "beta(0.7, 1.5)",
            InputDist::plain(beta_d(0.7, 1.5)),
            beta(0.7, 1.5),
            (0.0, 1.0),
        ),
        (
            "beta(2, 5)",
            InputDist::plain(beta_d(2.0, 5.0)),
            beta(2.0, 5.0),
            (0.0, 1.0),
        ),
        (
            "gamma(0.8)",
            InputDist::plain(gamma_d(0.8)),
            gamma(0.8),
            (0.0, 0.0),
        ),
        (
            "gamma(2)",
            InputDist::plain(gamma_d(2.0)),
            gamma(2.0),
            (0.0, 0.0),
        ),
        (
            "gamma(100)",
            InputDist::plain(gamma_d(100.0)),
            gamma(100.0),
            (0.0, 0.0),
        ),
        (
            "gamma(0.8) on [0.1, 3]",
            InputDist {
                trunc_min: Some(0.1),
                trunc_max: Some(3.0),
                ..InputDist::plain(gamma_d(0.8))
            },
            gamma(0.8),
            (0.1, 3.0),
        ),
    ];
    const POINTS: usize = 2000;
    let (lo_s, hi_s) = (1e-15f64.ln(), (2f64.powi(-7)).ln());
    let mut worst_all = 0.0f64;
    for (name, input, (pdf, cdf, sf, inv), ends) in &cases {
        let sampler = input.sampler().unwrap();
        let (a, b) = (
            input.trunc_min.map_or(0.0, cdf),
            input.trunc_max.map_or(1.0, cdf),
        );
        let span = b - a;
        let (mut worst_p, mut worst_x, mut exact_p) = (0.0f64, 0.0f64, 0.0f64);
        let mut prev = f64::NEG_INFINITY;
        for upper in [false, true] {
            for i in 0..POINTS {
                let i = if upper { POINTS - 1 - i } else { i };
                let s = (lo_s + (hi_s - lo_s) * (i as f64 + 0.5) / POINTS as f64).exp();
                // Above, the u a run can draw and its exact 1 − u.
                let u = if upper { 1.0 - s } else { s };
                let s = if upper { 1.0 - u } else { s };
                let p = (a + u * span).min(1.0 - f64::EPSILON / 2.0);
                let got = sampler.quantile(u);
                let want = inv(p);
                // Probability of the tail beyond each value, in units of the truncated mass.
                let tail = |x: f64| {
                    if upper {
                        (sf(x) - (1.0 - b)) / span
                    } else {
                        (cdf(x) - a) / span
                    }
                };
                // |ΔF| = f·|ΔQ| to first order (|ΔQ| is tiny; statrs' CDFs are too noisy
                // in the far tails for a difference of two of them).
                let df = pdf(want) * (got - want).abs() / span;
                // Relative to s, or to the tail mass beyond statrs' own value where that is
                // larger (its inverse of beta(0.5, 0.5) at 3.6e-14 is 1.2e-16, not 3.2e-27).
                let err = (df - f64::EPSILON / 2.0).max(0.0) / s.max(tail(want));
                exact_p = exact_p.max((tail(want) - s).abs() / s);
                let end = if upper { ends.1 } else { ends.0 };
                if (want - end).abs() > 0.0 {
                    worst_x = worst_x.max((got - want).abs() / (want - end).abs());
                }
                // Or within 4 ulps of the value: next to a finite end (a beta's 1) the
                // doubles are too sparse for the probability to be any closer.
                let ulps = (got - want).abs() / (want.abs() * f64::EPSILON);
                // Within 1e-6 of a beta's or gamma's end statrs' inverse is no reference (it stops at
                // an absolute tolerance: beta(0.7, 1.5) at 1.5e-13 gives 3.1e-16, not ~1e-19; gamma(0.5)
                // at 1.4e-7 gives 9.3e-10, not 1.4e-14).
                let end = if upper { ends.1 } else { ends.0 };
                let reference = (want - end).abs() > 1e-6;
                if !reference {
                    continue;
                }
                if ulps > 4.0 {
                    worst_p = worst_p.max(err);
                }
                assert!(
                    err <= TAIL_REL_ERROR || ulps <= 4.0,
                    "{name}: u = {u:e}: table {got}, exact {want}, |ΔF| / s = {err:e}"
                );
                // Non-decreasing across the tails, interior and boundaries.
                if !upper {
                    assert!(
                        got >= prev,
                        "{name}: decreases at u = {u:e}: {prev:e} then {got:e} (exact {want:e})"
                    );
                    prev = got;
                }
            }
        }
        let mid = sampler.quantile(0.5);
        assert!(prev <= mid, "{name}: lower tail above the median");
        eprintln!(
            "{name}: tails, worst |ΔF| / s = {worst_p:.1e} (statrs' inverse itself: {exact_p:.1e}), worst |ΔQ| / |Q − end| = {worst_x:.1e}"
        );
        worst_all = worst_all.max(worst_p);
    }
    eprintln!("all: worst |ΔF| / s = {worst_all:.1e} (bound {TAIL_REL_ERROR:e})");
}

/// `count` consecutive floats on each side of `x`, and `x`.
fn around(x: f64, count: usize) -> Vec<f64> {
    let mut v = vec![x];
    let (mut up, mut down) = (x, x);
    for _ in 0..count {
        up = up.next_up();
        down = down.next_down();
        v.extend([up, down]);
    }
    v
}

/// Probabilities for the slice-against-scalar comparisons: a dense grid, keyed uniforms,
/// the extremes, and the uniforms that put Φ⁻¹'s argument on both sides of its central
/// region's edges (p − 0.5 = ±0.425) for a normal or lognormal sampler.
fn probes(s: &Sampler) -> Vec<f64> {
    let mut v: Vec<f64> = (0..=4096).map(|i| i as f64 / 4096.0).collect();
    let mut u = vec![0.0; 20_000];
    rng::fill_uniforms(rng::input_key(11, "slices"), 0, &mut u);
    v.extend(u);
    for x in [
        0.0,
        1.0,
        0.5,
        0.075,
        0.925,
        1e-300,
        1.0 - f64::EPSILON / 2.0,
    ] {
        v.extend(around(x, 16));
    }
    v.extend([f64::EPSILON / 2.0, 1e-12, 1.0 - 1e-12]);
    if let Sampler::Normal { lower, span, .. } | Sampler::LogNormal { lower, span, .. } = s {
        for edge in [0.075, 0.925] {
            v.extend(
                around((edge - lower) / span, 64)
                    .into_iter()
                    .filter(|u| (0.0..=1.0).contains(u)),
            );
        }
    }
    v.retain(|u| (0.0..=1.0).contains(u));
    v
}

/// `Sampler::quantiles` gives the bits of `Sampler::quantile` on every lane, for the
/// families with their own batch loops, plain and truncated, over batches of several
/// lengths (the normal ones are worked in fixed chunks).
#[test]
fn quantiles_match_quantile_bit_for_bit() {
    let cut = |dist, trunc_min, trunc_max| InputDist {
        trunc_min,
        trunc_max,
        ..InputDist::plain(dist)
    };
    let normal = |mean, sd| Dist::Normal(families::Normal { mean, sd });
    let lognormal = |mu, sigma| Dist::LogNormal(families::LogNormal { mu, sigma });
    let triangular = |min, mode, max| Dist::Triangular(families::Triangular { min, mode, max });
    let loguniform = |min, max| Dist::LogUniform(families::LogUniform { min, max });
    let weibull = |shape, scale| Dist::Weibull(families::Weibull { shape, scale });
    let bernoulli = |p| Dist::Bernoulli(families::Bernoulli { p });
    let cases = [
        cut(normal(100.0, 15.0), None, None),
        cut(normal(0.0, 1.0), None, None),
        cut(normal(100.0, 15.0), Some(90.0), Some(120.0)),
        cut(normal(100.0, 15.0), Some(130.0), Some(200.0)),
        cut(normal(100.0, 15.0), None, Some(55.0)),
        cut(normal(-3.0, 1e-3), Some(-3.0), Some(-2.9995)),
        cut(lognormal(2.5, 0.4), None, None),
        cut(lognormal(0.0, 3.0), None, None),
        cut(lognormal(2.5, 0.4), Some(5.0), Some(30.0)),
        cut(lognormal(2.5, 0.4), Some(25.0), Some(100.0)),
        cut(lognormal(2.5, 0.4), None, Some(8.0)),
        cut(triangular(5.0, 8.0, 20.0), None, None),
        cut(triangular(0.0, 0.0, 1.0), None, None),
        cut(triangular(0.0, 1.0, 1.0), None, None),
        cut(loguniform(10.0, 1000.0), None, None),
        cut(loguniform(1e-3, 1e6), None, None),
        cut(weibull(1.7, 12.0), None, None),
        cut(weibull(0.5, 3.0), Some(2.0), None),
        cut(weibull(1.2, 28.5), Some(18.059), Some(90.0)),
        cut(bernoulli(0.3), None, None),
        cut(bernoulli(1e-9), None, None),
        cut(bernoulli(0.0), None, None),
        cut(bernoulli(1.0), None, None),
    ];
    for d in cases {
        let s = d.sampler().unwrap_or_else(|e| panic!("{d:?}: {e}"));
        let u = probes(&s);
        let mut out = vec![f64::NAN; u.len()];
        for len in [1, 7, 64, 65, 256, 1000] {
            for (u, out) in u.chunks(len).zip(out.chunks_mut(len)) {
                s.quantiles(u, out);
            }
            for (u, got) in u.iter().zip(&out) {
                let want = s.quantile(*u);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{d:?}: batches of {len}, u = {u:e}: {got:e} vs {want:e}"
                );
            }
            out.fill(f64::NAN);
        }
    }
}
