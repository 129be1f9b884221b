//! Payback period: histogram of payback months, the cumulative "paid back by month t" curve,
//! P10/P50/P90 markers, the 12/24-month thresholds and an explicit "no payback" bar.

use super::*;
use crate::format::{months, percent};

/// Inputs of [`payback_chart`].
#[derive(Clone, Debug)]
pub struct PaybackData {
    /// Simulation horizon in months.
    pub horizon: f64,
    /// Finite payback months of a sample of trials, each in `[0, horizon]`. Only trials that
    /// pay back; the histogram scales them to `1 - censored_share` of all trials.
    pub values: Vec<f64>,
    /// Share of all trials that do not pay back within the horizon.
    pub censored_share: f64,
    /// 10th percentile of payback; `None` = beyond the horizon.
    pub p10: Option<f64>,
    /// Median payback; `None` = beyond the horizon.
    pub p50: Option<f64>,
    /// 90th percentile of payback; `None` = beyond the horizon.
    pub p90: Option<f64>,
    /// P(payback ≤ 12 months), over all trials.
    pub prob_within_12: f64,
    /// P(payback ≤ 24 months), over all trials.
    pub prob_within_24: f64,
    /// Whether paybacks use discounted cash flows.
    pub discounted: bool,
}

/// Draws the payback-period chart. See the module docs.
///
/// # Errors
/// [`ChartError::Draw`] if the horizon is not a positive number, or plotters fails;
/// [`ChartError::Font`]/[`ChartError::Encode`] as for every chart.
pub fn payback_chart(
    data: &PaybackData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&PaybackChart { data, meta }, format)
}

struct PaybackChart<'a> {
    data: &'a PaybackData,
    meta: &'a ChartMeta,
}

/// Bin width in months: 0.5 up to 24 months, 1 up to 120, then wider so there are at most
/// about 120 bins.
fn bin_width(horizon: f64) -> f64 {
    if horizon <= 24.0 {
        0.5
    } else if horizon <= 120.0 {
        1.0
    } else {
        (horizon / 120.0).ceil()
    }
}

/// Tick step for a month axis: calendar-friendly steps (3, 6, 12 months…) with at most ~12 ticks.
pub(crate) fn month_step(span: f64) -> f64 {
    for step in [
        0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 60.0, 120.0, 240.0, 600.0, 1200.0,
    ] {
        if span / step <= 12.0 {
            return step;
        }
    }
    nice_step(span, 10)
}

/// Paybacks of a sample of trials, read as "share of all trials paid back by month t".
pub(crate) struct PaidBack {
    /// The finite paybacks, clamped to the horizon and sorted.
    values: Vec<f64>,
    /// Share of all trials that pay back within the horizon.
    paying: f64,
}

impl PaidBack {
    /// The sample `values` of the trials that pay back within the horizon `h`, and the share
    /// of all trials that do not.
    pub fn new(values: &[f64], censored_share: f64, h: f64) -> Self {
        let mut values: Vec<f64> = values
            .iter()
            .filter(|v| v.is_finite())
            .map(|&v| clamp(v, 0.0, h))
            .collect();
        values.sort_by(f64::total_cmp);
        PaidBack {
            values,
            paying: 1.0 - clamp(censored_share, 0.0, 1.0),
        }
    }

    /// Share of all trials paid back by month `t` (0 without a sample).
    pub fn by(&self, t: f64) -> f64 {
        let n = self.values.len();
        if n == 0 {
            return 0.0;
        }
        let k = self.values.partition_point(|&v| v <= t);
        k as f64 / n as f64 * self.paying
    }

    /// Share of all trials paid back within the horizon (0 without a sample).
    pub fn total(&self) -> f64 {
        if self.values.is_empty() {
            0.0
        } else {
            self.paying
        }
    }

