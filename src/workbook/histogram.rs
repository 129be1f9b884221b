//! A histogram as a table (from, to, trials, share, cumulative share) and its native chart:
//! columns of the share per bin with the cumulative share as a line on a second axis.

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartLine, ChartSolidFill, ChartType, Color, XlsxError,
};

use super::bins::Bins;
use super::sheet::{Cell, Kind, Sheet};

/// Where a histogram table landed: its data rows and the columns a chart reads.
pub struct HistTable {
    /// First data row.
    pub first: u32,
    /// Last data row (the "beyond" row included when there is one).
    pub last: u32,
    /// Next free row below the table.
    pub next: u32,
}

/// Column of the bins' upper edges (the chart's categories).
pub const TO_COL: u16 = 1;
/// Column of the share of trials per bin.
pub const SHARE_COL: u16 = 3;
/// Column of the cumulative share.
pub const CUM_COL: u16 = 4;

/// Write the note over a histogram of `what` on `row`: how many trials it counts, and
/// whether they are only the first of the run's `trials` (the ones kept for charts).
pub fn note(s: &mut Sheet, row: u32, what: &str, b: &Bins, trials: u64) -> Result<(), XlsxError> {
    s.note(
        row,
        &format!(
            "Histogram of {what} over {} trials{}.",
            crate::format::thousands(b.total as f64, 0),
            if b.total < trials {
                " (the first trials of the run, kept for charts)"
            } else {
                ""
            }
        ),
    )
}

/// Write the bins from `row` (header there). `kind` is the kind of the edges; `beyond`
/// labels a last row for values past the last bin (e.g. "> 36"), written when given.
pub fn table(
    s: &mut Sheet,
    row: u32,
    b: &Bins,
    kind: Kind,
    beyond: Option<&str>,
) -> Result<HistTable, XlsxError> {
    s.header(
        row,
        0,
        &[
            "From (excluded)",
            "To (included)",
            "Trials",
            "Share of trials",
            "Cumulative share",
        ],
    )?;
    let n = b.total.max(1) as f64;
    let cum = b.cumulative();
    let mut r = row + 1;
    for (bin, c) in b.bins.iter().zip(&cum) {
        s.row(
            r,
            0,
            &[
                Cell::Num(bin.from, kind),
                Cell::Num(bin.to, kind),
                Cell::Num(bin.count as f64, Kind::Count),
                Cell::Num(bin.count as f64 / n, Kind::Percent),
                Cell::Num(*c, Kind::Percent),
            ],
        )?;
        r += 1;
    }
    if let Some(label) = beyond {
        s.row(
            r,
            0,
            &[
                Cell::Blank,
                Cell::text(label),
                Cell::Num(b.beyond as f64, Kind::Count),
                Cell::Num(b.beyond as f64 / n, Kind::Percent),
                Cell::Blank,
            ],
        )?;
        r += 1;
    }
    Ok(HistTable {
        first: row + 1,
        last: r - 1,
        next: r,
    })
}

/// The chart of a histogram table: share per bin (columns, no gaps) and the cumulative
/// share (line, right axis), both reading the table's cells.
pub fn chart(s: &Sheet, t: &HistTable, title: &str, x_name: &str, x_format: &str) -> Chart {
    let cats = s.range(t.first, TO_COL, t.last);
    let mut col = Chart::new(ChartType::Column);
    col.title().set_name(title);
    col.add_series()
        .set_name("Share of trials")
        .set_categories(&cats)
        .set_values(&s.range(t.first, SHARE_COL, t.last))
        .set_gap(10)
        .set_format(
            ChartFormat::new()
                .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0x4472C4))),
        );
    let mut line = Chart::new(ChartType::Line);
    line.add_series()
        .set_name("Cumulative share")
        .set_categories(&cats)
        .set_values(&s.range(t.first, CUM_COL, t.last))
        .set_secondary_axis(true)
        .set_format(
            ChartFormat::new().set_line(
                ChartLine::new()
                    .set_color(Color::RGB(0xC00000))
                    .set_width(2.0),
            ),
        );
    col.combine(&line);
    col.x_axis().set_name(x_name).set_num_format(x_format);
    col.y_axis()
        .set_name("Share of trials")
        .set_num_format("0%");
    col.y2_axis()
        .set_name("Cumulative share")
        .set_num_format("0%")
        .set_min(0.0)
        .set_max(1.0);
    col.legend().set_position(ChartLegendPosition::Bottom);
    col.set_width(720).set_height(400);
    col
}
