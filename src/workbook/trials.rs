//! The Trials sheet (opt-in): the first trials of the run, one row each, with every input's
//! draw and every output of the metric registry ([`Metric::all`]), under a frozen header
//! with a filter, so that the finance team can filter and pivot themselves. A payback that
//! does not happen within the horizon and an undefined ROI are empty cells.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::sheet::{Kind, Sheet, Styles};
use crate::accum::Metric;
use crate::scenario::Scenario;
use crate::simulate::RunResult;

/// Header of a metric's column (`tco_<category>` for a category).
pub fn metric_header(m: Metric, categories: &[String]) -> String {
    match m {
        Metric::TcoCategory(c) => format!(
            "tco_{}",
            categories.get(c).map(String::as_str).unwrap_or("category")
        ),
        other => other.key().to_string(),
    }
}

fn kind_of(m: Metric) -> Kind {
    match m {
        Metric::Payback | Metric::DiscountedPayback => Kind::Months,
        Metric::Roi => Kind::Percent,
        _ => Kind::Money,
    }
}

/// The Trials sheet, written into `ws` row by row.
pub fn sheet(
    ws: Worksheet,
    s: &Scenario,
    r: &RunResult,
    st: &Styles,
) -> Result<Worksheet, XlsxError> {
    let mut sh = Sheet::with(ws, "Trials", st)?;
    let metrics = Metric::all(r.categories.len());
    let mut header: Vec<String> = vec!["trial".into()];
    header.extend(s.inputs.iter().map(|i| i.name.clone()));
    header.extend(metrics.iter().map(|m| metric_header(*m, &r.categories)));
    let labels: Vec<&str> = header.iter().map(String::as_str).collect();
    sh.header(0, 0, &labels)?;
    let n = r.sample.output(Metric::Payback).len();
    let ni = s.inputs.len();
    let outs: Vec<&[f64]> = metrics.iter().map(|m| r.sample.output(*m)).collect();
    let ws = &mut sh.ws;
    for t in 0..n {
        let row = 1 + t as u32;
        ws.write_number(row, 0, t as f64)?;
        for (i, col) in r.sample.inputs.iter().enumerate().take(ni) {
            if let Some(v) = col.get(t).filter(|v| v.is_finite()) {
                ws.write_number(row, 1 + i as u16, *v)?;
            }
        }
        for (k, (m, col)) in metrics.iter().zip(&outs).enumerate() {
            if let Some(v) = col.get(t).filter(|v| v.is_finite()) {
                ws.write_number_with_format(row, (1 + ni + k) as u16, *v, st.of(kind_of(*m)))?;
            }
        }
    }
    let last_col = (ni + metrics.len()) as u16;
    ws.autofilter(0, 0, n.max(1) as u32, last_col)?;
    ws.set_freeze_panes(1, 1)?;
    for (k, m) in metrics.iter().enumerate() {
        // Room for the widest formatted amounts.
        if kind_of(*m) == Kind::Money {
            sh.fit((1 + ni + k) as u16, 12);
        }
    }
    // Printed at its own size: many columns would shrink to nothing on one page.
    let mut ws = sh.finish();
    ws.set_print_fit_to_pages(0, 0);
    Ok(ws)
}
