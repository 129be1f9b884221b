//! Numbers, ranges and ticks: finite values and drawable ranges, "nice" tick steps, tick
//! and value labels and the room they need.

use super::*;

/// The finite values of `v`.
pub(crate) fn finite(v: &[f64]) -> Vec<f64> {
    v.iter().copied().filter(|x| x.is_finite()).collect()
}

/// `Some(x)` if `x` is finite.
pub(crate) fn fin(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Min and max of the finite values, or `None` if there are none.
pub(crate) fn min_max<I: IntoIterator<Item = f64>>(values: I) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(None, |acc, x| match acc {
            None => Some((x, x)),
            Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
        })
}

/// A drawable range: finite, `lo < hi`, widened by `pad` (a share of the width) on each side.
/// A zero-width range is opened around its value; a missing one becomes `0..1`.
pub(crate) fn padded(range: Option<(f64, f64)>, pad: f64) -> (f64, f64) {
    let (lo, hi) = range.unwrap_or((0.0, 1.0));
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let width = hi - lo;
    if width <= f64::EPSILON * lo.abs().max(hi.abs()).max(1.0) * 16.0 {
        let half = (lo.abs() * 0.1).max(1.0);
        return (lo - half, hi + half);
    }
    let (lo, hi) = (lo - width * pad, hi + width * pad);
    // Guard against overflow to infinity for absurd inputs.
    if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (f64::MIN / 4.0, f64::MAX / 4.0)
    }
}

/// A "nice" tick step (1, 2, 2.5 or 5 × 10ᵏ): the smallest that gives at most about
/// `target` intervals over `width`.
pub(crate) fn nice_step(width: f64, target: usize) -> f64 {
    if !(width.is_finite() && width > 0.0) {
        return 1.0;
    }
    let limit = target.max(1) as f64 * 1.25;
    let mag = 10f64.powf((width / limit).log10().floor());
    for nice in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0] {
        let step = nice * mag;
        if width / step <= limit {
            return step;
        }
    }
    20.0 * mag
}

/// Multiples of `step` inside `[lo, hi]` (at most 200 of them).
pub(crate) fn ticks_with_step(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && step.is_finite() && step > 0.0 && hi >= lo) {
        return Vec::new();
    }
    let eps = step * 1e-9;
    let first = (lo / step - 1e-9).ceil();
    let mut out = Vec::new();
    let mut k = first;
    while out.len() < 200 {
        let v = k * step;
        if v > hi + eps {
            break;
        }
        // Snap values like 0.30000000000000004 and -0.0.
        let v = if v.abs() < eps {
            0.0
        } else {
            (v / step).round() * step
        };
        out.push(v);
        k += 1.0;
    }
    out
}

/// About `target` nice ticks inside `[lo, hi]`, plus the step used.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let step = nice_step(hi - lo, target);
    (ticks_with_step(lo, hi, step), step)
}

/// Like [`nice_ticks`], but with fewer ticks when their labels (formatted by `fmt`) would not
/// fit side by side in `span_px` pixels.
pub(crate) fn fitted_ticks(
    lo: f64,
    hi: f64,
    target: usize,
    span_px: i32,
    fmt: &dyn Fn(&f64) -> String,
) -> (Vec<f64>, f64) {
    let mut target = target.max(2);
    loop {
        let (ticks, step) = nice_ticks(lo, hi, target);
        let need = (widest(ticks.iter().map(fmt)) + 16) * ticks.len().max(1) as i32;
        if target <= 2 || need <= span_px {
            return (ticks, step);
        }
        target -= 1;
    }
}

/// Decimals needed to tell ticks `step` apart (0 for 5, 1 for 2.5, 2 for 0.25).
pub(crate) fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (0..=8)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(8)
}

/// A plain tick number with the decimals its step needs: `12`, `0.25`, `1,500`.
pub(crate) fn tick_number(v: f64, step: f64) -> String {
    crate::format::thousands(v, step_decimals(step))
}

/// A percentage tick (`v` already in percent): `20%`, `2.5%`.
pub(crate) fn tick_percent(v: f64, step: f64) -> String {
    format!("{}%", tick_number(v, step))
}

/// An output value of unknown kind (months or money): money format, which keeps 3
/// significant digits (`14.2`, `1.23M`).
pub(crate) fn value_label(x: f64, style: NumberStyle) -> String {
    crate::format::money(x, style)
}

/// Size of a y label area holding tick labels `widest` pixels wide and the rotated axis
/// description, capped so absurd labels cannot squeeze out the plot.
pub(crate) fn label_area(widest: i32) -> i32 {
    (widest + 46).clamp(40, 320)
}

/// Width of the widest of `labels` at [`TICK_SIZE`].
pub(crate) fn widest(labels: impl IntoIterator<Item = String>) -> i32 {
    labels
        .into_iter()
        .map(|l| text_width(&l, TICK_SIZE))
        .max()
        .unwrap_or(0)
}

/// Clamps `x` into `[lo, hi]` (NaN goes to `lo`).
pub(crate) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() { lo } else { x.max(lo).min(hi) }
}

/// Rate like `0.1` as `10%`, `0.075` as `7.5%`.
pub(crate) fn rate_text(r: f64) -> String {
    if !r.is_finite() {
        return crate::format::NOT_AVAILABLE.to_string();
    }
    let s = format!("{:.2}", r * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{}%", if s == "-0" { "0" } else { s })
}
