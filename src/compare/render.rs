//! Rendering a [`Comparison`]: the terminal table, JSON, CSV files and charts.

use std::fmt::Write as _;

use super::columns::OPTION_COLUMNS;
use super::{Comparison, Difference, PairResult};
use crate::charts::{self, ChartError, ChartFormat, ChartMeta};
use crate::format::{self, NumberStyle};

/// A pair seen from the option with the higher expected NPV ("X vs Y").
pub struct Oriented {
    /// Key of X (the higher E[NPV]).
    pub x: String,
    /// Key of Y.
    pub y: String,
    /// P(NPV_X > NPV_Y).
    pub higher_npv: f64,
    /// P(payback_X < payback_Y).
    pub shorter_payback: f64,
    /// Both on the same trial.
    pub both: f64,
    /// P(TCO_X < TCO_Y).
    pub lower_tco: f64,
    /// NPV_X − NPV_Y.
    pub npv_difference: Difference,
}

/// Orient a pair so that the option with the higher expected NPV comes first.
pub fn oriented(p: &PairResult) -> Oriented {
    if p.npv_difference.mean < 0.0 {
        Oriented {
            x: p.b_key.clone(),
            y: p.a_key.clone(),
            higher_npv: p.prob_b_higher_npv,
            shorter_payback: p.prob_b_shorter_payback,
            both: p.prob_b_better_on_both,
            lower_tco: p.prob_b_lower_tco,
            npv_difference: Difference {
                mean: -p.npv_difference.mean,
                se: p.npv_difference.se,
                ci: [-p.npv_difference.ci[1], -p.npv_difference.ci[0]],
            },
        }
    } else {
        Oriented {
            x: p.a_key.clone(),
            y: p.b_key.clone(),
            higher_npv: p.prob_a_higher_npv,
            shorter_payback: p.prob_a_shorter_payback,
            both: p.prob_a_better_on_both,
            lower_tco: p.prob_a_lower_tco,
            npv_difference: p.npv_difference.clone(),
        }
    }
}

/// The comparison as a terminal table.
pub fn render_table(c: &Comparison) -> String {
    let mut o = String::new();
    header(&mut o, c);
    let kw = c
        .options
        .iter()
        .map(|x| format::display_width(&x.key))
        .max()
        .unwrap_or(1)
        + 2;
    payback_rows(&mut o, c, 16.max(kw));
    o.push('\n');
    npv_rows(&mut o, c, 16.max(kw));
    o.push('\n');
    tco_rows(&mut o, c, 16.max(kw));
    if !c.pairs.is_empty() {
        pair_rows(&mut o, c);
    }
    o.push('\n');
    for s in &c.decision.statements {
        let _ = writeln!(o, "{s}");
    }
    for w in &c.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    for x in &c.options {
        for w in &x.summary.warnings {
            let _ = writeln!(o, "warning: {}: {w}", x.key);
        }
    }
    o
}

/// The title line and the options with their files.
fn header(o: &mut String, c: &Comparison) {
    let _ = writeln!(
        o,
        "Comparison of {} options · {} trials each · seed {} · {} sampling · common random numbers (paired) · horizon {} months · {}",
        c.options.len(),
        format::thousands(c.trials as f64, 0),
        c.seed,
        c.sampling,
        c.horizon_months,
        c.currency
    );
    o.push('\n');
    for opt in &c.options {
        let _ = writeln!(
            o,
            "  {}  {}{}",
            opt.key,
            opt.name,
            opt.file
                .as_ref()
                .map(|f| format!("   ({f})"))
                .unwrap_or_default()
        );
    }
    o.push('\n');
}

/// A block's first cell: its title, or an option's key, padded to `width`.
fn first_cell(o: &mut String, text: &str, width: usize) {
    o.push_str(&format::pad_right(text, width));
}

