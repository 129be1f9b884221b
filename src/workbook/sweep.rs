//! The sweep's sheets: a Summary (what varied, break-evens and cost of delay in words,
//! where the leader changes, warnings), the Grid (every scenario at every point, with the
//! leaders) with native line charts over one parameter, the Break-evens, and for two
//! parameters a P(payback ≤ 24) matrix per scenario with a colour scale.

use rust_xlsxwriter::{
    Chart, ChartAxisLabelPosition, ChartLegendPosition, ChartType, ConditionalFormat3ColorScale,
    Worksheet, XlsxError,
};

use super::sheet::{Cell, Kind, Sheet, Styles, money_format, npv_tco_cells, npv_tco_header};
use super::summary::warnings;
use crate::sweep::{Point, Statistic, SweepResult};

fn keys(p: &crate::compare::Pick) -> String {
    if p.keys.is_empty() {
        "none".into()
    } else {
        p.keys.join("=")
    }
}

/// The sweep's sheets.
pub fn sheets(r: &SweepResult, st: &Styles) -> Result<Vec<Worksheet>, XlsxError> {
    let mut v = vec![summary_sheet(r, st)?, grid_sheet(r, st)?];
    if r.params.len() == 1 {
        v.push(breakevens_sheet(r, st)?);
    } else {
        v.push(matrix_sheet(r, st)?);
    }
    Ok(v)
}

fn summary_sheet(r: &SweepResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Summary", st)?;
    let what: Vec<String> = r.params.iter().map(|p| p.label.clone()).collect();
    s.title(0, &format!("Sweep over {}", what.join(" and ")))?;
    s.note(
        1,
        "Every grid point ran the same trials with the same seed, so differences between points are not noise.",
    )?;
    let bold = st.bold.clone();
    let mut row = 3;
    for sc in &r.scenarios {
        s.line(row, 0, &format!("{}: {}", sc.key, sc.name), &bold)?;
        row += 1;
        let delay = sc.cost_of_delay.as_ref().map(|c| c.sentence.clone());
        for line in sc.statements.iter().chain(delay.iter()) {
            s.line(row, 0, line, &rust_xlsxwriter::Format::new())?;
            row += 1;
        }
        row += 1;
    }
    for line in &r.crossover_statements {
        s.line(row, 0, line, &bold)?;
        row += 1;
    }
    row += 1;
    s.header(row, 0, &["Run", "Value"])?;
    let mut facts = vec![
        (
            "Trials per point".to_string(),
            Cell::Num(r.trials as f64, Kind::Count),
        ),
        ("Seed".into(), Cell::Text(r.seed.to_string())),
        ("Sampling".into(), Cell::Text(r.sampling.name().to_string())),
        ("Currency".into(), Cell::Text(r.currency.clone())),
    ];
    for p in &r.params {
        facts.push((
            format!("Varied: {}", p.param.short_name()),
            Cell::Text(p.spec.clone()),
        ));
    }
    facts.push((
        "Written by".into(),
        Cell::Text(format!("payback {}", env!("CARGO_PKG_VERSION"))),
    ));
    for (label, c) in facts {
        row += 1;
        s.text(row, 0, &label)?;
        s.cell(row, 1, &c)?;
    }
    let all: Vec<String> = r
        .warnings
        .iter()
        .chain(r.scenarios.iter().flat_map(|sc| sc.notes.iter()))
        .cloned()
        .collect();
    warnings(&mut s, row + 2, &all)?;
    Ok(s.finish())
}

/// The statistics columns of the grid, after the key, scenario and parameter columns.
fn stats_header(cur: &str) -> Vec<String> {
    let mut v = vec![
        "Payback P10 (months; empty = beyond the horizon)".into(),
        "Payback P50 (months; empty = beyond the horizon)".into(),
        "Payback P90 (months; empty = beyond the horizon)".into(),
        "P(payback ≤ 12)".into(),
        "P(payback ≤ 24)".into(),
        "P(payback within the horizon)".into(),
    ];
    v.extend(npv_tco_header(cur));
    v
}

fn stats_cells(p: &Point) -> Vec<Cell> {
    let mo = |x: Option<f64>| Cell::Opt(x, Kind::Months);
    let pr = |x: Option<f64>| Cell::Opt(x, Kind::Percent);
    let mut v = vec![
        mo(p.payback_p10),
        mo(p.payback_p50),
        mo(p.payback_p90),
        pr(p.prob_payback_within_12),
        pr(p.prob_payback_within_24),
        pr(Some(p.prob_payback_within_horizon)),
    ];
    v.extend(npv_tco_cells(
        [p.npv_mean, p.npv_mean_se, p.npv_p10, p.npv_p50, p.npv_p90],
        p.prob_npv_negative,
        [p.tco_mean, p.tco_p10, p.tco_p50, p.tco_p90],
    ));
    v
}

fn param_kind(p: &crate::sweep::Param) -> Kind {
    match p {
        crate::sweep::Param::DiscountRate => Kind::Percent,
        _ => Kind::Number,
    }
}

