//! `payback sensitivity --target RULE`: what decides whether a decision rule holds, as a
//! table, `target.csv` and two charts (the library computes: `sensitivity::target`, run by
//! `sensitivity::analysis`).

use std::fmt::Write as _;

use serde::Serialize;

use super::CliError;
use super::sensitivity_cmd::{SensitivityArgs, csv, num};
use crate::charts::{self, ChartError, ChartFormat, ChartMeta};
use crate::format;
use crate::scenario::Scenario;
use crate::sensitivity::analysis::{self, DEFAULT_RULE, Method};
use crate::sensitivity::rule::Rule;
use crate::sensitivity::spider::SpiderError;
use crate::sensitivity::target::{self, Side, Target, TargetError, TargetRow};

/// The rule asked for, parsed and checked against the scenario (None: no rule analysis).
pub fn rule_of(s: &Scenario, a: &SensitivityArgs) -> Result<Option<Rule>, CliError> {
    let text = match (&a.target, a.method) {
        (Some(t), _) => t.as_str(),
        (None, Method::Target) => DEFAULT_RULE,
        (None, _) => return Ok(None),
    };
    parse_rule(s, text).map(Some)
}

/// Parse a rule against a scenario's cost categories and horizon.
pub fn parse_rule(s: &Scenario, text: &str) -> Result<Rule, CliError> {
    analysis::rule_for(s, text).map_err(|e| CliError::Usage(format!("--target: {e}")))
}

/// The command-line error of a failed decision-rule analysis.
pub fn target_error(s: &Scenario, e: TargetError) -> CliError {
    match e {
        TargetError::Rerun(SpiderError::Run(e)) => super::in_file(s, e),
        other => CliError::Usage(format!("--target: {other}")),
    }
}

/// Check the rule's options before anything runs.
pub fn check(s: &Scenario, a: &SensitivityArgs, trials: u64) -> Result<(), CliError> {
    if rule_of(s, a)?.is_none() {
        return Ok(());
    }
    if !(a.level > 0.0 && a.level < 1.0) {
        return Err(CliError::Usage(format!(
            "--level must be strictly between 0 and 1 (got {}): it is the probability of the rule the threshold search looks for",
            a.level
        )));
    }
    if a.target_trials < 100 {
        return Err(CliError::Usage(format!(
            "--target-trials must be at least 100 (got {})",
            a.target_trials
        )));
    }
    if trials < target::MIN_TRIALS as u64 {
        return Err(CliError::Usage(format!(
            "the decision rule needs at least {} trials (got {trials}): each decile holds a tenth of them",
            target::MIN_TRIALS
        )));
    }
    Ok(())
}

fn side_text(side: Option<Side>) -> &'static str {
    match side {
        Some(Side::AtLeast) => "≥",
        Some(Side::AtMost) => "≤",
        None => "",
    }
}

fn opt_num(x: Option<f64>) -> String {
    x.map(num).unwrap_or_else(|| "—".into())
}