    /// Share of all trials, in percent, paying back in each bin of `bin` months up to the
    /// horizon `h` (the last bin may be shorter).
    pub fn histogram(&self, bin: f64, h: f64) -> Vec<f64> {
        let n = self.values.len();
        let n_bins = ((h / bin).ceil() as usize).max(1);
        let mut counts = vec![0usize; n_bins];
        for &v in &self.values {
            counts[((v / bin) as usize).min(n_bins - 1)] += 1;
        }
        counts
            .iter()
            .map(|&c| {
                if n == 0 {
                    0.0
                } else {
                    c as f64 / n as f64 * self.paying * 100.0
                }
            })
            .collect()
    }

    /// The curve of [`PaidBack::by`] in percent from month 0 to `h`, in 400 steps, as
    /// pixel points of `m`.
    pub fn curve(&self, h: f64, m: &Mapper) -> Vec<(i32, i32)> {
        let steps = 400;
        (0..=steps)
            .map(|i| {
                let t = h * i as f64 / steps as f64;
                m.p(t, self.by(t) * 100.0)
            })
            .collect()
    }
}

impl Chart for PaybackChart<'_> {
    const NAME: &'static str = "payback";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let title = titled(
            self.meta,
            if d.discounted {
                "discounted payback period"
            } else {
                "payback period"
            },
        );
        let h = d.horizon;
        if !(h.is_finite() && h > 0.0 && h <= 1e6) {
            return Err(format!(
                "the horizon must be a positive number of months, got {h}"
            ));
        }
        let paid = PaidBack::new(&d.values, d.censored_share, h);
        let bin = bin_width(h);
        let shares = paid.histogram(bin, h);
        let max_bin = shares.iter().copied().fold(0.0, f64::max);
        let area = frame(root, self.meta, &title, &self.subtitle())?;
        let bin_text = if bin == 0.5 {
            "half-month".to_string()
        } else if bin == 1.0 {
            "month".to_string()
        } else {
            format!("{}-month bin", whole_months(bin))
        };
        let plot_area = legend_above(
            &area,
            &[
                (
                    Swatch::Box(BLUE.mix(0.75)),
                    format!("trials paying back in each {bin_text} (left axis)"),
                ),
                (
                    Swatch::Line(NAVY, 3),
                    "paid back by month t (right axis)".to_string(),
                ),
                (Swatch::Box(RED.mix(0.75)), "no payback".to_string()),
            ],
        )?;

        let censored = clamp(d.censored_share, 0.0, 1.0);
        let y_top = y_top(max_bin, censored);
        let (m, s) = draw_axes(&plot_area, h, y_top, &bin_text)?;
        draw_zones(root, &m, h, y_top)?;
        for (i, &share) in shares.iter().enumerate() {
            let bin_x = (i as f64 * bin, ((i + 1) as f64 * bin).min(h));
            histogram_bar(root, &m, bin_x, share, BLUE.mix(0.75))?;
        }
        self.draw_no_payback(root, &m, y_top)?;
        // Separate the horizon from the "no payback" column.
        dashed_vline(root, &m, m.xp(h), FAINT.stroke_width(1))?;

        // Threshold lines; their probabilities are labelled with the percentile markers.
        let mut marks = Vec::new();
        for (t, p, color) in [
            (12.0, d.prob_within_12, GREEN),
            (24.0, d.prob_within_24, AMBER),
        ] {
            if t > h {
                continue;
            }
            let x = m.xp(t);
            dashed_vline(root, &m, x, color.stroke_width(2))?;
            let text = format!("P(≤{}) = {}", whole_months(t), percent(p));
            marks.push((x, text, darker(color)));
        }
        root.draw(&PathElement::new(paid.curve(h, &s), NAVY.stroke_width(3)))
            .de()?;
        let beyond = self.draw_percentiles(root, &m, &mut marks)?;
        self.draw_curve_end(root, &m, &s, 1.0 - censored, &marks)?;
        if !beyond.is_empty() {
            let text = format!("{} > {} months", beyond.join(", "), whole_months(h));
            marks.push((m.xp(h), text, INK));
        }
        draw_marker_labels(root, &m, &marks)
    }
}

