//! Charts: pure functions from finished numbers to encoded PNG or SVG bytes.
//!
//! Every chart function has the shape
//! `fn name_chart(data: &XData, meta: &ChartMeta, format: ChartFormat) -> Result<Vec<u8>, ChartError>`:
//! it never computes statistics (only bins and ranges for drawing), never writes files and
//! never panics, whatever the input (empty vectors, NaN, a single value, zero-width ranges).
//! Writing the bytes to disk is the caller's job.
//!
//! Shared here: the canvas [`SIZE`], the palette, the text sizes, the title/subtitle/footer
//! frame, tick and label helpers, and the renderer that draws on a PNG or SVG backend.
//! [`font`](mod@font) embeds and registers the one font face (Latin + Hanzi) every chart uses.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::str::FromStr;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format::NumberStyle;

pub mod cashflow;
pub mod compare;
pub mod fit;
pub mod font;
mod grid;
pub mod layout;
pub mod leader_map;
pub mod leaders;
pub mod npv;
pub mod payback;
pub mod rank;
mod raster;
pub mod sobol;
pub mod spider;
pub mod sweep;
pub mod target;
pub mod tco;
pub mod tornado;
pub mod voi;

pub use cashflow::{FanData, cashflow_chart};
pub use compare::{
    BoxCompareData, BoxSeries, CdfCompareData, CdfSeries, box_compare_chart, cdf_compare_chart,
};
pub use fit::{FitCurve, FitData, fit_chart};
pub use font::{FONT_FAMILY, ensure_registered};
pub use leader_map::{LeaderCell, LeaderMapData, leader_map_chart};
pub use leaders::{LeaderSeries, LeadersData, leaders_chart};
pub use npv::{NpvData, npv_chart};
pub use payback::{PaybackData, payback_chart};
pub use rank::{RankData, RankRow, rank_chart};
pub use sobol::{SobolData, SobolRow, sobol_chart};
pub use spider::{SpiderData, SpiderLine, spider_chart};
pub use sweep::{HeatmapData, SweepLineData, heatmap_chart, sweep_line_chart};
pub use target::{KsData, KsRow, ks_chart};
pub use tco::{TcoCategory, TcoData, tco_chart};
pub use tornado::{TornadoData, TornadoRow, TornadoWords, tornado_chart, tornado_chart_with};
pub use voi::{VoiData, VoiRow, voi_chart};

/// Canvas size of every chart, in pixels (PNG) or user units (SVG).
pub const SIZE: (u32, u32) = (1000, 620);

/// Why a chart could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The font could not be read or registered.
    #[error("font: {0}")]
    Font(String),
    /// plotters reported an error while drawing (or the input cannot be drawn at all).
    #[error("drawing the {chart} chart failed: {message}")]
    Draw {
        /// Which chart, e.g. `"payback"`.
        chart: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("encoding PNG: {0}")]
    Encode(String),
}

/// Output file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    /// 1000×620 RGB PNG.
    Png,
    /// SVG text; labels use [`FONT_FAMILY`] as a CSS font list, so the viewer supplies glyphs.
    Svg,
}

impl ChartFormat {
    /// File extension without the dot: `"png"` or `"svg"`.
    pub fn extension(&self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

impl fmt::Display for ChartFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for ChartFormat {
    type Err = String;

    /// Parses `"png"` or `"svg"` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(ChartFormat::Png),
            "svg" => Ok(ChartFormat::Svg),
            _ => Err(format!(
                "unknown chart format {s:?}: expected \"png\" or \"svg\""
            )),
        }
    }
}

/// What every chart shows besides its data.
#[derive(Clone, Debug, Default)]
pub struct ChartMeta {
    /// Scenario name, may be Chinese; starts every title.
    pub scenario: String,
    /// Currency code or symbol for money axes, e.g. `"CNY"`.
    pub currency: String,
    /// How money amounts are written.
    pub number_style: NumberStyle,
    /// Small print at the bottom left, e.g. `"100,000 trials · seed 42 · payback 0.1.0"`.
    pub footer: String,
}

// ---------------------------------------------------------------------------------------------
// Palette and text sizes
// ---------------------------------------------------------------------------------------------

/// Title and strong text.
pub const INK: RGBColor = RGBColor(17, 24, 39);
/// Subtitles, axis labels, footers.
pub const MUTED: RGBColor = RGBColor(75, 85, 99);
/// Faint text and reference lines.
pub const FAINT: RGBColor = RGBColor(156, 163, 175);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(229, 231, 235);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(156, 163, 175);
/// Main data colour.
pub const BLUE: RGBColor = RGBColor(37, 99, 235);
/// Darker main colour for lines over blue fills.
pub const NAVY: RGBColor = RGBColor(30, 58, 138);
/// Good outcome (pays back early, positive NPV).
pub const GREEN: RGBColor = RGBColor(22, 163, 74);
/// Middling outcome.
pub const AMBER: RGBColor = RGBColor(217, 119, 6);
/// Bad outcome (loss, no payback).
pub const RED: RGBColor = RGBColor(220, 38, 38);
/// Second series colour (e.g. the "high input" side of a tornado).
pub const ORANGE: RGBColor = RGBColor(234, 88, 12);
/// Markers for percentiles.
pub const MARKER: RGBColor = RGBColor(55, 65, 81);
/// Mean marker.
pub const PURPLE: RGBColor = RGBColor(124, 58, 237);

