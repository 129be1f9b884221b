//! Axes: a linear axis with ticks exactly where asked, the mapping from data to backend
//! pixels, and the mesh (axes, tick labels, descriptions and grid lines) in the house style.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, ValueFormatter};

use super::*;

/// A linear f64 axis whose grid lines and tick labels sit exactly at the given ticks (plotters'
/// own f64 ticks can print `0.30000000000000004` and cannot be overridden with a formatter
/// on `WithKeyPoints`).
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    /// `lo..hi` (made drawable by [`padded`] with no padding if needed) with ticks inside it.
    pub fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
            (lo, hi)
        } else {
            padded(Some((lo, hi)), 0.0)
        };
        let ticks = ticks
            .into_iter()
            .filter(|t| t.is_finite() && *t >= lo - 1e-9 * (hi - lo) && *t <= hi + 1e-9 * (hi - lo))
            .collect();
        Axis { lo, hi, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let t = (*v - self.lo) / (self.hi - self.lo);
        let t = if t.is_nan() {
            0.0
        } else {
            t.clamp(-10.0, 10.0)
        };
        let len = (limit.1 - limit.0) as f64;
        limit.0 + (len * t + if len >= 0.0 { 1e-3 } else { -1e-3 }).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Maps data coordinates of a chart to absolute backend pixels (for drawing on the root area),
/// clamping to the plotted range so nothing spills outside the plot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mapper {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub px: (i32, i32),
    pub py: (i32, i32),
}

impl Mapper {
    /// The mapping of `chart`, whose x and y ranges are `x` and `y`.
    pub fn new<DB: DrawingBackend, X, Y>(
        chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        x: (f64, f64),
        y: (f64, f64),
    ) -> Self
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let a = chart.backend_coord(&(x.0, y.0));
        let b = chart.backend_coord(&(x.1, y.1));
        Mapper {
            x,
            y,
            px: (a.0, b.0),
            py: (a.1, b.1),
        }
    }

    /// Pixel column of data x.
    pub fn xp(&self, v: f64) -> i32 {
        let t = (clamp(v, self.x.0, self.x.1) - self.x.0) / (self.x.1 - self.x.0);
        (self.px.0 as f64 + t * (self.px.1 - self.px.0) as f64).round() as i32
    }

    /// Pixel row of data y.
    pub fn yp(&self, v: f64) -> i32 {
        let t = (clamp(v, self.y.0, self.y.1) - self.y.0) / (self.y.1 - self.y.0);
        (self.py.0 as f64 + t * (self.py.1 - self.py.0) as f64).round() as i32
    }

    /// Pixel point of a data point.
    pub fn p(&self, x: f64, y: f64) -> (i32, i32) {
        (self.xp(x), self.yp(y))
    }

    pub fn left(&self) -> i32 {
        self.px.0.min(self.px.1)
    }
    pub fn right(&self) -> i32 {
        self.px.0.max(self.px.1)
    }
    pub fn top(&self) -> i32 {
        self.py.0.min(self.py.1)
    }
    pub fn bottom(&self) -> i32 {
        self.py.0.max(self.py.1)
    }
}

/// Which grid lines a mesh draws.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Grid {
    pub x: bool,
    pub y: bool,
}

/// Draws axes, tick labels, axis descriptions and light grid lines in the house style.
pub(crate) fn draw_mesh<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    y_fmt: &dyn Fn(&f64) -> String,
    grid: Grid,
) -> DrawResult
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .label_style(chart_font(TICK_SIZE).color(&MUTED))
        .axis_desc_style(chart_font(AXIS_DESC_SIZE).color(&MUTED))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .set_all_tick_mark_size(4);
    if !grid.x {
        mesh.disable_x_mesh();
    }
    if !grid.y {
        mesh.disable_y_mesh();
    }
    mesh.draw().de()
}

/// One linear axis of a [`Plot`]: its range, ticks, tick labels and description.
pub(crate) struct PlotAxis<'a> {
    range: (f64, f64),
    ticks: Vec<f64>,
    fmt: &'a dyn Fn(&f64) -> String,
    desc: &'a str,
}

impl<'a> PlotAxis<'a> {
    /// `range` with grid lines and labels (written by `fmt`) at `ticks`, described by `desc`.
    pub fn new(
        range: (f64, f64),
        ticks: Vec<f64>,
        fmt: &'a dyn Fn(&f64) -> String,
        desc: &'a str,
    ) -> Self {
        PlotAxis {
            range,
            ticks,
            fmt,
            desc,
        }
    }
}

/// An x–y plot in the house style: axes, tick labels, descriptions and grid lines, with the
/// y label area as wide as its tick labels need.
pub(crate) struct Plot<'a> {
    x: PlotAxis<'a>,
    y: PlotAxis<'a>,
    grid: Grid,
    margin: (i32, i32),
    x_label_area: i32,
}

impl<'a> Plot<'a> {
    /// A plot of `x` against `y`: grid lines both ways, 12 pixels of margin above and right,
    /// 50 pixels for the x tick labels and description.
    pub fn new(x: PlotAxis<'a>, y: PlotAxis<'a>) -> Self {
        Plot {
            x,
            y,
            grid: Grid { x: true, y: true },
            margin: (12, 12),
            x_label_area: 50,
        }
    }

    /// Which grid lines to draw.
    pub fn grid(self, x: bool, y: bool) -> Self {
        Plot {
            grid: Grid { x, y },
            ..self
        }
    }

    /// Pixels above the plot (room for marker labels) and right of it.
    pub fn margin(self, top: i32, right: i32) -> Self {
        Plot {
            margin: (top, right),
            ..self
        }
    }

    /// Pixels below the plot for the x tick labels and description.
    pub fn x_label_area(self, px: i32) -> Self {
        Plot {
            x_label_area: px,
            ..self
        }
    }

    /// Draws the axes on `area`; returns the pixel mapping of the plot.
    pub fn draw<DB: DrawingBackend>(self, area: &DrawingArea<DB, Shift>) -> DrawResult<Mapper> {
        let (x, y) = (self.x.range, self.y.range);
        let y_fmt = self.y.fmt;
        let mut chart = ChartBuilder::on(area)
            .margin_top(self.margin.0)
            .margin_right(self.margin.1)
            .x_label_area_size(self.x_label_area)
            .y_label_area_size(label_area(widest(self.y.ticks.iter().map(y_fmt))))
            .build_cartesian_2d(
                Axis::new(x.0, x.1, self.x.ticks),
                Axis::new(y.0, y.1, self.y.ticks),
            )
            .de()?;
        draw_mesh(
            &mut chart,
            self.x.desc,
            self.y.desc,
            self.x.fmt,
            y_fmt,
            self.grid,
        )?;
        Ok(Mapper::new(&chart, x, y))
    }
}
