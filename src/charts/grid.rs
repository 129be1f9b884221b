//! A categorical grid over two swept parameters: one cell per grid point, the x parameter's
//! values along the bottom and the y parameter's up the side (its first value at the bottom).
//! The heat map of one scenario and the map of the leading option draw their cells with it.

use plotters::coord::Shift;

use super::*;

/// The two parameters of a grid and their values.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GridAxes<'a> {
    /// The parameter along the x axis (columns).
    pub x_param: &'a str,
    /// The parameter along the y axis (rows, first value at the bottom).
    pub y_param: &'a str,
    /// Values of the x parameter.
    pub x: &'a [f64],
    /// Values of the y parameter.
    pub y: &'a [f64],
    /// How the values are written on the axes.
    pub style: NumberStyle,
}

/// What one cell shows.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    /// Fill colours: one horizontal stripe each, from the top (one colour: a plain cell).
    pub fills: Vec<RGBColor>,
    /// Lines of text centred in the cell (none: no text).
    pub lines: Vec<String>,
    /// The text colour.
    pub ink: RGBColor,
    /// Whether the text sits on a white box (legible over stripes).
    pub boxed: bool,
}

/// A cell's size: width and height in pixels, and the text size its height allows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CellSize {
    /// Width in pixels.
    pub w: i32,
    /// Height in pixels.
    pub h: i32,
    /// Text size in pixels.
    pub text: f64,
}

/// Cells lower than this many pixels carry no text.
const MIN_TEXT_CELL: i32 = 12;

/// Every `k`-th value gets a tick: at most 12 ticks, fewer when their labels would not fit
/// side by side in `span_px` pixels.
fn tick_every(labels: &[String], span_px: i32) -> usize {
    let n = labels.len();
    let mut k = n.div_ceil(12).max(1);
    while k < n {
        let shown = labels.iter().step_by(k);
        let need: i32 = shown.map(|l| text_width(l, TICK_SIZE) + 12).sum();
        if need <= span_px {
            break;
        }
        k += 1;
    }
    k
}

/// Draws the grid's axes on `area` and every cell on `root`: `cell(ix, iy, size)` says what
/// the cell of x value `ix` and y value `iy` shows. Returns the pixel mapping (cell centres
/// at whole numbers) for what the caller draws beside the grid.
pub(crate) fn draw_grid<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    axes: &GridAxes,
    cell: &dyn Fn(usize, usize, CellSize) -> Cell,
) -> DrawResult<Mapper> {
    let (nx, ny) = (axes.x.len(), axes.y.len());
    let label = |v: &[f64], i: f64| {
        let i = i.round();
        if i >= 0.0 && (i as usize) < v.len() {
            value_label(v[i as usize], axes.style)
        } else {
            String::new()
        }
    };
    let x_labels: Vec<String> = (0..nx).map(|i| label(axes.x, i as f64)).collect();
    let y_every = ny.div_ceil(12).max(1);
    let y_ticks: Vec<f64> = (0..ny).step_by(y_every).map(|i| i as f64).collect();
    let y_area = label_area(widest(y_ticks.iter().map(|i| label(axes.y, *i))));
    let x_span = area.dim_in_pixel().0 as i32 - y_area - 12;
    let x_ticks: Vec<f64> = (0..nx)
        .step_by(tick_every(&x_labels, x_span))
        .map(|i| i as f64)
        .collect();
    let x = (-0.5, nx as f64 - 0.5);
    let y = (-0.5, ny as f64 - 0.5);
    let mut chart = ChartBuilder::on(area)
        .margin_top(12)
        .margin_right(12)
        .x_label_area_size(50)
        .y_label_area_size(y_area)
        .build_cartesian_2d(Axis::new(x.0, x.1, x_ticks), Axis::new(y.0, y.1, y_ticks))
        .de()?;
    draw_mesh(
        &mut chart,
        axes.x_param.trim(),
        axes.y_param.trim(),
        &|i| label(axes.x, *i),
        &|i| label(axes.y, *i),
        Grid { x: false, y: false },
    )?;
    let m = Mapper::new(&chart, x, y);

    let size = CellSize {
        w: (m.right() - m.left()) / nx.max(1) as i32,
        h: (m.bottom() - m.top()) / ny.max(1) as i32,
        text: 0.0,
    };
    let size = CellSize {
        text: LABEL_SIZE.min(size.h as f64 * 0.75),
        ..size
    };
    for iy in 0..ny {
        for ix in 0..nx {
            let c = cell(ix, iy, size);
            let (x0, y0) = m.p(ix as f64 - 0.5, iy as f64 + 0.5);
            let (x1, y1) = m.p(ix as f64 + 0.5, iy as f64 - 0.5);
            draw_cell(root, &c, (x0, y0), (x1, y1), size)?;
        }
    }
    Ok(m)
}

/// Draws one cell between the pixel corners `a` (top left) and `b` (bottom right).
fn draw_cell<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Cell,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    size: CellSize,
) -> DrawResult {
    let n = c.fills.len().max(1) as i32;
    for (k, fill) in c.fills.iter().enumerate() {
        let k = k as i32;
        let (a, b) = (y0 + (y1 - y0) * k / n, y0 + (y1 - y0) * (k + 1) / n);
        root.draw(&Rectangle::new([(x0, a), (x1, b)], fill.filled()))
            .de()?;
    }
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1)))
        .de()?;
    if size.h < MIN_TEXT_CELL {
        return Ok(());
    }
    let pitch = size.text as i32 + 3;
    let lines = c.lines.len() as i32;
    let top = (y0 + y1) / 2 - pitch * (lines - 1) / 2;
    for (k, line) in c.lines.iter().enumerate() {
        let pos = ((x0 + x1) / 2, top + pitch * k as i32);
        if c.boxed {
            draw_boxed_text(root, line, (pos, CENTER), size.text, c.ink)?;
        } else {
            draw_text(root, line, pos, size.text, c.ink, CENTER)?;
        }
    }
    Ok(())
}