/// Distinct colours for many series (Tableau 10, reordered).
pub const SERIES: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The colour of series `i`, cycling through [`SERIES`].
pub fn series_color(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

pub(crate) const TITLE_SIZE: f64 = 27.0;
pub(crate) const SUBTITLE_SIZE: f64 = 17.0;
pub(crate) const AXIS_DESC_SIZE: f64 = 17.0;
pub(crate) const TICK_SIZE: f64 = 15.0;
pub(crate) const LABEL_SIZE: f64 = 15.0;
pub(crate) const FOOTER_SIZE: f64 = 13.0;

/// Left edge of title, subtitle and footer.
pub(crate) const EDGE: i32 = 22;

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// Result of drawing steps; the error is a message for [`ChartError::Draw`].
pub(crate) type DrawResult<T = ()> = Result<T, String>;

/// `.de()?` turns any plotters error into a [`DrawResult`] message.
pub(crate) trait DrawErr<T> {
    fn de(self) -> DrawResult<T>;
}

impl<T, E: fmt::Display> DrawErr<T> for Result<T, E> {
    fn de(self) -> DrawResult<T> {
        self.map_err(|e| e.to_string())
    }
}

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Chart {
    /// Short name used in errors, e.g. `"payback"`.
    const NAME: &'static str;
    /// Draws the whole chart (background included) on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// Registers the font, draws `chart` on a [`SIZE`] canvas and returns the encoded bytes.
///
/// Panics inside plotters are caught and reported as [`ChartError::Draw`]: a chart must never
/// take down a simulation run that already finished.
pub(crate) fn render<C: Chart>(chart: &C, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    font::ensure_registered(None)?;
    let draw_err = |message: String| ChartError::Draw {
        chart: C::NAME,
        message,
    };
    let caught = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<u8>, ChartError> {
        match format {
            ChartFormat::Png => {
                let (w, h) = SIZE;
                let mut buf = vec![255u8; w as usize * h as usize * 3];
                {
                    let root = raster::PngBackend::new(BitMapBackend::with_buffer(&mut buf, SIZE))
                        .into_drawing_area();
                    chart.draw(&root).map_err(draw_err)?;
                    root.present().de().map_err(draw_err)?;
                }
                encode_png(&buf, w, h)
            }
            ChartFormat::Svg => {
                let mut svg = String::new();
                {
                    let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                    chart.draw(&root).map_err(draw_err)?;
                    root.present().de().map_err(draw_err)?;
                }
                Ok(svg.into_bytes())
            }
        }
    }));
    match caught {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(draw_err(format!("internal error in plotters: {what}")))
        }
    }
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    let mut out = Vec::with_capacity(rgb.len() / 8);
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Encode(e.to_string()))?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// The chart font at `size` pixels.
pub(crate) fn chart_font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(font::FONT_FAMILY), size, FontStyle::Normal)
}

/// A text style: chart font, `size` pixels, `color`, anchored at `pos`.
pub(crate) fn text_style(size: f64, color: RGBColor, pos: Pos) -> TextStyle<'static> {
    TextStyle {
        font: chart_font(size),
        color: color.to_backend_color(),
        pos,
    }
}

pub(crate) const TOP_LEFT: Pos = Pos {
    h_pos: HPos::Left,
    v_pos: VPos::Top,
};
pub(crate) const TOP_CENTER: Pos = Pos {
    h_pos: HPos::Center,
    v_pos: VPos::Top,
};
pub(crate) const TOP_RIGHT: Pos = Pos {
    h_pos: HPos::Right,
    v_pos: VPos::Top,
};
pub(crate) const CENTER_LEFT: Pos = Pos {
    h_pos: HPos::Left,
    v_pos: VPos::Center,
};
pub(crate) const CENTER: Pos = Pos {
    h_pos: HPos::Center,
    v_pos: VPos::Center,
};
pub(crate) const CENTER_RIGHT: Pos = Pos {
    h_pos: HPos::Right,
    v_pos: VPos::Center,
};
pub(crate) const BOTTOM_LEFT: Pos = Pos {
    h_pos: HPos::Left,
    v_pos: VPos::Bottom,
};
pub(crate) const BOTTOM_CENTER: Pos = Pos {
    h_pos: HPos::Center,
    v_pos: VPos::Bottom,
};
pub(crate) const BOTTOM_RIGHT: Pos = Pos {
    h_pos: HPos::Right,
    v_pos: VPos::Bottom,
};

