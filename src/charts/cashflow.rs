//! Fan chart of the cumulative net cash flow by month: P5–P95 and P25–P75 bands, the median,
//! the zero line and where the median breaks even.

use plotters::coord::Shift;

use super::payback::month_step;
use super::*;
use crate::format::{money, months};

/// Inputs of [`cashflow_chart`]: percentiles of the cumulative net cash flow at each month.
#[derive(Clone, Debug)]
pub struct FanData {
    /// Months after go-live (x axis).
    pub months: Vec<f64>,
    /// 5th percentile of the cumulative net cash flow at each month.
    pub p5: Vec<f64>,
    /// 25th percentile at each month.
    pub p25: Vec<f64>,
    /// Median at each month.
    pub p50: Vec<f64>,
    /// 75th percentile at each month.
    pub p75: Vec<f64>,
    /// 95th percentile at each month.
    pub p95: Vec<f64>,
    /// Month at which the median curve crosses zero; `None` = not within the horizon.
    pub median_crossing: Option<f64>,
}

/// Draws the cash-flow fan chart. Points where the month or any percentile is not finite are
/// skipped; vectors of different lengths are cut to the shortest.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn cashflow_chart(
    data: &FanData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&FanChart { data, meta }, format)
}

struct FanChart<'a> {
    data: &'a FanData,
    meta: &'a ChartMeta,
}

/// One month of the fan: (month, p5, p25, p50, p75, p95).
type Row = (f64, f64, f64, f64, f64, f64);

impl Chart for FanChart<'_> {
    const NAME: &'static str = "cash-flow";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let cur = currency_suffix(self.meta);
        let title = titled(self.meta, "cumulative net cash flow");
        let rows = fan_rows(d);
        let Some(last) = rows.last().copied() else {
            return draw_no_data(root, self.meta, &title, "no cash-flow data to plot");
        };
        let first = rows[0];

        let end_month = whole_months(last.0);
        let subtitle = vec![format!(
            "at month {end_month}: median {}  ·  90% of trials between {} and {}",
            amount(self.meta, last.3),
            money(last.1, style),
            money(last.5, style),
        )];
        let area = frame(root, self.meta, &title, &subtitle)?;
        let plot_area = legend_above(
            &area,
            &[
                (
                    Swatch::Box(BLUE.mix(0.16)),
                    "90% of trials (P5–P95)".to_string(),
                ),
                (
                    Swatch::Box(BLUE.mix(0.34)),
                    "50% of trials (P25–P75)".to_string(),
                ),
                (Swatch::Line(NAVY, 3), "median (P50)".to_string()),
            ],
        )?;

        let x = padded(Some((first.0, last.0)), 0.0);
        let y_range = min_max(rows.iter().flat_map(|r| [r.1, r.5, r.3]).chain([0.0]));
        let y = padded(y_range, 0.06);
        let (y_ticks, _) = nice_ticks(y.0, y.1, 7);
        let x_step = month_step(x.1 - x.0);
        let x_ticks = ticks_with_step(x.0, x.1, x_step);
        let x_fmt = |v: &f64| tick_number(*v, x_step);
        let y_fmt = |v: &f64| money(*v, style);
        let y_desc = format!("cumulative net cash flow{cur}");
        let m = Plot::new(
            PlotAxis::new(x, x_ticks, &x_fmt, "months after go-live"),
            PlotAxis::new(y, y_ticks, &y_fmt, &y_desc),
        )
        .margin(12, 16)
        .draw(&plot_area)?;

        // Bands: outer P5–P95, inner P25–P75.
        for (lo, hi, alpha) in [(1usize, 5usize, 0.16), (2, 4, 0.34)] {
            let pick = |r: &Row, k: usize| [r.0, r.1, r.2, r.3, r.4, r.5][k];
            let mut poly: Vec<(i32, i32)> = rows.iter().map(|r| m.p(r.0, pick(r, hi))).collect();
            poly.extend(rows.iter().rev().map(|r| m.p(r.0, pick(r, lo))));
            root.draw(&Polygon::new(poly, BLUE.mix(alpha).filled()))
                .de()?;
        }
        // Zero line, then the median on top.
        root.draw(&PathElement::new(
            vec![m.p(x.0, 0.0), m.p(x.1, 0.0)],
            INK.stroke_width(1),
        ))
        .de()?;
        root.draw(&PathElement::new(
            rows.iter().map(|r| m.p(r.0, r.3)).collect::<Vec<_>>(),
            NAVY.stroke_width(3),
        ))
        .de()?;

        draw_breakeven(root, &m, d.median_crossing, &end_month)
    }
}

