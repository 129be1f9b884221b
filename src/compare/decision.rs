//! The comparison's decision: the best option on each criterion, with ties, and what the
//! table and report say about it.

use std::fmt::Write as _;

use super::{Decision, Difference, OptionResult, PairResult, Pick, key};
use crate::format;
use crate::summary::Summary;

fn pick(results: &[OptionResult], f: impl Fn(&Summary) -> f64, larger: bool) -> Pick {
    let vals: Vec<f64> = results.iter().map(|o| f(&o.summary)).collect();
    pick_values(&vals, larger)
}

/// The best of the options' values of a criterion (the largest if `larger`, else the
/// smallest; non-finite values never win). Options whose values equal the best exactly tie,
/// and all of them are picked: this is the one rule of ties for `compare` and `sweep`.
pub fn pick_values(vals: &[f64], larger: bool) -> Pick {
    let best = vals
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(None, |acc: Option<f64>, v| match acc {
            None => Some(v),
            Some(a) => Some(if (v > a) == larger && v != a { v } else { a }),
        })
        .unwrap_or(f64::NAN);
    let options: Vec<usize> = (0..vals.len()).filter(|i| vals[*i] == best).collect();
    Pick {
        keys: options.iter().map(|i| key(*i)).collect(),
        options,
        value: best,
    }
}

/// The paired difference `x − y` of two options' NPV, from the pair list.
fn npv_lead(pairs: &[PairResult], x: usize, y: usize) -> Option<Difference> {
    pairs.iter().find_map(|p| {
        if p.a == x && p.b == y {
            Some(p.npv_difference.clone())
        } else if p.a == y && p.b == x {
            let d = &p.npv_difference;
            Some(Difference {
                mean: -d.mean,
                se: d.se,
                ci: [-d.ci[1], -d.ci[0]],
            })
        } else {
            None
        }
    })
}

fn join_keys(results: &[OptionResult], idx: &[usize]) -> String {
    let v: Vec<String> = idx
        .iter()
        .map(|i| format!("{} ({})", key(*i), results[*i].name))
        .collect();
    match v.len() {
        0 => "none".into(),
        1 => v[0].clone(),
        _ => format!("{} (tied)", v.join(" and ")),
    }
}

pub(super) fn decide(results: &[OptionResult], pairs: &[PairResult], np: u64) -> Decision {
    let money = |x: f64| format::thousands(x, 0);
    let cur = results
        .first()
        .map(|o| o.summary.currency.clone())
        .unwrap_or_default();
    let best = pick(results, |s| s.npv.stats.mean, true);
    let neg = pick(results, |s| s.npv.prob_negative, false);
    let tco = pick(results, |s| s.tco.stats.mean, false);
    let p24 = pick(
        results,
        |s| s.payback.prob_within_24.unwrap_or(f64::NAN),
        true,
    );
    let mut statements = Vec::new();
    let mut runner_up = None;
    let mut lead = None;
    if let Some(&b) = best.options.first() {
        let ru = (0..results.len()).filter(|i| *i != b).max_by(|x, y| {
            results[*x]
                .summary
                .npv
                .stats
                .mean
                .total_cmp(&results[*y].summary.npv.stats.mean)
        });
        let mut s = format!(
            "Best by expected NPV: {}, E[NPV] {} {cur}",
            join_keys(results, &best.options),
            money(best.value)
        );
        if let Some(r) = ru {
            runner_up = Some(key(r));
            lead = npv_lead(pairs, b, r);
            if best.options.len() > 1 {
                // A tie is not a lead: no "ahead of B by 0".
                if lead.as_ref().is_some_and(|d| d.mean == 0.0 && d.se == 0.0) {
                    s.push_str("; their NPVs are equal in every simulated future");
                }
            } else if let Some(d) = &lead {
                let _ = write!(
                    s,
                    "; ahead of {} by {} [{}, {}] (paired 95% interval)",
                    key(r),
                    money(d.mean),
                    money(d.ci[0]),
                    money(d.ci[1])
                );
                if d.ci[0] <= 0.0 {
                    s.push_str(", which includes 0: the two are not clearly apart");
                } else if d.mean < 0.01 * best.value.abs() {
                    let _ = write!(
                        s,
                        ", under 1% of its E[NPV]: in practice a tie with {}",
                        key(r)
                    );
                }
            }
        }
        s.push('.');
        statements.push(s);
    }
    statements.push(format!(
        "Lowest risk of losing money: {}, P(NPV < 0) = {}.",
        join_keys(results, &neg.options),
        format::percent(neg.value)
    ));
    statements.push(format!(
        "Lowest expected TCO: {}, {} {cur}.",
        join_keys(results, &tco.options),
        money(tco.value)
    ));
    statements.push(format!(
        "Most likely to pay back within 24 months: {}, {}.",
        join_keys(results, &p24.options),
        format::percent(p24.value)
    ));
    let n = format::thousands(np as f64, 0);
    let mut dom = Vec::new();
    for p in pairs {
        for (x, y, npv, pb) in [
            (p.a, p.b, p.a_dominates_b_on_npv, p.a_dominates_b_on_payback),
            (p.b, p.a, p.b_dominates_a_on_npv, p.b_dominates_a_on_payback),
        ] {
            let on = match (npv, pb) {
                (true, true) => "NPV and payback",
                (true, false) => "NPV",
                (false, true) => "payback",
                _ => continue,
            };
            dom.push(format!("{} dominates {} on {on}", key(x), key(y)));
        }
    }
    if dom.is_empty() {
        statements.push(format!(
            "No option first-order stochastically dominates another on NPV or payback (checked on {n} paired trials)."
        ));
    } else {
        statements.push(format!(
            "First-order stochastic dominance: {} (empirical: every percentile of the first is at least as good over these {n} trials; the true tails may still cross).",
            dom.join("; ")
        ));
    }
    Decision {
        best_expected_npv: best,
        lead_over_runner_up: lead,
        runner_up,
        lowest_prob_negative_npv: neg,
        lowest_expected_tco: tco,
        highest_prob_within_24: p24,
        statements,
    }
}

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------