/// Width in pixels of `text` in the chart font at `size`.
pub(crate) fn text_width(text: &str, size: f64) -> i32 {
    match chart_font(size).box_size(text) {
        Ok((w, _)) => w as i32,
        // Unreachable after registration; a rough estimate keeps layout going.
        Err(_) => (text.chars().count() as f64 * size * 0.6) as i32,
    }
}

/// `text`, shortened with `…` so that it is at most `max_width` pixels wide at `size`.
pub(crate) fn ellipsize(text: &str, size: f64, max_width: i32) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&candidate, size) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + "…"
}

/// `text` broken into at most `max_lines` lines of at most `max_width` pixels: at spaces
/// where there are some, else between characters (Chinese); only a last line that still
/// does not fit is shortened with `…`.
pub(crate) fn wrap_lines(text: &str, size: f64, max_width: i32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut rest = text.trim().to_string();
    while !rest.is_empty() && lines.len() + 1 < max_lines.max(1) {
        if text_width(&rest, size) <= max_width {
            break;
        }
        let chars: Vec<char> = rest.chars().collect();
        // The longest prefix that fits, cut back to a space when one is in it.
        let mut n = chars.len();
        while n > 1 && text_width(&chars[..n].iter().collect::<String>(), size) > max_width {
            n -= 1;
        }
        let cut = chars[..n]
            .iter()
            .rposition(|c| c.is_whitespace())
            .filter(|p| *p > 0 && n < chars.len())
            .unwrap_or(n);
        lines.push(
            chars[..cut]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string(),
        );
        rest = chars[cut..]
            .iter()
            .collect::<String>()
            .trim_start()
            .to_string();
    }
    if !rest.is_empty() {
        lines.push(ellipsize(&rest, size, max_width));
    }
    lines
}

/// Draws `text` at pixel `pos` on `area`.
pub(crate) fn draw_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    pos: (i32, i32),
    size: f64,
    color: RGBColor,
    anchor: Pos,
) -> DrawResult {
    if text.is_empty() {
        return Ok(());
    }
    area.draw_text(text, &text_style(size, color, anchor), pos)
        .de()
}

/// The pixel box `(x0, y0, x1, y1)` that `text` occupies when drawn at `pos` with `anchor`.
pub(crate) fn text_box(
    text: &str,
    pos: (i32, i32),
    size: f64,
    anchor: Pos,
) -> (i32, i32, i32, i32) {
    let w = text_width(text, size);
    let h = (size / 1.24).round() as i32 + 2;
    let x0 = match anchor.h_pos {
        HPos::Left => pos.0,
        HPos::Center => pos.0 - w / 2,
        HPos::Right => pos.0 - w,
    };
    let y0 = match anchor.v_pos {
        VPos::Top => pos.1,
        VPos::Center => pos.1 - h / 2,
        VPos::Bottom => pos.1 - h,
    };
    (x0, y0, x0 + w, y0 + h)
}

/// Draws `text` on a white, slightly transparent box so it stays readable over lines and bars.
pub(crate) fn draw_boxed_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    pos: (i32, i32),
    size: f64,
    color: RGBColor,
    anchor: Pos,
) -> DrawResult {
    if text.is_empty() {
        return Ok(());
    }
    let (x0, y0, x1, y1) = text_box(text, pos, size, anchor);
    area.draw(&Rectangle::new(
        [(x0 - 3, y0 - 2), (x1 + 3, y1 + 1)],
        WHITE.mix(0.85).filled(),
    ))
    .de()?;
    draw_text(area, text, pos, size, color, anchor)
}

// ---------------------------------------------------------------------------------------------
// Frame: title, subtitle, footer
// ---------------------------------------------------------------------------------------------

/// Fills the background, draws the title (shrunk or shortened to fit), up to two subtitle
/// lines and the footer, and returns the area left for the plot.
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    meta: &ChartMeta,
    title: &str,
    subtitle: &[String],
) -> DrawResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).de()?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let max_w = w - 2 * EDGE;

    let mut size = TITLE_SIZE;
    while size > 19.0 && text_width(title, size) > max_w {
        size -= 1.0;
    }
    let title = ellipsize(title, size, max_w);
    draw_text(root, &title, (EDGE, 14), size, INK, TOP_LEFT)?;

    let mut y = 14 + (TITLE_SIZE / 1.24) as i32 + 12;
    for line in subtitle.iter().take(2).filter(|l| !l.is_empty()) {
        let line = ellipsize(line, SUBTITLE_SIZE, max_w);
        draw_text(root, &line, (EDGE, y), SUBTITLE_SIZE, MUTED, TOP_LEFT)?;
        y += (SUBTITLE_SIZE / 1.24) as i32 + 8;
    }

    let footer = ellipsize(&meta.footer, FOOTER_SIZE, max_w);
    draw_text(
        root,
        &footer,
        (EDGE, h - 8),
        FOOTER_SIZE,
        FAINT,
        BOTTOM_LEFT,
    )?;

    Ok(root.margin(y + 4, 30, 10, 24))
}

