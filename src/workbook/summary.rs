//! The Summary sheet: the decision in words (verdict, downside), the key figures with their
//! 95% intervals, and how the run was made (trials, seed, sampling, version), then the
//! warnings. [`key_figures`] is shared with the comparison's per-option sheets.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::RunBook;
use super::sheet::{Cell, Kind, Sheet, Styles};
use crate::summary::{Intervals, Summary};

/// Column headers of the key-figure table.
pub const KEY_HEADER: [&str; 5] = [
    "Key figure",
    "Value",
    "95% interval: from",
    "to",
    "Standard error",
];

/// One key figure: label, value, interval, standard error.
struct Figure {
    label: String,
    value: Cell,
    ci: [Cell; 2],
    se: Cell,
}

fn fig(label: String, value: Cell, ci: [Cell; 2], se: Cell) -> Figure {
    Figure {
        label,
        value,
        ci,
        se,
    }
}

/// A figure with a 95% interval and no standard error, each number shown by `cell`.
fn ranged<T: Copy>(label: String, value: T, ci: [T; 2], cell: impl Fn(T) -> Cell) -> Figure {
    fig(label, cell(value), ci.map(&cell), Cell::Blank)
}

/// An expected amount of money with its standard error and no interval.
fn money_mean(label: String, mean: f64, se: f64) -> Figure {
    let money = |x: f64| Cell::Num(x, Kind::Money);
    fig(label, money(mean), [Cell::Blank, Cell::Blank], money(se))
}

/// The key figures of a summary, in table order.
fn figures(sm: &Summary) -> Vec<Figure> {
    let h = sm.horizon_months;
    let p = &sm.payback;
    let d = &sm.discounted_payback;
    let m = |x: Option<f64>| Cell::Months(x, h);
    let pr = |x: f64| Cell::Num(x, Kind::Percent);
    let prob = |label: &str, x: Option<f64>, ci: Option<[f64; 2]>, t: u32| match (x, ci) {
        (Some(x), Some(ci)) => ranged(label.into(), x, ci, pr),
        _ => fig(
            label.into(),
            Cell::Text(format!("n/a: the horizon is shorter than {t} months")),
            [Cell::Blank, Cell::Blank],
            Cell::Blank,
        ),
    };
    let mut v = vec![
        ranged("Median payback (months)".into(), p.pct.p50, p.ci.p50_ci, m),
        ranged(
            "Payback, favourable case P10 (months)".into(),
            p.pct.p10,
            p.ci.p10_ci,
            m,
        ),
        ranged(
            "Payback, unfavourable case P90 (months)".into(),
            p.pct.p90,
            p.ci.p90_ci,
            m,
        ),
        ranged(
            "Median discounted payback (months)".into(),
            d.pct.p50,
            d.ci.p50_ci,
            m,
        ),
        prob(
            "P(payback ≤ 12 months)",
            p.prob_within_12,
            p.prob_within_12_ci,
            12,
        ),
        prob(
            "P(payback ≤ 24 months)",
            p.prob_within_24,
            p.prob_within_24_ci,
            24,
        ),
        prob(
            &format!("P(payback ≤ {h} months)"),
            Some(p.prob_within_horizon),
            Some(p.prob_within_horizon_ci),
            h,
        ),
    ];
    v.extend(money_figures(sm));
    v.push(match &sm.roi {
        Some(r) => ranged("Median ROI".into(), r.pct.p50, r.ci.p50_ci, pr),
        None => fig(
            "Median ROI".into(),
            Cell::text("undefined: the PV of costs is 0 or negative in some trials"),
            [Cell::Blank, Cell::Blank],
            Cell::Blank,
        ),
    });
    v
}

/// The key figures in money and P(NPV < 0).
fn money_figures(sm: &Summary) -> Vec<Figure> {
    let h = sm.horizon_months;
    let cur = &sm.currency;
    let pr = |x: f64| Cell::Num(x, Kind::Percent);
    let money = |x: f64| Cell::Num(x, Kind::Money);
    let n = &sm.npv.stats;
    let t = &sm.tco.stats;
    let pf = &sm.peak_funding;
    vec![
        money_mean(format!("Expected NPV ({cur})"), n.mean, n.mean_se),
        ranged(format!("Median NPV ({cur})"), n.pct.p50, n.ci.p50_ci, money),
        ranged(
            format!("NPV, unfavourable case P10 ({cur})"),
            n.pct.p10,
            n.ci.p10_ci,
            money,
        ),
        ranged(
            "P(NPV < 0)".into(),
            sm.npv.prob_negative,
            sm.npv.prob_negative_ci,
            pr,
        ),
        money_mean(
            format!("Expected TCO over {h} months ({cur})"),
            t.mean,
            t.mean_se,
        ),
        ranged(
            format!("TCO, unfavourable case P90 ({cur})"),
            t.pct.p90,
            t.ci.p90_ci,
            money,
        ),
        ranged(
            format!("Peak funding need, unfavourable case P90 ({cur})"),
            pf.pct.p90,
            pf.ci.p90_ci,
            money,
        ),
        money_mean(
            format!("Expected PV of benefits ({cur})"),
            sm.pv_benefits.mean,
            sm.pv_benefits.mean_se,
        ),
        money_mean(
            format!("Expected PV of costs ({cur})"),
            sm.pv_costs.mean,
            sm.pv_costs.mean_se,
        ),
    ]
}

