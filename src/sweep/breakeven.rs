//! Break-evens of one varied parameter: where median payback crosses 12 and 24 months and
//! E[NPV] crosses 0, by interpolation between bracketing grid points, refined by bisection.

use super::param::side_of;
use super::run::evaluate_at;
use super::{
    BRACKET_TOLERANCE, Breakeven, Evaluator, MAX_BISECTIONS, Point, Statistic, SweepError, Vary,
    crossing_at,
};
use crate::format;
use crate::scenario::Scenario;

/// Linear interpolation of the zero of g between (a, ga) and (b, gb); the midpoint when a
/// value is infinite.
pub(super) fn interp_zero(a: f64, ga: f64, b: f64, gb: f64) -> f64 {
    if ga.is_finite() && gb.is_finite() && ga != gb {
        (a + (0.0 - ga) * (b - a) / (gb - ga)).clamp(a.min(b), a.max(b))
    } else {
        (a + b) / 2.0
    }
}

/// Refine the zero of g (sign change between lo and hi, "side" = g > 0) by one
/// interpolation step then bisection. Returns (value, bracket, evaluations).
#[allow(clippy::too_many_arguments)]
pub(super) fn refine(
    mut lo: f64,
    mut g_lo: f64,
    mut hi: f64,
    mut g_hi: f64,
    integer: bool,
    tol: f64,
    enabled: bool,
    g: &mut dyn FnMut(f64) -> Result<f64, SweepError>,
) -> Result<(f64, [f64; 2], usize), SweepError> {
    let mut evals = 0;
    let side = |v: f64| v > 0.0;
    let done = |lo: f64, hi: f64| {
        if integer {
            (hi - lo).abs() <= 1.0
        } else {
            (hi - lo).abs() < tol
        }
    };
    let mut first = true;
    while enabled && evals < MAX_BISECTIONS && !done(lo, hi) {
        let mut x = if first {
            interp_zero(lo, g_lo, hi, g_hi)
        } else {
            (lo + hi) / 2.0
        };
        first = false;
        if integer {
            x = x.round();
            if x <= lo.min(hi) || x >= lo.max(hi) {
                x = ((lo + hi) / 2.0).floor();
            }
        }
        if x <= lo.min(hi) || x >= lo.max(hi) {
            x = (lo + hi) / 2.0;
        }
        let gx = g(x)?;
        evals += 1;
        if side(gx) == side(g_lo) {
            lo = x;
            g_lo = gx;
        } else {
            hi = x;
            g_hi = gx;
        }
    }
    Ok((interp_zero(lo, g_lo, hi, g_hi), [lo, hi], evals))
}

fn statistic_words(st: Statistic, threshold: f64) -> (String, String) {
    match st {
        Statistic::PaybackP50 => (
            format!("median payback ≤ {} months", format::grid_value(threshold)),
            format!("median payback > {} months", format::grid_value(threshold)),
        ),
        Statistic::NpvMean => ("E[NPV] ≥ 0".into(), "E[NPV] < 0".into()),
        Statistic::TcoMean => ("E[TCO] lower".into(), "E[TCO] higher".into()),
    }
}