/// The terminal table.
pub fn render(t: &Target) -> String {
    let mut o = String::new();
    let what = target::probability_name(&t.parsed);
    let _ = writeln!(
        o,
        "What decides whether {} ({what} = {} over {} trials):",
        t.parsed.pretty(),
        format::percent(t.probability),
        format::thousands(t.trials as f64, 0)
    );
    let _ = writeln!(
        o,
        "  {:<26} {:>6} {:>9} {:>12} {:>12} {:>11} {:>11}  value for P = {}",
        "input",
        "KS",
        "p",
        "median met",
        "not met",
        "low 10%",
        "high 10%",
        format::percent(t.level)
    );
    for r in t.inputs.iter().take(15) {
        let _ = writeln!(
            o,
            "  {:<26} {:>6} {:>9} {:>12} {:>12} {:>11} {:>11}  {}",
            r.input,
            r.ks.map(|d| format!("{d:.3}"))
                .unwrap_or_else(|| "—".into()),
            r.ks_p.map(p_text).unwrap_or_else(|| "—".into()),
            opt_num(r.median_met),
            opt_num(r.median_not_met),
            format::percent(r.p_low_decile),
            format::percent(r.p_high_decile),
            threshold_text(r)
        );
    }
    if let Some(w) = t.watch() {
        let _ = writeln!(o, "  → {w}");
    }
    for r in t.inputs.iter().skip(1).filter(|r| r.note.is_some()) {
        let _ = writeln!(
            o,
            "  no value of {}: {}",
            r.input,
            r.note.as_deref().unwrap_or("")
        );
    }
    o.push('\n');
    o
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn threshold_text(r: &TargetRow) -> String {
    match (r.threshold, &r.note) {
        (Some(v), _) => format!("{} {}", side_text(r.threshold_side), num(v)),
        (None, Some(_)) => "none in P1–P99".into(),
        (None, None) => String::new(),
    }
}

#[derive(Serialize)]
struct TargetCsv<'a> {
    rule: &'a str,
    input: &'a str,
    ks: Option<f64>,
    ks_p: Option<f64>,
    median_met: Option<f64>,
    median_not_met: Option<f64>,
    probability: f64,
    p_low_decile: f64,
    p_high_decile: f64,
    level: f64,
    threshold: Option<f64>,
    threshold_side: Option<Side>,
    note: Option<&'a str>,
}

/// `target.csv`: one row per input, most influential first.
pub fn csv_of(t: &Target) -> Vec<u8> {
    let rows: Vec<TargetCsv> = t
        .inputs
        .iter()
        .map(|r| TargetCsv {
            rule: &t.rule,
            input: &r.input,
            ks: r.ks,
            ks_p: r.ks_p,
            median_met: r.median_met,
            median_not_met: r.median_not_met,
            probability: t.probability,
            p_low_decile: r.p_low_decile,
            p_high_decile: r.p_high_decile,
            level: t.level,
            threshold: r.threshold,
            threshold_side: r.threshold_side,
            note: r.note.as_deref(),
        })
        .collect();
    csv(&rows)
}

/// The two charts: `target_ks` (KS distances) and `target_tornado` (P(rule) by decile).
pub fn charts(
    t: &Target,
    meta: &ChartMeta,
    f: ChartFormat,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let ext = f.extension();
    let ks = charts::KsData {
        rule: t.parsed.pretty(),
        rows: t
            .inputs
            .iter()
            .map(|r| charts::KsRow {
                input: r.input.clone(),
                ks: r.ks.unwrap_or(f64::NAN),
                p: r.ks_p.unwrap_or(f64::NAN),
            })
            .collect(),
    };
    let what = target::probability_name(&t.parsed);
    let pct = |p: f64| format!("{:.0}%", 100.0 * p);
    let mut rows: Vec<&TargetRow> = t.inputs.iter().collect();
    rows.sort_by(|a, b| {
        let spread = |r: &TargetRow| (r.p_high_decile - r.p_low_decile).abs();
        spread(b).total_cmp(&spread(a))
    });
    let tornado = charts::TornadoData {
        output_label: format!("{what}, %"),
        base: Some(100.0 * t.probability),
        horizon: None,
        rows: rows
            .iter()
            .map(|r| charts::TornadoRow {
                input: r.input.clone(),
                low_label: pct(r.p_low_decile),
                high_label: pct(r.p_high_decile),
                output_low: Some(100.0 * r.p_low_decile),
                output_high: Some(100.0 * r.p_high_decile),
            })
            .collect(),
    };
    let words = charts::TornadoWords {
        title: what.clone(),
        subtitle: format!(
            "{what} among the same {} trials when one input lands in its lowest or highest 10%, the others as drawn",
            format::thousands(t.trials as f64, 0)
        ),
        legend: [
            "input in its lowest 10%".into(),
            "input in its highest 10%".into(),
        ],
        base: "all trials".into(),
        percent: true,
    };
    Ok(vec![
        (format!("target_ks.{ext}"), charts::ks_chart(&ks, meta, f)?),
        (
            format!("target_tornado.{ext}"),
            charts::tornado_chart_with(&tornado, &words, meta, f)?,
        ),
    ])
}