/// The title prefix: `"{scenario}: "`, or nothing when the scenario has no name.
pub(crate) fn titled(meta: &ChartMeta, what: &str) -> String {
    let name = meta.scenario.trim();
    if name.is_empty() {
        let mut c = what.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        format!("{name}: {what}")
    }
}

/// Draws a frame with `message` in the middle, for inputs with nothing to plot.
pub(crate) fn draw_no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    meta: &ChartMeta,
    title: &str,
    message: &str,
) -> DrawResult {
    let area = frame(root, meta, title, &[])?;
    let (w, h) = area.dim_in_pixel();
    area.draw(&Rectangle::new(
        [(0, 0), (w as i32 - 1, h as i32 - 1)],
        GRID.stroke_width(1),
    ))
    .de()?;
    draw_text(
        &area,
        message,
        (w as i32 / 2, h as i32 / 2),
        SUBTITLE_SIZE,
        MUTED,
        CENTER,
    )
}

/// `"(CNY)"`-style suffix for axis labels; empty when there is no currency.
pub(crate) fn currency_suffix(meta: &ChartMeta) -> String {
    let c = meta.currency.trim();
    if c.is_empty() {
        String::new()
    } else {
        format!(" ({c})")
    }
}

/// A money amount with the currency code: `2.15M CNY` (just the number without a currency).
pub(crate) fn amount(meta: &ChartMeta, v: f64) -> String {
    let code = meta.currency.trim();
    let number = crate::format::money(v, meta.number_style);
    if code.is_empty() {
        number
    } else {
        format!("{number} {code}")
    }
}

/// A month count for titles: `36` for whole numbers, else one decimal (`14.5`).
pub(crate) fn whole_months(x: f64) -> String {
    if x.is_finite() && (x - x.round()).abs() < 1e-9 {
        crate::format::thousands(x, 0)
    } else {
        crate::format::months(x)
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers, ranges and ticks
// ---------------------------------------------------------------------------------------------

/// The finite values of `v`.
pub(crate) fn finite(v: &[f64]) -> Vec<f64> {
    v.iter().copied().filter(|x| x.is_finite()).collect()
}

/// `Some(x)` if `x` is finite.
pub(crate) fn fin(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Min and max of the finite values, or `None` if there are none.
pub(crate) fn min_max<I: IntoIterator<Item = f64>>(values: I) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(None, |acc, x| match acc {
            None => Some((x, x)),
            Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
        })
}

/// A drawable range: finite, `lo < hi`, widened by `pad` (a share of the width) on each side.
/// A zero-width range is opened around its value; a missing one becomes `0..1`.
pub(crate) fn padded(range: Option<(f64, f64)>, pad: f64) -> (f64, f64) {
    let (lo, hi) = range.unwrap_or((0.0, 1.0));
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let width = hi - lo;
    if width <= f64::EPSILON * lo.abs().max(hi.abs()).max(1.0) * 16.0 {
        let half = (lo.abs() * 0.1).max(1.0);
        return (lo - half, hi + half);
    }
    let (lo, hi) = (lo - width * pad, hi + width * pad);
    // Guard against overflow to infinity for absurd inputs.
    if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (f64::MIN / 4.0, f64::MAX / 4.0)
    }
}

/// A "nice" tick step (1, 2, 2.5 or 5 × 10ᵏ): the smallest that gives at most about
/// `target` intervals over `width`.
pub(crate) fn nice_step(width: f64, target: usize) -> f64 {
    if !(width.is_finite() && width > 0.0) {
        return 1.0;
    }
    let limit = target.max(1) as f64 * 1.25;
    let mag = 10f64.powf((width / limit).log10().floor());
    for nice in [1.0, 2.0, 2.5, 5.0, 10.0, 20.0] {
        let step = nice * mag;
        if width / step <= limit {
            return step;
        }
    }
    20.0 * mag
}

/// Multiples of `step` inside `[lo, hi]` (at most 200 of them).
pub(crate) fn ticks_with_step(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && step.is_finite() && step > 0.0 && hi >= lo) {
        return Vec::new();
    }
    let eps = step * 1e-9;
    let first = (lo / step - 1e-9).ceil();
    let mut out = Vec::new();
    let mut k = first;
    while out.len() < 200 {
        let v = k * step;
        if v > hi + eps {
            break;
        }
        // Snap values like 0.30000000000000004 and -0.0.
        let v = if v.abs() < eps {
            0.0
        } else {
            (v / step).round() * step
        };
        out.push(v);
        k += 1.0;
    }
    out
}

/// About `target` nice ticks inside `[lo, hi]`, plus the step used.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let step = nice_step(hi - lo, target);
    (ticks_with_step(lo, hi, step), step)
}

/// Like [`nice_ticks`], but with fewer ticks when their labels (formatted by `fmt`) would not
/// fit side by side in `span_px` pixels.
pub(crate) fn fitted_ticks(
    lo: f64,
    hi: f64,
    target: usize,
    span_px: i32,
    fmt: &dyn Fn(&f64) -> String,
) -> (Vec<f64>, f64) {
    let mut target = target.max(2);
    loop {
        let (ticks, step) = nice_ticks(lo, hi, target);
        let need = (widest(ticks.iter().map(fmt)) + 16) * ticks.len().max(1) as i32;
        if target <= 2 || need <= span_px {
            return (ticks, step);
        }
        target -= 1;
    }
}

