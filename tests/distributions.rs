//! Every distribution's sampled moments and quantiles against statrs at a fixed seed.

use payback::distributions::{Dist, InputDist};
use payback::rng;
use payback::stats::percentile_sorted;
use statrs::distribution::{
    Beta, ContinuousCDF, DiscreteCDF, Gamma, LogNormal, Normal, Poisson, Triangular, Uniform,
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
        &draws(&InputDist::plain(Dist::Uniform {
            min: 10.0,
            max: 20.0,
        })),
        u.mean().unwrap(),
        u.std_dev().unwrap(),
        &|p| u.inverse_cdf(p),
    );
    let t = Triangular::new(5.0, 25.0, 15.0).unwrap();
    check(
        "triangular",
        &draws(&InputDist::plain(Dist::Triangular {
            min: 5.0,
            mode: 15.0,
            max: 25.0,
        })),
        t.mean().unwrap(),
        t.std_dev().unwrap(),
        &|p| t.inverse_cdf(p),
    );
    let n = Normal::new(100.0, 15.0).unwrap();
    check(
        "normal",
        &draws(&InputDist::plain(Dist::Normal {
            mean: 100.0,
            sd: 15.0,
        })),
        100.0,
        15.0,
        &|p| n.inverse_cdf(p),
    );
    let l = LogNormal::new(2.5, 0.4).unwrap();
    check(
        "lognormal",
        &draws(&InputDist::plain(Dist::LogNormal {
            mu: 2.5,
            sigma: 0.4,
        })),
        l.mean().unwrap(),
        l.std_dev().unwrap(),
        &|p| l.inverse_cdf(p),
    );
    let b = Beta::new(2.0, 5.0).unwrap();
    check(
        "beta",
        &draws(&InputDist::plain(Dist::Beta {
            alpha: 2.0,
            beta: 5.0,
            min: 0.0,
            max: 1.0,
        })),
        b.mean().unwrap(),
        b.std_dev().unwrap(),
        &|p| b.inverse_cdf(p),
    );
    let g = Gamma::new(2.0, 1.0 / 3.0).unwrap();
    check(
        "gamma",
        &draws(&InputDist::plain(Dist::Gamma {
            shape: 2.0,
            scale: 3.0,
        })),
        g.mean().unwrap(),
        g.std_dev().unwrap(),
        &|p| g.inverse_cdf(p),
    );
    // PERT(5, 8, 20) = 5 + 15·Beta(1 + 4·3/15, 1 + 4·12/15).
    let pb = Beta::new(1.8, 4.2).unwrap();
    check(
        "pert",
        &draws(&InputDist::plain(Dist::Pert {
            min: 5.0,
            mode: 8.0,
            max: 20.0,
            lambda: 4.0,
        })),
        5.0 + 15.0 * pb.mean().unwrap(),
        15.0 * pb.std_dev().unwrap(),
        &|p| 5.0 + 15.0 * pb.inverse_cdf(p),
    );
}

#[test]
fn discrete_distributions_match() {
    let v = draws(&InputDist::plain(Dist::Poisson { lambda: 4.0 }));
    let po = Poisson::new(4.0).unwrap();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    assert!((m - 4.0).abs() < 0.03, "{m}");
    for p in [0.1, 0.5, 0.9] {
        assert_eq!(percentile_sorted(&v, p), po.inverse_cdf(p) as f64, "p={p}");
    }
    let v = draws(&InputDist::plain(Dist::Bernoulli { p: 0.3 }));
    let share = v.iter().sum::<f64>() / v.len() as f64;
    assert!((share - 0.3).abs() < 0.005, "{share}");
    let v = draws(&InputDist::plain(Dist::Discrete {
        values: vec![1.0, 2.0, 5.0],
        weights: vec![2.0, 1.0, 1.0],
    }));
    let ones = v.iter().filter(|x| **x == 1.0).count() as f64 / v.len() as f64;
    assert!((ones - 0.5).abs() < 0.005);
    let v = draws(&InputDist::plain(Dist::Empirical {
        values: vec![3.0, 7.0, 7.0, 9.0],
    }));
    let sevens = v.iter().filter(|x| **x == 7.0).count() as f64 / v.len() as f64;
    assert!((sevens - 0.5).abs() < 0.005);
}

#[test]
fn truncation_samples_the_truncated_distribution() {
    let d = InputDist {
        trunc_min: Some(90.0),
        trunc_max: Some(120.0),
        ..InputDist::plain(Dist::Normal {
            mean: 100.0,
            sd: 15.0,
        })
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
        ..InputDist::plain(Dist::Poisson { lambda: 4.0 })
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