fn grid_sheet(r: &SweepResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Grid", st)?;
    s.title(0, "Every grid point")?;
    let np = r.params.len() as u16;
    let mut header: Vec<String> = vec!["Key".into(), "Scenario".into()];
    header.extend(r.params.iter().map(|p| p.param.short_name()));
    header.extend(stats_header(&r.currency));
    let several = r.scenarios.len() > 1;
    if several {
        header.extend(["Cheapest (E[TCO])".into(), "Best (E[NPV])".into()]);
    }
    let labels: Vec<&str> = header.iter().map(String::as_str).collect();
    let head = 2;
    s.header(head, 0, &labels)?;
    let mut row = head + 1;
    let mut blocks = Vec::new();
    for sc in &r.scenarios {
        let first = row;
        for (k, p) in sc.points.iter().enumerate() {
            s.text(row, 0, &sc.key)?;
            s.text(row, 1, &sc.name)?;
            for (j, v) in p.values.iter().enumerate() {
                s.num(row, 2 + j as u16, *v, param_kind(&r.params[j].param))?;
            }
            s.row(row, 2 + np, &stats_cells(p))?;
            if let Some(l) = r.leaders.iter().find(|l| l.point == k).filter(|_| several) {
                let c = 2 + np + stats_header("").len() as u16;
                s.row(
                    row,
                    c,
                    &[Cell::Text(keys(&l.cheapest)), Cell::Text(keys(&l.best_npv))],
                )?;
            }
            row += 1;
        }
        blocks.push((sc.key.clone(), first, row - 1));
    }
    if r.params.len() == 1 {
        let x_name = r.params[0].label.clone();
        let charts = [
            (2 + np + 1, "Median payback (months)", "0.0"),
            (2 + np + 6, "E[NPV]", money_format(st.style)),
        ];
        for (i, (col, title, fmt)) in charts.iter().enumerate() {
            let mut ch = Chart::new(ChartType::ScatterStraightWithMarkers);
            ch.title().set_name(&format!("{title} by {x_name}"));
            for (key, a, b) in &blocks {
                ch.add_series()
                    .set_name(&format!("{key} {title}"))
                    .set_categories(&s.range(*a, 2, *b))
                    .set_values(&s.range(*a, *col, *b));
            }
            ch.x_axis()
                .set_name(&x_name)
                .set_label_position(ChartAxisLabelPosition::Low);
            ch.y_axis().set_name(*title).set_num_format(*fmt);
            ch.legend().set_position(ChartLegendPosition::Bottom);
            ch.set_width(600).set_height(360);
            s.ws.insert_chart(row + 2, (i * 8) as u16, &ch)?;
        }
    }
    s.ws.set_freeze_panes(head + 1, 2 + np)?;
    Ok(s.finish())
}

fn statistic_label(s: Statistic) -> &'static str {
    match s {
        Statistic::PaybackP50 => "median payback (months)",
        Statistic::NpvMean => "E[NPV]",
        Statistic::TcoMean => "E[TCO]",
    }
}

fn breakevens_sheet(r: &SweepResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Break-evens", st)?;
    let p = &r.params[0];
    s.title(0, &format!("Break-evens over {}", p.label))?;
    let head = 2;
    s.header(
        head,
        0,
        &[
            "Key",
            "Statistic",
            "Threshold",
            "Between grid values: from",
            "to",
            "Interpolated",
            "Refined",
            "Extra runs",
            "In words",
        ],
    )?;
    let kind = param_kind(&p.param);
    let mut row = head;
    for sc in &r.scenarios {
        for b in &sc.breakevens {
            row += 1;
            let threshold_kind = match b.statistic {
                Statistic::PaybackP50 => Kind::Months,
                _ => Kind::Money,
            };
            s.row(
                row,
                0,
                &[
                    Cell::Text(sc.key.clone()),
                    Cell::text(statistic_label(b.statistic)),
                    Cell::Num(b.threshold, threshold_kind),
                    Cell::Num(b.between[0], kind),
                    Cell::Num(b.between[1], kind),
                    Cell::Num(b.interpolated, kind),
                    Cell::Num(b.value, kind),
                    Cell::Num(b.evaluations as f64, Kind::Count),
                ],
            )?;
            s.line(row, 8, &b.sentence, &rust_xlsxwriter::Format::new())?;
        }
    }
    if row == head {
        s.note(head + 1, "No break-even lies within the grid.")?;
    }
    s.ws.set_freeze_panes(head + 1, 0)?;
    Ok(s.finish())
}

fn matrix_sheet(r: &SweepResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("P(payback ≤ 24)", st)?;
    let (p1, p2) = (&r.params[0], &r.params[1]);
    s.title(
        0,
        &format!(
            "P(payback ≤ 24 months): {} (rows) by {} (columns)",
            p1.label, p2.label
        ),
    )?;
    let (k1, k2) = (param_kind(&p1.param), param_kind(&p2.param));
    let mut row = 2;
    for sc in &r.scenarios {
        let bold = st.bold.clone();
        s.text_with(row, 0, &format!("{}: {}", sc.key, sc.name), &bold)?;
        row += 1;
        s.text_with(
            row,
            0,
            &format!("{} \\ {}", p1.param.short_name(), p2.param.short_name()),
            &st.header.clone(),
        )?;
        for (j, v) in p2.values.iter().enumerate() {
            s.num(row, 1 + j as u16, *v, k2)?;
        }
        let top = row + 1;
        for (i, v) in p1.values.iter().enumerate() {
            let rr = top + i as u32;
            s.num(rr, 0, *v, k1)?;
            for j in 0..p2.values.len() {
                // The first parameter varies fastest.
                if let Some(p) = sc.points.get(j * p1.values.len() + i) {
                    s.cell(
                        rr,
                        1 + j as u16,
                        &Cell::Opt(p.prob_payback_within_24, Kind::Percent),
                    )?;
                }
            }
        }
        let bottom = top + p1.values.len() as u32 - 1;
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color("#F8696B")
            .set_midpoint_color("#FFEB84")
            .set_maximum_color("#63BE7B");
        s.ws.add_conditional_format(top, 1, bottom, p2.values.len() as u16, &scale)?;
        row = bottom + 3;
    }
    Ok(s.finish())
}
