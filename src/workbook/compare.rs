//! The comparison's sheets: a Summary (how the options were run, the decision statements,
//! warnings), Options (one row per option, with native charts of NPV P10/P50/P90 and of
//! P(payback ≤ 12/24 months)), Paired (every pair on the same simulated futures) and one
//! sheet per option with its key figures and percentiles.

use rust_xlsxwriter::{
    Chart, ChartAxisLabelPosition, ChartLegendPosition, ChartType, Worksheet, XlsxError,
};

use super::sheet::{Cell, Kind, Sheet, Styles, money_format};
use super::summary::{key_figures, warnings};
use crate::compare::columns::{OPTION_COLUMNS, Unit};
use crate::compare::{Comparison, OptionResult, PairResult};

/// Name of an option's sheet.
pub fn option_sheet_name(key: &str) -> String {
    format!("Option {key}")
}

/// The comparison's sheets; `summary` adds its own Summary sheet first (a report's
/// workbook has the run's).
pub fn sheets(c: &Comparison, st: &Styles, summary: bool) -> Result<Vec<Worksheet>, XlsxError> {
    let mut v = Vec::new();
    if summary {
        v.push(summary_sheet(c, st)?);
    }
    v.push(options_sheet(c, st)?);
    v.push(pairs_sheet(c, st)?);
    for o in &c.options {
        v.push(option_sheet(c, o, st)?);
    }
    Ok(v)
}

fn summary_sheet(c: &Comparison, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::headed(
        "Summary",
        &format!("Comparison of {} options", c.options.len()),
        "Every option ran the same trials with the same seed: inputs two scenarios share take the same value in the same trial (paired).",
        st,
    )?;
    let bold = st.bold.clone();
    let mut r = 3;
    for line in &c.decision.statements {
        s.line(r, 0, line, &bold)?;
        r += 1;
    }
    r += 1;
    s.header(r, 0, &["Run", "Value"])?;
    let facts = [
        ("Trials per option", Cell::Num(c.trials as f64, Kind::Count)),
        ("Seed", Cell::Text(c.seed.to_string())),
        ("Sampling", Cell::Text(c.sampling.name().into())),
        (
            "Horizon (months)",
            Cell::Num(c.horizon_months as f64, Kind::Count),
        ),
        ("Currency", Cell::Text(c.currency.clone())),
        (
            "Trials behind the paired statistics",
            Cell::Num(c.paired_trials as f64, Kind::Count),
        ),
        (
            "Trials behind first-order dominance",
            Cell::Num(c.dominance_trials as f64, Kind::Count),
        ),
        (
            "Written by",
            Cell::Text(format!("payback {}", env!("CARGO_PKG_VERSION"))),
        ),
    ];
    for (label, cell) in facts {
        r += 1;
        s.text(r, 0, label)?;
        s.cell(r, 1, &cell)?;
    }
    warnings(&mut s, r + 2, &c.warnings)?;
    Ok(s.finish())
}

/// Column headers of the Options sheet.
fn options_header(h: u32, cur: &str) -> Vec<String> {
    let mut v: Vec<String> = ["Key", "Option", "File"].map(String::from).to_vec();
    v.extend(OPTION_COLUMNS.iter().map(|col| col.label(h, cur)));
    v
}

fn option_row(o: &OptionResult, h: u32) -> Vec<Cell> {
    let mut v = vec![
        Cell::Text(o.key.clone()),
        Cell::Text(o.name.clone()),
        Cell::Text(o.file.clone().unwrap_or_default()),
    ];
    v.extend(OPTION_COLUMNS.iter().map(|col| {
        let x = (col.value)(&o.summary);
        match col.unit {
            Unit::Months => Cell::Months(x, h),
            Unit::Probability => Cell::Opt(x, Kind::Percent),
            Unit::Money => Cell::Opt(x, Kind::Money),
        }
    }));
    v
}

/// Options sheet columns read by the charts.
const NPV_P10_COL: u16 = 13;
const P12_COL: u16 = 8;

fn options_sheet(c: &Comparison, st: &Styles) -> Result<Worksheet, XlsxError> {
    let h = c.horizon_months;
    let mut s = Sheet::headed(
        "Options",
        "The options side by side",
        &format!(
            "\"> {h}\" = beyond the {h}-month horizon. Money in {}.",
            c.currency
        ),
        st,
    )?;
    let head = 3;
    let header = options_header(h, &c.currency);
    let labels: Vec<&str> = header.iter().map(String::as_str).collect();
    s.header(head, 0, &labels)?;
    for (i, o) in c.options.iter().enumerate() {
        s.row(head + 1 + i as u32, 0, &option_row(o, h))?;
    }
    let (first, last) = (head + 1, head + c.options.len() as u32);
    let cats = s.range(first, 0, last);
    let mut npv = Chart::new(ChartType::Column);
    npv.title().set_name("NPV by option: P10, P50, P90");
    for (k, name) in ["P10", "P50", "P90"].iter().enumerate() {
        npv.add_series()
            .set_name(*name)
            .set_categories(&cats)
            .set_values(&s.range(first, NPV_P10_COL + k as u16, last));
    }
    npv.x_axis().set_label_position(ChartAxisLabelPosition::Low);
    npv.y_axis()
        .set_name(&format!("NPV ({})", c.currency))
        .set_num_format(money_format(st.style));
    npv.legend().set_position(ChartLegendPosition::Bottom);
    npv.set_width(560).set_height(360);
    let mut prob = Chart::new(ChartType::Column);
    prob.title()
        .set_name("Chance of paying back within 12 and 24 months");
    for (k, name) in ["P(payback ≤ 12)", "P(payback ≤ 24)"].iter().enumerate() {
        prob.add_series()
            .set_name(*name)
            .set_categories(&cats)
            .set_values(&s.range(first, P12_COL + k as u16, last));
    }
    prob.y_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
    prob.legend().set_position(ChartLegendPosition::Bottom);
    prob.set_width(560).set_height(360);
    let chart_row = last + 3;
    s.ws.insert_chart(chart_row, 0, &npv)?;
    s.ws.insert_chart(chart_row, 6, &prob)?;
    s.ws.set_freeze_panes(head + 1, 2)?;
    Ok(s.finish())
}

