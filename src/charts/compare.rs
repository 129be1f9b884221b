//! Comparing options: overlaid payback CDFs, and box plots of NPV side by side.

use plotters::coord::Shift;

use super::payback::{PaidBack, month_step};
use super::*;
use crate::charts::layout;
use crate::format::{money, percent};

/// Inputs of [`cdf_compare_chart`].
#[derive(Clone, Debug)]
pub struct CdfCompareData {
    /// Horizon in months.
    pub horizon: f64,
    /// One curve per option.
    pub options: Vec<CdfSeries>,
}

/// One option's payback distribution.
#[derive(Clone, Debug)]
pub struct CdfSeries {
    /// Option name (may be Chinese).
    pub name: String,
    /// Sorted finite paybacks of a sample (trials that pay back).
    pub values: Vec<f64>,
    /// Share of all trials not paying back within the horizon.
    pub censored_share: f64,
}

/// Inputs of [`box_compare_chart`].
#[derive(Clone, Debug)]
pub struct BoxCompareData {
    /// The y axis, e.g. `"NPV (CNY)"`.
    pub label: String,
    /// One box per option, left to right.
    pub options: Vec<BoxSeries>,
}

/// One option's distribution summary.
#[derive(Clone, Debug)]
pub struct BoxSeries {
    /// Option name (may be Chinese).
    pub name: String,
    /// 5th percentile (lower whisker).
    pub p5: f64,
    /// 25th percentile (box bottom).
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile (box top).
    pub p75: f64,
    /// 95th percentile (upper whisker).
    pub p95: f64,
    /// Mean (diamond).
    pub mean: f64,
}

/// Draws overlaid empirical CDFs of payback: y = share of all trials paid back by month t.
///
/// # Errors
/// [`ChartError::Draw`] if the horizon is not a positive number, or drawing fails.
pub fn cdf_compare_chart(
    data: &CdfCompareData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&CdfChart { data, meta }, format)
}

/// Draws side-by-side box plots (box P25–P75, whiskers P5–P95, median line, mean diamond)
/// with a zero line.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn box_compare_chart(
    data: &BoxCompareData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&BoxChart { data, meta }, format)
}

struct CdfChart<'a> {
    data: &'a CdfCompareData,
    meta: &'a ChartMeta,
}

impl Chart for CdfChart<'_> {
    const NAME: &'static str = "payback comparison";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let h = d.horizon;
        if !(h.is_finite() && h > 0.0 && h <= 1e6) {
            return Err(format!(
                "the horizon must be a positive number of months, got {h}"
            ));
        }
        let title = titled(self.meta, "payback of the options compared");
        if d.options.is_empty() {
            return draw_no_data(root, self.meta, &title, "no options to compare");
        }
        let subtitle = vec![
            "share of trials paid back by each month: higher and further left is better"
                .to_string(),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;
        let x_step = month_step(h);
        let x_fmt = |v: &f64| tick_number(*v, x_step);
        let y_fmt = |v: &f64| format!("{v:.0}%");
        let m = Plot::new(
            PlotAxis::new(
                (0.0, h),
                ticks_with_step(0.0, h, x_step),
                &x_fmt,
                "months after go-live",
            ),
            PlotAxis::new(
                (0.0, 105.0),
                vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0],
                &y_fmt,
                "paid back by month t (% of trials)",
            ),
        )
        .margin(30, 20)
        .draw(&area)?;

        let mut marks = Vec::new();
        for t in THRESHOLDS.into_iter().filter(|t| *t <= h) {
            let px = m.xp(t);
            dashed_vline(root, &m, px, AMBER.stroke_width(2))?;
            marks.push((px, format!("{} months", whole_months(t)), darker(AMBER)));
        }
        draw_marker_labels(root, &m, &marks)?;

        let mut items = Vec::new();
        let mut curves: Vec<Vec<(i32, i32)>> = Vec::new();
        // Per threshold: (pixel y, share) of each option at that month, for value labels.
        let mut at_marks: Vec<Vec<(i32, f64, RGBColor)>> = vec![Vec::new(); 2];
        for (i, opt) in d.options.iter().enumerate() {
            let color = series_color(i);
            let paid = PaidBack::new(&opt.values, opt.censored_share, h);
            let curve = paid.curve(h, &m);
            root.draw(&PathElement::new(curve.clone(), color.stroke_width(3)))
                .de()?;
            curves.push(curve);
            for (k, t) in THRESHOLDS.into_iter().enumerate() {
                if t <= h {
                    let share = paid.by(t);
                    at_marks[k].push((m.yp(share * 100.0), share, color));
                }
            }
            items.push((
                Swatch::Line(color, 3),
                format!(
                    "{}: {} by month {}",
                    opt.name,
                    percent(paid.total()),
                    whole_months(h)
                ),
            ));
        }
        draw_threshold_values(root, &m, at_marks, &curves)?;
        // Legend at the lower right, where rising curves leave room.
        let max_label = m.right() - m.left() - 80;
        let w = legend_box_width(&items, max_label);
        let h_box = 22 * items.len() as i32 + 10;
        legend_box(
            root,
            &items,
            (m.right() - w - 10, m.bottom() - h_box - 10),
            max_label,
        )?;
        Ok(())
    }
}