pub(super) fn breakevens(
    base: &Scenario,
    vary: &Vary,
    points: &[Point],
    refine_on: bool,
    eval: &mut Evaluator,
) -> Result<(Vec<Breakeven>, Vec<String>), SweepError> {
    let mut out = Vec::new();
    let mut statements = Vec::new();
    let tol = BRACKET_TOLERANCE * (vary.to - vary.from).abs();
    for (st, threshold) in [
        (Statistic::PaybackP50, 12.0),
        (Statistic::PaybackP50, 24.0),
        (Statistic::NpvMean, 0.0),
    ] {
        // g > 0 is the bad side: payback longer than the threshold, or E[NPV] below 0.
        let g_of = |p: &Point| match st {
            Statistic::PaybackP50 => st.of(p) - threshold,
            _ => threshold - st.of(p),
        };
        let gs: Vec<f64> = points.iter().map(g_of).collect();
        let (good, bad) = statistic_words(st, threshold);
        let good = good.as_str();
        // A median payback exactly at the threshold, or E[NPV] exactly 0, counts as good.
        let bad_side = |g: f64| g > 0.0;
        for k in 0..points.len().saturating_sub(1) {
            let (a, b) = (vary.values[k], vary.values[k + 1]);
            let (ga, gb) = (gs[k], gs[k + 1]);
            if bad_side(ga) == bad_side(gb) {
                continue;
            }
            let interpolated = interp_zero(a, ga, b, gb);
            let mut f = |x: f64| -> Result<f64, SweepError> {
                let p = evaluate_at(base, std::slice::from_ref(vary), &[x], eval)?;
                Ok(g_of(&p))
            };
            let (value, bracket, evaluations) =
                refine(a, ga, b, gb, vary.param.integer(), tol, refine_on, &mut f)?;
            // Is the good side at larger parameter values?
            let good_above = if a < b { !bad_side(gb) } else { !bad_side(ga) };
            let sentence = format!(
                "{good} when {} (between grid points {} and {}{})",
                side_of(&vary.param, value, good_above),
                vary.param.value_text(a),
                vary.param.value_text(b),
                if evaluations > 0 {
                    format!("; refined by bisection, {evaluations} extra runs")
                } else {
                    "; interpolated".into()
                }
            );
            out.push(Breakeven {
                statistic: st,
                threshold,
                between: [a, b],
                interpolated,
                value,
                bracket,
                evaluations,
                good_above,
                sentence,
            });
        }
        if !points.is_empty() {
            statements.push(region_statement(
                vary,
                &gs.iter().map(|g| !bad_side(*g)).collect::<Vec<_>>(),
                &out.iter()
                    .filter(|b: &&Breakeven| b.statistic == st && b.threshold == threshold)
                    .collect::<Vec<_>>(),
                good,
                &bad,
            ));
        }
    }
    Ok((out, statements))
}

/// "median payback ≤ 12 months for users ≥ 977.3 …": the set of parameter values on the
/// good side, from the grid's sides and the crossings between them.
fn region_statement(
    vary: &Vary,
    good_at: &[bool],
    crossings: &[&Breakeven],
    good: &str,
    bad: &str,
) -> String {
    let label = vary.param.label();
    let (lo_r, hi_r) = (vary.from.min(vary.to), vary.from.max(vary.to));
    let first_good = if vary.from <= vary.to {
        good_at.first()
    } else {
        good_at.last()
    }
    .copied()
    .unwrap_or(false);
    let mut cross: Vec<f64> = crossings.iter().map(|b| b.value).collect();
    cross.sort_by(f64::total_cmp);
    let mut regions = Vec::new();
    let mut start = first_good.then_some(lo_r);
    for c in &cross {
        match start.take() {
            Some(s) => regions.push((s, *c)),
            None => start = Some(*c),
        }
    }
    if let Some(s) = start {
        regions.push((s, hi_r));
    }
    let range = format!(
        "{} to {}",
        vary.param.value_text(lo_r),
        vary.param.value_text(hi_r)
    );
    if regions.is_empty() {
        return format!("{bad} over the whole range of {label} ({range})");
    }
    if regions.len() == 1 && regions[0] == (lo_r, hi_r) {
        return format!("{good} over the whole range of {label} ({range})");
    }
    let pieces: Vec<String> = regions
        .iter()
        .map(|&(a, b)| {
            if a == lo_r {
                side_of(&vary.param, b, false)
            } else if b == hi_r {
                side_of(&vary.param, a, true)
            } else if vary.param.integer() {
                format!(
                    "{label} from {} to {} (break-evens {} and {})",
                    format::grid_value(a.floor() + 1.0),
                    format::grid_value(b.floor()),
                    crossing_at(&vary.param, a),
                    crossing_at(&vary.param, b)
                )
            } else {
                format!(
                    "{label} from {} to {}",
                    vary.param.value_text(a),
                    vary.param.value_text(b)
                )
            }
        })
        .collect();
    let runs: usize = crossings.iter().map(|b| b.evaluations).sum();
    let how = if runs > 0 {
        format!("interpolated between grid points, refined by bisection in {runs} extra runs")
    } else {
        "interpolated between grid points".to_string()
    };
    format!("{good} for {} (in {range}; {how})", pieces.join(" and "))
}
