//! Horizontal bar charts: one row per name (first on top), names at the left, bars along x.

use plotters::coord::Shift;

use super::*;

/// Row `i` of `n` in a horizontal bar chart, as a y value (row 0 on top).
pub(crate) fn row_y(i: usize, n: usize) -> f64 {
    n.saturating_sub(1 + i) as f64
}

/// Width of the row-label column for these names (at most 300 px).
pub(crate) fn row_label_width(names: &[String]) -> i32 {
    names
        .iter()
        .map(|n| text_width(n, LABEL_SIZE))
        .max()
        .unwrap_or(0)
        .clamp(40, 300)
}

/// The x axis of a horizontal bar chart and the rows along y.
pub(crate) struct BarAxis<'a> {
    /// Row names, first on top (may be Chinese).
    pub names: &'a [String],
    /// The plotted x range.
    pub x: (f64, f64),
    /// Where the x ticks and grid lines are.
    pub ticks: Vec<f64>,
    /// Tick labels.
    pub fmt: &'a dyn Fn(&f64) -> String,
    /// The x axis description.
    pub desc: &'a str,
    /// Pixels between the area's top and the plot.
    pub margin_top: i32,
}

impl<'a> BarAxis<'a> {
    /// Values in `span` with labels `room` pixels wide right of the bars, on a plot `plot_px`
    /// pixels across ([`bar_plot_px`]): the range widened so the labels fit, and about six
    /// ticks over `span` whose labels fit side by side.
    pub fn with_room(
        names: &'a [String],
        span: (f64, f64),
        (room, plot_px): (i32, i32),
        fmt: &'a dyn Fn(&f64) -> String,
        desc: &'a str,
    ) -> Self {
        let (lo, hi) = span;
        let x = (lo, hi + room_for(room, hi - lo, plot_px));
        let tick_px = (plot_px as f64 * (hi - lo) / (x.1 - x.0)) as i32;
        let (ticks, _) = fitted_ticks(lo, hi, 6, tick_px, fmt);
        BarAxis {
            names,
            x,
            ticks,
            fmt,
            desc,
            margin_top: 12,
        }
    }
}

/// Pixels across the plot of a bar chart with these row names: the canvas less the name
/// column and the margins.
pub(crate) fn bar_plot_px(names: &[String]) -> i32 {
    SIZE.0 as i32 - row_label_width(names) - 90
}

/// Builds a horizontal bar chart on `area`: one row per name (first on top), the x axis of
/// `axis`, names drawn at the left. Returns the pixel mapping (y in row units: row `i` is
/// at [`row_y`]).
pub(crate) fn hbar_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    axis: BarAxis,
) -> DrawResult<Mapper> {
    let names = axis.names;
    let n = names.len().max(1);
    let label_w = row_label_width(names);
    let (x, y) = (axis.x, (-0.5, n as f64 - 0.5));
    let mut chart = ChartBuilder::on(area)
        .margin_top(axis.margin_top)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(label_w + 18)
        .build_cartesian_2d(
            Axis::new(x.0, x.1, axis.ticks),
            Axis::new(y.0, y.1, Vec::new()),
        )
        .de()?;
    draw_mesh(
        &mut chart,
        axis.desc,
        "",
        axis.fmt,
        &|_| String::new(),
        Grid { x: true, y: false },
    )?;
    let m = Mapper::new(&chart, x, y);
    let row_h = (m.bottom() - m.top()) as f64 / n as f64;
    let size = LABEL_SIZE.min((row_h * 0.8).max(9.0));
    for (i, name) in names.iter().enumerate() {
        let text = ellipsize(name, size, label_w);
        draw_text(
            root,
            &text,
            (m.left() - 10, m.yp(row_y(i, names.len()))),
            size,
            INK,
            CENTER_RIGHT,
        )?;
    }
    Ok(m)
}

/// One bar of [`draw_bars`]: from zero to `value`, with `label` beyond its end.
pub(crate) struct Bar {
    /// Where the bar ends, in data units.
    pub value: f64,
    /// Its fill.
    pub color: RGBAColor,
    /// Written beyond the end.
    pub label: String,
}

/// Width of the widest bar label, in pixels.
pub(crate) fn widest_label(bars: &[Bar]) -> i32 {
    bars.iter()
        .map(|b| text_width(&b.label, LABEL_SIZE))
        .max()
        .unwrap_or(0)
}