/// The months at which the options' shares paid back are written: 12 and 24.
const THRESHOLDS: [f64; 2] = [12.0, 24.0];

/// Each option's share at each threshold beside where its curve crosses the threshold:
/// below-right or above-left (corners a rising curve leaves free), the first crossed by no
/// curve and clear of the labels already placed. `at_marks[k]` holds (pixel row, share,
/// colour) of each option at threshold `k`.
fn draw_threshold_values<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    at_marks: Vec<Vec<(i32, f64, RGBColor)>>,
    curves: &[Vec<(i32, i32)>],
) -> DrawResult {
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    for (t, shares) in THRESHOLDS.into_iter().zip(at_marks) {
        let x = m.xp(t);
        for (y, share, color) in shares {
            let text = percent(share);
            let spots = [
                ((x + 5, y + 3), TOP_LEFT),
                ((x - 5, y - 3), BOTTOM_RIGHT),
                ((x + 5, y + 21), TOP_LEFT),
                ((x - 5, y - 21), BOTTOM_RIGHT),
            ];
            let clear = |(pos, anchor): &((i32, i32), Pos)| {
                let b = text_box(&text, *pos, LABEL_SIZE, *anchor);
                let b = (b.0 - 3, b.1 - 2, b.2 + 3, b.3 + 1);
                !curves.iter().any(|c| layout::path_crosses(b, c))
                    && !placed
                        .iter()
                        .any(|p| b.0 < p.2 && p.0 < b.2 && b.1 < p.3 && p.1 < b.3)
            };
            let (pos, anchor) = spots.iter().copied().find(clear).unwrap_or(spots[0]);
            placed.push(text_box(&text, pos, LABEL_SIZE, anchor));
            draw_boxed_text(root, &text, (pos, anchor), LABEL_SIZE, darker(color))?;
        }
    }
    Ok(())
}

struct BoxChart<'a> {
    data: &'a BoxCompareData,
    meta: &'a ChartMeta,
}

impl Chart for BoxChart<'_> {
    const NAME: &'static str = "option comparison";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let label = d.label.trim();
        let title = titled(
            self.meta,
            &format!(
                "{} by option",
                if label.is_empty() { "outcome" } else { label }
            ),
        );
        let opts: Vec<&BoxSeries> = d.options.iter().collect();
        if opts.is_empty() {
            return draw_no_data(root, self.meta, &title, "no options to compare");
        }
        let subtitle = vec![
            "box: middle 50% of trials (P25–P75)  ·  line: median  ·  whiskers: P5–P95  ·  ◆ mean"
                .to_string(),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;

        let all = opts
            .iter()
            .flat_map(|o| [o.p5, o.p25, o.p50, o.p75, o.p95, o.mean]);
        let y = padded(min_max(all.chain([0.0])), 0.06);
        let (y_ticks, _) = nice_ticks(y.0, y.1, 7);
        let n = opts.len();
        let y_fmt = |v: &f64| money(*v, style);
        let m = Plot::new(
            PlotAxis::new((-0.5, n as f64 - 0.5), Vec::new(), &|_| String::new(), ""),
            PlotAxis::new(y, y_ticks, &y_fmt, label),
        )
        .grid(false, true)
        .margin(16, 20)
        .x_label_area(56)
        .draw(&area)?;

        let slot = (m.right() - m.left()) / n as i32;
        let boxes = Boxes {
            m,
            slot,
            half: ((slot as f64 * 0.22) as i32).clamp(4, 70),
            zero: m.yp(0.0),
            style,
        };
        value_hline(root, &m, boxes.zero)?;
        for (i, o) in opts.iter().enumerate() {
            boxes.draw(root, i, o)?;
        }
        Ok(())
    }
}

