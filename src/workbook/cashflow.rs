//! The Cash flow sheet: percentiles of the cumulative net cash flow by month and the fan
//! chart built from them natively: stacked areas (an invisible P5 base, then the P5–P25,
//! P25–P75 and P75–P95 band widths, which the sheet computes with formulas from the
//! percentile columns) under the median as a line.

use rust_xlsxwriter::{
    Chart, ChartAxisLabelPosition, ChartFormat, ChartLegendPosition, ChartLine, ChartSolidFill,
    ChartType, Color, Formula, Worksheet, XlsxError,
};

use super::sheet::{Kind, Sheet, Styles, money_format};
use crate::simulate::RunResult;

/// The helper band columns: (header, lower column, upper column, colour).
const BANDS: [(&str, u16, u16, u32); 3] = [
    ("Band P5–P25 (width)", 1, 2, 0xBDD7EE),
    ("Band P25–P75 (width)", 2, 4, 0x6FA8DC),
    ("Band P75–P95 (width)", 4, 5, 0xBDD7EE),
];

fn col_letter(c: u16) -> char {
    (b'A' + c as u8) as char
}

/// The Cash flow sheet.
pub fn sheet(r: &RunResult, st: &Styles) -> Result<Worksheet, XlsxError> {
    let sm = &r.summary;
    let f = &r.fan;
    let cur = &sm.currency;
    let mut s = Sheet::headed(
        "Cash flow",
        &format!("Cumulative net cash flow — {}", sm.scenario),
        &format!(
            "Percentiles over {} trials of the cumulative net cash flow at the end of each month ({cur}, undiscounted); month 0 is go-live.",
            crate::format::thousands(f.trials as f64, 0)
        ),
        st,
    )?;
    let head = 3;
    s.header(
        head,
        0,
        &[
            "Month",
            "P5",
            "P25",
            "P50 (median)",
            "P75",
            "P95",
            BANDS[0].0,
            BANDS[1].0,
            BANDS[2].0,
        ],
    )?;
    let money = st.style;
    let band_fmt = rust_xlsxwriter::Format::new().set_num_format(money_format(money));
    for i in 0..f.months.len() {
        let row = head + 1 + i as u32;
        let vals = [f.p5[i], f.p25[i], f.p50[i], f.p75[i], f.p95[i]];
        s.num(row, 0, f.months[i] as f64, Kind::Count)?;
        for (k, v) in vals.iter().enumerate() {
            s.num(row, 1 + k as u16, *v, Kind::Money)?;
        }
        // Band widths as formulas of the percentile cells, with their values cached.
        for (k, (_, lo, hi, _)) in BANDS.iter().enumerate() {
            let (a, b) = (vals[(*lo - 1) as usize], vals[(*hi - 1) as usize]);
            let excel_row = row + 1;
            let formula = Formula::new(format!(
                "={}{excel_row}-{}{excel_row}",
                col_letter(*hi),
                col_letter(*lo)
            ))
            .set_result((b - a).to_string());
            s.ws.write_formula_with_format(row, 6 + k as u16, formula, &band_fmt)?;
        }
    }
    if !f.months.is_empty() {
        let (first, last) = (head + 1, head + f.months.len() as u32);
        let cats = s.range(first, 0, last);
        let mut area = Chart::new(ChartType::AreaStacked);
        area.title()
            .set_name(&format!("Cumulative net cash flow — {}", sm.scenario));
        area.add_series()
            .set_name("P5")
            .set_categories(&cats)
            .set_values(&s.range(first, 1, last))
            .set_format(ChartFormat::new().set_no_fill().set_no_line());
        for (k, (name, _, _, color)) in BANDS.iter().enumerate() {
            area.add_series()
                .set_name(name.trim_end_matches(" (width)"))
                .set_categories(&cats)
                .set_values(&s.range(first, 6 + k as u16, last))
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(*color)))
                        .set_no_line(),
                );
        }
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name("Median")
            .set_categories(&cats)
            .set_values(&s.range(first, 3, last))
            .set_format(
                ChartFormat::new().set_line(
                    ChartLine::new()
                        .set_color(Color::RGB(0x1F3864))
                        .set_width(2.25),
                ),
            );
        area.combine(&line);
        // Month labels below the plot, not on the zero line inside the fan.
        area.x_axis()
            .set_name("Month after go-live")
            .set_label_position(ChartAxisLabelPosition::Low);
        area.y_axis()
            .set_name(&format!("Cumulative net cash flow ({cur})"))
            .set_num_format(money_format(money));
        // The P5 base is invisible: keep it out of the legend.
        area.legend()
            .set_position(ChartLegendPosition::Bottom)
            .delete_entries(&[0]);
        area.set_width(760).set_height(420);
        s.ws.insert_chart(3, 10, &area)?;
    }
    s.ws.set_freeze_panes(head + 1, 1)?;
    Ok(s.finish())
}