/// Decimals needed to tell ticks `step` apart (0 for 5, 1 for 2.5, 2 for 0.25).
pub(crate) fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (0..=8)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(8)
}

/// A plain tick number with the decimals its step needs: `12`, `0.25`, `1,500`.
pub(crate) fn tick_number(v: f64, step: f64) -> String {
    crate::format::thousands(v, step_decimals(step))
}

/// A percentage tick (`v` already in percent): `20%`, `2.5%`.
pub(crate) fn tick_percent(v: f64, step: f64) -> String {
    format!("{}%", tick_number(v, step))
}

/// An output value of unknown kind (months or money): money format, which keeps 3
/// significant digits (`14.2`, `1.23M`).
pub(crate) fn value_label(x: f64, style: NumberStyle) -> String {
    crate::format::money(x, style)
}

/// Size of a y label area holding tick labels `widest` pixels wide and the rotated axis
/// description, capped so absurd labels cannot squeeze out the plot.
pub(crate) fn label_area(widest: i32) -> i32 {
    (widest + 46).clamp(40, 320)
}

/// Width of the widest of `labels` at [`TICK_SIZE`].
pub(crate) fn widest(labels: impl IntoIterator<Item = String>) -> i32 {
    labels
        .into_iter()
        .map(|l| text_width(&l, TICK_SIZE))
        .max()
        .unwrap_or(0)
}

/// A darker shade of `c` for text on light backgrounds.
pub(crate) fn darker(c: RGBColor) -> RGBColor {
    RGBColor(
        (c.0 as f64 * 0.75) as u8,
        (c.1 as f64 * 0.75) as u8,
        (c.2 as f64 * 0.75) as u8,
    )
}

/// Left edges of labels of widths `widths` wanted centred at `xs`, packed in one row between
/// `left` and `right` with at least `gap` pixels between neighbours: crowded labels are
/// pushed sideways, right first, then back left where the row runs out. Labels that cannot
/// all fit (wider together than the row) keep their order and may overlap at the right.
pub(crate) fn pack_row(xs: &[i32], widths: &[i32], left: i32, right: i32, gap: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by_key(|&i| xs[i]);
    let mut x0 = vec![0; xs.len()];
    let mut end = i32::MIN / 2;
    for &i in &order {
        let want = (xs[i] - widths[i] / 2).clamp(left, (right - widths[i]).max(left));
        x0[i] = want.max(end + gap);
        end = x0[i] + widths[i];
    }
    let mut start = right + gap;
    for &i in order.iter().rev() {
        x0[i] = x0[i].min(start - gap - widths[i]).max(left);
        start = x0[i];
    }
    x0
}

/// Labels of vertical markers at pixel columns, drawn in one row just above the plot;
/// crowded labels are pushed sideways, with a thin leader line down to their marker (the
/// leaders run below the row, so they never cross a label).
pub(crate) fn draw_marker_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    marks: &[(i32, String, RGBColor)],
) -> DrawResult {
    let xs: Vec<i32> = marks.iter().map(|m| m.0).collect();
    let widths: Vec<i32> = marks
        .iter()
        .map(|(_, t, _)| text_width(t, LABEL_SIZE))
        .collect();
    let placed = pack_row(&xs, &widths, m.left(), m.right(), 10);
    let moved = |(x, w, x0): (i32, i32, i32)| x < x0 + 2 || x > x0 + w - 2;
    let any_moved = xs
        .iter()
        .zip(&widths)
        .zip(&placed)
        .any(|((x, w), x0)| moved((*x, *w, *x0)));
    // Room for slanted leaders when a label had to move.
    let y = m.top() - if any_moved { 14 } else { 4 };
    for (((x, text, color), w), x0) in marks.iter().zip(&widths).zip(placed) {
        if moved((*x, *w, x0)) {
            root.draw(&PathElement::new(
                vec![((*x).clamp(x0 + 2, x0 + w - 2), y), (*x, m.top())],
                FAINT.stroke_width(1),
            ))
            .de()?;
        }
        draw_text(root, text, (x0, y), LABEL_SIZE, *color, BOTTOM_LEFT)?;
    }
    Ok(())
}

/// Clamps `x` into `[lo, hi]` (NaN goes to `lo`).
pub(crate) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() { lo } else { x.max(lo).min(hi) }
}

// ---------------------------------------------------------------------------------------------
// Axes
// ---------------------------------------------------------------------------------------------

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