fn dominance(p: &PairResult) -> String {
    let mut v = Vec::new();
    let (a, b) = (&p.a_key, &p.b_key);
    for (yes, who, whom, what) in [
        (p.a_dominates_b_on_npv, a, b, "NPV"),
        (p.b_dominates_a_on_npv, b, a, "NPV"),
        (p.a_dominates_b_on_payback, a, b, "payback"),
        (p.b_dominates_a_on_payback, b, a, "payback"),
    ] {
        if yes {
            v.push(format!("{who} dominates {whom} on {what}"));
        }
    }
    v.join("; ")
}

/// Column headers of the Paired sheet.
pub const PAIR_HEADER: [&str; 17] = [
    "X",
    "Y",
    "P(X higher NPV)",
    "P(Y higher NPV)",
    "P(X shorter payback)",
    "P(Y shorter payback)",
    "P(X better on both)",
    "P(Y better on both)",
    "P(X lower TCO)",
    "P(Y lower TCO)",
    "NPV X − Y: mean",
    "95% interval: from",
    "to",
    "TCO X − Y: mean",
    "95% interval: from",
    "to",
    "First-order dominance (empirical)",
];

fn pairs_sheet(c: &Comparison, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::headed(
        "Paired",
        "Paired, trial by trial: how often X beats Y on the same simulated future",
        &format!(
            "{} paired trials; a payback beyond the horizon counts as +∞; ties count for neither. Dominance uses the first {} trials.",
            crate::format::thousands(c.paired_trials as f64, 0),
            crate::format::thousands(c.dominance_trials as f64, 0)
        ),
        st,
    )?;
    let head = 3;
    s.header(head, 0, &PAIR_HEADER)?;
    let pr = |x: f64| Cell::Num(x, Kind::Percent);
    let money = |x: f64| Cell::Num(x, Kind::Money);
    for (i, p) in c.pairs.iter().enumerate() {
        s.row(
            head + 1 + i as u32,
            0,
            &[
                Cell::Text(p.a_key.clone()),
                Cell::Text(p.b_key.clone()),
                pr(p.prob_a_higher_npv),
                pr(p.prob_b_higher_npv),
                pr(p.prob_a_shorter_payback),
                pr(p.prob_b_shorter_payback),
                pr(p.prob_a_better_on_both),
                pr(p.prob_b_better_on_both),
                pr(p.prob_a_lower_tco),
                pr(p.prob_b_lower_tco),
                money(p.npv_difference.mean),
                money(p.npv_difference.ci[0]),
                money(p.npv_difference.ci[1]),
                money(p.tco_difference.mean),
                money(p.tco_difference.ci[0]),
                money(p.tco_difference.ci[1]),
                Cell::Text(dominance(p)),
            ],
        )?;
    }
    s.ws.set_freeze_panes(head + 1, 2)?;
    Ok(s.finish())
}

fn option_sheet(c: &Comparison, o: &OptionResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let sm = &o.summary;
    let mut s = Sheet::new(&option_sheet_name(&o.key), st)?;
    s.title(0, &format!("{}: {}", o.key, o.name))?;
    if let Some(f) = &o.file {
        s.note(1, f)?;
    }
    let bold = st.bold.clone();
    s.text_with(2, 0, "Verdict", &bold)?;
    s.line(2, 1, &sm.verdict.to_string(), &bold)?;
    let r = key_figures(&mut s, 4, sm)?;
    let r = super::payback::percentiles(&mut s, r + 1, sm)?;
    let cur = &c.currency;
    s.header(
        r + 1,
        0,
        &[
            "Percentile",
            &format!("NPV ({cur})"),
            &format!("TCO ({cur})"),
            &format!("PV benefits ({cur})"),
            &format!("PV costs ({cur})"),
        ],
    )?;
    let rows = [
        &sm.npv.stats.pct,
        &sm.tco.stats.pct,
        &sm.pv_benefits.pct,
        &sm.pv_costs.pct,
    ];
    for k in 0..7 {
        let rr = r + 2 + k as u32;
        s.text(rr, 0, sm.npv.stats.pct.iter()[k].0)?;
        for (j, p) in rows.iter().enumerate() {
            s.num(rr, 1 + j as u16, *p.iter()[k].1, Kind::Money)?;
        }
    }
    warnings(&mut s, r + 10, &sm.warnings)?;
    s.ws.set_freeze_panes(5, 1)?;
    Ok(s.finish())
}
