//! Legends (a row above the plot or a box inside it, with swatches) and markers: labels of
//! vertical markers packed in one row above the plot, dashed lines and hatching.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;

use super::*;

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

/// Draws `items` as a legend row along the top of `area`; returns the area below it.
pub(crate) fn legend_above<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(Swatch, String)],
) -> DrawResult<DrawingArea<DB, Shift>> {
    let (legend_area, plot_area) = area.split_vertically(26);
    legend_row(&legend_area, items, (60, 12))?;
    Ok(plot_area)
}

/// A data line through the pixel points `pts`: a dot at each, then the line over them.
pub(crate) fn dotted_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pts: Vec<(i32, i32)>,
    color: RGBColor,
) -> DrawResult {
    for &p in &pts {
        root.draw(&Circle::new(p, 3, color.filled())).de()?;
    }
    root.draw(&PathElement::new(pts, color.stroke_width(3)))
        .de()
}

/// A dashed vertical line across the plot at pixel column `x`.
pub(crate) fn dashed_vline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    x: i32,
    style: ShapeStyle,
) -> DrawResult {
    dashed_line(root, (x, m.top()), (x, m.bottom()), style)
}

/// A histogram bar over the data interval `a..b` up to `share` (nothing for an empty bin),
/// a pixel narrower than its bin when that leaves it at least 3 pixels wide, so that
/// neighbouring bars stand apart.
pub(crate) fn histogram_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mapper,
    (a, b): (f64, f64),
    share: f64,
    color: RGBAColor,
) -> DrawResult {
    if share <= 0.0 {
        return Ok(());
    }
    let (x0, x1) = (m.xp(a), m.xp(b));
    let x1 = if x1 - x0 >= 4 { x1 - 1 } else { x1 };
    root.draw(&Rectangle::new(
        [(x0, m.yp(share)), (x1, m.yp(0.0))],
        color.filled(),
    ))
    .de()
}
