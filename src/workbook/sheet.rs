//! The writing helpers every sheet shares: number formats by kind of value (money in the
//! chosen [`NumberStyle`], months, shares), typed cells, header rows, and column widths that
//! fit the text written (a Chinese character counts twice).

use rust_xlsxwriter::{ChartRange, Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::format::display_width;
use crate::format::{self, NumberStyle};
use crate::summary::ValueStats;

/// What a number is, which decides its cell format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An amount of money (the `--number-style`).
    Money,
    /// Months, one decimal.
    Months,
    /// A share or probability (0.25 shows as 25.0%).
    Percent,
    /// A whole count (trials, months): thousands separators.
    Count,
    /// An input value or other number as it is, shown with about three significant
    /// digits (whole numbers with thousands separators); the cell keeps every digit.
    Number,
    /// An index or correlation, three decimals.
    Index,
}

/// The Excel number format of money amounts in a number style: `#,##0` (plain), thousands
/// with a `k` (short), or 万 with one decimal (wan: 12,345,678 shows as 1234.6万; the cell
/// keeps the full number).
pub fn money_format(style: NumberStyle) -> &'static str {
    match style {
        NumberStyle::Plain => "#,##0",
        NumberStyle::Short => "#,##0,\"k\"",
        NumberStyle::Wan => "0\\.0,\"万\"",
    }
}

/// Excel number format of each [`Kind`] (money in `style`; [`Kind::Number`] as for whole
/// numbers: fractions get two or four decimals by size).
pub fn number_format(kind: Kind, style: NumberStyle) -> &'static str {
    match kind {
        Kind::Money => money_format(style),
        Kind::Months => "0.0",
        Kind::Percent => "0.0%",
        Kind::Count => "#,##0",
        Kind::Number => "#,##0",
        Kind::Index => "0.000",
    }
}

/// The formats of one workbook.
pub struct Styles {
    /// Money style of the workbook.
    pub style: NumberStyle,
    money: Format,
    months: Format,
    percent: Format,
    count: Format,
    number: Format,
    number2: Format,
    number4: Format,
    index: Format,
    /// Column headers: bold, shaded, wrapped, bottom border.
    pub header: Format,
    /// Sheet titles.
    pub title: Format,
    /// Bold text.
    pub bold: Format,
    /// Notes: grey italics.
    pub note: Format,
    /// Wrapped text (long sentences in a wide column).
    pub wrap: Format,
    /// Right-aligned text (a "> 36" among numbers).
    pub right: Format,
}

impl Styles {
    /// The formats for money written in `style`.
    pub fn new(style: NumberStyle) -> Styles {
        let num = |k: Kind| Format::new().set_num_format(number_format(k, style));
        Styles {
            style,
            money: num(Kind::Money),
            months: num(Kind::Months),
            percent: num(Kind::Percent),
            count: num(Kind::Count),
            number: Format::new().set_num_format("#,##0"),
            number2: Format::new().set_num_format("0.00"),
            number4: Format::new().set_num_format("0.0000"),
            index: num(Kind::Index),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            right: Format::new().set_align(FormatAlign::Right),
        }
    }

    /// The format of a [`Kind::Number`] `x`: whole numbers and numbers from 100 up with
    /// thousands separators, then two or four decimals.
    fn number_of(&self, x: f64) -> &Format {
        let a = x.abs();
        if x.fract() == 0.0 || a >= 100.0 {
            &self.number
        } else if a >= 0.1 {
            &self.number2
        } else {
            &self.number4
        }
    }

    /// The cell format of a kind of number ([`Kind::Number`]: of whole numbers).
    pub fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Money => &self.money,
            Kind::Months => &self.months,
            Kind::Percent => &self.percent,
            Kind::Count => &self.count,
            Kind::Number => &self.number,
            Kind::Index => &self.index,
        }
    }
}

/// One cell of a table row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number of some kind; a non-finite one is written as the text `n/a`.
    Num(f64, Kind),
    /// A payback month, or `> H` (text) when beyond the horizon `H`.
    Months(Option<f64>, u32),
    /// A number that may be undefined: empty when `None`.
    Opt(Option<f64>, Kind),
    /// Nothing.
    Blank,
}

impl Cell {
    /// Text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// A worksheet being written: its name (for chart ranges), the formats, and the widest
/// text seen in each column.
pub struct Sheet<'a> {
    /// The worksheet.
    pub ws: Worksheet,
    /// Its name.
    pub name: String,
    /// The workbook's formats.
    pub st: &'a Styles,
    widths: Vec<usize>,
}

