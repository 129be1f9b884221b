//! Cost of delay of a line item's start: the least-squares slope of E[NPV] per month of a
//! later start.

use std::fmt::Write as _;

use super::{CostOfDelay, Point, Vary};
use crate::format;

pub(super) fn least_squares_slope(x: &[f64], y: &[f64]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 { None } else { Some(sxy / sxx) }
}

pub(super) fn cost_of_delay(
    item: &str,
    vary: &Vary,
    points: &[Point],
    currency: &str,
) -> CostOfDelay {
    let npv: Vec<f64> = points.iter().map(|p| p.npv_mean).collect();
    let slope = least_squares_slope(&vary.values, &npv).unwrap_or(f64::NAN);
    let pb: Vec<f64> = points
        .iter()
        .map(|p| p.payback_p50.unwrap_or(f64::NAN))
        .collect();
    let pb_slope = least_squares_slope(&vary.values, &pb);
    let cost = -slope;
    let k = points.len();
    let step = |i: usize| {
        -(points[i + 1].npv_mean - points[i].npv_mean) / (vary.values[i + 1] - vary.values[i])
    };
    let (first, last) = if k >= 2 {
        (step(0), step(k - 2))
    } else {
        (f64::NAN, f64::NAN)
    };
    let mut sentence = if cost >= 0.0 {
        format!(
            "Cost of delay: each month that “{item}” starts later costs about {} {currency} of expected NPV (least-squares slope over start months {} to {})",
            format::thousands(cost, 0),
            format::grid_value(vary.from),
            format::grid_value(vary.to)
        )
    } else {
        format!(
            "Delaying “{item}” raises expected NPV by about {} {currency} a month (least-squares slope over start months {} to {}): it is a net cost",
            format::thousands(-cost, 0),
            format::grid_value(vary.from),
            format::grid_value(vary.to)
        )
    };
    if k > 2 && (first - last).abs() > 0.1 * cost.abs() {
        let _ = write!(
            sentence,
            "; not constant: {} for the first month of delay on the grid, {} for the last",
            format::thousands(first, 0),
            format::thousands(last, 0)
        );
    }
    if let Some(s) = pb_slope {
        let _ = write!(
            sentence,
            "; the median payback moves {s:+.2} months per month of delay"
        );
    }
    sentence.push('.');
    CostOfDelay {
        item: item.to_string(),
        npv_slope_per_month: slope,
        cost_per_month: cost,
        first_step_cost_per_month: first,
        last_step_cost_per_month: last,
        payback_p50_slope_per_month: pb_slope,
        sentence,
    }
}
