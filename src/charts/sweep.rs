//! Parameter sweeps: the output's P50 with its P10–P90 band as one parameter varies, and a
//! heatmap of a probability over two parameters.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;

use super::grid::{Cell, CellSize, GridAxes, draw_grid};
use super::*;
use crate::format::percent;

/// Inputs of [`sweep_line_chart`].
#[derive(Clone, Debug)]
pub struct SweepLineData {
    /// The varied parameter, e.g. `"licence price (CNY/seat/month)"`.
    pub param: String,
    /// The output, e.g. `"payback (months)"`.
    pub output_label: String,
    /// Parameter values (x axis).
    pub x: Vec<f64>,
    /// Output percentiles at each x; `None` = beyond the horizon.
    pub p10: Vec<Option<f64>>,
    /// Median output at each x; `None` = beyond the horizon.
    pub p50: Vec<Option<f64>>,
    /// 90th percentile at each x; `None` = beyond the horizon.
    pub p90: Vec<Option<f64>>,
    /// Horizontal reference lines, e.g. `(12.0, "12 months")`.
    pub thresholds: Vec<(f64, String)>,
    /// Vertical markers, e.g. `(85.0, "median payback = 24 months")`.
    pub breakevens: Vec<(f64, String)>,
    /// Mean output at each x, drawn as a dashed line (empty: not drawn; payback has none).
    pub mean: Vec<f64>,
    /// The horizon, for payback: where a percentile beyond the horizon is drawn, so the y
    /// axis reaches it.
    pub horizon: Option<f64>,
}

/// Inputs of [`heatmap_chart`].
#[derive(Clone, Debug)]
pub struct HeatmapData {
    /// The parameter on the x axis.
    pub x_param: String,
    /// The parameter on the y axis.
    pub y_param: String,
    /// Values of the x parameter (columns).
    pub x: Vec<f64>,
    /// Values of the y parameter (rows, bottom to top).
    pub y: Vec<f64>,
    /// `z[iy][ix]`, shares in [0, 1].
    pub z: Vec<Vec<f64>>,
    /// What z is, e.g. `"P(payback ≤ 24 months)"`.
    pub z_label: String,
}

/// Draws the sweep line chart. `None` percentiles (beyond the horizon) are drawn at the top
/// edge: the band reaches the top, the median shows a hollow triangle there.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn sweep_line_chart(
    data: &SweepLineData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&SweepChart { data, meta }, format)
}

/// Draws the heatmap with a colour scale and each cell's value as a percentage (when the
/// cells are large enough to hold it).
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn heatmap_chart(
    data: &HeatmapData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&HeatmapChart { data, meta }, format)
}

struct SweepChart<'a> {
    data: &'a SweepLineData,
    meta: &'a ChartMeta,
}

/// A percentile at one x: a value, beyond the horizon, or missing (NaN or absent).
fn get(v: &[Option<f64>], i: usize) -> Option<Option<f64>> {
    match v.get(i) {
        Some(Some(x)) if x.is_finite() => Some(Some(*x)),
        Some(None) => Some(None),
        _ => None,
    }
}

