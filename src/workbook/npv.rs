//! The NPV sheet: percentiles of NPV (with 95% intervals), the PV of benefits and costs
//! and ROI; their means, standard deviations and standard errors; P(NPV < 0); the histogram
//! of the kept trials' NPV and its native chart.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::bins;
use super::histogram;
use super::sheet::{Cell, Kind, Sheet, Styles, money_format, money_percentiles};
use crate::accum::Metric;
use crate::simulate::RunResult;
use crate::summary::{Pct, ValueStats};

fn pct_list(p: &Pct<f64>) -> [f64; 7] {
    [p.p5, p.p10, p.p25, p.p50, p.p75, p.p90, p.p95]
}

/// The NPV sheet.
pub fn sheet(r: &RunResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let sm = &r.summary;
    let cur = &sm.currency;
    let mut s = Sheet::headed(
        "NPV",
        &format!("Net present value — {}", sm.scenario),
        &format!(
            "Discounted at {:.1}% a year over {} months, in {cur}. ROI = (PV benefits − PV costs) / PV costs.",
            100.0 * sm.discount_rate,
            sm.horizon_months
        ),
        st,
    )?;
    let head = 3;
    let n = &sm.npv.stats;
    let roi = sm.roi.as_ref();
    let (bp, cp) = (pct_list(&sm.pv_benefits.pct), pct_list(&sm.pv_costs.pct));
    let rp = roi.map(|x| pct_list(&x.pct));
    let extra = [
        format!("PV benefits ({cur})"),
        format!("PV costs ({cur})"),
        "ROI".into(),
    ];
    money_percentiles(&mut s, head, &format!("NPV ({cur})"), n, &extra, |i| {
        vec![
            Cell::Num(bp[i], Kind::Money),
            Cell::Num(cp[i], Kind::Money),
            match &rp {
                Some(v) => Cell::Num(v[i], Kind::Percent),
                None => Cell::text("undefined"),
            },
        ]
    })?;
    let row = head + 9;
    s.header(
        row,
        0,
        &["Statistic", "NPV", "", "", "PV benefits", "PV costs", "ROI"],
    )?;
    type Get = fn(&ValueStats) -> f64;
    let stats: [(&str, Get); 3] = [
        ("Mean", |v| v.mean),
        ("Standard deviation", |v| v.sd),
        ("Standard error of the mean", |v| v.mean_se),
    ];
    for (i, (label, get)) in stats.iter().enumerate() {
        let rr = row + 1 + i as u32;
        s.text(rr, 0, label)?;
        s.row(
            rr,
            1,
            &[
                Cell::Num(get(n), Kind::Money),
                Cell::Blank,
                Cell::Blank,
                Cell::Num(get(&sm.pv_benefits), Kind::Money),
                Cell::Num(get(&sm.pv_costs), Kind::Money),
                match roi {
                    Some(v) => Cell::Num(get(v), Kind::Percent),
                    None => Cell::text("undefined"),
                },
            ],
        )?;
    }
    let rr = row + 4;
    s.text(rr, 0, "P(NPV < 0)")?;
    s.row(
        rr,
        1,
        &[
            Cell::Num(sm.npv.prob_negative, Kind::Percent),
            Cell::Num(sm.npv.prob_negative_ci[0], Kind::Percent),
            Cell::Num(sm.npv.prob_negative_ci[1], Kind::Percent),
        ],
    )?;
    let b = bins::amount_bins(r.sample.output(Metric::Npv));
    histogram::note(&mut s, rr + 2, "NPV", &b, sm.trials)?;
    let t = histogram::table(&mut s, rr + 3, &b, Kind::Money, None)?;
    let chart = histogram::chart(
        &s,
        &t,
        &format!("Net present value — {}", sm.scenario),
        &format!("NPV ({cur}, bin upper edge)"),
        money_format(st.style),
    );
    s.ws.insert_chart(3, 8, &chart)?;
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}
