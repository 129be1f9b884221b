//! Which option leads as a parameter varies: each option's expected value as a line, the
//! leader at each grid point as a coloured strip along the top of the plot, and where the
//! lead changes hands.

use plotters::coord::Shift;

use super::*;

/// Inputs of [`leaders_chart`].
#[derive(Clone, Debug)]
pub struct LeadersData {
    /// The varied parameter (x axis).
    pub param: String,
    /// What the lines show, e.g. `"mean NPV (CNY)"`.
    pub output_label: String,
    /// What leading means, e.g. `"best option (highest mean NPV)"`.
    pub what: String,
    /// Parameter values.
    pub x: Vec<f64>,
    /// One line per option.
    pub options: Vec<LeaderSeries>,
    /// The leading option(s) at each x (several when they tie).
    pub leaders: Vec<Vec<usize>>,
    /// Where the lead changes: (parameter value, label).
    pub changes: Vec<(f64, String)>,
}

/// One option's values at each x.
#[derive(Clone, Debug)]
pub struct LeaderSeries {
    /// Short name (may be Chinese).
    pub name: String,
    /// Value at each x (NaN: not drawn).
    pub values: Vec<f64>,
}

/// Draws the chart.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn leaders_chart(
    data: &LeadersData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&LeadersChart { data, meta }, format)
}

struct LeadersChart<'a> {
    data: &'a LeadersData,
    meta: &'a ChartMeta,
}

/// Height of the strip of leaders, in pixels.
const STRIP: i32 = 14;

impl Chart for LeadersChart<'_> {
    const NAME: &'static str = "leaders";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let title = titled(self.meta, &format!("{} as {} varies", d.what, d.param));
        let idx: Vec<usize> = (0..d.x.len()).filter(|&i| d.x[i].is_finite()).collect();
        let values: Vec<f64> = d
            .options
            .iter()
            .flat_map(|o| idx.iter().filter_map(|&i| o.values.get(i).copied()))
            .filter(|v| v.is_finite())
            .collect();
        if idx.is_empty() || values.is_empty() {
            return draw_no_data(root, self.meta, &title, "no sweep points to plot");
        }
        let subtitle = vec![
            "lines: each option  ·  strip along the top: the leader at each point  ·  dashed: where the lead changes"
                .to_string(),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;
        let items: Vec<(Swatch, String)> = d
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| (Swatch::LineDot(series_color(i)), o.name.clone()))
            .collect();
        let plot_area = legend_above(&area, &items)?;

        let (lo, hi) = padded(min_max(values.iter().copied()), 0.06);
        // Headroom so no line runs through the strip.
        let hi = hi + (hi - lo) * 0.1;
        let xs: Vec<f64> = idx.iter().map(|&i| d.x[i]).collect();
        let x = padded(min_max(xs.iter().copied()), 0.02);
        let x_fmt = |v: &f64| value_label(*v, style);
        let y_fmt = |v: &f64| crate::format::money(*v, style);
        let (x_ticks, _) = fitted_ticks(x.0, x.1, 8, 820, &x_fmt);
        let (y_ticks, _) = nice_ticks(lo, hi, 7);
        let m = Plot::new(
            PlotAxis::new(x, x_ticks, &x_fmt, &d.param),
            PlotAxis::new((lo, hi), y_ticks, &y_fmt, &d.output_label),
        )
        .margin(34, 20)
        .draw(&plot_area)?;

        draw_strip(root, &m, d, &idx)?;
        let mut marks = Vec::new();
        for (v, label) in d.changes.iter().filter(|c| c.0.is_finite()) {
            let px = m.xp(*v);
            dashed_line(
                root,
                (px, m.top() + STRIP + 2),
                (px, m.bottom()),
                MARKER.stroke_width(1),
            )?;
            marks.push((px, label.clone(), INK));
        }
        for (i, o) in d.options.iter().enumerate() {
            let color = series_color(i);
            let pts: Vec<(i32, i32)> = idx
                .iter()
                .filter_map(|&k| {
                    o.values
                        .get(k)
                        .filter(|v| v.is_finite())
                        .map(|v| m.p(d.x[k], *v))
                })
                .collect();
            dotted_line(root, pts, color)?;
        }
        draw_marker_labels(root, &m, &marks)
    }
}

/// The strip along the top of the plot: the leader at each point in its colour, each
/// point's cell reaching halfway to its neighbours; tied leaders share the cell, one stripe
/// each.
fn draw_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    d: &LeadersData,
    idx: &[usize],
) -> DrawResult {
    for (k, &i) in idx.iter().enumerate() {
        let left = if k == 0 {
            m.left()
        } else {
            (m.xp(d.x[idx[k - 1]]) + m.xp(d.x[i])) / 2
        };
        let right = match idx.get(k + 1) {
            Some(&j) => (m.xp(d.x[i]) + m.xp(d.x[j])) / 2,
            None => m.right(),
        };
        let lead = d.leaders.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let n = lead.len().max(1) as i32;
        for (t, &o) in lead.iter().enumerate() {
            let (y0, y1) = (
                m.top() + 1 + STRIP * t as i32 / n,
                m.top() + 1 + STRIP * (t as i32 + 1) / n,
            );
            root.draw(&Rectangle::new(
                [(left, y0), (right, y1)],
                series_color(o).filled(),
            ))
            .de()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> LeadersData {
        let x: Vec<f64> = (0..10).map(|k| 100.0 + 300.0 * k as f64).collect();
        let line = |a: f64, b: f64| x.iter().map(|u| a + b * u).collect::<Vec<f64>>();
        let options = vec![
            LeaderSeries {
                name: "A · buy-out".into(),
                values: line(-400_000.0, 900.0),
            },
            LeaderSeries {
                name: "B · 订阅".into(),
                values: line(100_000.0, 500.0),
            },
        ];
        let leaders = (0..x.len())
            .map(|i| {
                if options[0].values[i] > options[1].values[i] {
                    vec![0]
                } else {
                    vec![1]
                }
            })
            .collect();
        LeadersData {
            param: "users".into(),
            output_label: "mean NPV (CNY)".into(),
            what: "best option (highest mean NPV)".into(),
            x,
            options,
            leaders,
            changes: vec![(1250.0, "B → A at 1,250".into())],
        }
    }

    #[test]
    fn leaders_chart_renders_png_and_svg() {
        let data = fake();
        let png = leaders_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("leaders.png", &png);
        let svg = leaders_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "best option (highest mean NPV) as users varies",
                "B → A at 1,250",
                "B · 订阅",
            ],
        );
    }

    #[test]
    fn leaders_chart_survives_edge_cases() {
        let empty = LeadersData {
            x: vec![],
            ..fake()
        };
        let nan = LeadersData {
            options: vec![LeaderSeries {
                name: "x".into(),
                values: vec![f64::NAN; 10],
            }],
            ..fake()
        };
        let short = LeadersData {
            leaders: vec![],
            changes: vec![(f64::NAN, "n".into())],
            ..fake()
        };
        renders_all(&[empty, nan, short], leaders_chart);
    }
}