impl Chart for SweepChart<'_> {
    const NAME: &'static str = "sweep";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let (out, param) = (self.output(), self.param());
        let title = titled(self.meta, &format!("{out} as {param} varies"));
        let mut idx: Vec<usize> = (0..d.x.len()).filter(|&i| d.x[i].is_finite()).collect();
        idx.sort_by(|&a, &b| d.x[a].total_cmp(&d.x[b]));
        if idx.is_empty() {
            return draw_no_data(root, self.meta, &title, "no sweep points to plot");
        }
        let pts = Points { d, idx };
        let area = frame(root, self.meta, &title, &[pts.subtitle()])?;
        let (lo, hi) = pts.y_range();
        let x = padded(
            Some((d.x[pts.idx[0]], d.x[pts.idx[pts.idx.len() - 1]])),
            0.02,
        );
        let fmt = |v: &f64| value_label(*v, style);
        let (x_ticks, _) = fitted_ticks(x.0, x.1, 8, 820, &fmt);
        let (y_ticks, _) = nice_ticks(lo, hi, 7);
        let m = Plot::new(
            PlotAxis::new(x, x_ticks, &fmt, param),
            PlotAxis::new((lo, hi), y_ticks, &fmt, out),
        )
        .margin(34, 20)
        .draw(&area)?;

        pts.draw_band(root, &m, hi)?;
        // Thresholds and break-evens (threshold labels are placed last, clear of the lines).
        let mut threshold_labels = Vec::new();
        for (v, label) in d
            .thresholds
            .iter()
            .filter(|t| t.0.is_finite() && t.0 >= lo && t.0 <= hi)
        {
            let py = m.yp(*v);
            dashed_line(root, (m.left(), py), (m.right(), py), AMBER.stroke_width(2))?;
            threshold_labels.push((py, label.as_str()));
        }
        let mut marks = Vec::new();
        for (v, label) in d
            .breakevens
            .iter()
            .filter(|b| b.0.is_finite() && b.0 >= x.0 && b.0 <= x.1)
        {
            let px = m.xp(*v);
            dashed_line(root, (px, m.top()), (px, m.bottom()), GREEN.stroke_width(2))?;
            marks.push((px, label.clone(), darker(GREEN)));
        }
        let mut paths: Vec<Vec<(i32, i32)>> = marks
            .iter()
            .map(|k| vec![(k.0, m.top()), (k.0, m.bottom())])
            .collect();
        paths.extend(pts.draw_lines(root, &m, hi)?);
        for (py, label) in threshold_labels {
            draw_threshold_label(root, &m, py, label, &paths)?;
        }
        draw_marker_labels(root, &m, &marks)
    }
}

impl SweepChart<'_> {
    /// The output's name, or words for it.
    fn output(&self) -> &str {
        match self.data.output_label.trim() {
            "" => "the output",
            out => out,
        }
    }

    /// The parameter's name, or words for it.
    fn param(&self) -> &str {
        match self.data.param.trim() {
            "" => "the parameter",
            param => param,
        }
    }
}

/// The sweep's points with a finite parameter value, in increasing order of it.
struct Points<'a> {
    d: &'a SweepLineData,
    idx: Vec<usize>,
}