/// A horizontal line across the plot at pixel row `y` (zero on a value axis).
fn value_hline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    y: i32,
) -> DrawResult {
    root.draw(&PathElement::new(
        vec![(m.left(), y), (m.right(), y)],
        INK.stroke_width(2),
    ))
    .de()
}

/// The geometry of the box plots.
struct Boxes {
    m: Mapper,
    /// Pixels per option.
    slot: i32,
    /// Half a box's width in pixels.
    half: i32,
    /// Pixel row of zero.
    zero: i32,
    style: NumberStyle,
}

impl Boxes {
    /// Option `i`: its name below the plot, whiskers P5–P95, box P25–P75, the median with
    /// its value and the mean as a diamond.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        i: usize,
        o: &BoxSeries,
    ) -> DrawResult {
        let (m, half) = (&self.m, self.half);
        let color = series_color(i);
        let cx = m.xp(i as f64);
        for (k, line) in wrap_lines(&o.name, LABEL_SIZE + 1.0, self.slot - 8, 2)
            .iter()
            .enumerate()
        {
            let pos = (cx, m.bottom() + 10 + 19 * k as i32);
            draw_text(root, line, pos, LABEL_SIZE + 1.0, INK, TOP_CENTER)?;
        }
        if o.p5.is_finite() && o.p95.is_finite() {
            self.draw_whiskers(root, cx, o)?;
        }
        if o.p25.is_finite() && o.p75.is_finite() {
            let (a, b) = (m.yp(o.p25), m.yp(o.p75));
            let corners = [(cx - half, a.min(b)), (cx + half, a.max(b))];
            root.draw(&Rectangle::new(corners, color.mix(0.35).filled()))
                .de()?;
            root.draw(&Rectangle::new(corners, color.stroke_width(2)))
                .de()?;
        }
        if o.p50.is_finite() {
            self.draw_median(root, cx, o.p50)?;
        }
        if o.mean.is_finite() {
            let (px, py) = m.p(i as f64, o.mean);
            let r = 6;
            let diamond = vec![(px, py - r), (px + r, py), (px, py + r), (px - r, py)];
            root.draw(&Polygon::new(diamond.clone(), PURPLE.filled()))
                .de()?;
            let mut outline = diamond;
            outline.push((px, py - r));
            root.draw(&PathElement::new(outline, WHITE.stroke_width(1)))
                .de()?;
        }
        Ok(())
    }

    /// Whiskers from P5 and P95 to the box (when there is one), with end caps.
    fn draw_whiskers<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        cx: i32,
        o: &BoxSeries,
    ) -> DrawResult {
        let m = &self.m;
        let (a, b) = (m.yp(o.p5), m.yp(o.p95));
        let (inner_a, inner_b) = if o.p25.is_finite() && o.p75.is_finite() {
            (m.yp(o.p25), m.yp(o.p75))
        } else {
            (a, a)
        };
        for (from, to) in [(a, inner_a), (inner_b, b)] {
            root.draw(&PathElement::new(
                vec![(cx, from), (cx, to)],
                INK.stroke_width(2),
            ))
            .de()?;
        }
        for yy in [a, b] {
            root.draw(&PathElement::new(
                vec![(cx - self.half / 2, yy), (cx + self.half / 2, yy)],
                INK.stroke_width(2),
            ))
            .de()?;
        }
        Ok(())
    }

    /// The median line across the box, and its value beside it (moved off the zero line
    /// when it would run through it).
    fn draw_median<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        cx: i32,
        p50: f64,
    ) -> DrawResult {
        let (half, zero) = (self.half, self.zero);
        let py = self.m.yp(p50);
        root.draw(&PathElement::new(
            vec![(cx - half, py), (cx + half, py)],
            INK.stroke_width(3),
        ))
        .de()?;
        let ly = if (py - zero).abs() >= 12 {
            py
        } else if py <= zero {
            zero - 12
        } else {
            zero + 12
        };
        draw_boxed_text(
            root,
            &format!("P50 {}", money(p50, self.style)),
            ((cx + half + 6, ly), CENTER_LEFT),
            LABEL_SIZE,
            INK,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake_cdf() -> CdfCompareData {
        let series = |name: &str, median: f64, seed: u64| {
            let mut rng = Lcg(seed);
            let all: Vec<f64> = (0..3000)
                .map(|_| median * (0.4 * rng.normal()).exp())
                .collect();
            let mut values: Vec<f64> = all.iter().copied().filter(|v| *v <= 36.0).collect();
            values.sort_by(f64::total_cmp);
            CdfSeries {
                name: name.into(),
                censored_share: 1.0 - values.len() as f64 / all.len() as f64,
                values,
            }
        };
        CdfCompareData {
            horizon: 36.0,
            options: vec![
                series("SaaS (per seat)", 13.0, 1),
                series("self-hosted", 21.0, 2),
                series("方案C：混合部署", 17.0, 3),
            ],
        }
    }

    pub(crate) fn fake_box() -> BoxCompareData {
        let b = |name: &str, c: f64, s: f64| BoxSeries {
            name: name.into(),
            p5: c - 1.64 * s,
            p25: c - 0.67 * s,
            p50: c,
            p75: c + 0.67 * s,
            p95: c + 1.64 * s,
            mean: c + 0.1 * s,
        };
        BoxCompareData {
            label: "NPV (CNY)".into(),
            options: vec![
                b("SaaS (per seat)", 620_000.0, 380_000.0),
                b("self-hosted", 240_000.0, 520_000.0),
                b("方案C：混合部署", 410_000.0, 300_000.0),
            ],
        }
    }

    #[test]
    fn cdf_compare_chart_renders_png_and_svg() {
        let data = fake_cdf();
        let png = cdf_compare_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("compare_cdf.png", &png);
        let svg = cdf_compare_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("compare_cdf.svg", &svg);
        check_svg(
            &svg,
            &[
                "payback of the options compared",
                "SaaS (per seat): ",
                "方案C：混合部署",
                "12 months",
                "24 months",
            ],
        );
    }

    #[test]
    fn box_compare_chart_renders_png_and_svg() {
        let data = fake_box();
        let png = box_compare_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("compare_box.png", &png);
        let svg = box_compare_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("compare_box.svg", &svg);
        check_svg(
            &svg,
            &[
                "NPV (CNY) by option",
                "self-hosted",
                "方案C：混合部署",
                "P50 620k",
            ],
        );
    }

    #[test]
    fn compare_charts_survive_edge_cases() {
        let cdfs = [
            CdfCompareData {
                horizon: 36.0,
                options: vec![],
            },
            CdfCompareData {
                horizon: 36.0,
                options: vec![CdfSeries {
                    name: "all censored".into(),
                    values: vec![],
                    censored_share: 1.0,
                }],
            },
            CdfCompareData {
                horizon: 6.0,
                options: vec![CdfSeries {
                    name: "odd".into(),
                    values: vec![f64::NAN, 3.0, 1e9, -1.0],
                    censored_share: f64::NAN,
                }],
            },
            CdfCompareData {
                horizon: 36.0,
                options: vec![CdfSeries {
                    name: "one".into(),
                    values: vec![5.0],
                    censored_share: 0.0,
                }],
            },
        ];
        renders_all(&cdfs, cdf_compare_chart);
        assert!(
            cdf_compare_chart(
                &CdfCompareData {
                    horizon: f64::NAN,
                    options: vec![]
                },
                &meta(),
                ChartFormat::Png
            )
            .is_err()
        );
        let nan_box = BoxSeries {
            name: "nan".into(),
            p5: f64::NAN,
            p25: f64::NAN,
            p50: f64::NAN,
            p75: 1.0,
            p95: f64::INFINITY,
            mean: f64::NAN,
        };
        let flat = BoxSeries {
            name: "flat".into(),
            p5: 0.0,
            p25: 0.0,
            p50: 0.0,
            p75: 0.0,
            p95: 0.0,
            mean: 0.0,
        };
        let boxes = [
            BoxCompareData {
                label: String::new(),
                options: vec![],
            },
            BoxCompareData {
                label: "NPV".into(),
                options: vec![flat],
            },
            BoxCompareData {
                label: "NPV".into(),
                options: vec![nan_box],
            },
            BoxCompareData {
                label: "NPV".into(),
                options: (0..25)
                    .map(|i| BoxSeries {
                        name: format!("option {i} with a long name"),
                        ..fake_box().options[0].clone()
                    })
                    .collect(),
            },
        ];
        renders_all(&boxes, box_compare_chart);
    }
}