/// Header text widens its column up to this many characters, then wraps.
const HEADER_WIDTH: usize = 16;
/// Narrowest and widest column (characters).
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

impl<'a> Sheet<'a> {
    /// A new, named worksheet.
    pub fn new(name: &str, st: &'a Styles) -> Result<Sheet<'a>, XlsxError> {
        Sheet::with(Worksheet::new(), name, st)
    }

    /// A new sheet called `name` with `title` on its first row and a grey `note` on the
    /// second (the tables start on the fourth).
    pub fn headed(
        name: &str,
        title: &str,
        note: &str,
        st: &'a Styles,
    ) -> Result<Sheet<'a>, XlsxError> {
        let mut s = Sheet::new(name, st)?;
        s.title(0, title)?;
        s.note(1, note)?;
        Ok(s)
    }

    /// Name and write `ws` (e.g. one in constant-memory mode, whose rows must be written
    /// in order).
    pub fn with(mut ws: Worksheet, name: &str, st: &'a Styles) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            name: name.to_string(),
            st,
            widths: Vec::new(),
        })
    }

    /// Make column `col` at least `chars` characters wide.
    pub fn fit(&mut self, col: u16, chars: usize) {
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(chars);
    }

    /// Text in a cell; the column widens to fit it.
    pub fn text(&mut self, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
        self.ws.write_string(row, col, s)?;
        self.fit(col, display_width(s));
        Ok(())
    }

    /// Text with a format; the column widens to fit it.
    pub fn text_with(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, s, f)?;
        self.fit(col, display_width(s));
        Ok(())
    }

    /// Text that may run across empty cells to its right (titles, sentences): it does not
    /// widen its column.
    pub fn line(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, s, f)?;
        Ok(())
    }

    /// A number of a kind (non-finite: `n/a`).
    pub fn num(&mut self, row: u32, col: u16, x: f64, kind: Kind) -> Result<(), XlsxError> {
        if !x.is_finite() {
            return self.text(row, col, format::NOT_AVAILABLE);
        }
        let st = self.st;
        let f = match kind {
            Kind::Number => st.number_of(x),
            k => st.of(k),
        };
        self.ws.write_number_with_format(row, col, x, f)?;
        let shown = match kind {
            Kind::Money => format::money(x, self.st.style),
            Kind::Percent => format!("{:.1}%", 100.0 * x),
            Kind::Months => format::thousands(x, 1),
            Kind::Count => format::thousands(x, 0),
            Kind::Index => format!("{x:.3}"),
            Kind::Number => format::thousands(x, 4),
        };
        self.fit(col, display_width(&shown) + 1);
        Ok(())
    }

    /// One cell.
    pub fn cell(&mut self, row: u32, col: u16, c: &Cell) -> Result<(), XlsxError> {
        match c {
            Cell::Text(s) => self.text(row, col, s),
            Cell::Num(x, k) => self.num(row, col, *x, *k),
            Cell::Months(Some(m), _) => self.num(row, col, *m, Kind::Months),
            Cell::Months(None, h) => {
                let st = self.st;
                self.text_with(row, col, &format!("> {h}"), &st.right)
            }
            Cell::Opt(Some(x), k) => self.num(row, col, *x, *k),
            Cell::Opt(None, _) | Cell::Blank => Ok(()),
        }
    }

    /// A row of cells from `col` on.
    pub fn row(&mut self, row: u32, col: u16, cells: &[Cell]) -> Result<(), XlsxError> {
        for (i, c) in cells.iter().enumerate() {
            self.cell(row, col + i as u16, c)?;
        }
        Ok(())
    }

    /// A header row from `col` on. Headers wrap, so they widen their column only up to
    /// [`HEADER_WIDTH`] characters.
    pub fn header(&mut self, row: u32, col: u16, labels: &[&str]) -> Result<(), XlsxError> {
        let st = self.st;
        let mut lines = 1;
        for (i, l) in labels.iter().enumerate() {
            let c = col + i as u16;
            self.ws.write_string_with_format(row, c, *l, &st.header)?;
            self.fit(c, display_width(l).min(HEADER_WIDTH));
            lines = lines.max(display_width(l).div_ceil(HEADER_WIDTH));
        }
        if lines > 1 {
            // Viewers do not all grow a row for wrapped text: make room for it.
            self.ws.set_row_height(row, 15.0 * lines.min(4) as f64)?;
        }
        Ok(())
    }

    /// A title in bold on `row`, column A.
    pub fn title(&mut self, row: u32, s: &str) -> Result<(), XlsxError> {
        let st = self.st;
        self.line(row, 0, s, &st.title)
    }

    /// A grey note on `row`, column A.
    pub fn note(&mut self, row: u32, s: &str) -> Result<(), XlsxError> {
        let st = self.st;
        self.line(row, 0, s, &st.note)
    }

    /// A range of this sheet for a chart series.
    pub fn range(&self, first_row: u32, col: u16, last_row: u32) -> ChartRange {
        ChartRange::new_from_range(&self.name, first_row, col, last_row, col)
    }

    /// Set the column widths to what was written and hand the worksheet over, set to
    /// print landscape, one page wide.
    pub fn finish(mut self) -> Worksheet {
        self.ws.set_landscape().set_print_fit_to_pages(1, 0);
        for (c, w) in self.widths.iter().enumerate() {
            let w = (*w + 2).clamp(MIN_WIDTH, MAX_WIDTH);
            let _ = self.ws.set_column_width(c as u16, w as f64);
        }
        self.ws
    }
}

