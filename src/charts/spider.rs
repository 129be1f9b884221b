//! Spider plot: the output median with one input at a time moved through its percentiles.

use plotters::coord::Shift;

use super::*;

/// Inputs of [`spider_chart`].
#[derive(Clone, Debug)]
pub struct SpiderData {
    /// The output, e.g. `"payback (months)"`.
    pub output_label: String,
    /// Input percentiles on the x axis, e.g. 10, 20, …, 90.
    pub percentiles: Vec<f64>,
    /// One line per input.
    pub lines: Vec<SpiderLine>,
    /// Horizon in months, for payback outputs (where points can be `None`).
    pub horizon: Option<f64>,
}

/// One input's line.
#[derive(Clone, Debug)]
pub struct SpiderLine {
    /// Input name (may be Chinese).
    pub input: String,
    /// Output median at each percentile; `None` = beyond the horizon.
    pub values: Vec<Option<f64>>,
}

/// Draws the spider plot: one coloured line per input; points beyond the horizon are drawn
/// as triangles on the horizon line (or the top edge), joined by dashed segments.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn spider_chart(
    data: &SpiderData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&SpiderChart { data, meta }, format)
}

struct SpiderChart<'a> {
    data: &'a SpiderData,
    meta: &'a ChartMeta,
}

/// A point of a line: a finite value, beyond the horizon, or missing.
#[derive(Clone, Copy, Debug)]
enum Pt {
    Value(f64),
    Beyond,
    Missing,
}

impl Chart for SpiderChart<'_> {
    const NAME: &'static str = "spider";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let out = d.output_label.trim();
        let out = if out.is_empty() { "the output" } else { out };
        let title = titled(self.meta, &format!("how {out} responds to each input"));
        // Columns with a finite percentile, in increasing order.
        let mut cols: Vec<(usize, f64)> = d
            .percentiles
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, p)| p.is_finite())
            .collect();
        cols.sort_by(|a, b| a.1.total_cmp(&b.1));
        if cols.is_empty() || d.lines.is_empty() {
            return draw_no_data(root, self.meta, &title, "no sensitivity lines to plot");
        }
        let lines = Lines::new(d, cols);
        let subtitle = [
            format!(
                "median {out} with one input fixed at each of its percentiles while all others stay uncertain"
            ),
            format!(
                "the lines meet near the median of the full simulation{}",
                if lines.any_beyond {
                    "  ·  ▲ = no payback within the horizon"
                } else {
                    ""
                }
            ),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;
        let items: Vec<(Swatch, String)> = d
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (Swatch::LineDot(series_color(i)), l.input.clone()))
            .collect();
        let legend_w = legend_box_width(&items, 220);
        let (plot_area, legend_area) =
            area.split_horizontally(area.dim_in_pixel().0 as i32 - legend_w - 12);

        let (lo, hi, top) = lines.y_range();
        let cols = &lines.cols;
        let x = padded(Some((cols[0].1, cols[cols.len() - 1].1)), 0.04);
        let x_ticks: Vec<f64> = cols.iter().map(|c| c.1).collect();
        let (y_ticks, _) = nice_ticks(lo, hi, 7);
        let x_fmt = |v: &f64| format!("P{}", crate::format::thousands(*v, step_decimals(*v)));
        let y_fmt = |v: &f64| value_label(*v, style);
        let m = Plot::new(
            PlotAxis::new(x, x_ticks, &x_fmt, "input set to its percentile"),
            PlotAxis::new((lo, hi), y_ticks, &y_fmt, out),
        )
        .draw(&plot_area)?;

        if lines.any_beyond {
            let y = m.yp(top);
            dashed_line(root, (m.left(), y), (m.right(), y), RED.stroke_width(1))?;
            if let Some(h) = lines.horizon {
                draw_boxed_text(
                    root,
                    &format!("horizon: {} months", whole_months(h)),
                    ((m.right() - 8, y - 4), BOTTOM_RIGHT),
                    LABEL_SIZE,
                    darker(RED),
                )?;
            }
        }
        for (i, line) in d.lines.iter().enumerate() {
            lines.draw(root, &m, line, series_color(i), top)?;
        }
        legend_box(&legend_area, &items, (4, 20), 220)?;
        Ok(())
    }
}

/// The spider's lines over the percentile columns drawn.
struct Lines<'a> {
    d: &'a SpiderData,
    /// (index into each line's values, percentile), in increasing order.
    cols: Vec<(usize, f64)>,
    /// The horizon, when finite.
    horizon: Option<f64>,
    /// Some point lies beyond the horizon.
    any_beyond: bool,
}

impl<'a> Lines<'a> {
    fn new(d: &'a SpiderData, cols: Vec<(usize, f64)>) -> Self {
        let any_beyond = d
            .lines
            .iter()
            .any(|l| cols.iter().any(|&(j, _)| matches!(point(l, j), Pt::Beyond)));
        Lines {
            d,
            cols,
            horizon: d.horizon.filter(|h| h.is_finite()),
            any_beyond,
        }
    }

