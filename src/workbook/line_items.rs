//! The Line items sheet: every cost and benefit of the monthly cash-flow model with its
//! category, timing and amount formula as written in the scenario.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::sheet::{Cell, Sheet, Styles};
use super::tco::category_label;
use crate::scenario::{Kind, Scenario};

/// The Line items sheet.
pub fn sheet(s: &Scenario, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sh = Sheet::headed(
        "Line items",
        &format!("Line items — {}", s.name),
        "Amounts per occurrence, as formulas of the inputs (month, year and adoption are the month number, year number and adoption share of that month).",
        st,
    )?;
    let head = 3;
    sh.header(head, 0, &["Kind", "Name", "Category", "When", "Amount"])?;
    for (k, it) in s.items.iter().enumerate() {
        let kind = match it.kind {
            Kind::Cost => "cost",
            Kind::Benefit => "benefit",
        };
        sh.row(
            head + 1 + k as u32,
            0,
            &[
                Cell::text(kind),
                Cell::Text(it.name.clone()),
                Cell::Text(category_label(&it.category)),
                Cell::Text(it.timing.describe()),
                Cell::Text(it.amount_src.clone()),
            ],
        )?;
    }
    sh.ws.set_freeze_panes(head + 1, 0)?;
    Ok(sh.finish())
}