impl Points<'_> {
    /// Whether some point of the percentile `v` lies beyond the horizon.
    fn beyond(&self, v: &[Option<f64>]) -> bool {
        self.idx.iter().any(|&i| get(v, i) == Some(None))
    }

    fn has_mean(&self) -> bool {
        self.d.mean.iter().any(|v| v.is_finite())
    }

    /// What the lines and the band are, and how points beyond the horizon are drawn.
    fn subtitle(&self) -> String {
        let d = self.d;
        let mut subtitle = if self.has_mean() {
            "solid line: median (P50)  ·  dashed line: mean  ·  band: 80% of trials (P10–P90)"
        } else {
            "line: median (P50)  ·  band: 80% of trials (P10–P90)"
        }
        .to_string();
        if self.beyond(&d.p10) || self.beyond(&d.p90) {
            subtitle.push_str("  ·  band up to the top: beyond the horizon");
        }
        if self.beyond(&d.p50) {
            subtitle.push_str("  ·  ▽ median beyond the horizon");
        }
        subtitle
    }

    /// The y range: every value, threshold and mean; up to the horizon (where values beyond
    /// it are drawn) when some are.
    fn y_range(&self) -> (f64, f64) {
        let d = self.d;
        let any_beyond = self.beyond(&d.p10) || self.beyond(&d.p50) || self.beyond(&d.p90);
        let finite: Vec<f64> = self
            .idx
            .iter()
            .flat_map(|&i| [get(&d.p10, i), get(&d.p50, i), get(&d.p90, i)])
            .filter_map(|v| v.flatten())
            .chain(d.thresholds.iter().map(|t| t.0).filter(|v| v.is_finite()))
            .chain(d.mean.iter().copied().filter(|v| v.is_finite()))
            .collect();
        let horizon = d.horizon.filter(|h| h.is_finite() && any_beyond);
        let (lo, mut hi) = padded(min_max(finite.iter().copied().chain(horizon)), 0.06);
        match horizon {
            // Beyond the horizon is drawn at the horizon, at the top of the axis.
            Some(h) => hi = h,
            None if any_beyond => hi += (hi - lo) * 0.06,
            None => {}
        }
        (lo, hi)
    }

    /// The P10–P90 band over runs of points where P10 exists; an end beyond the horizon
    /// reaches the top `hi`.
    fn draw_band<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        hi: f64,
    ) -> DrawResult {
        let d = self.d;
        let mut run: Vec<(f64, f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        for &i in &self.idx {
            match get(&d.p10, i) {
                Some(p10) => {
                    let low = p10.unwrap_or(hi);
                    let high = match get(&d.p90, i) {
                        Some(Some(v)) => v,
                        Some(None) => hi,
                        None => low,
                    };
                    run.push((d.x[i], low, high));
                }
                None => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for r in runs.iter().filter(|r| !r.is_empty()) {
            if r.len() == 1 {
                let (px, a, b) = (m.xp(r[0].0), m.yp(r[0].1), m.yp(r[0].2));
                root.draw(&Rectangle::new(
                    [(px - 3, a.min(b)), (px + 3, a.max(b))],
                    BLUE.mix(0.2).filled(),
                ))
                .de()?;
            } else {
                let mut poly: Vec<(i32, i32)> = r.iter().map(|p| m.p(p.0, p.2)).collect();
                poly.extend(r.iter().rev().map(|p| m.p(p.0, p.1)));
                root.draw(&Polygon::new(poly, BLUE.mix(0.2).filled()))
                    .de()?;
            }
        }
        Ok(())
    }

    /// The median (solid over runs of values, a hollow triangle at the top `hi` where it is
    /// beyond the horizon) and the mean (dashed); returns the pixel paths drawn.
    fn draw_lines<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        hi: f64,
    ) -> DrawResult<Vec<Vec<(i32, i32)>>> {
        let d = self.d;
        let mut line: Vec<(i32, i32)> = Vec::new();
        let mut lines = Vec::new();
        for &i in &self.idx {
            match get(&d.p50, i) {
                Some(Some(v)) => line.push(m.p(d.x[i], v)),
                other => {
                    lines.push(std::mem::take(&mut line));
                    if other == Some(None) {
                        let (px, py) = m.p(d.x[i], hi);
                        let pts = vec![
                            (px - 6, py + 2),
                            (px + 6, py + 2),
                            (px, py + 12),
                            (px - 6, py + 2),
                        ];
                        root.draw(&PathElement::new(pts, NAVY.stroke_width(2)))
                            .de()?;
                    }
                }
            }
        }
        lines.push(line);
        let mut paths = Vec::new();
        if self.has_mean() {
            let pts: Vec<(i32, i32)> = self
                .idx
                .iter()
                .filter_map(|&i| {
                    d.mean
                        .get(i)
                        .filter(|v| v.is_finite())
                        .map(|v| m.p(d.x[i], *v))
                })
                .collect();
            root.draw(&DashedPathElement::new(
                pts.clone(),
                6,
                4,
                PURPLE.stroke_width(2),
            ))
            .de()?;
            paths.push(pts);
        }
        for l in lines.into_iter().filter(|l| !l.is_empty()) {
            dotted_line(root, l.clone(), NAVY)?;
            paths.push(l);
        }
        Ok(paths)
    }
}

/// A threshold's label above (else below) its line at pixel row `py`, at the first place
/// along it that none of `paths` crosses.
fn draw_threshold_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    py: i32,
    label: &str,
    paths: &[Vec<(i32, i32)>],
) -> DrawResult {
    let w = text_width(label, LABEL_SIZE);
    let mut spots = (m.left() + 6..(m.right() - w - 6).max(m.left() + 7))
        .step_by(12)
        .flat_map(|x0| [((x0, py - 4), BOTTOM_LEFT), ((x0, py + 4), TOP_LEFT)]);
    let clear = |(pos, anchor): &((i32, i32), Pos)| {
        let b = text_box(label, *pos, LABEL_SIZE, *anchor);
        let b = (b.0 - 3, b.1 - 2, b.2 + 3, b.3 + 1);
        !paths
            .iter()
            .any(|p| crate::charts::layout::path_crosses(b, p))
    };
    let first = ((m.left() + 6, py - 4), BOTTOM_LEFT);
    let (pos, anchor) = spots.find(clear).unwrap_or(first);
    draw_boxed_text(root, label, (pos, anchor), LABEL_SIZE, darker(AMBER))
}

struct HeatmapChart<'a> {
    data: &'a HeatmapData,
    meta: &'a ChartMeta,
}

