//! Total cost of ownership by category: horizontal bars of the mean, P10–P90 whiskers.

use plotters::coord::Shift;

use super::*;
use crate::format::money;

/// Inputs of [`tco_chart`].
#[derive(Clone, Debug)]
pub struct TcoData {
    /// Cost categories (any order; drawn largest first).
    pub categories: Vec<TcoCategory>,
    /// Mean total cost over the horizon (all categories).
    pub total_mean: f64,
    /// Horizon in months.
    pub horizon: f64,
}

/// One cost category.
#[derive(Clone, Debug)]
pub struct TcoCategory {
    /// Category name (may be Chinese).
    pub name: String,
    /// Mean cost over the horizon.
    pub mean: f64,
    /// 10th percentile of the cost.
    pub p10: f64,
    /// 90th percentile of the cost.
    pub p90: f64,
}

/// Draws the TCO chart, categories sorted by mean cost (largest on top). Categories with a
/// non-finite mean are left out; non-finite P10/P90 just lose their whisker.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn tco_chart(
    data: &TcoData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&TcoChart { data, meta }, format)
}

struct TcoChart<'a> {
    data: &'a TcoData,
    meta: &'a ChartMeta,
}

impl Chart for TcoChart<'_> {
    const NAME: &'static str = "TCO";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let cur = currency_suffix(self.meta);
        let what = if d.horizon.is_finite() && d.horizon > 0.0 {
            format!(
                "{}-month total cost of ownership by category",
                whole_months(d.horizon)
            )
        } else {
            "total cost of ownership by category".to_string()
        };
        let what = if d.total_mean.is_finite() {
            format!("{what} (total {})", amount(self.meta, d.total_mean))
        } else {
            what
        };
        let title = titled(self.meta, &what);
        let mut cats: Vec<&TcoCategory> =
            d.categories.iter().filter(|c| c.mean.is_finite()).collect();
        cats.sort_by(|a, b| b.mean.total_cmp(&a.mean));
        if cats.is_empty() {
            return draw_no_data(root, self.meta, &title, "no cost categories to plot");
        }
        let subtitle = vec![
            "bars: mean cost per category  ·  whiskers and (brackets): P10–P90 range".to_string(),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;

        let names: Vec<String> = cats.iter().map(|c| c.name.clone()).collect();
        let label = |c: &TcoCategory| {
            if c.p10.is_finite() && c.p90.is_finite() {
                format!(
                    "{}  ({}–{})",
                    money(c.mean, style),
                    money(c.p10, style),
                    money(c.p90, style)
                )
            } else {
                money(c.mean, style)
            }
        };
        let ends = |c: &TcoCategory| [c.mean, c.p10, c.p90, 0.0];
        let (lo, hi) = min_max(cats.iter().flat_map(|c| ends(c))).unwrap_or((0.0, 1.0));
        let (lo, hi) = padded(Some((lo, hi)), 0.0);
        let bars: Vec<WhiskerBar> = cats
            .iter()
            .map(|c| WhiskerBar {
                value: c.mean,
                interval: (c.p10, c.p90),
                color: BLUE.mix(0.8),
                label: label(c),
            })
            .collect();
        let room = bars
            .iter()
            .map(|b| text_width(&b.label, LABEL_SIZE))
            .max()
            .unwrap_or(0)
            + 16;
        let x_fmt = |v: &f64| money(*v, style);
        let desc = if d.horizon.is_finite() && d.horizon > 0.0 {
            format!("mean cost over {} months{cur}", whole_months(d.horizon))
        } else {
            format!("mean cost{cur}")
        };
        let axis = BarAxis::with_room(
            &names,
            (lo, hi),
            (room, bar_plot_px(&names) + 10),
            &x_fmt,
            &desc,
        );
        let m = hbar_frame(root, &area, axis)?;
        let n = cats.len();
        let half = bar_half(&m, n, 0.62);
        for (i, bar) in bars.iter().enumerate() {
            let y = m.yp(row_y(i, n));
            let rows = (y - half, y + half);
            draw_whisker_bar(root, &m, bar, rows, (half / 2).max(3), (8, LABEL_SIZE))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> TcoData {
        let cats = [
            ("licences", 1_150_000.0, 0.12),
            ("implementation", 420_000.0, 0.35),
            ("training", 160_000.0, 0.4),
            ("support & maintenance", 610_000.0, 0.2),
            ("infrastructure", 240_000.0, 0.25),
            ("change management", 90_000.0, 0.5),
        ];
        TcoData {
            categories: cats
                .iter()
                .map(|&(name, mean, cv)| TcoCategory {
                    name: name.to_string(),
                    mean,
                    p10: mean * (1.0 - 1.28 * cv),
                    p90: mean * (1.0 + 1.28 * cv),
                })
                .collect(),
            total_mean: cats.iter().map(|c| c.1).sum(),
            horizon: 36.0,
        }
    }

    #[test]
    fn tco_chart_renders_png_and_svg() {
        let data = fake();
        let png = tco_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("tco.png", &png);
        let svg = tco_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("tco.svg", &svg);
        let svg = check_svg(
            &svg,
            &[
                "Cloud office IM: 36-month total cost of ownership by category",
                "licences",
                "support & maintenance",
                "2.67M",
            ],
        );
        // Largest category first in drawing order (on top).
        assert!(svg.find("licences").unwrap() < svg.find("training").unwrap());
    }

    #[test]
    fn tco_chart_survives_edge_cases() {
        let one = |mean: f64, p10: f64, p90: f64| TcoCategory {
            name: "only".into(),
            mean,
            p10,
            p90,
        };
        let cases = [
            TcoData {
                categories: vec![],
                total_mean: 0.0,
                horizon: 36.0,
            },
            TcoData {
                categories: vec![one(100.0, 100.0, 100.0)],
                total_mean: 100.0,
                horizon: 36.0,
            },
            TcoData {
                categories: vec![one(0.0, 0.0, 0.0)],
                total_mean: 0.0,
                horizon: f64::NAN,
            },
            TcoData {
                categories: vec![
                    one(f64::NAN, 1.0, 2.0),
                    one(-50.0, f64::NAN, 10.0),
                    one(5.0, 1.0, f64::INFINITY),
                ],
                total_mean: f64::NAN,
                horizon: 0.0,
            },
            TcoData {
                categories: (0..40)
                    .map(|i| TcoCategory {
                        name: format!("category number {i} with a long name"),
                        mean: i as f64,
                        p10: 0.0,
                        p90: 2.0 * i as f64,
                    })
                    .collect(),
                total_mean: 1.0,
                horizon: 12.0,
            },
        ];
        renders_all(&cases, tco_chart);
    }
}
