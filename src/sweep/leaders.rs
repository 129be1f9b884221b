//! Several scenarios on one grid: which is cheapest (lowest E[TCO]) and best (highest
//! E[NPV]) at each point, by `compare`'s rule for ties, and, for one parameter, where the
//! leader changes (refined by bisection) and a sentence that tells the story.

use std::fmt::Write as _;

use super::breakeven::{interp_zero, refine};
use super::run::evaluate_at;
use super::{
    BRACKET_TOLERANCE, Crossover, Evaluator, Leader, Point, ScenarioSweep, Statistic, SweepConfig,
    SweepError, SweepInput, Vary, crossing_at,
};
use crate::compare::pick_values;

/// The leaders at every grid point.
pub(super) fn leaders_at(out: &[ScenarioSweep], points_grid: &[Vec<f64>]) -> Vec<Leader> {
    points_grid
        .iter()
        .enumerate()
        .map(|(k, values)| {
            let tco: Vec<f64> = out.iter().map(|s| s.points[k].tco_mean).collect();
            let npv: Vec<f64> = out.iter().map(|s| s.points[k].npv_mean).collect();
            Leader {
                point: k,
                values: values.clone(),
                cheapest: pick_values(&tco, false),
                best_npv: pick_values(&npv, true),
            }
        })
        .collect()
}

/// A run of consecutive grid points with the same leader(s): (leaders, first, last point).
type Run = (Vec<usize>, usize, usize);

/// The leader(s) of a point by one statistic.
fn lead(st: Statistic, l: &Leader) -> &[usize] {
    match st {
        Statistic::TcoMean => &l.cheapest.options,
        _ => &l.best_npv.options,
    }
}

/// How much better scenario q is than p at a point (> 0 where q leads).
fn advantage(st: Statistic, p: &Point, q: &Point) -> f64 {
    match st {
        Statistic::TcoMean => p.tco_mean - q.tco_mean,
        _ => q.npv_mean - p.npv_mean,
    }
}

/// Where the leader changes along one parameter, by cost and by NPV, with one sentence per
/// statistic ("A up to x, then B up to y, then C").
pub(super) fn crossovers(
    inputs: &[SweepInput],
    out: &[ScenarioSweep],
    leaders: &[Leader],
    vary: &Vary,
    cfg: &SweepConfig,
    eval: &mut Evaluator,
) -> Result<(Vec<Crossover>, Vec<String>), SweepError> {
    let names: Vec<String> = out.iter().map(|o| o.name.clone()).collect();
    let short_names = crate::compare::chart_labels(&names);
    let (mut found, mut statements) = (Vec::new(), Vec::new());
    for st in [Statistic::TcoMean, Statistic::NpvMean] {
        let mut runs: Vec<Run> = Vec::new();
        for (k, l) in leaders.iter().enumerate() {
            match runs.last_mut() {
                Some(r) if r.0 == lead(st, l) => r.2 = k,
                _ => runs.push((lead(st, l).to_vec(), k, k)),
            }
        }
        if runs.is_empty() {
            continue;
        }
        let crossing = find_crossings(st, &runs, inputs, out, vary, cfg, eval, &mut found)?;
        let keys: Vec<&str> = out.iter().map(|o| o.key.as_str()).collect();
        statements.push(story(st, &runs, &crossing, vary, &short_names, &keys));
    }
    Ok((found, statements))
}