/// Sequential colour scale (light yellow → green → dark blue) for z in [0, 1].
pub(crate) fn heat_color(z: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 5] = [
        (0.0, (255.0, 255.0, 217.0)),
        (0.25, (199.0, 233.0, 180.0)),
        (0.5, (65.0, 182.0, 196.0)),
        (0.75, (34.0, 94.0, 168.0)),
        (1.0, (8.0, 29.0, 88.0)),
    ];
    let z = clamp(z, 0.0, 1.0);
    let k = STOPS
        .iter()
        .position(|s| s.0 >= z)
        .unwrap_or(STOPS.len() - 1)
        .max(1);
    let ((a, ca), (b, cb)) = (STOPS[k - 1], STOPS[k]);
    let t = if b > a { (z - a) / (b - a) } else { 0.0 };
    let mix = |u: f64, v: f64| (u + (v - u) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(ca.0, cb.0), mix(ca.1, cb.1), mix(ca.2, cb.2))
}

impl Chart for HeatmapChart<'_> {
    const NAME: &'static str = "heatmap";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let zl = if d.z_label.trim().is_empty() {
            "value"
        } else {
            d.z_label.trim()
        };
        let title = titled(
            self.meta,
            &format!("{zl} by {} and {}", d.x_param.trim(), d.y_param.trim()),
        );
        if d.x.is_empty() || d.y.is_empty() {
            return draw_no_data(root, self.meta, &title, "no grid to plot");
        }
        let area = frame(
            root,
            self.meta,
            &title,
            &["darker cells = higher values; each cell shows its value".to_string()],
        )?;
        let scale_w = 120;
        let (plot_area, _scale_area) =
            area.split_horizontally(area.dim_in_pixel().0 as i32 - scale_w);
        let axes = GridAxes {
            x_param: &d.x_param,
            y_param: &d.y_param,
            x: &d.x,
            y: &d.y,
            style: self.meta.number_style,
        };
        let m = draw_grid(root, &plot_area, &axes, &|ix, iy, size| {
            let z =
                d.z.get(iy)
                    .and_then(|r| r.get(ix))
                    .copied()
                    .unwrap_or(f64::NAN);
            heat_cell(z, size)
        })?;
        draw_heat_scale(root, &m, zl)
    }
}

/// A heat-map cell: its colour, and its value as a percentage when that fits.
fn heat_cell(z: f64, size: CellSize) -> Cell {
    let text = if !z.is_finite() {
        Some("n/a".to_string())
    } else if text_width(&percent(z), size.text) + 6 <= size.w {
        Some(percent(z))
    } else if text_width("100%", size.text) + 4 <= size.w {
        Some(format!("{:.0}%", clamp(z, 0.0, 1.0) * 100.0))
    } else {
        None
    };
    Cell {
        fills: vec![if z.is_finite() { heat_color(z) } else { GRID }],
        lines: text.into_iter().collect(),
        ink: if z.is_finite() && z > 0.55 {
            WHITE
        } else {
            INK
        },
        boxed: false,
    }
}