/// Write the key-figure table (header on `row`); returns the next free row.
pub fn key_figures(s: &mut Sheet, row: u32, sm: &Summary) -> Result<u32, XlsxError> {
    s.header(row, 0, &KEY_HEADER)?;
    let mut r = row + 1;
    for f in figures(sm) {
        s.text(r, 0, &f.label)?;
        let [lo, hi] = &f.ci;
        s.row(
            r,
            1,
            &[f.value.clone(), lo.clone(), hi.clone(), f.se.clone()],
        )?;
        r += 1;
    }
    Ok(r)
}

/// How the intervals were estimated, in words.
pub fn intervals_text(i: &Intervals) -> String {
    match i {
        Intervals::IndependentDraws => {
            "independent draws: Wilson (probabilities), order statistics (percentiles), s/√n (means)"
                .into()
        }
        Intervals::Replicates { replicates, .. } => format!(
            "spread of {replicates} independent replicates (Student's t, {} degrees of freedom)",
            replicates.saturating_sub(1)
        ),
    }
}

/// The run's facts (trials, seed, …) from `row`: returns the next free row.
pub fn run_facts(s: &mut Sheet, row: u32, sm: &Summary) -> Result<u32, XlsxError> {
    s.header(row, 0, &["Run", "Value"])?;
    let facts = [
        ("Trials", Cell::Num(sm.trials as f64, Kind::Count)),
        // Text: a seed above 2^53 would lose digits as a number.
        ("Seed", Cell::Text(sm.seed.to_string())),
        ("Sampling", Cell::Text(sm.sampling.name().into())),
        (
            "Horizon (months)",
            Cell::Num(sm.horizon_months as f64, Kind::Count),
        ),
        (
            "Discount rate (a year)",
            Cell::Num(sm.discount_rate, Kind::Percent),
        ),
        ("Currency", Cell::Text(sm.currency.clone())),
        ("Intervals", Cell::Text(intervals_text(&sm.intervals))),
        (
            "Written by",
            Cell::Text(format!("payback {}", env!("CARGO_PKG_VERSION"))),
        ),
    ];
    let mut r = row + 1;
    for (label, c) in facts {
        s.text(r, 0, label)?;
        if let Cell::Text(t) = &c {
            // Long text runs across the empty cells to its right.
            s.line(r, 1, t, &Format::new())?;
        } else {
            s.cell(r, 1, &c)?;
        }
        r += 1;
    }
    Ok(r)
}

/// Warnings as a list under a header; returns the next free row.
pub fn warnings(s: &mut Sheet, row: u32, list: &[String]) -> Result<u32, XlsxError> {
    if list.is_empty() {
        return Ok(row);
    }
    let bold = s.st.bold.clone();
    s.line(row, 0, "Notes for the analyst", &bold)?;
    let mut r = row + 1;
    for w in list {
        s.note(r, &format!("• {w}"))?;
        r += 1;
    }
    Ok(r + 1)
}

/// The Summary sheet of a run.
pub fn run_sheet(b: &RunBook, st: &Styles) -> Result<Worksheet, XlsxError> {
    let sm = &b.result.summary;
    let mut s = Sheet::new("Summary", st)?;
    s.title(0, &sm.scenario)?;
    if let Some(d) = &b.scenario.description {
        s.note(1, d)?;
    }
    let bold = st.bold.clone();
    s.text_with(3, 0, "Verdict", &bold)?;
    s.line(3, 1, &sm.verdict.to_string(), &bold)?;
    s.text_with(4, 0, "Downside", &bold)?;
    let downside = crate::report::sections::npv_downside(sm, b.style);
    s.line(4, 1, &downside, &Format::new())?;
    let header = 6;
    let r = key_figures(&mut s, header, sm)?;
    s.note(
        r,
        &format!(
            "\"> {}\" = beyond the horizon (does not pay back within it). Intervals are 95% intervals of the Monte Carlo estimate.",
            sm.horizon_months
        ),
    )?;
    let r = run_facts(&mut s, r + 2, sm)?;
    warnings(&mut s, r + 1, &sm.warnings)?;
    s.ws.set_freeze_panes(header + 1, 0)?;
    Ok(s.finish())
}