/// Payback percentiles and probabilities, one row per option.
fn payback_rows(o: &mut String, c: &Comparison, width: usize) {
    let h = c.horizon_months;
    first_cell(o, "Payback months", width);
    for hd in ["P10", "P25", "P50", "P75", "P90"] {
        let _ = write!(o, "{hd:>8}");
    }
    let _ = writeln!(
        o,
        "{:>10}{:>10}{:>10}",
        "P(≤ 12)",
        "P(≤ 24)",
        format!("P(≤ {h})")
    );
    for opt in &c.options {
        let p = &opt.summary.payback;
        first_cell(o, &format!("  {}", opt.key), width);
        for v in [p.pct.p10, p.pct.p25, p.pct.p50, p.pct.p75, p.pct.p90] {
            let _ = write!(o, "{:>8}", format::months_or_beyond(v, h));
        }
        let _ = writeln!(
            o,
            "{:>10}{:>10}{:>10}",
            format::percent(p.prob_within_12.unwrap_or(f64::NAN)),
            format::percent(p.prob_within_24.unwrap_or(f64::NAN)),
            format::percent(p.prob_within_horizon)
        );
    }
}

/// NPV percentiles, mean and P(NPV < 0), one row per option.
fn npv_rows(o: &mut String, c: &Comparison, width: usize) {
    first_cell(o, &format!("NPV ({})", c.currency), width);
    for hd in ["P10", "P50", "P90", "mean", "± s.e."] {
        let _ = write!(o, "{hd:>13}");
    }
    let _ = writeln!(o, "{:>12}", "P(NPV < 0)");
    for opt in &c.options {
        let v = &opt.summary.npv;
        first_cell(o, &format!("  {}", opt.key), width);
        let s = &v.stats;
        for x in [s.pct.p10, s.pct.p50, s.pct.p90, s.mean, s.mean_se] {
            let _ = write!(o, "{:>13}", format::thousands(x, 0));
        }
        let _ = writeln!(o, "{:>12}", format::percent(v.prob_negative));
    }
}

/// TCO percentiles and mean, one row per option.
fn tco_rows(o: &mut String, c: &Comparison, width: usize) {
    first_cell(o, &format!("TCO ({} months)", c.horizon_months), width);
    for hd in ["P10", "P50", "P90", "mean"] {
        let _ = write!(o, "{hd:>13}");
    }
    o.push('\n');
    for opt in &c.options {
        let v = &opt.summary.tco.stats;
        first_cell(o, &format!("  {}", opt.key), width);
        for x in [v.pct.p10, v.pct.p50, v.pct.p90, v.mean] {
            let _ = write!(o, "{:>13}", format::thousands(x, 0));
        }
        o.push('\n');
    }
}

/// The paired statistics, one row per pair seen from the option with the higher E[NPV].
fn pair_rows(o: &mut String, c: &Comparison) {
    let money = |x: f64| format::thousands(x, 0);
    let _ = writeln!(
        o,
        "\nPaired, trial by trial ({} trials): how often X beats Y on the same simulated future\n(both = higher NPV and shorter payback in the same trial)",
        format::thousands(c.paired_trials as f64, 0)
    );
    let oriented_pairs: Vec<Oriented> = c.pairs.iter().map(oriented).collect();
    let names: Vec<String> = oriented_pairs
        .iter()
        .map(|p| format!("{} vs {}", p.x, p.y))
        .collect();
    let xw = format::column_width(names.iter().map(String::as_str), 8);
    let _ = writeln!(
        o,
        "  {}{:>15}{:>17}{:>12}{:>15}   NPV X − Y: mean [95% interval] ({})",
        format::pad_right("X vs Y", xw),
        "higher NPV",
        "shorter payback",
        "both",
        "lower TCO",
        c.currency
    );
    for (p, name) in oriented_pairs.iter().zip(&names) {
        let d = &p.npv_difference;
        let _ = writeln!(
            o,
            "  {}{:>15}{:>17}{:>12}{:>15}   {} [{}, {}]",
            format::pad_right(name, xw),
            format::percent(p.higher_npv),
            format::percent(p.shorter_payback),
            format::percent(p.both),
            format::percent(p.lower_tco),
            money(d.mean),
            money(d.ci[0]),
            money(d.ci[1])
        );
    }
}

