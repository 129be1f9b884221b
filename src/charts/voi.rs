//! Value of information: expected value of partial perfect information (EVPPI) per input,
//! against the EVPI of removing all uncertainty.

use plotters::coord::Shift;

use super::*;
use crate::format::money;

/// Inputs of [`voi_chart`].
#[derive(Clone, Debug)]
pub struct VoiData {
    /// Expected value of perfect information on all inputs, in currency.
    pub evpi: f64,
    /// One row per input (any order; drawn largest first).
    pub rows: Vec<VoiRow>,
}

/// EVPPI of one input, in currency.
#[derive(Clone, Debug)]
pub struct VoiRow {
    /// Input name (may be Chinese).
    pub input: String,
    /// Expected value of partial perfect information, in currency.
    pub evppi: f64,
}

/// Draws the value-of-information chart, inputs sorted by EVPPI (largest on top), with the
/// EVPI as a reference line. Rows with a non-finite EVPPI are left out.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn voi_chart(
    data: &VoiData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&VoiChart { data, meta }, format)
}

struct VoiChart<'a> {
    data: &'a VoiData,
    meta: &'a ChartMeta,
}

impl Chart for VoiChart<'_> {
    const NAME: &'static str = "value of information";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let cur = currency_suffix(self.meta);
        let amount = |v: f64| amount(self.meta, v);
        let title = titled(self.meta, "value of information by input");
        let mut rows: Vec<&VoiRow> = d.rows.iter().filter(|r| r.evppi.is_finite()).collect();
        rows.sort_by(|a, b| b.evppi.total_cmp(&a.evppi));
        let evpi = fin(d.evpi);
        if rows.is_empty() && evpi.is_none() {
            return draw_no_data(
                root,
                self.meta,
                &title,
                "no value-of-information results to plot",
            );
        }
        let subtitle = vec![
            "expected gain from learning an input's true value before deciding (EVPPI)".to_string(),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;

        let names: Vec<String> = rows.iter().map(|r| r.input.clone()).collect();
        let (lo, hi) =
            min_max(rows.iter().map(|r| r.evppi).chain(evpi).chain([0.0])).unwrap_or((0.0, 1.0));
        let bars: Vec<Bar> = rows
            .iter()
            .map(|r| Bar {
                value: r.evppi,
                color: BLUE.mix(0.8),
                label: amount(r.evppi),
            })
            .collect();
        let fmt = |v: &f64| money(*v, style);
        let desc = format!("expected value of perfect information{cur}");
        let axis = BarAxis::with_room(
            &names,
            padded(Some((lo, hi)), 0.0),
            (widest_label(&bars) + 14, bar_plot_px(&names)),
            &fmt,
            &desc,
        );
        let m = hbar_frame(
            root,
            &area,
            BarAxis {
                margin_top: 34,
                ..axis
            },
        )?;
        draw_bars(root, &m, &bars, 0.62)?;
        if let Some(e) = evpi {
            let px = m.xp(e);
            dashed_line(root, (px, m.top()), (px, m.bottom()), RED.stroke_width(2))?;
            let text = format!("EVPI (perfect information on everything) = {}", amount(e));
            draw_marker_labels(root, &m, &[(px, text, darker(RED))])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> VoiData {
        let row = |input: &str, evppi: f64| VoiRow {
            input: input.into(),
            evppi,
        };
        VoiData {
            evpi: 182_000.0,
            rows: vec![
                row("adoption rate", 96_000.0),
                row("minutes saved per user per day", 121_000.0),
                row("licence price per seat", 18_500.0),
                row("implementation cost", 7_200.0),
                row("churn of users", 0.0),
            ],
        }
    }

    #[test]
    fn voi_chart_renders_png_and_svg() {
        let data = fake();
        let png = voi_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("voi.png", &png);
        let svg = voi_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("voi.svg", &svg);
        check_svg(
            &svg,
            &[
                "value of information by input",
                "EVPI (perfect information on everything) = 182k CNY",
                "adoption rate",
                "121k CNY",
            ],
        );
    }

    #[test]
    fn voi_chart_survives_edge_cases() {
        let cases = [
            VoiData {
                evpi: f64::NAN,
                rows: vec![],
            },
            VoiData {
                evpi: 0.0,
                rows: vec![],
            },
            VoiData {
                evpi: 0.0,
                rows: vec![VoiRow {
                    input: "x".into(),
                    evppi: 0.0,
                }],
            },
            VoiData {
                evpi: -5.0,
                rows: vec![
                    VoiRow {
                        input: "x".into(),
                        evppi: f64::NAN,
                    },
                    VoiRow {
                        input: "y".into(),
                        evppi: 1e12,
                    },
                ],
            },
        ];
        renders_all(&cases, voi_chart);
    }
}
