//! Tests of the sweep: grid, parameters, break-evens, leaders and rendering.

use super::breakeven::refine;
use super::delay::least_squares_slope;
use super::*;

#[test]
fn vary_parses_inputs_keywords_and_item_starts() {
    let v = parse_vary("users=100:3000:15").unwrap();
    assert_eq!(v.param, Param::Input("users".into()));
    assert_eq!(v.values.len(), 15);
    assert_eq!(v.values[0], 100.0);
    assert_eq!(v.values[14], 3000.0);
    let v = parse_vary("start:沟通时间节省=0:12:13").unwrap();
    assert_eq!(v.param, Param::Start("沟通时间节省".into()));
    assert_eq!(v.values[5], 5.0);
    assert_eq!(
        parse_vary("horizon_months=24:60:4").unwrap().param,
        Param::HorizonMonths
    );
    assert_eq!(
        parse_vary("discount_rate=0.05:0.15:3").unwrap().values[1],
        0.1
    );
}

#[test]
fn vary_rejects_bad_grids() {
    for bad in [
        "users",
        "users=1:2",
        "users=1:2:1",
        "users=a:2:3",
        "users=1:1:3",
        "=1:2:3",
        "start:x=0:12:6",
        "horizon_months=12:13:5",
    ] {
        assert!(parse_vary(bad).is_err(), "{bad}");
    }
}

#[test]
fn interpolation_and_bisection_find_a_linear_zero() {
    let mut g = |x: f64| -> Result<f64, SweepError> { Ok(x * x - 2.0) };
    let (v, br, n) = refine(0.0, -2.0, 2.0, 2.0, false, 1e-6, true, &mut g).unwrap();
    assert!((v - 2f64.sqrt()).abs() < 1e-5, "{v}");
    assert!(br[1] - br[0] < 1e-3);
    assert!(n <= MAX_BISECTIONS);
}

#[test]
fn least_squares_slope_of_a_line() {
    let s = least_squares_slope(&[0.0, 1.0, 2.0, 3.0], &[5.0, 3.0, 1.0, -1.0]).unwrap();
    assert!((s + 2.0).abs() < 1e-12);
}

#[test]
fn charts_draw_a_discount_rate_in_percent_and_other_parameters_as_they_are() {
    let rate = ParamOut {
        param: Param::DiscountRate,
        label: Param::DiscountRate.label(),
        spec: "discount_rate=0.04:0.12:3".into(),
        values: vec![0.04, 0.08, 0.12],
    };
    assert_eq!(rate.axis(), ("annual discount rate (%)".into(), 100.0));
    assert_eq!(rate.axis_values(), vec![4.0, 8.0, 12.0]);
    let users = ParamOut {
        param: Param::Input("users".into()),
        label: "users".into(),
        spec: "users=100:300:3".into(),
        values: vec![100.0, 200.0, 300.0],
    };
    assert_eq!(users.axis(), ("users".into(), 1.0));
    assert_eq!(users.axis_values(), users.values);
}