/// Rate like `0.1` as `10%`, `0.075` as `7.5%`.
pub(crate) fn rate_text(r: f64) -> String {
    if !r.is_finite() {
        return crate::format::NOT_AVAILABLE.to_string();
    }
    let s = format!("{:.2}", r * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{}%", if s == "-0" { "0" } else { s })
}

// ---------------------------------------------------------------------------------------------
// Legends and markers
// ---------------------------------------------------------------------------------------------

/// What a legend entry shows next to its text.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A filled square.
    Box(RGBAColor),
    /// A line segment.
    Line(RGBColor, u32),
    /// A dashed line segment.
    Dashed(RGBColor),
    /// A line with a dot in the middle.
    LineDot(RGBColor),
    /// A hatched square (values beyond the horizon).
    Hatch(RGBColor),
}

/// Draws a horizontal row of legend entries starting at `pos` (left, vertical centre); returns
/// the x after the last entry.
pub(crate) fn legend_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(Swatch, String)],
    pos: (i32, i32),
) -> DrawResult<i32> {
    let (mut x, y) = pos;
    for (swatch, label) in items {
        draw_swatch(area, *swatch, (x, y))?;
        x += 26;
        draw_text(area, label, (x, y), LABEL_SIZE, MUTED, CENTER_LEFT)?;
        x += text_width(label, LABEL_SIZE) + 22;
    }
    Ok(x)
}

/// Draws a vertical legend box with its top-left corner at `pos`; labels are shortened to
/// `max_label` pixels. Returns the box height.
pub(crate) fn legend_box<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(Swatch, String)],
    pos: (i32, i32),
    max_label: i32,
) -> DrawResult<i32> {
    if items.is_empty() {
        return Ok(0);
    }
    let line_h = 22;
    let labels: Vec<String> = items
        .iter()
        .map(|(_, l)| ellipsize(l, LABEL_SIZE, max_label))
        .collect();
    let w = labels
        .iter()
        .map(|l| text_width(l, LABEL_SIZE))
        .max()
        .unwrap_or(0)
        + 26
        + 20;
    let h = line_h * items.len() as i32 + 10;
    let (x0, y0) = pos;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + w, y0 + h)],
        WHITE.mix(0.92).filled(),
    ))
    .de()?;
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + w, y0 + h)],
        GRID.stroke_width(1),
    ))
    .de()?;
    for (i, ((swatch, _), label)) in items.iter().zip(&labels).enumerate() {
        let y = y0 + 5 + line_h * i as i32 + line_h / 2;
        draw_swatch(area, *swatch, (x0 + 10, y))?;
        draw_text(area, label, (x0 + 36, y), LABEL_SIZE, INK, CENTER_LEFT)?;
    }
    Ok(h)
}

/// Width of a [`legend_box`] with these items.
pub(crate) fn legend_box_width(items: &[(Swatch, String)], max_label: i32) -> i32 {
    items
        .iter()
        .map(|(_, l)| text_width(&ellipsize(l, LABEL_SIZE, max_label), LABEL_SIZE))
        .max()
        .unwrap_or(0)
        + 46
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
) -> DrawResult {
    match swatch {
        Swatch::Box(c) => area
            .draw(&Rectangle::new([(x, y - 7), (x + 18, y + 7)], c.filled()))
            .de(),
        Swatch::Line(c, w) => area
            .draw(&PathElement::new(
                vec![(x, y), (x + 18, y)],
                c.stroke_width(w),
            ))
            .de(),
        Swatch::Dashed(c) => {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 5, y)],
                c.stroke_width(2),
            ))
            .de()?;
            area.draw(&PathElement::new(
                vec![(x + 9, y), (x + 18, y)],
                c.stroke_width(2),
            ))
            .de()
        }
        Swatch::LineDot(c) => {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 18, y)],
                c.stroke_width(2),
            ))
            .de()?;
            area.draw(&Circle::new((x + 9, y), 4, c.filled())).de()
        }
        Swatch::Hatch(c) => {
            area.draw(&Rectangle::new(
                [(x, y - 7), (x + 18, y + 7)],
                c.mix(0.18).filled(),
            ))
            .de()?;
            hatch(area, (x, y - 7), (x + 18, y + 7), c)?;
            area.draw(&Rectangle::new(
                [(x, y - 7), (x + 18, y + 7)],
                c.stroke_width(1),
            ))
            .de()
        }
    }
}

/// A dashed vertical or general line in pixel coordinates.
pub(crate) fn dashed_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    style: ShapeStyle,
) -> DrawResult {
    area.draw(&DashedPathElement::new(vec![from, to], 6, 4, style))
        .de()
}

