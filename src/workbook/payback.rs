//! The Payback sheet: percentiles of the simple and discounted payback with their 95%
//! intervals, the probabilities of paying back within 12, 24 and H months, the histogram
//! of the kept trials' paybacks (with a "> H" row for those that do not pay back), and its
//! native chart (columns with the cumulative line).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::bins;
use super::histogram;
use super::sheet::{Cell, Kind, Sheet, Styles};
use crate::accum::Metric;
use crate::simulate::RunResult;
use crate::summary::{PaybackStats, Summary};

/// The percentile table of both paybacks from `row` (header there); returns the next
/// free row.
pub fn percentiles(s: &mut Sheet, row: u32, sm: &Summary) -> Result<u32, XlsxError> {
    let h = sm.horizon_months;
    s.header(
        row,
        0,
        &[
            "Percentile",
            "Payback (months)",
            "95% interval: from",
            "to",
            "Discounted payback (months)",
            "95% interval: from",
            "to",
        ],
    )?;
    let (p, d) = (&sm.payback, &sm.discounted_payback);
    let cis = |x: &PaybackStats| {
        let c = &x.ci;
        [
            c.p5_ci, c.p10_ci, c.p25_ci, c.p50_ci, c.p75_ci, c.p90_ci, c.p95_ci,
        ]
    };
    let (pc, dc) = (cis(p), cis(d));
    let m = |x: Option<f64>| Cell::Months(x, h);
    for (i, ((name, pv), (_, dv))) in p.pct.iter().into_iter().zip(d.pct.iter()).enumerate() {
        let r = row + 1 + i as u32;
        s.text(r, 0, name)?;
        s.row(
            r,
            1,
            &[
                m(*pv),
                m(pc[i][0]),
                m(pc[i][1]),
                m(*dv),
                m(dc[i][0]),
                m(dc[i][1]),
            ],
        )?;
    }
    Ok(row + 8)
}

/// The probability table from `row`; returns the next free row.
fn probabilities(s: &mut Sheet, row: u32, sm: &Summary) -> Result<u32, XlsxError> {
    let h = sm.horizon_months;
    s.header(
        row,
        0,
        &[
            "Probability",
            "Payback",
            "95% interval: from",
            "to",
            "Discounted payback",
            "95% interval: from",
            "to",
        ],
    )?;
    let pr = |x: Option<f64>| Cell::Opt(x, Kind::Percent);
    type Get = fn(&PaybackStats) -> (Option<f64>, Option<[f64; 2]>);
    let rows: [(String, Get); 3] = [
        ("P(payback ≤ 12 months)".into(), |x| {
            (x.prob_within_12, x.prob_within_12_ci)
        }),
        ("P(payback ≤ 24 months)".into(), |x| {
            (x.prob_within_24, x.prob_within_24_ci)
        }),
        (format!("P(payback ≤ {h} months)"), |x| {
            (Some(x.prob_within_horizon), Some(x.prob_within_horizon_ci))
        }),
    ];
    let mut r = row + 1;
    for (label, get) in rows {
        s.text(r, 0, &label)?;
        let mut cells = Vec::new();
        for x in [&sm.payback, &sm.discounted_payback] {
            let (v, ci) = get(x);
            cells.extend([pr(v), pr(ci.map(|c| c[0])), pr(ci.map(|c| c[1]))]);
        }
        s.row(r, 1, &cells)?;
        r += 1;
    }
    s.text(r, 0, "Mean payback of the trials that pay back (months)")?;
    s.row(
        r,
        1,
        &[
            Cell::Opt(sm.payback.mean_if_paid_back, Kind::Months),
            Cell::Blank,
            Cell::Blank,
            Cell::Opt(sm.discounted_payback.mean_if_paid_back, Kind::Months),
        ],
    )?;
    Ok(r + 1)
}

/// The Payback sheet.
pub fn sheet(r: &RunResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let sm = &r.summary;
    let h = sm.horizon_months;
    let mut s = Sheet::headed(
        "Payback",
        &format!("Payback period — {}", sm.scenario),
        &format!(
            "Months from go-live until the cumulative cash flow stays at or above zero; \"> {h}\" = not within the {h}-month horizon."
        ),
        st,
    )?;
    let next = percentiles(&mut s, 3, sm)?;
    let next = probabilities(&mut s, next + 1, sm)?;
    let values = r.sample.output(Metric::Payback);
    let b = bins::payback_bins(values, h as f64);
    let row = next + 1;
    histogram::note(&mut s, row, "the simple payback", &b, sm.trials)?;
    let t = histogram::table(&mut s, row + 1, &b, Kind::Months, Some(&format!("> {h}")))?;
    let chart = histogram::chart(
        &s,
        &t,
        &format!("Payback period — {}", sm.scenario),
        "Payback (months, bin upper edge)",
        "0.#",
    );
    s.ws.insert_chart(3, 8, &chart)?;
    s.ws.set_freeze_panes(4, 1)?;
    Ok(s.finish())
}