/// Where one single leader gives way to another, the crossing (pushed to `found`); a tie on
/// either side has no single crossing (None).
#[allow(clippy::too_many_arguments)]
fn find_crossings(
    st: Statistic,
    runs: &[Run],
    inputs: &[SweepInput],
    out: &[ScenarioSweep],
    vary: &Vary,
    cfg: &SweepConfig,
    eval: &mut Evaluator,
    found: &mut Vec<Crossover>,
) -> Result<Vec<Option<f64>>, SweepError> {
    let tol = BRACKET_TOLERANCE * (vary.to - vary.from).abs();
    let mut crossing = vec![None; runs.len()];
    for w in 1..runs.len() {
        let (&[p], &[q]) = (runs[w - 1].0.as_slice(), runs[w].0.as_slice()) else {
            continue;
        };
        let k = runs[w - 1].2;
        let (a, b) = (vary.values[k], vary.values[k + 1]);
        let ga = advantage(st, &out[p].points[k], &out[q].points[k]);
        let gb = advantage(st, &out[p].points[k + 1], &out[q].points[k + 1]);
        let interpolated = interp_zero(a, ga, b, gb);
        let (sp, sq) = (inputs[p].scenario, inputs[q].scenario);
        let mut f = |x: f64| -> Result<f64, SweepError> {
            let pp = evaluate_at(sp, std::slice::from_ref(vary), &[x], eval)?;
            let pq = evaluate_at(sq, std::slice::from_ref(vary), &[x], eval)?;
            Ok(advantage(st, &pp, &pq))
        };
        let (value, _, evaluations) = if ga.is_finite() && gb.is_finite() {
            refine(a, ga, b, gb, vary.param.integer(), tol, cfg.refine, &mut f)?
        } else {
            (interpolated, [a, b], 0)
        };
        crossing[w] = Some(value);
        found.push(Crossover {
            statistic: st,
            from: p,
            to: q,
            between: [a, b],
            interpolated,
            value,
            evaluations,
        });
    }
    Ok(crossing)
}

/// One sentence for a statistic: "Cheapest … as users goes from 100 to 3,000: A until
/// users ≈ 977, then B". A scenario is named in full the first time, by its key after.
fn story(
    st: Statistic,
    runs: &[Run],
    crossing: &[Option<f64>],
    vary: &Vary,
    short_names: &[String],
    keys: &[&str],
) -> String {
    let what = match st {
        Statistic::TcoMean => "Cheapest (lowest E[TCO])",
        _ => "Best by expected NPV",
    };
    let label = vary.param.label();
    let mut named = vec![false; keys.len()];
    let mut who = |set: &[usize]| {
        let mut name = |i: usize| {
            if std::mem::replace(&mut named[i], true) {
                keys[i].to_string()
            } else {
                short_names[i].clone()
            }
        };
        match set {
            [] => "none".to_string(),
            [i] => name(*i),
            _ => {
                let v: Vec<String> = set.iter().map(|i| name(*i)).collect();
                format!("{} (tied)", v.join(" and "))
            }
        }
    };
    let mut s = format!(
        "{what} as {label} goes from {} to {}: {}",
        vary.param.value_text(vary.from),
        vary.param.value_text(vary.to),
        who(&runs[0].0)
    );
    if runs.len() == 1 {
        s.push_str(" throughout");
    }
    for w in 1..runs.len() {
        let lab = if w == 1 {
            format!("{label} ")
        } else {
            String::new()
        };
        match crossing[w] {
            Some(x) => {
                let at = if vary.param.integer() {
                    crossing_at(&vary.param, x)
                } else {
                    format!("≈ {}", vary.param.value_text(x))
                };
                let _ = write!(s, " until {lab}{at}, then {}", who(&runs[w].0));
            }
            None => {
                // A tie on one side: the grid values where each run starts/ends.
                let at = |k: usize| vary.param.value_text(vary.values[k]);
                let (prev, this) = (&runs[w - 1], &runs[w]);
                let single = |r: &Run| r.1 == r.2;
                if w == 1 || !single(prev) {
                    let _ = write!(s, " up to {lab}{}", at(prev.2));
                }
                let span = if single(this) && w + 1 < runs.len() {
                    format!("at {}", at(this.1))
                } else {
                    format!("from {}", at(this.1))
                };
                let _ = write!(s, ", then {} {span}", who(&this.0));
            }
        }
    }
    s.push('.');
    s
}