/// The colour scale right of the grid: a gradient bar with percent ticks and the z label.
fn draw_heat_scale<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    zl: &str,
) -> DrawResult {
    let (sx0, sx1) = (m.right() + 22, m.right() + 40);
    let (top, bottom) = (m.top(), m.bottom());
    let steps = 100;
    for k in 0..steps {
        let z0 = k as f64 / steps as f64;
        let ya = bottom - ((bottom - top) as f64 * z0) as i32;
        let yb = bottom - ((bottom - top) as f64 * (z0 + 1.0 / steps as f64)) as i32;
        root.draw(&Rectangle::new(
            [(sx0, yb), (sx1, ya)],
            heat_color(z0 + 0.5 / steps as f64).filled(),
        ))
        .de()?;
    }
    root.draw(&Rectangle::new(
        [(sx0, top), (sx1, bottom)],
        AXIS.stroke_width(1),
    ))
    .de()?;
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let yy = bottom - ((bottom - top) as f64 * t) as i32;
        root.draw(&PathElement::new(
            vec![(sx1, yy), (sx1 + 4, yy)],
            AXIS.stroke_width(1),
        ))
        .de()?;
        draw_text(
            root,
            &format!("{:.0}%", t * 100.0),
            (sx1 + 7, yy),
            TICK_SIZE,
            MUTED,
            CENTER_LEFT,
        )?;
    }
    let zl_short = ellipsize(zl, AXIS_DESC_SIZE, bottom - top);
    root.draw_text(
        &zl_short,
        &text_style(AXIS_DESC_SIZE, MUTED, TOP_CENTER).transform(FontTransform::Rotate270),
        (sx1 + 56, (top + bottom) / 2),
    )
    .de()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake_line() -> SweepLineData {
        let x: Vec<f64> = (0..=12).map(|k| 40.0 + 10.0 * k as f64).collect();
        let pay = |price: f64, z: f64| {
            let v = 8.0 * (1.0 + 0.35 * z) * (1.0 + ((price - 40.0) / 80.0).powi(2));
            (v <= 36.0).then_some(v)
        };
        SweepLineData {
            param: "licence price (CNY/seat/month)".into(),
            output_label: "payback (months)".into(),
            p10: x.iter().map(|&p| pay(p, -1.28)).collect(),
            p50: x.iter().map(|&p| pay(p, 0.0)).collect(),
            p90: x.iter().map(|&p| pay(p, 1.28)).collect(),
            thresholds: vec![(12.0, "12 months".into()), (24.0, "24 months".into())],
            breakevens: vec![(152.0, "median payback = 24 months at 152".into())],
            mean: Vec::new(),
            horizon: Some(36.0),
            x,
        }
    }

    pub(crate) fn fake_heatmap() -> HeatmapData {
        let x: Vec<f64> = (0..8).map(|k| 0.3 + 0.1 * k as f64).collect();
        let y: Vec<f64> = (0..6).map(|k| 60.0 + 15.0 * k as f64).collect();
        let z = y
            .iter()
            .map(|&price| {
                x.iter()
                    .map(|&adoption| clamp(1.6 * adoption - (price - 60.0) / 90.0, 0.0, 1.0))
                    .collect()
            })
            .collect();
        HeatmapData {
            x_param: "adoption rate".into(),
            y_param: "licence price (CNY/seat/month)".into(),
            x,
            y,
            z,
            z_label: "P(payback ≤ 24 months)".into(),
        }
    }

    #[test]
    fn sweep_line_chart_renders_png_and_svg() {
        let data = fake_line();
        assert!(
            data.p90.iter().any(|v| v.is_none()),
            "fake data reaches beyond the horizon"
        );
        let png = sweep_line_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("sweep_line.png", &png);
        let svg = sweep_line_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("sweep_line.svg", &svg);
        check_svg(
            &svg,
            &[
                "payback (months) as licence price (CNY/seat/month) varies",
                "12 months",
                "median payback = 24 months at 152",
            ],
        );
    }

    #[test]
    fn heatmap_chart_renders_png_and_svg() {
        let data = fake_heatmap();
        let png = heatmap_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("heatmap.png", &png);
        let svg = heatmap_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("heatmap.svg", &svg);
        check_svg(
            &svg,
            &[
                "P(payback ≤ 24 months) by adoption rate and licence price",
                "100%",
                "0%",
            ],
        );
    }

    #[test]
    fn sweep_charts_survive_edge_cases() {
        let base = fake_line();
        let lines = [
            SweepLineData {
                x: vec![],
                ..base.clone()
            },
            SweepLineData {
                x: vec![1.0],
                p10: vec![Some(1.0)],
                p50: vec![Some(1.0)],
                p90: vec![Some(1.0)],
                ..base.clone()
            },
            SweepLineData {
                x: vec![1.0, 2.0, 3.0],
                p10: vec![None; 3],
                p50: vec![None; 3],
                p90: vec![None; 3],
                thresholds: vec![],
                breakevens: vec![(f64::NAN, "x".into())],
                ..base.clone()
            },
            SweepLineData {
                x: vec![f64::NAN, 2.0, 2.0, 1.0],
                p10: vec![Some(f64::NAN)],
                p50: vec![],
                p90: vec![Some(5.0); 4],
                ..base.clone()
            },
        ];
        renders_all(&lines, sweep_line_chart);
        let hb = fake_heatmap();
        let maps = [
            HeatmapData {
                x: vec![],
                ..hb.clone()
            },
            HeatmapData {
                x: vec![1.0],
                y: vec![2.0],
                z: vec![vec![0.5]],
                ..hb.clone()
            },
            HeatmapData {
                z: vec![vec![f64::NAN, -3.0, 7.0]],
                ..hb.clone()
            },
            HeatmapData {
                x: (0..60).map(f64::from).collect(),
                y: (0..50).map(f64::from).collect(),
                z: vec![vec![0.3; 60]; 50],
                ..hb.clone()
            },
        ];
        renders_all(&maps, heatmap_chart);
    }
}