/// `compare.json`.
pub fn to_json(c: &Comparison) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(c).unwrap_or_default();
    v.push(b'\n');
    v
}

fn opt_num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// `compare.csv`: one row per option.
pub fn options_csv(c: &Comparison) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["key", "option", "file"];
    header.extend(OPTION_COLUMNS.iter().map(|col| col.key));
    let _ = w.write_record(header);
    for o in &c.options {
        let mut row = vec![
            o.key.clone(),
            o.name.clone(),
            o.file.clone().unwrap_or_default(),
        ];
        row.extend(
            OPTION_COLUMNS
                .iter()
                .map(|col| opt_num((col.value)(&o.summary))),
        );
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

/// `compare_pairs.csv`: one row per pair (a before b in command-line order).
pub fn pairs_csv(c: &Comparison) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "a",
        "b",
        "paired_trials",
        "prob_a_higher_npv",
        "prob_b_higher_npv",
        "prob_a_shorter_payback",
        "prob_b_shorter_payback",
        "prob_a_better_on_both",
        "prob_b_better_on_both",
        "prob_a_lower_tco",
        "prob_b_lower_tco",
        "npv_diff_mean",
        "npv_diff_ci_low",
        "npv_diff_ci_high",
        "tco_diff_mean",
        "tco_diff_ci_low",
        "tco_diff_ci_high",
        "a_dominates_b_on_npv",
        "b_dominates_a_on_npv",
        "a_dominates_b_on_payback",
        "b_dominates_a_on_payback",
    ]);
    for p in &c.pairs {
        let _ = w.write_record([
            p.a_key.clone(),
            p.b_key.clone(),
            c.paired_trials.to_string(),
            p.prob_a_higher_npv.to_string(),
            p.prob_b_higher_npv.to_string(),
            p.prob_a_shorter_payback.to_string(),
            p.prob_b_shorter_payback.to_string(),
            p.prob_a_better_on_both.to_string(),
            p.prob_b_better_on_both.to_string(),
            p.prob_a_lower_tco.to_string(),
            p.prob_b_lower_tco.to_string(),
            p.npv_difference.mean.to_string(),
            p.npv_difference.ci[0].to_string(),
            p.npv_difference.ci[1].to_string(),
            p.tco_difference.mean.to_string(),
            p.tco_difference.ci[0].to_string(),
            p.tco_difference.ci[1].to_string(),
            p.a_dominates_b_on_npv.to_string(),
            p.b_dominates_a_on_npv.to_string(),
            p.a_dominates_b_on_payback.to_string(),
            p.b_dominates_a_on_payback.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// Titles and footer of the comparison charts.
pub fn chart_meta(c: &Comparison, style: NumberStyle) -> ChartMeta {
    ChartMeta::of_options(
        &c.currency,
        style,
        c.options.len(),
        c.trials,
        "each",
        c.seed,
        &c.sampling,
    )
}

/// The comparison charts: (file name, bytes) for `compare_payback`, `compare_npv` and
/// `compare_tco` in each format.
///
/// # Errors
/// A [`ChartError`] when drawing fails.
pub fn charts(
    c: &Comparison,
    style: NumberStyle,
    fmts: &[ChartFormat],
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let m = chart_meta(c, style);
    let mut out = Vec::new();
    for &f in fmts {
        let ext = f.extension();
        if let Some(d) = &c.charts.payback {
            out.push((
                format!("compare_payback.{ext}"),
                charts::cdf_compare_chart(d, &m, f)?,
            ));
        }
        if let Some(d) = &c.charts.npv {
            out.push((
                format!("compare_npv.{ext}"),
                charts::box_compare_chart(d, &m, f)?,
            ));
        }
        if let Some(d) = &c.charts.tco {
            out.push((
                format!("compare_tco.{ext}"),
                charts::box_compare_chart(d, &m, f)?,
            ));
        }
    }
    Ok(out)
}