/// Top of the share axis: room above the tallest bin, and for the "no payback" bar unless
/// it is far taller (it is then drawn broken); never far past 100%.
fn y_top(max_bin: f64, censored: f64) -> f64 {
    let mut y_top = if max_bin > 0.0 {
        (max_bin * 1.3).max((censored * 100.0 * 1.12).min(max_bin * 2.5))
    } else {
        (censored * 100.0 * 1.15).max(10.0)
    };
    y_top = y_top.min(105.0_f64.max(max_bin));
    if !(y_top.is_finite() && y_top > 0.0) {
        y_top = 10.0;
    }
    y_top
}

/// The axes: months along x (running past the horizon `h` to make room for the "no payback"
/// bar), the share per bin on the left, the share paid back on the right. Returns the
/// mappings of the left and the right axis.
fn draw_axes<DB: DrawingBackend>(
    plot_area: &DrawingArea<DB, Shift>,
    h: f64,
    y_top: f64,
    bin_text: &str,
) -> DrawResult<(Mapper, Mapper)> {
    let x_max = h * NO_PAYBACK_X.2;
    let (y_ticks, y_step) = nice_ticks(0.0, y_top, 6);
    let x_step = month_step(h);
    let x_ticks = ticks_with_step(0.0, h, x_step);
    let mut chart = ChartBuilder::on(plot_area)
        .margin_top(44)
        .margin_right(8)
        .x_label_area_size(52)
        .y_label_area_size(label_area(widest(
            y_ticks.iter().map(|v| tick_percent(*v, y_step)),
        )))
        .right_y_label_area_size(label_area(widest(["100%".to_string()])))
        .build_cartesian_2d(
            Axis::new(0.0, x_max, x_ticks),
            Axis::new(0.0, y_top, y_ticks.clone()),
        )
        .de()?
        .set_secondary_coord(
            Axis::new(0.0, x_max, Vec::new()),
            Axis::new(0.0, 105.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
        );
    draw_mesh(
        &mut chart,
        "months after go-live",
        &format!("share of trials per {bin_text} (%)"),
        &|v| tick_number(*v, x_step),
        &|v| tick_percent(*v, y_step),
        Grid { x: false, y: true },
    )?;
    chart
        .configure_secondary_axes()
        .axis_style(AXIS.stroke_width(1))
        .label_style(chart_font(TICK_SIZE).color(&MUTED))
        .axis_desc_style(chart_font(AXIS_DESC_SIZE).color(&MUTED))
        .y_desc("paid back by month t (% of trials)")
        .y_label_formatter(&|v| format!("{v:.0}%"))
        .draw()
        .de()?;
    let m = Mapper::new(&chart, (0.0, x_max), (0.0, y_top));
    let s = Mapper {
        y: (0.0, 105.0),
        ..m
    };
    Ok((m, s))
}

/// The "no payback" bar's left and right edges and the x axis's end, as multiples of the
/// horizon.
const NO_PAYBACK_X: (f64, f64, f64) = (1.045, 1.135, 1.17);

/// Threshold zones: green up to 12 months, amber 12–24, red beyond 24.
fn draw_zones<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    h: f64,
    y_top: f64,
) -> DrawResult {
    let bands = [
        (0.0, 12.0, GREEN, 0.07),
        (12.0, 24.0, AMBER, 0.08),
        (24.0, h, RED, 0.06),
    ];
    for (a, b, color, alpha) in bands {
        let (a, b): (f64, f64) = (a, b);
        let (a, b) = (a.min(h), b.min(h));
        if b > a {
            root.draw(&Rectangle::new(
                [m.p(a, y_top), m.p(b, 0.0)],
                color.mix(alpha).filled(),
            ))
            .de()?;
        }
    }
    Ok(())
}

