//! Tests of the distributions module: ranges solved for their parameters
//! ([`super::range`]).

use statrs::function::beta::beta_reg;

use super::range::*;
use super::{Dist, InputDist, families};

fn q(key: &str, value: f64) -> Quantile {
    Quantile::of(key, value).unwrap()
}

/// The solved distribution's quantiles at the given probabilities.
fn quantiles_of(d: Dist, ps: [f64; 2]) -> [f64; 2] {
    let s = InputDist::plain(d).sampler().unwrap();
    ps.map(|p| s.quantile(p))
}

#[test]
fn every_two_quantile_family_meets_its_quantiles() {
    let cases = [
        (TwoQuantileFamily::Normal, q("p10", -3.0), q("p90", 12.0)),
        (TwoQuantileFamily::LogNormal, q("p5", 5.0), q("p95", 30.0)),
        (TwoQuantileFamily::Uniform, q("p25", 10.0), q("p75", 20.0)),
        (TwoQuantileFamily::Gamma, q("p10", 5.0), q("p90", 30.0)),
        (TwoQuantileFamily::Weibull, q("median", 5.0), q("p95", 30.0)),
        (
            TwoQuantileFamily::Beta { min: 0.0, max: 1.0 },
            q("p10", 0.2),
            q("p90", 0.6),
        ),
        (
            TwoQuantileFamily::Beta {
                min: 100.0,
                max: 400.0,
            },
            q("p5", 120.0),
            q("p75", 200.0),
        ),
    ];
    for (family, low, high) in cases {
        let d = two_quantiles(family, high, low).unwrap();
        let got = quantiles_of(d.clone(), [low.p, high.p]);
        for (g, want) in got.iter().zip([low.value, high.value]) {
            assert!(
                (g - want).abs() < 1e-6 * want.abs().max(1.0),
                "{d:?}: {got:?}"
            );
        }
    }
}

#[test]
fn closed_forms_are_exact() {
    // Uniform from its quartiles: 10 and 20 are a quarter in from each end of [5, 25].
    let d = two_quantiles(TwoQuantileFamily::Uniform, q("p25", 10.0), q("p75", 20.0));
    assert_eq!(
        d.unwrap(),
        Dist::Uniform(families::Uniform {
            min: 5.0,
            max: 25.0
        })
    );
    // Weibull: P(X ≤ x) = 1 − exp(−(x/λ)^k) at two points.
    let Dist::Weibull(families::Weibull { shape, scale }) =
        two_quantiles(TwoQuantileFamily::Weibull, q("p10", 2.0), q("p90", 9.0)).unwrap()
    else {
        panic!("not a Weibull")
    };
    let cdf = |x: f64| 1.0 - (-(x / scale).powf(shape)).exp();
    assert!((cdf(2.0) - 0.1).abs() < 1e-14 && (cdf(9.0) - 0.9).abs() < 1e-14);
}

#[test]
fn impossible_ranges_say_why() {
    let e = two_quantiles(TwoQuantileFamily::Normal, q("p10", 9.0), q("p90", 9.0));
    assert_eq!(
        e.unwrap_err().to_string(),
        "`p10` (9) must be less than `p90` (9)"
    );
    let e = two_quantiles(TwoQuantileFamily::LogNormal, q("p10", 0.0), q("p90", 9.0));
    let e = e.unwrap_err();
    assert_eq!(e.key(), Some("p10"));
    assert!(
        e.to_string()
            .contains("lognormal `p10` must be greater than 0"),
        "{e}"
    );
    let e = two_quantiles(TwoQuantileFamily::Gamma, q("p10", 1.0), q("p90", 1e6));
    assert!(e.unwrap_err().to_string().contains("too wide for a gamma"));
    let e = two_quantiles(TwoQuantileFamily::Gamma, q("p10", 100.0), q("p90", 100.01));
    assert!(
        e.unwrap_err()
            .to_string()
            .contains("too narrow for a gamma")
    );
    let beta = TwoQuantileFamily::Beta { min: 0.0, max: 1.0 };
    let e = two_quantiles(beta, q("p10", 0.2), q("p90", 1.5)).unwrap_err();
    assert!(
        e.to_string()
            .contains("must lie between `min` (0) and `max` (1)"),
        "{e}"
    );
    // A mode at 5 cannot leave only 10% below 10 and still hold 80% within 10 to 20.
    let e = mode_and_quantiles(ModeFamily::Triangular, q("p10", 10.0), 5.0, q("p90", 20.0));
    let e = e.unwrap_err();
    assert_eq!(e.key(), Some("mode"));
    assert!(
        e.to_string()
            .starts_with("no triangular with mode 5 has p10 = 10 and p90 = 20")
    );
}

#[test]
fn triangular_and_pert_from_a_mode_and_two_quantiles() {
    // A triangular 0 / 10 / 40: F(x) = x²/400 below the mode, 1 − (40 − x)²/1200 above.
    let p10 = 40f64.sqrt();
    let p90 = 40.0 - 120f64.sqrt();
    let d = mode_and_quantiles(ModeFamily::Triangular, q("p10", p10), 10.0, q("p90", p90));
    let Dist::Triangular(families::Triangular { min, mode, max }) = d.unwrap() else {
        panic!("not triangular")
    };
    assert!((min - 0.0).abs() < 1e-7 && mode == 10.0 && (max - 40.0).abs() < 1e-7);
    // The mode may lie outside the two quantiles when the skew allows it.
    let d = mode_and_quantiles(ModeFamily::Triangular, q("p10", 2.0), 1.0, q("p90", 30.0));
    assert!(d.is_ok(), "{d:?}");
    for lambda in [4.0, 2.0] {
        let d = mode_and_quantiles(
            ModeFamily::Pert { lambda },
            q("p10", 6.0),
            12.0,
            q("p90", 30.0),
        )
        .unwrap();
        let Dist::Pert(families::Pert { min, max, .. }) = d else {
            panic!("not a PERT")
        };
        let r = max - min;
        let cdf = |x: f64| {
            beta_reg(
                1.0 + lambda * (12.0 - min) / r,
                1.0 + lambda * (max - 12.0) / r,
                (x - min) / r,
            )
        };
        assert!(
            (cdf(6.0) - 0.1).abs() < 1e-9 && (cdf(30.0) - 0.9).abs() < 1e-9,
            "{d:?}"
        );
    }
}