/// Draws one bar per row (row `i` at [`row_y`]) from the zero line to its value, `share` of
/// the row high, with its label beyond the end (right of a bar reaching right, left of one
/// reaching left), then the zero line over them.
pub(crate) fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    bars: &[Bar],
    share: f64,
) -> DrawResult {
    let n = bars.len();
    let half = bar_half(m, n, share);
    let zero = m.xp(0.0);
    for (i, b) in bars.iter().enumerate() {
        let y = m.yp(row_y(i, n));
        let px = m.xp(b.value);
        fill_bar(root, (zero, px), (y - half, y + half), b.color)?;
        if b.value >= 0.0 {
            draw_text(
                root,
                &b.label,
                (px.max(zero) + 6, y),
                LABEL_SIZE,
                INK,
                CENTER_LEFT,
            )?;
        } else {
            draw_text(root, &b.label, (px - 6, y), LABEL_SIZE, INK, CENTER_RIGHT)?;
        }
    }
    value_line(root, m, zero, 1)
}

/// The left and right pixel columns of a bar between `from` and `to`: at least a pixel wide.
pub(crate) fn bar_ends(from: i32, to: i32) -> (i32, i32) {
    let left = from.min(to);
    (left, from.max(to).max(left + 1))
}

/// A filled bar between the pixel columns `from` and `to` ([`bar_ends`]), rows `y0..y1`.
pub(crate) fn fill_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (from, to): (i32, i32),
    (y0, y1): (i32, i32),
    color: RGBAColor,
) -> DrawResult {
    let (a, b) = bar_ends(from, to);
    root.draw(&Rectangle::new([(a, y0), (b, y1)], color.filled()))
        .de()
}

/// An interval whisker from pixel column `a` to `b` at row `y`, with caps `cap` pixels
/// above and below each end.
pub(crate) fn whisker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (a, b): (i32, i32),
    y: i32,
    cap: i32,
) -> DrawResult {
    root.draw(&PathElement::new(vec![(a, y), (b, y)], INK.stroke_width(2)))
        .de()?;
    for x in [a, b] {
        root.draw(&PathElement::new(
            vec![(x, y - cap), (x, y + cap)],
            INK.stroke_width(2),
        ))
        .de()?;
    }
    Ok(())
}

/// A bar with an interval whisker, as in Sobol indices and TCO by category.
pub(crate) struct WhiskerBar {
    /// Where the bar ends, in data units.
    pub value: f64,
    /// The interval's ends (either non-finite: no whisker).
    pub interval: (f64, f64),
    /// The bar's fill.
    pub color: RGBAColor,
    /// Written right of the bar and whisker.
    pub label: String,
}

/// Draws `bar` from the zero line over the pixel rows `y0..y1`, its whisker across the
/// middle row with caps `cap` pixels high, and its label `gap` pixels right of whichever of
/// bar and whisker ends further right, at text size `size`.
pub(crate) fn draw_whisker_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    bar: &WhiskerBar,
    (y0, y1): (i32, i32),
    cap: i32,
    (gap, size): (i32, f64),
) -> DrawResult {
    let (zero, px) = (m.xp(0.0), m.xp(bar.value));
    let ym = (y0 + y1) / 2;
    fill_bar(root, (zero, px), (y0, y1), bar.color)?;
    let mut right = px.max(zero);
    let (a, b) = bar.interval;
    if a.is_finite() && b.is_finite() {
        let (pa, pb) = (m.xp(a.min(b)), m.xp(a.max(b)));
        whisker(root, (pa, pb), ym, cap)?;
        right = right.max(pb);
    }
    draw_text(root, &bar.label, (right + gap, ym), size, INK, CENTER_LEFT)
}

/// The line the bars start from (zero, a base case) at pixel column `x`, the plot's height.
pub(crate) fn value_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    x: i32,
    width: u32,
) -> DrawResult {
    root.draw(&PathElement::new(
        vec![(x, m.top()), (x, m.bottom())],
        INK.stroke_width(width),
    ))
    .de()
}

/// Half the height of a bar in pixels, given the rows' pixel pitch and a share of it.
pub(crate) fn bar_half(m: &Mapper, n: usize, share: f64) -> i32 {
    let pitch = (m.bottom() - m.top()) as f64 / n.max(1) as f64;
    ((pitch * share / 2.0).round() as i32).clamp(1, 30)
}

/// Data width that leaves `px` pixels of room on a plot spanning `span` data units over
/// `plot_px` pixels: the extra span to add so labels fit beside bars.
pub(crate) fn room_for(px: i32, span: f64, plot_px: i32) -> f64 {
    let share = (px as f64 / plot_px.max(1) as f64).clamp(0.0, 0.45);
    span * share / (1.0 - share)
}
