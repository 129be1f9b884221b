//! The TCO sheet: percentiles of the total cost of ownership over the horizon, the mean,
//! share and P10–P90 of every cost category with the line items in it, and a native
//! column chart of the category means with P10–P90 error bars.

use rust_xlsxwriter::{
    Chart, ChartErrorBars, ChartErrorBarsType, ChartFormat, ChartRange, ChartSolidFill, ChartType,
    Color, Worksheet, XlsxError,
};

use super::sheet::{Cell, Kind, Sheet, Styles, money_format, money_percentiles};
use crate::scenario::{Kind as ItemKind, Scenario};
use crate::summary::Summary;

/// `custom_development` → `Custom development`.
pub fn category_label(c: &str) -> String {
    let t = c.replace('_', " ");
    let mut ch = t.chars();
    match ch.next() {
        Some(f) => f.to_uppercase().collect::<String>() + ch.as_str(),
        None => String::new(),
    }
}

/// The TCO sheet.
pub fn sheet(sc: &Scenario, sm: &Summary, st: &Styles) -> Result<Worksheet, XlsxError> {
    let cur = &sm.currency;
    let h = sm.horizon_months;
    let mut s = Sheet::headed(
        "TCO",
        &format!("Total cost of ownership — {}", sm.scenario),
        &format!("Every cost over the {h} months of the horizon, undiscounted, in {cur}."),
        st,
    )?;
    let head = 3;
    let t = &sm.tco.stats;
    money_percentiles(&mut s, head, &format!("TCO ({cur})"), t, &[], |_| vec![])?;
    s.text(head + 8, 0, "Mean")?;
    s.num(head + 8, 1, t.mean, Kind::Money)?;
    s.text(head + 9, 0, "Standard error of the mean")?;
    s.num(head + 9, 1, t.mean_se, Kind::Money)?;

    let ch = head + 11;
    s.header(
        ch,
        0,
        &[
            "Category",
            "Line items",
            &format!("Mean ({cur})"),
            "Share of the mean total",
            &format!("P10 ({cur})"),
            &format!("P90 ({cur})"),
            "Mean − P10",
            "P90 − mean",
        ],
    )?;
    let total = t.mean;
    let cats = &sm.tco.categories;
    for (i, c) in cats.iter().enumerate() {
        let r = ch + 1 + i as u32;
        let items: Vec<&str> = sc
            .items
            .iter()
            .filter(|it| it.kind == ItemKind::Cost && it.category == c.category)
            .map(|it| it.name.as_str())
            .collect();
        s.row(
            r,
            0,
            &[
                Cell::Text(category_label(&c.category)),
                Cell::Text(items.join(", ")),
                Cell::Num(c.mean, Kind::Money),
                Cell::Num(
                    if total > 0.0 {
                        c.mean / total
                    } else {
                        f64::NAN
                    },
                    Kind::Percent,
                ),
                Cell::Num(c.p10, Kind::Money),
                Cell::Num(c.p90, Kind::Money),
                Cell::Num((c.mean - c.p10).max(0.0), Kind::Money),
                Cell::Num((c.p90 - c.mean).max(0.0), Kind::Money),
            ],
        )?;
    }
    let tr = ch + 1 + cats.len() as u32;
    let bold = st.bold.clone();
    s.text_with(tr, 0, "Total", &bold)?;
    s.num(tr, 2, total, Kind::Money)?;
    s.note(
        tr + 1,
        "Category means add up to the mean total; P10–P90 ranges do not add up (categories rarely all land high in the same trial).",
    )?;
    if !cats.is_empty() {
        let chart = category_chart(&s, ch + 1, ch + cats.len() as u32, sm);
        s.ws.insert_chart(3, 9, &chart)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}

/// Column chart of the category means (rows `first..=last`) with P10–P90 error bars read
/// from the "Mean − P10" and "P90 − mean" columns.
fn category_chart(s: &Sheet, first: u32, last: u32, sm: &Summary) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(&format!(
        "TCO by category over {} months — {}",
        sm.horizon_months, sm.scenario
    ));
    let mut bars = ChartErrorBars::new();
    bars.set_type(ChartErrorBarsType::Custom(
        ChartRange::new_from_range(&s.name, first, 7, last, 7),
        ChartRange::new_from_range(&s.name, first, 6, last, 6),
    ));
    chart
        .add_series()
        .set_name("Mean (bars: P10–P90)")
        .set_categories(&s.range(first, 0, last))
        .set_values(&s.range(first, 2, last))
        .set_y_error_bars(&bars)
        .set_format(
            ChartFormat::new()
                .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0xED7D31))),
        );
    chart
        .y_axis()
        .set_name(&sm.currency)
        .set_num_format(money_format(s.st.style));
    chart.legend().set_hidden();
    chart.set_width(720).set_height(400);
    chart
}