/// A diagonal hatch over the pixel rectangle, for "beyond the horizon" bars.
pub(crate) fn hatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    color: RGBColor,
) -> DrawResult {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 {
        return Ok(());
    }
    let step = 7;
    let mut k = -h;
    while k < w {
        // Segment of the line x - x0 = k + (y1 - y), clipped to the rectangle.
        let (mut ax, mut ay) = (x0 + k, y1);
        let (mut bx, mut by) = (x0 + k + h, y0);
        if ax < x0 {
            ay -= x0 - ax;
            ax = x0;
        }
        if bx > x1 {
            by += bx - x1;
            bx = x1;
        }
        area.draw(&PathElement::new(
            vec![(ax, ay), (bx, by)],
            color.stroke_width(1),
        ))
        .de()?;
        k += step;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Helpers for the chart tests.

    use super::*;

    /// Meta with a plain English scenario name.
    pub fn meta() -> ChartMeta {
        ChartMeta {
            scenario: "Cloud office IM".to_string(),
            currency: "CNY".to_string(),
            number_style: NumberStyle::Short,
            footer: "100,000 trials · seed 42 · payback 0.1.0".to_string(),
        }
    }

    /// Decodes a PNG and checks its size.
    pub fn decode_png(bytes: &[u8]) -> image::RgbImage {
        let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
            .expect("PNG decodes")
            .to_rgb8();
        assert_eq!(img.dimensions(), SIZE, "PNG size");
        img
    }

    /// Pixels that are clearly not white in the rectangle `[x0, x1) × [y0, y1)`.
    pub fn non_white(img: &image::RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
        let mut n = 0;
        for y in y0..y1.min(img.height()) {
            for x in x0..x1.min(img.width()) {
                let p = img.get_pixel(x, y);
                if p.0.iter().any(|&c| c < 200) {
                    n += 1;
                }
            }
        }
        n
    }

    /// Pixels darker than mid-grey in the rectangle.
    pub fn dark(img: &image::RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
        let mut n = 0;
        for y in y0..y1.min(img.height()) {
            for x in x0..x1.min(img.width()) {
                let p = img.get_pixel(x, y);
                if p.0.iter().map(|&c| c as u32).sum::<u32>() < 3 * 110 {
                    n += 1;
                }
            }
        }
        n
    }

    /// Checks a PNG: decodes, right size, the plot area (below the title, above the footer)
    /// has plenty of ink.
    pub fn check_png(bytes: &[u8]) -> image::RgbImage {
        let img = decode_png(bytes);
        let ink = non_white(&img, 60, 90, 980, 580);
        assert!(ink > 4_000, "plot area looks blank: {ink} non-white pixels");
        img
    }

    /// Checks an SVG: UTF-8, starts with `<svg`, contains every string in `needles`
    /// (XML-escaped as plotters writes them).
    pub fn check_svg(bytes: &[u8], needles: &[&str]) -> String {
        let svg = String::from_utf8(bytes.to_vec()).expect("SVG is UTF-8");
        assert!(
            svg.trim_start().starts_with("<svg"),
            "SVG starts with <svg: {}",
            &svg[..svg.len().min(80)]
        );
        assert!(svg.trim_end().ends_with("</svg>"), "SVG is closed");
        for needle in needles {
            let escaped = xml_escape(needle);
            assert!(
                svg.contains(&escaped),
                "SVG lacks {needle:?} (as {escaped:?})"
            );
        }
        svg
    }

    pub fn xml_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;")
    }

    /// Writes `bytes` to `$PAYBACK_CHART_OUT/name` when that variable is set (for looking at
    /// the charts by eye); does nothing otherwise.
    pub fn save(name: &str, bytes: &[u8]) {
        if let Some(dir) = std::env::var_os("PAYBACK_CHART_OUT") {
            let dir = std::path::PathBuf::from(dir);
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(name), bytes);
        }
    }

    /// A deterministic pseudo-random generator for fake data (no rand dependency).
    pub struct Lcg(pub u64);

    impl Lcg {
        /// Uniform in [0, 1).
        pub fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
        /// Standard normal (Box–Muller).
        pub fn normal(&mut self) -> f64 {
            let u1 = self.next().max(1e-12);
            let u2 = self.next();
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_format_has_extensions_and_parses() {
        assert_eq!(ChartFormat::Png.extension(), "png");
        assert_eq!(ChartFormat::Svg.extension(), "svg");
        assert_eq!("SVG".parse::<ChartFormat>(), Ok(ChartFormat::Svg));
        assert!("pdf".parse::<ChartFormat>().is_err());
    }

    #[test]
    fn nice_ticks_cover_the_range() {
        let (t, step) = nice_ticks(0.0, 36.0, 8);
        assert_eq!(step, 5.0);
        assert_eq!(t.first(), Some(&0.0));
        assert_eq!(t.last(), Some(&35.0));
        assert_eq!(nice_step(4.1e6, 8), 5e5);
        assert_eq!(nice_step(0.62, 6), 0.1);
        let (t, _) = nice_ticks(-0.3, 0.3, 6);
        assert!(t.contains(&0.0), "{t:?}");
        assert!(ticks_with_step(1.0, 0.0, 1.0).is_empty());
        assert!(ticks_with_step(0.0, f64::NAN, 1.0).is_empty());
        assert!(ticks_with_step(0.0, 1e300, 1e-300).len() <= 200);
    }

    #[test]
    fn padded_ranges_are_always_drawable() {
        for r in [
            None,
            Some((3.0, 3.0)),
            Some((f64::NAN, 1.0)),
            Some((0.0, 0.0)),
            Some((5.0, -5.0)),
        ] {
            let (lo, hi) = padded(r, 0.05);
            assert!(
                lo.is_finite() && hi.is_finite() && lo < hi,
                "{r:?} -> {lo}..{hi}"
            );
        }
        let (lo, hi) = padded(Some((-f64::MAX, f64::MAX)), 0.5);
        assert!(lo.is_finite() && hi.is_finite() && lo < hi);
    }

    #[test]
    fn tick_labels_have_the_decimals_their_step_needs() {
        assert_eq!(tick_number(12.0, 2.0), "12");
        assert_eq!(tick_number(0.25, 0.25), "0.25");
        assert_eq!(tick_number(2.5, 2.5), "2.5");
        assert_eq!(tick_percent(20.0, 10.0), "20%");
    }

    #[test]
    fn long_labels_wrap_at_spaces_then_between_characters() {
        font::ensure_registered(None).unwrap();
        let w = text_width("mature and stable", LABEL_SIZE);
        assert_eq!(
            wrap_lines("B: mature and stable vendor", LABEL_SIZE, w, 2),
            vec!["B: mature and", "stable vendor"]
        );
        assert_eq!(wrap_lines("short", LABEL_SIZE, w, 2), vec!["short"]);
        let hanzi = wrap_lines("方案甲：私有化部署与定制开发", LABEL_SIZE, w, 2);
        assert_eq!(hanzi.len(), 2);
        assert!(
            hanzi.iter().all(|l| text_width(l, LABEL_SIZE) <= w),
            "{hanzi:?}"
        );
        let three = wrap_lines(
            "one two three four five six seven eight nine ten",
            LABEL_SIZE,
            w,
            2,
        );
        assert!(three[1].ends_with('…'), "{three:?}");
    }

    #[test]
    fn crowded_labels_are_pushed_apart_in_one_row() {
        let placed = pack_row(&[100, 102, 104], &[40, 40, 40], 0, 1000, 10);
        assert_eq!(placed, vec![80, 130, 180]);
        // Kept inside the plot: pushed back left at the right edge.
        assert_eq!(pack_row(&[995], &[40], 0, 1000, 10), vec![960]);
        assert_eq!(
            pack_row(&[990, 995], &[40, 40], 0, 1000, 10),
            vec![910, 960]
        );
        // Order follows the markers whatever the input order.
        assert_eq!(pack_row(&[300, 100], &[40, 40], 0, 1000, 10), vec![280, 80]);
    }

    /// The Chinese scenario name renders as real glyphs in the PNG title (not as the boxes or
    /// blanks a glyph the font lacks gives) and as text in the SVG.
    #[test]
    fn chinese_titles_render_in_png_and_svg() {
        use testutil::*;
        let data = crate::charts::tco::TcoData {
            categories: vec![crate::charts::tco::TcoCategory {
                name: "许可证".into(),
                mean: 5.0e5,
                p10: 4.0e5,
                p90: 6.0e5,
            }],
            total_mean: 5.0e5,
            horizon: 36.0,
        };
        let chinese = ChartMeta {
            scenario: "云办公即时通讯".into(),
            ..meta()
        };
        let missing = ChartMeta {
            scenario: "\u{E000}".repeat(7),
            ..meta()
        };
        let png = tco_chart(&data, &chinese, ChartFormat::Png).unwrap();
        save("chinese_title.png", &png);
        let zh = check_png(&png);
        let tofu = decode_png(&tco_chart(&data, &missing, ChartFormat::Png).unwrap());
        // The scenario name sits at the start of the title line.
        let (x0, y0, x1, y1) = (EDGE as u32, 8, 260, 46);
        let ink = dark(&zh, x0, y0, x1, y1);
        assert!(
            ink > 300,
            "the Chinese title has too few dark pixels: {ink}"
        );
        let mut differ = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let (a, b) = (zh.get_pixel(x, y).0, tofu.get_pixel(x, y).0);
                if a.iter().zip(b.iter()).any(|(p, q)| p.abs_diff(*q) > 60) {
                    differ += 1;
                }
            }
        }
        assert!(
            differ > 300,
            "Chinese glyphs look like the missing-glyph rendering ({differ} pixels differ)"
        );
        let svg = tco_chart(&data, &chinese, ChartFormat::Svg).unwrap();
        let svg = check_svg(
            &svg,
            &["云办公即时通讯: 36-month total cost of ownership", "许可证"],
        );
        assert!(
            svg.contains(&format!("font-family=\"{FONT_FAMILY}\"")),
            "SVG uses the CSS font list"
        );
    }

    #[test]
    fn ellipsize_shortens_long_text() {
        font::ensure_registered(None).unwrap();
        let long = "a very long input name that will never fit in the label area";
        let short = ellipsize(long, TICK_SIZE, 120);
        assert!(short.ends_with('…'));
        assert!(text_width(&short, TICK_SIZE) <= 120);
        assert_eq!(ellipsize("ok", TICK_SIZE, 120), "ok");
    }
}
