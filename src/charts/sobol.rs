//! Sobol indices: first-order (S1) and total (ST) per input, with interval whiskers.

use plotters::coord::Shift;

use super::*;
use crate::format::thousands;

/// Inputs of [`sobol_chart`].
#[derive(Clone, Debug)]
pub struct SobolData {
    /// The output, e.g. `"payback (months)"`.
    pub output_label: String,
    /// Shown in the subtitle, e.g. `"payback capped at 36 months"`.
    pub note: Option<String>,
    /// One row per input (any order; drawn by ST).
    pub rows: Vec<SobolRow>,
}

/// Sobol indices of one input with their intervals (the rows of a sensitivity report).
pub use crate::sensitivity::sobol::SobolRow;

/// Draws the Sobol chart, inputs sorted by ST (largest on top). Non-finite indices are not
/// drawn; non-finite interval ends drop the whisker.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn sobol_chart(
    data: &SobolData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&SobolChart { data, meta }, format)
}

struct SobolChart<'a> {
    data: &'a SobolData,
    meta: &'a ChartMeta,
}

impl Chart for SobolChart<'_> {
    const NAME: &'static str = "Sobol";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let out = d.output_label.trim();
        let out = if out.is_empty() { "the output" } else { out };
        let title = titled(
            self.meta,
            &format!("share of the variance of {out} due to each input"),
        );
        let mut rows: Vec<&SobolRow> = d
            .rows
            .iter()
            .filter(|r| r.s1.is_finite() || r.st.is_finite())
            .collect();
        let key = |r: &SobolRow| if r.st.is_finite() { r.st } else { r.s1 };
        rows.sort_by(|a, b| key(b).total_cmp(&key(a)));
        if rows.is_empty() {
            return draw_no_data(root, self.meta, &title, "no Sobol indices to plot");
        }
        let mut subtitle =
            "Sobol indices: S1 = the input alone, ST = including its interactions".to_string();
        if let Some(note) = d.note.as_deref().filter(|n| !n.trim().is_empty()) {
            subtitle.push_str("  ·  ");
            subtitle.push_str(note.trim());
        }
        let area = frame(root, self.meta, &title, &[subtitle])?;
        let (legend_area, plot_area) = area.split_vertically(26);
        legend_row(
            &legend_area,
            &[
                (
                    Swatch::Box(BLUE.mix(0.8)),
                    "first-order S1 (alone)".to_string(),
                ),
                (
                    Swatch::Box(ORANGE.mix(0.75)),
                    "total ST (with interactions)".to_string(),
                ),
                (Swatch::Line(INK, 2), "uncertainty interval".to_string()),
            ],
            (60, 12),
        )?;

        let all = rows
            .iter()
            .flat_map(|r| [r.s1, r.s1_low, r.s1_high, r.st, r.st_low, r.st_high]);
        let (lo, hi) = min_max(all.chain([0.0])).unwrap_or((0.0, 1.0));
        let lo = lo.clamp(-0.25, 0.0);
        let hi = hi.clamp(0.1, 1.25);
        let names: Vec<String> = rows.iter().map(|r| r.input.clone()).collect();
        let (ticks, step) = nice_ticks(lo, hi, 6);
        let axis = BarAxis {
            names: &names,
            x: (lo, hi + room_for(56, hi - lo, bar_plot_px(&names))),
            ticks,
            fmt: &|v| tick_number(*v, step),
            desc: "Sobol index (share of output variance)",
            margin_top: 12,
        };
        let m = hbar_frame(root, &plot_area, axis)?;
        let n = rows.len();
        let half = bar_half(&m, n, 0.76);
        for (i, r) in rows.iter().enumerate() {
            let y = m.yp(row_y(i, n));
            // S1 in the upper half of the row, ST in the lower.
            let halves = [
                (
                    r.s1,
                    (r.s1_low, r.s1_high),
                    BLUE.mix(0.8),
                    (y - half, y - 1),
                ),
                (
                    r.st,
                    (r.st_low, r.st_high),
                    ORANGE.mix(0.75),
                    (y + 1, y + half),
                ),
            ];
            for (value, interval, color, (y0, y1)) in halves {
                if !value.is_finite() {
                    continue;
                }
                let bar = WhiskerBar {
                    value,
                    interval,
                    color,
                    label: thousands(value, 2),
                };
                let size = LABEL_SIZE.min(((y1 - y0) as f64 * 1.1).max(10.0));
                draw_whisker_bar(root, &m, &bar, (y0, y1), ((y1 - y0) / 3).max(2), (6, size))?;
            }
        }
        value_line(root, &m, m.xp(0.0), 1)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> SobolData {
        let row = |input: &str, s1: f64, st: f64| SobolRow {
            input: input.into(),
            s1,
            s1_low: s1 - 0.04,
            s1_high: s1 + 0.04,
            st,
            st_low: st - 0.05,
            st_high: st + 0.05,
        };
        SobolData {
            output_label: "payback (months)".into(),
            note: Some("payback capped at 36 months".into()),
            rows: vec![
                row("minutes saved per user per day", 0.41, 0.52),
                row("adoption rate", 0.18, 0.29),
                row("licence price per seat", 0.12, 0.15),
                row("implementation cost", 0.05, 0.07),
                row("hourly staff cost", 0.02, 0.03),
                row("churn of users", -0.01, 0.004),
            ],
        }
    }

    #[test]
    fn sobol_chart_renders_png_and_svg() {
        let data = fake();
        let png = sobol_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("sobol.png", &png);
        let svg = sobol_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("sobol.svg", &svg);
        check_svg(
            &svg,
            &[
                "share of the variance of payback (months)",
                "payback capped at 36 months",
                "adoption rate",
                "0.52",
                "first-order S1",
            ],
        );
    }

    #[test]
    fn sobol_chart_survives_edge_cases() {
        let base = fake();
        let nan_row = SobolRow {
            s1: f64::NAN,
            s1_low: f64::NAN,
            s1_high: 1.0,
            st: 2.0,
            st_low: f64::NEG_INFINITY,
            st_high: 3.0,
            ..base.rows[0].clone()
        };
        let cases = [
            SobolData {
                rows: vec![],
                note: None,
                ..base.clone()
            },
            SobolData {
                rows: vec![base.rows[0].clone()],
                ..base.clone()
            },
            SobolData {
                rows: vec![
                    nan_row,
                    SobolRow {
                        s1: 0.0,
                        s1_low: 0.0,
                        s1_high: 0.0,
                        st: 0.0,
                        st_low: 0.0,
                        st_high: 0.0,
                        ..base.rows[1].clone()
                    },
                ],
                ..base.clone()
            },
        ];
        renders_all(&cases, sobol_chart);
    }
}
