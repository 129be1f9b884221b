//! The shared theme: the palette (ink, greys, data colours and the series palette), text
//! sizes and the left edge of the frame.

use plotters::prelude::*;

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

/// A darker shade of `c` for text on light backgrounds.
pub(crate) fn darker(c: RGBColor) -> RGBColor {
    RGBColor(
        (c.0 as f64 * 0.75) as u8,
        (c.1 as f64 * 0.75) as u8,
        (c.2 as f64 * 0.75) as u8,
    )
}
