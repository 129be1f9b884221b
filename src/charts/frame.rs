//! The frame every chart draws first: background, title, subtitle lines and footer; the
//! "no data" frame; title and unit words built from the chart's meta.

use plotters::coord::Shift;

use super::*;

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