/// The months where the month and every percentile are finite, in order (vectors of
/// different lengths cut to the shortest).
fn fan_rows(d: &FanData) -> Vec<Row> {
    let n = [
        d.months.len(),
        d.p5.len(),
        d.p25.len(),
        d.p50.len(),
        d.p75.len(),
        d.p95.len(),
    ]
    .into_iter()
    .min()
    .unwrap_or(0);
    let mut rows: Vec<Row> = (0..n)
        .map(|i| (d.months[i], d.p5[i], d.p25[i], d.p50[i], d.p75[i], d.p95[i]))
        .filter(|r| [r.0, r.1, r.2, r.3, r.4, r.5].iter().all(|v| v.is_finite()))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows
}

/// Where the median breaks even: a ring on the zero line with its month, or a note that it
/// does not within the `end_month` months shown.
fn draw_breakeven<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    crossing: Option<f64>,
    end_month: &str,
) -> DrawResult {
    let Some(c) = crossing.filter(|c| c.is_finite()) else {
        let text = format!("median does not break even within {end_month} months");
        return draw_boxed_text(
            root,
            &text,
            ((m.left() + 12, m.top() + 10), TOP_LEFT),
            LABEL_SIZE + 1.0,
            RED,
        );
    };
    let p = m.p(c, 0.0);
    dashed_line(root, (p.0, p.1), (p.0, m.bottom()), NAVY.stroke_width(1))?;
    root.draw(&Circle::new(p, 7, WHITE.filled())).de()?;
    root.draw(&Circle::new(p, 7, NAVY.stroke_width(3))).de()?;
    let text = format!("median breaks even at month {}", months(c));
    let w = text_width(&text, LABEL_SIZE);
    // The median rises through the zero line here: below it on the right, or above it on
    // the left, the label stays clear of the median.
    let (pos, anchor) = if p.0 + 12 + w <= m.right() {
        ((p.0 + 12, p.1 + 10), TOP_LEFT)
    } else {
        ((p.0 - 12, p.1 - 10), BOTTOM_RIGHT)
    };
    draw_boxed_text(root, &text, (pos, anchor), LABEL_SIZE + 1.0, NAVY)
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake(horizon: usize, invest: f64, monthly: f64) -> FanData {
        let months: Vec<f64> = (0..=horizon).map(|m| m as f64).collect();
        let at = |m: f64, z: f64| {
            -invest * (1.0 + 0.25 * z) + monthly * m * (1.0 + 0.3 * z) - 2_000.0 * m
        };
        let crossing = (invest / (monthly - 2_000.0)).min(f64::INFINITY);
        FanData {
            p5: months.iter().map(|&m| at(m, -1.64)).collect(),
            p25: months.iter().map(|&m| at(m, -0.67)).collect(),
            p50: months.iter().map(|&m| at(m, 0.0)).collect(),
            p75: months.iter().map(|&m| at(m, 0.67)).collect(),
            p95: months.iter().map(|&m| at(m, 1.64)).collect(),
            median_crossing: (crossing <= horizon as f64).then_some(crossing),
            months,
        }
    }

    #[test]
    fn cashflow_chart_renders_png_and_svg() {
        let data = fake(36, 1_200_000.0, 95_000.0);
        let png = cashflow_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("cashflow.png", &png);
        let svg = cashflow_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("cashflow.svg", &svg);
        check_svg(
            &svg,
            &[
                "Cloud office IM: cumulative net cash flow",
                "median breaks even at month 12.9",
                "cumulative net cash flow (CNY)",
                "P5–P95",
                "1M",
            ],
        );
    }

    #[test]
    fn cashflow_chart_says_when_the_median_never_breaks_even() {
        let data = fake(24, 3_000_000.0, 60_000.0);
        assert!(data.median_crossing.is_none());
        let svg = cashflow_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        check_svg(&svg, &["median does not break even within 24 months"]);
        let png = cashflow_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("cashflow_no_breakeven.png", &png);
    }

    #[test]
    fn cashflow_chart_survives_edge_cases() {
        let empty = FanData {
            months: vec![],
            p5: vec![],
            p25: vec![],
            p50: vec![],
            p75: vec![],
            p95: vec![],
            median_crossing: None,
        };
        let single = FanData {
            months: vec![0.0],
            p5: vec![-1.0],
            p25: vec![-1.0],
            p50: vec![-1.0],
            p75: vec![-1.0],
            p95: vec![-1.0],
            median_crossing: Some(f64::NAN),
        };
        let flat = FanData {
            months: vec![0.0, 1.0, 2.0],
            p5: vec![0.0; 3],
            p25: vec![0.0; 3],
            p50: vec![0.0; 3],
            p75: vec![0.0; 3],
            p95: vec![0.0; 3],
            median_crossing: Some(0.0),
        };
        let ragged = FanData {
            months: vec![0.0, 1.0, f64::NAN, 3.0],
            p5: vec![1.0, f64::INFINITY],
            p25: vec![1.0; 4],
            p50: vec![1.0; 4],
            p75: vec![1.0; 4],
            p95: vec![1.0; 4],
            median_crossing: Some(99.0),
        };
        renders_all(&[empty, single, flat, ragged], cashflow_chart);
    }
}