    /// The y range, and where points beyond the horizon are drawn (the horizon, else the
    /// top).
    fn y_range(&self) -> (f64, f64, f64) {
        let (horizon, any_beyond) = (self.horizon, self.any_beyond);
        let finite: Vec<f64> = self
            .d
            .lines
            .iter()
            .flat_map(|l| self.cols.iter().map(move |&(j, _)| point(l, j)))
            .filter_map(|p| if let Pt::Value(v) = p { Some(v) } else { None })
            .collect();
        let mut span = finite.clone();
        if any_beyond && let Some(h) = horizon {
            span.push(h);
        }
        let (mut lo, mut hi) = padded(min_max(span), 0.06);
        if any_beyond && horizon.is_none() {
            hi += (hi - lo) * 0.08;
        }
        if finite.is_empty() && horizon.is_none() {
            (lo, hi) = (0.0, 1.0);
        }
        (lo, hi, horizon.filter(|_| any_beyond).unwrap_or(hi))
    }

    /// One input's line: solid between values, dashed to and from points beyond the
    /// horizon (triangles at `top`), a dot at each value.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        line: &SpiderLine,
        color: RGBColor,
        top: f64,
    ) -> DrawResult {
        let pts: Vec<(f64, Pt)> = self
            .cols
            .iter()
            .map(|&(j, p)| (p, point(line, j)))
            .collect();
        let pix = |(p, pt): (f64, Pt)| match pt {
            Pt::Value(v) => Some(m.p(p, v)),
            Pt::Beyond => Some(m.p(p, top)),
            Pt::Missing => None,
        };
        for w in pts.windows(2) {
            let (Some(a), Some(b)) = (pix(w[0]), pix(w[1])) else {
                continue;
            };
            if matches!(w[0].1, Pt::Value(_)) && matches!(w[1].1, Pt::Value(_)) {
                root.draw(&PathElement::new(vec![a, b], color.stroke_width(3)))
                    .de()?;
            } else {
                dashed_line(root, a, b, color.stroke_width(2))?;
            }
        }
        for &(p, pt) in &pts {
            match pt {
                Pt::Value(v) => root.draw(&Circle::new(m.p(p, v), 4, color.filled())).de()?,
                Pt::Beyond => root
                    .draw(&TriangleMarker::new(m.p(p, top), 7, color.filled()))
                    .de()?,
                Pt::Missing => {}
            }
        }
        Ok(())
    }
}

/// The point of `line` in column `j`.
fn point(line: &SpiderLine, j: usize) -> Pt {
    match line.values.get(j) {
        Some(Some(v)) if v.is_finite() => Pt::Value(*v),
        Some(None) => Pt::Beyond,
        _ => Pt::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> SpiderData {
        let pcts: Vec<f64> = (1..=9).map(|k| k as f64 * 10.0).collect();
        let line = |input: &str, slope: f64, curve: f64| SpiderLine {
            input: input.into(),
            values: pcts
                .iter()
                .map(|p| {
                    let v = 14.0 + slope * (p - 50.0) / 40.0 + curve * ((p - 50.0) / 40.0).powi(2);
                    (v <= 36.0).then_some(v)
                })
                .collect(),
        };
        SpiderData {
            output_label: "payback (months)".into(),
            percentiles: pcts.clone(),
            horizon: Some(36.0),
            lines: vec![
                line("minutes saved per user per day", -6.0, 9.0),
                line("adoption rate", -5.0, 25.0),
                line("licence price per seat", 5.0, 1.0),
                line("implementation cost", 3.0, 0.0),
                line("hourly staff cost", -2.0, 0.5),
                line("churn of users", 0.6, 0.0),
            ],
        }
    }

    #[test]
    fn spider_chart_renders_png_and_svg() {
        let data = fake();
        assert!(
            data.lines[1].values[0].is_none(),
            "the fake data has a point beyond the horizon"
        );
        let png = spider_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("spider.png", &png);
        let svg = spider_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("spider.svg", &svg);
        check_svg(
            &svg,
            &[
                "how payback (months) responds to each input",
                "adoption rate",
                "P10",
                "P90",
                "horizon: 36 months",
            ],
        );
    }

    #[test]
    fn spider_chart_survives_edge_cases() {
        let base = fake();
        let cases = [
            SpiderData {
                lines: vec![],
                ..base.clone()
            },
            SpiderData {
                percentiles: vec![],
                ..base.clone()
            },
            SpiderData {
                percentiles: vec![50.0],
                lines: vec![SpiderLine {
                    input: "x".into(),
                    values: vec![Some(1.0)],
                }],
                ..base.clone()
            },
            SpiderData {
                lines: vec![SpiderLine {
                    input: "x".into(),
                    values: vec![None; 9],
                }],
                horizon: None,
                ..base.clone()
            },
            SpiderData {
                percentiles: vec![f64::NAN, 10.0, 90.0],
                lines: vec![SpiderLine {
                    input: "x".into(),
                    values: vec![Some(f64::NAN)],
                }],
                ..base.clone()
            },
            SpiderData {
                lines: vec![SpiderLine {
                    input: "x".into(),
                    values: vec![Some(3.0); 9],
                }],
                ..base.clone()
            },
        ];
        renders_all(&cases, spider_chart);
    }
}
