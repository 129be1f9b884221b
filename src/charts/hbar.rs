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

/// Builds a horizontal bar chart on `area`: one row per name (first on top), x from `x.0` to
/// `x.1` with grid lines at `x_ticks`, names drawn at the left. Returns the pixel mapping
/// (y in row units: row `i` is at [`row_y`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn hbar_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    names: &[String],
    x: (f64, f64),
    x_ticks: Vec<f64>,
    x_fmt: &dyn Fn(&f64) -> String,
    x_desc: &str,
    margin_top: i32,
) -> DrawResult<Mapper> {
    let n = names.len().max(1);
    let label_w = row_label_width(names);
    let y = (-0.5, n as f64 - 0.5);
    let mut chart = ChartBuilder::on(area)
        .margin_top(margin_top)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(label_w + 18)
        .build_cartesian_2d(
            Axis::new(x.0, x.1, x_ticks),
            Axis::new(y.0, y.1, Vec::new()),
        )
        .de()?;
    draw_mesh(
        &mut chart,
        x_desc,
        "",
        x_fmt,
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
