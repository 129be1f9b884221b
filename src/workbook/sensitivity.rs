//! The sensitivity sheets: Tornado (a native tornado: two overlapping bar series of the
//! change from the base case), Rank, Sobol, Value of information and Spider, each with its
//! table and chart, a Decision rule sheet when a rule was analysed, and the analysis' own
//! Summary sheet.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartAxisLabelPosition, ChartLegendPosition, ChartRange, ChartType,
    Worksheet, XlsxError,
};

use super::sheet::{Cell, Kind, Sheet, Styles, number_format};
use crate::sensitivity::target::{Side, Target};
use crate::sensitivity::{Output, SensitivityReport};

fn output_kind(o: Output) -> Kind {
    match o {
        Output::Payback => Kind::Months,
        Output::Roi => Kind::Percent,
        Output::Npv | Output::Tco => Kind::Money,
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The sensitivity analysis' Summary sheet.
pub fn summary_sheet(rep: &SensitivityReport, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Summary", st)?;
    s.title(
        0,
        &format!(
            "{} — sensitivity of {}",
            rep.scenario,
            rep.output.label(&rep.currency)
        ),
    )?;
    let mut r = 2;
    if let Some(v) = &rep.voi {
        let bold = st.bold.clone();
        let line = match v.inputs.first() {
            Some(top) if top.evppi > 0.0 => format!(
                "Most worth measuring before deciding: {}; knowing it exactly is worth at most {} {}.",
                top.input,
                crate::format::money(top.evppi, st.style),
                rep.currency
            ),
            _ => "No single input's value would change the decision (deploy if E[NPV] > 0): measuring first is not worth paying for.".into(),
        };
        s.line(r, 0, &line, &bold)?;
        r += 2;
    }
    s.header(r, 0, &["Run", "Value"])?;
    let facts = [
        (
            "Output analysed",
            Cell::Text(rep.output.label(&rep.currency)),
        ),
        (
            "Horizon (months)",
            Cell::Num(rep.horizon_months as f64, Kind::Count),
        ),
        (
            "Monte Carlo trials",
            Cell::Num(rep.trials as f64, Kind::Count),
        ),
        (
            "Trials analysed (rank, value of information)",
            Cell::Num(rep.trials_analysed as f64, Kind::Count),
        ),
        ("Seed", Cell::Text(rep.seed.to_string())),
        (
            "Written by",
            Cell::Text(format!("payback {}", env!("CARGO_PKG_VERSION"))),
        ),
    ];
    for (label, c) in facts {
        r += 1;
        s.text(r, 0, label)?;
        s.cell(r, 1, &c)?;
    }
    super::summary::warnings(&mut s, r + 2, &rep.notes)?;
    Ok(s.finish())
}

/// The sheets of every analysis the report holds.
pub fn sheets(rep: &SensitivityReport, st: &Styles) -> Result<Vec<Worksheet>, XlsxError> {
    let mut v = Vec::new();
    if rep.tornado.is_some() {
        v.push(tornado_sheet(rep, st)?);
    }
    if rep.rank.is_some() {
        v.push(rank_sheet(rep, st)?);
    }
    if rep.sobol.is_some() {
        v.push(sobol_sheet(rep, st)?);
    }
    if rep.voi.is_some() {
        v.push(voi_sheet(rep, st)?);
    }
    if rep.spider.is_some() {
        v.push(spider_sheet(rep, st)?);
    }
    if let Some(t) = &rep.target {
        v.push(target_sheet(t, st)?);
    }
    Ok(v)
}

/// A horizontal bar chart of one or more columns of a table, largest on top.
fn bars(s: &Sheet, first: u32, last: u32, cols: &[(u16, &str)], title: &str, fmt: &str) -> Chart {
    let mut ch = Chart::new(ChartType::Bar);
    ch.title().set_name(title);
    for (col, name) in cols {
        ch.add_series()
            .set_name(*name)
            .set_categories(&s.range(first, 0, last))
            .set_values(&s.range(first, *col, last));
    }
    // In a bar chart the y axis holds the categories: first row on top, labels at the
    // left edge rather than on the zero line.
    ch.y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max)
        .set_label_position(ChartAxisLabelPosition::Low);
    ch.x_axis().set_num_format(fmt);
    if cols.len() < 2 {
        ch.legend().set_hidden();
    } else {
        ch.legend().set_position(ChartLegendPosition::Bottom);
    }
    let rows = last + 1 - first;
    ch.set_width(640)
        .set_height((120 + 26 * rows).clamp(300, 900));
    ch
}

fn tornado_sheet(rep: &SensitivityReport, st: &Styles) -> Result<Worksheet, XlsxError> {
    let Some(t) = &rep.tornado else {
        return Sheet::new("Tornado", st).map(Sheet::finish);
    };
    let h = rep.horizon_months;
    let kind = output_kind(rep.output);
    let label = rep.output.label(&rep.currency);
    let mut s = Sheet::headed(
        "Tornado",
        &format!("What moves {label} — {}", rep.scenario),
        &format!(
            "Each uncertain input at its P{:.0} and P{:.0}, every other input at its point value; widest swing first. A payback beyond the horizon counts as {h} months in the changes.",
            100.0 * t.low,
            100.0 * t.high
        ),
        st,
    )?;
    let out = |x: Option<f64>| match rep.output {
        Output::Payback => Cell::Months(x, h),
        _ => Cell::Opt(x, kind),
    };
    // Censored paybacks count as the horizon, as the swing does.
    let cap = |x: Option<f64>| x.unwrap_or(h as f64);
    s.text(2, 0, "Base case (every input at its point value)")?;
    s.cell(2, 1, &out(t.base))?;
    let head = 4;
    s.header(
        head,
        0,
        &[
            "Input",
            &format!("Input at P{:.0}", 100.0 * t.low),
            &format!("Input at P{:.0}", 100.0 * t.high),
            "Output, input low",
            "Output, input high",
            "Swing",
            "Change from base, input low",
            "Change from base, input high",
        ],
    )?;
    for (i, r) in t.rows.iter().enumerate() {
        let row = head + 1 + i as u32;
        s.row(
            row,
            0,
            &[
                Cell::Text(r.input.clone()),
                Cell::Num(r.low_value, Kind::Number),
                Cell::Num(r.high_value, Kind::Number),
                out(r.output_low),
                out(r.output_high),
                Cell::Num(r.swing, kind),
                Cell::Num(cap(r.output_low) - cap(t.base), kind),
                Cell::Num(cap(r.output_high) - cap(t.base), kind),
            ],
        )?;
    }
    if !t.rows.is_empty() {
        let (first, last) = (head + 1, head + t.rows.len() as u32);
        let mut ch = Chart::new(ChartType::Bar);
        ch.title()
            .set_name(&format!("Tornado: change of {label} from the base case"));
        let cats = s.range(first, 0, last);
        // Both series on one bar line per input (full overlap): a tornado.
        for (k, (col, name)) in [(6, "Input low"), (7, "Input high")].iter().enumerate() {
            let series = ch
                .add_series()
                .set_name(*name)
                .set_categories(&cats)
                .set_values(&s.range(first, *col, last));
            if k == 0 {
                series.set_overlap(100).set_gap(40);
            }
        }
        ch.y_axis()
            .set_reverse()
            .set_crossing(ChartAxisCrossing::Max)
            .set_label_position(ChartAxisLabelPosition::Low);
        ch.x_axis().set_num_format(number_format(kind, st.style));
        ch.legend().set_position(ChartLegendPosition::Bottom);
        ch.set_width(640)
            .set_height((120 + 26 * t.rows.len() as u32).clamp(300, 900));
        s.ws.insert_chart(head, 9, &ch)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}

fn rank_sheet(rep: &SensitivityReport, st: &Styles) -> Result<Worksheet, XlsxError> {
    let rows = rep.rank.as_deref().unwrap_or_default();
    let mut s = Sheet::headed(
        "Rank",
        &format!("Rank correlation of each input with {}", rep.output.name()),
        &format!(
            "Spearman ρ over {} trials; shares of Σρ² only for independent inputs.",
            crate::format::thousands(rep.trials_analysed as f64, 0)
        ),
        st,
    )?;
    let head = 3;
    s.header(head, 0, &["Input", "Spearman ρ", "Share of Σρ²"])?;
    for (i, r) in rows.iter().enumerate() {
        s.row(
            head + 1 + i as u32,
            0,
            &[
                Cell::Text(r.input.clone()),
                Cell::Num(r.spearman, Kind::Index),
                Cell::Opt(r.contribution, Kind::Percent),
            ],
        )?;
    }
    if !rows.is_empty() {
        let (first, last) = (head + 1, head + rows.len() as u32);
        let ch = bars(
            &s,
            first,
            last,
            &[(1, "Spearman ρ")],
            &format!("Rank correlation with {}", rep.output.name()),
            "0.00",
        );
        s.ws.insert_chart(head, 5, &ch)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}

fn sobol_sheet(rep: &SensitivityReport, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Sobol", st)?;
    let Some(sb) = &rep.sobol else {
        return Ok(s.finish());
    };
    s.title(
        0,
        &format!("Sobol indices of {}", rep.output.label(&rep.currency)),
    )?;
    s.note(
        1,
        &format!(
            "N = {}, {} model runs, {} design, {} bootstrap resamples for the 95% intervals; an empty total effect is not defined (correlated inputs).",
            sb.base_samples, sb.model_runs, sb.design, sb.bootstrap
        ),
    )?;
    let head = 3;
    s.header(
        head,
        0,
        &[
            "Input",
            "First order S1",
            "95% interval: from",
            "to",
            "Total effect ST",
            "95% interval: from",
            "to",
        ],
    )?;
    let ix = |x: f64| Cell::Opt(finite(x), Kind::Index);
    for (i, r) in sb.rows.iter().enumerate() {
        s.row(
            head + 1 + i as u32,
            0,
            &[
                Cell::Text(r.input.clone()),
                ix(r.s1),
                ix(r.s1_low),
                ix(r.s1_high),
                ix(r.st),
                ix(r.st_low),
                ix(r.st_high),
            ],
        )?;
    }
    if !sb.rows.is_empty() {
        let (first, last) = (head + 1, head + sb.rows.len() as u32);
        let ch = bars(
            &s,
            first,
            last,
            &[(1, "First order S1"), (4, "Total effect ST")],
            "Sobol indices",
            "0.00",
        );
        s.ws.insert_chart(head, 8, &ch)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}

fn voi_sheet(rep: &SensitivityReport, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Value of information", st)?;
    let Some(v) = &rep.voi else {
        return Ok(s.finish());
    };
    let cur = &rep.currency;
    s.title(0, "What is worth measuring before deciding")?;
    s.note(
        1,
        &format!(
            "Decision: deploy if E[NPV] > 0. EVPI = value of knowing every input exactly; EVPPI = value of knowing one ({} bins).",
            v.bins
        ),
    )?;
    s.text(2, 0, &format!("E[NPV] ({cur})"))?;
    s.num(2, 1, v.expected_npv, Kind::Money)?;
    s.text(3, 0, &format!("EVPI ({cur})"))?;
    s.num(3, 1, v.evpi, Kind::Money)?;
    let head = 5;
    s.header(head, 0, &["Input", &format!("EVPPI ({cur})")])?;
    for (i, r) in v.inputs.iter().enumerate() {
        s.row(
            head + 1 + i as u32,
            0,
            &[Cell::Text(r.input.clone()), Cell::Num(r.evppi, Kind::Money)],
        )?;
    }
    if !v.inputs.is_empty() {
        let (first, last) = (head + 1, head + v.inputs.len() as u32);
        let ch = bars(
            &s,
            first,
            last,
            &[(1, "EVPPI")],
            "Value of perfect information by input",
            number_format(Kind::Money, st.style),
        );
        s.ws.insert_chart(head, 4, &ch)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}

fn spider_sheet(rep: &SensitivityReport, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Spider", st)?;
    let Some(sp) = &rep.spider else {
        return Ok(s.finish());
    };
    let kind = output_kind(rep.output);
    s.title(
        0,
        &format!(
            "Median {} with one input fixed at each percentile",
            rep.output.label(&rep.currency)
        ),
    )?;
    s.note(
        1,
        &format!(
            "{} trials a point; the other inputs stay uncertain. Empty = beyond the horizon.",
            crate::format::thousands(sp.trials as f64, 0)
        ),
    )?;
    let head = 3;
    let mut header = vec!["Input \\ percentile".to_string()];
    header.extend(sp.percentiles.iter().map(|p| format!("P{:.0}", 100.0 * p)));
    let labels: Vec<&str> = header.iter().map(String::as_str).collect();
    s.header(head, 0, &labels)?;
    let n = sp.percentiles.len() as u16;
    for (i, l) in sp.lines.iter().enumerate() {
        let row = head + 1 + i as u32;
        s.text(row, 0, &l.input)?;
        for (j, m) in l.medians.iter().enumerate() {
            s.cell(row, 1 + j as u16, &Cell::Opt(*m, kind))?;
        }
    }
    let vals = head + 3 + sp.lines.len() as u32;
    s.line(
        vals - 1,
        0,
        "The input's value at each percentile",
        &st.bold.clone(),
    )?;
    s.header(vals, 0, &labels)?;
    for (i, l) in sp.lines.iter().enumerate() {
        let row = vals + 1 + i as u32;
        s.text(row, 0, &l.input)?;
        for (j, v) in l.input_values.iter().enumerate() {
            s.num(row, 1 + j as u16, *v, Kind::Number)?;
        }
    }
    if !sp.lines.is_empty() && n > 0 {
        let mut ch = Chart::new(ChartType::Line);
        ch.title()
            .set_name(&format!("Spider: median {}", rep.output.name()));
        let cats = ChartRange::new_from_range(&s.name, head, 1, head, n);
        for i in 0..sp.lines.len() as u32 {
            let row = head + 1 + i;
            ch.add_series()
                .set_name(&ChartRange::new_from_range(&s.name, row, 0, row, 0))
                .set_categories(&cats)
                .set_values(&ChartRange::new_from_range(&s.name, row, 1, row, n));
        }
        ch.x_axis().set_name("Percentile of the fixed input");
        ch.y_axis()
            .set_name(&rep.output.label(&rep.currency))
            .set_num_format(number_format(kind, st.style));
        ch.legend().set_position(ChartLegendPosition::Bottom);
        ch.set_width(640).set_height(400);
        s.ws.insert_chart(vals + 2 + sp.lines.len() as u32, 0, &ch)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}

/// The "Decision rule" sheet: P(rule), the inputs by KS distance with their decile
/// probabilities and thresholds, and two bar charts (KS distance; P(rule) by decile).
fn target_sheet(t: &Target, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut s = Sheet::new("Decision rule", st)?;
    let what = crate::sensitivity::target::probability_name(&t.parsed);
    s.title(0, &format!("What decides whether {}", t.parsed.pretty()))?;
    if let Some(w) = t.watch() {
        let bold = st.bold.clone();
        s.line(1, 0, &w, &bold)?;
    }
    s.text(2, 0, &what)?;
    s.num(2, 1, t.probability, Kind::Percent)?;
    s.text(3, 0, "Trials analysed")?;
    s.num(3, 1, t.trials as f64, Kind::Count)?;
    let head = 5;
    s.header(
        head,
        0,
        &[
            "Input",
            "KS distance",
            "KS p-value",
            "Median (rule met)",
            "Median (not met)",
            "P if lowest 10%",
            "P if highest 10%",
            &format!("Value for P = {}", crate::format::percent(t.level)),
            "Side",
            "Note",
        ],
    )?;
    for (i, r) in t.inputs.iter().enumerate() {
        let side = match r.threshold_side {
            Some(Side::AtLeast) => "at least",
            Some(Side::AtMost) => "at most",
            None => "",
        };
        s.row(
            head + 1 + i as u32,
            0,
            &[
                Cell::Text(r.input.clone()),
                Cell::Opt(r.ks, Kind::Index),
                Cell::Opt(r.ks_p, Kind::Index),
                Cell::Opt(r.median_met, Kind::Number),
                Cell::Opt(r.median_not_met, Kind::Number),
                Cell::Num(r.p_low_decile, Kind::Percent),
                Cell::Num(r.p_high_decile, Kind::Percent),
                Cell::Opt(r.threshold, Kind::Number),
                Cell::Text(side.into()),
                Cell::Text(r.note.clone().unwrap_or_default()),
            ],
        )?;
    }
    if !t.inputs.is_empty() {
        let (first, last) = (head + 1, head + t.inputs.len() as u32);
        let ks = bars(
            &s,
            first,
            last,
            &[(1, "KS distance")],
            "Kolmogorov–Smirnov distance: rule met vs not met",
            "0.00",
        );
        s.ws.insert_chart(head, 11, &ks)?;
        let deciles = bars(
            &s,
            first,
            last,
            &[(5, "lowest 10%"), (6, "highest 10%")],
            &format!("{what} with the input in its lowest or highest 10%"),
            "0%",
        );
        // Below the first chart (its height is 120 + 26 px a row, rows are 20 px high).
        let below = (120 + 26 * t.inputs.len() as u32).clamp(300, 900) / 20 + 2;
        s.ws.insert_chart(head + below, 11, &deciles)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}
