//! Charts: pure functions from finished numbers to encoded PNG or SVG bytes.
//!
//! Every chart function has the shape
//! `fn name_chart(data: &XData, meta: &ChartMeta, format: ChartFormat) -> Result<Vec<u8>, ChartError>`:
//! it never computes statistics (only bins and ranges for drawing), never writes files and
//! never panics, whatever the input (empty vectors, NaN, a single value, zero-width ranges).
//! Writing the bytes to disk is the caller's job.
//!
//! Here: the canvas [`SIZE`], the [`Chart`] trait every chart implements and the renderer
//! that draws one on a PNG or SVG backend. The shared pieces the charts draw with live in
//! their own files and are re-exported here, so a chart's `use super::*;` sees them all:
//! `theme` (palette, text sizes), `text` (widths, wrapping, drawing), `frame` (title,
//! subtitle, footer), `ticks` (ranges, tick steps and labels), `axes` (axis, pixel mapping,
//! mesh), `legend` (legends and marker labels), `hbar` (horizontal bar charts) and `grid`
//! (a categorical grid of two parameters). [`font`](mod@font) embeds and registers the one
//! font face (Latin + Hanzi) every chart uses.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::str::FromStr;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;

use crate::format::NumberStyle;

mod axes;
mod frame;
mod hbar;
mod legend;
mod text;
mod theme;
mod ticks;

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;

pub(crate) use axes::*;
pub(crate) use frame::*;
pub(crate) use hbar::*;
pub(crate) use legend::*;
pub(crate) use text::*;
pub use theme::{
    AMBER, AXIS, BLUE, FAINT, GREEN, GRID, INK, MARKER, MUTED, NAVY, ORANGE, PURPLE, RED, SERIES,
    series_color,
};
pub(crate) use theme::{
    AXIS_DESC_SIZE, EDGE, FOOTER_SIZE, LABEL_SIZE, SUBTITLE_SIZE, TICK_SIZE, TITLE_SIZE, darker,
};
pub(crate) use ticks::*;

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

impl ChartMeta {
    /// What a chart of `options` options shows besides its data, when they ran on common
    /// random numbers: `trials` trials `per` option or point ("each", "per point") from
    /// `seed` with `sampling`.
    pub fn of_options(
        currency: &str,
        style: NumberStyle,
        options: usize,
        trials: u64,
        per: &str,
        seed: u64,
        sampling: &dyn fmt::Display,
    ) -> Self {
        ChartMeta {
            scenario: String::new(),
            currency: currency.to_string(),
            number_style: style,
            footer: format!(
                "{options} options · {} trials {per} · seed {seed} · {sampling} sampling · common random numbers · payback {}",
                crate::format::thousands(trials as f64, 0),
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

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
