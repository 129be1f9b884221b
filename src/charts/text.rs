//! Text in the chart font: styles and anchors, widths, shortening and wrapping to a width,
//! and drawing (plain or on a white box).

use plotters::coord::Shift;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::*;

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

/// A text anchor: which point of the text's box sits at the position it is drawn at.
const fn anchor(h_pos: HPos, v_pos: VPos) -> Pos {
    Pos { h_pos, v_pos }
}

pub(crate) const TOP_LEFT: Pos = anchor(HPos::Left, VPos::Top);
pub(crate) const TOP_CENTER: Pos = anchor(HPos::Center, VPos::Top);
pub(crate) const TOP_RIGHT: Pos = anchor(HPos::Right, VPos::Top);
pub(crate) const CENTER_LEFT: Pos = anchor(HPos::Left, VPos::Center);
pub(crate) const CENTER: Pos = anchor(HPos::Center, VPos::Center);
pub(crate) const CENTER_RIGHT: Pos = anchor(HPos::Right, VPos::Center);
pub(crate) const BOTTOM_LEFT: Pos = anchor(HPos::Left, VPos::Bottom);
pub(crate) const BOTTOM_CENTER: Pos = anchor(HPos::Center, VPos::Bottom);
pub(crate) const BOTTOM_RIGHT: Pos = anchor(HPos::Right, VPos::Bottom);

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

/// Draws `text` at pixel position and anchor `at` on a white, slightly transparent box so it
/// stays readable over lines and bars.
pub(crate) fn draw_boxed_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    (pos, anchor): ((i32, i32), Pos),
    size: f64,
    color: RGBColor,
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