impl PaybackChart<'_> {
    /// The headline probabilities, and the median.
    fn subtitle(&self) -> [String; 2] {
        let d = self.data;
        let hs = whole_months(d.horizon);
        let mut facts = Vec::new();
        if d.horizon >= 12.0 {
            facts.push(format!(
                "P(payback ≤ 12 months) = {}",
                percent(d.prob_within_12)
            ));
        }
        if d.horizon >= 24.0 {
            facts.push(format!("P(≤ 24 months) = {}", percent(d.prob_within_24)));
        }
        facts.push(format!(
            "{} do not pay back within {hs} months",
            percent(d.censored_share)
        ));
        let median = match d.p50 {
            Some(m) if m.is_finite() => format!("median payback {} months", months(m)),
            _ => format!("median payback beyond {hs} months"),
        };
        [facts.join("  ·  "), median]
    }

    /// The "no payback" bar right of the horizon, always labelled (also at 0%); broken when
    /// taller than the axis.
    fn draw_no_payback<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        y_top: f64,
    ) -> DrawResult {
        let h = self.data.horizon;
        let c_pct = clamp(self.data.censored_share, 0.0, 1.0) * 100.0;
        let (bx0, bx1) = (m.xp(h * NO_PAYBACK_X.0), m.xp(h * NO_PAYBACK_X.1));
        let broken = c_pct > y_top;
        let top_px = m.yp(c_pct.min(y_top));
        if c_pct > 0.0 {
            root.draw(&Rectangle::new(
                [(bx0, top_px), (bx1, m.yp(0.0))],
                RED.mix(0.75).filled(),
            ))
            .de()?;
        } else {
            root.draw(&PathElement::new(
                vec![(bx0, m.yp(0.0)), (bx1, m.yp(0.0))],
                RED.stroke_width(3),
            ))
            .de()?;
        }
        if broken {
            for dy in [14, 20] {
                root.draw(&PathElement::new(
                    vec![(bx0 - 2, top_px + dy + 4), (bx1 + 2, top_px + dy - 4)],
                    WHITE.stroke_width(3),
                ))
                .de()?;
            }
        }
        let (label_y, label_anchor) = if broken {
            (top_px + 30, TOP_CENTER)
        } else {
            (top_px - 4, BOTTOM_CENTER)
        };
        let text = percent(self.data.censored_share);
        let pos = ((bx0 + bx1) / 2, label_y);
        draw_boxed_text(root, &text, (pos, label_anchor), LABEL_SIZE, RED)?;
        let text = format!("> {} months", whole_months(h));
        let pos = ((bx0 + bx1) / 2, m.bottom() + 9);
        draw_text(root, &text, pos, TICK_SIZE, RED, TOP_CENTER)
    }

    /// P10, P50 and P90 within the horizon as dashed lines, their labels added to `marks`;
    /// returns the names of those beyond it.
    fn draw_percentiles<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        marks: &mut Vec<(i32, String, RGBColor)>,
    ) -> DrawResult<Vec<&'static str>> {
        let d = self.data;
        let mut beyond = Vec::new();
        for (name, p) in [("P10", d.p10), ("P50", d.p50), ("P90", d.p90)] {
            match p {
                Some(v) if v.is_finite() && v <= d.horizon => {
                    let x = m.xp(v);
                    let width = if name == "P50" { 2 } else { 1 };
                    dashed_vline(root, m, x, MARKER.stroke_width(width))?;
                    marks.push((x, format!("{name} {}", months(v)), INK));
                }
                _ => beyond.push(name),
            }
        }
        Ok(beyond)
    }

    /// The curve's end value at the horizon, where no vertical line crosses it (the "no
    /// payback" column says the same from the other side).
    fn draw_curve_end<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        s: &Mapper,
        paying: f64,
        marks: &[(i32, String, RGBColor)],
    ) -> DrawResult {
        let h = self.data.horizon;
        let end = paying * 100.0;
        let end_text = format!("{} by month {}", percent(paying), whole_months(h));
        let w = text_width(&end_text, LABEL_SIZE);
        let x1 = m.xp(h) - 6;
        if marks.iter().any(|k| k.0 >= x1 - w - 4 && k.0 <= x1 + 4) {
            return Ok(());
        }
        let (dy, anchor) = if end > 90.0 {
            (18, TOP_RIGHT)
        } else {
            (-8, BOTTOM_RIGHT)
        };
        draw_boxed_text(
            root,
            &end_text,
            ((x1, s.yp(end) + dy), anchor),
            LABEL_SIZE,
            NAVY,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    /// `n` lognormal paybacks (median `median` months), censored at `horizon`.
    pub(crate) fn fake(n: usize, horizon: f64, median: f64) -> PaybackData {
        let mut rng = Lcg(7);
        let mut all: Vec<f64> = (0..n)
            .map(|_| median * (0.45 * rng.normal()).exp())
            .collect();
        all.sort_by(f64::total_cmp);
        let q = |p: f64| Some(all[((n as f64 - 1.0) * p) as usize]).filter(|v| *v <= horizon);
        let share = |t: f64| all.iter().filter(|v| **v <= t).count() as f64 / n as f64;
        PaybackData {
            horizon,
            censored_share: 1.0 - share(horizon),
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            prob_within_12: share(12.0),
            prob_within_24: share(24.0),
            discounted: false,
            values: all.iter().copied().filter(|v| *v <= horizon).collect(),
        }
    }

    #[test]
    fn payback_chart_renders_png_and_svg() {
        let data = fake(5000, 36.0, 15.0);
        let png = payback_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("payback.png", &png);
        let svg = payback_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "Cloud office IM: payback period",
                "P50",
                "P10",
                "> 36 months",
                "P(≤12) = ",
                "months after go-live",
            ],
        );
        save("payback.svg", &svg);
    }

    #[test]
    fn payback_chart_marks_percentiles_beyond_the_horizon() {
        let mut data = fake(3000, 24.0, 25.0);
        data.discounted = true;
        let svg = payback_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "discounted payback period",
                "P50, P90 > 24 months",
                "> 24 months",
            ],
        );
        let png = payback_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("payback_censored.png", &png);
    }

    #[test]
    fn payback_chart_survives_edge_cases() {
        let base = fake(100, 36.0, 10.0);
        let cases = [
            PaybackData {
                values: vec![],
                censored_share: 1.0,
                p10: None,
                p50: None,
                p90: None,
                prob_within_12: 0.0,
                prob_within_24: 0.0,
                ..base.clone()
            },
            PaybackData {
                values: vec![7.0],
                ..base.clone()
            },
            PaybackData {
                values: vec![5.0; 50],
                p10: Some(5.0),
                p50: Some(5.0),
                p90: Some(5.0),
                ..base.clone()
            },
            PaybackData {
                values: vec![f64::NAN, 3.0, f64::INFINITY, -2.0, 99.0],
                censored_share: f64::NAN,
                p10: Some(f64::NAN),
                prob_within_12: f64::NAN,
                ..base.clone()
            },
            PaybackData {
                horizon: 6.0,
                ..base.clone()
            },
            PaybackData {
                horizon: 600.0,
                ..base.clone()
            },
            PaybackData {
                values: vec![],
                censored_share: 0.0,
                ..base.clone()
            },
        ];
        renders_all(&cases, payback_chart);
        let all_censored = payback_chart(&cases[0], &meta(), ChartFormat::Svg).unwrap();
        check_svg(&all_censored, &["100%", "> 36 months"]);
        save(
            "payback_all_censored.png",
            &payback_chart(&cases[0], &meta(), ChartFormat::Png).unwrap(),
        );
        save(
            "payback_single_value.png",
            &payback_chart(&cases[1], &meta(), ChartFormat::Png).unwrap(),
        );
        save(
            "payback_long_horizon.png",
            &payback_chart(&cases[5], &meta(), ChartFormat::Png).unwrap(),
        );
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            let err = payback_chart(
                &PaybackData {
                    horizon: bad,
                    ..base.clone()
                },
                &meta(),
                ChartFormat::Png,
            )
            .unwrap_err();
            assert!(
                matches!(
                    err,
                    ChartError::Draw {
                        chart: "payback",
                        ..
                    }
                ),
                "{err}"
            );
        }
    }
}