/// Headers of the NPV and TCO columns that the comparison's Options sheet and the sweep's
/// grid share (the currency follows the money ones).
pub fn npv_tco_header(cur: &str) -> [String; 10] {
    [
        format!("E[NPV] ({cur})"),
        "s.e. of E[NPV]".into(),
        "NPV P10".into(),
        "NPV P50".into(),
        "NPV P90".into(),
        "P(NPV < 0)".into(),
        format!("E[TCO] ({cur})"),
        "TCO P10".into(),
        "TCO P50".into(),
        "TCO P90".into(),
    ]
}

/// The cells under [`npv_tco_header`]: `npv` is the mean, its standard error, P10, P50
/// and P90; `tco` is the mean, P10, P50 and P90.
pub fn npv_tco_cells(npv: [f64; 5], prob_negative: f64, tco: [f64; 4]) -> Vec<Cell> {
    let money = |x: f64| Cell::Num(x, Kind::Money);
    let mut v: Vec<Cell> = npv.map(money).into();
    v.push(Cell::Num(prob_negative, Kind::Percent));
    v.extend(tco.map(money));
    v
}

/// A table of percentiles of a money figure with header row `head`: "Percentile",
/// `value`, its 95% interval ("from", "to") and the `extra` headers; then one row per
/// percentile (P5 … P95) with the value, the interval's ends and the cells `more(i)` of
/// percentile `i`.
pub fn money_percentiles(
    s: &mut Sheet,
    head: u32,
    value: &str,
    stats: &ValueStats,
    extra: &[String],
    more: impl Fn(usize) -> Vec<Cell>,
) -> Result<(), XlsxError> {
    let mut header = vec!["Percentile", value, "95% interval: from", "to"];
    header.extend(extra.iter().map(String::as_str));
    s.header(head, 0, &header)?;
    let c = &stats.ci;
    let cis = [
        c.p5_ci, c.p10_ci, c.p25_ci, c.p50_ci, c.p75_ci, c.p90_ci, c.p95_ci,
    ];
    for (i, (name, v)) in stats.pct.iter().into_iter().enumerate() {
        let row = head + 1 + i as u32;
        s.text(row, 0, name)?;
        let mut cells = vec![
            Cell::Num(*v, Kind::Money),
            Cell::Num(cis[i][0], Kind::Money),
            Cell::Num(cis[i][1], Kind::Money),
        ];
        cells.extend(more(i));
        s.row(row, 1, &cells)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_follow_the_number_style() {
        assert_eq!(money_format(NumberStyle::Plain), "#,##0");
        assert!(money_format(NumberStyle::Wan).contains('万'));
        assert!(money_format(NumberStyle::Short).contains('k'));
        assert_eq!(number_format(Kind::Percent, NumberStyle::Wan), "0.0%");
    }

    #[test]
    fn columns_fit_chinese_text_at_two_units_a_character() {
        let st = Styles::new(NumberStyle::Plain);
        let mut s = Sheet::new("T", &st).unwrap();
        s.text(0, 0, "员工数员工数员工数员工数").unwrap();
        s.text(0, 1, "abc").unwrap();
        assert_eq!(s.widths[0], 24);
        assert_eq!(s.widths[1], 3);
    }
}
