//! Where a chart's text lands, read back from its SVG: the box of every text and the line
//! segments drawn, and the two layout rules every chart keeps — labels do not overlap each
//! other, and a label is not crossed by a line it is not about.
//!
//! Boxes are measured with the chart font at the size the chart laid the text out with
//! (the SVG backend writes `font-size` as that size ÷ [`SVG_FONT_SCALE`]), so they are the
//! boxes the layout code reasoned about, and the PNG draws the same glyphs.

use super::{ChartError, chart_font};

/// The SVG backend writes a text of layout size `s` as `font-size = s / 1.24`.
pub const SVG_FONT_SCALE: f64 = 1.24;

/// The box of one `<text>` element, in canvas pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    /// The text (entities decoded).
    pub text: String,
    /// Left, top, right, bottom.
    pub rect: [f64; 4],
    /// Drawn rotated (axis descriptions): its box is not checked.
    pub rotated: bool,
    /// The fill colour as written (`#DC2626`).
    pub fill: String,
}

/// One straight piece of a `<line>` or `<polyline>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Start.
    pub a: (f64, f64),
    /// End.
    pub b: (f64, f64),
    /// The stroke colour as written (`#E5E7EB`).
    pub stroke: String,
}

/// Attributes of a start tag.
fn attrs(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.push((key, &after[..end]));
        rest = &after[end + 1..];
    }
    out
}

fn attr<'a>(a: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    a.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn num(a: &[(&str, &str)], key: &str) -> f64 {
    attr(a, key).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

/// `s` with the XML character entities of SVG and HTML text written out as characters.
pub fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every `<text>` of `svg` with its box. The chart font must be registered
/// ([`super::ensure_registered`]).
///
/// # Errors
/// [`ChartError::Draw`] when the font cannot measure a text.
pub fn text_boxes(svg: &str) -> Result<Vec<TextBox>, ChartError> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        let after = &rest[start..];
        let (Some(open_end), Some(close)) = (after.find('>'), after.find("</text>")) else {
            break;
        };
        let a = attrs(&after[..open_end]);
        let text = unescape_xml(after[open_end + 1..close].trim());
        rest = &after[close..];
        let size = num(&a, "font-size") * SVG_FONT_SCALE;
        let (w, h) = chart_font(size)
            .box_size(&text)
            .map_err(|e| ChartError::Draw {
                chart: "layout",
                message: format!("measuring {text:?}: {e:?}"),
            })?;
        let (w, h) = (w as f64, h as f64);
        let (x, y) = (num(&a, "x"), num(&a, "y"));
        let left = match attr(&a, "text-anchor") {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let top = match attr(&a, "dy") {
            Some("0.76em") => y,
            Some("-0.5ex") => y - h,
            _ => y - h / 2.0,
        };
        out.push(TextBox {
            text,
            rect: [left, top, left + w, top + h],
            rotated: attr(&a, "transform").is_some(),
            fill: attr(&a, "fill").unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

/// Every straight piece of every `<line>` and `<polyline>` of `svg`.
pub fn segments(svg: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for (tag, rest) in svg.split('<').filter_map(|t| t.split_once(' ')) {
        let end = rest.find('>').unwrap_or(rest.len());
        let a = attrs(&rest[..end]);
        let stroke = attr(&a, "stroke").unwrap_or("none").to_string();
        match tag {
            "line" => out.push(Segment {
                a: (num(&a, "x1"), num(&a, "y1")),
                b: (num(&a, "x2"), num(&a, "y2")),
                stroke,
            }),
            "polyline" => {
                let pts: Vec<(f64, f64)> = attr(&a, "points")
                    .unwrap_or("")
                    .split_whitespace()
                    .filter_map(|p| p.split_once(','))
                    .filter_map(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
                    .collect();
                for w in pts.windows(2) {
                    out.push(Segment {
                        a: w[0],
                        b: w[1],
                        stroke: stroke.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The rectangle shrunk by `by` on every side.
fn inset(r: [f64; 4], by: f64) -> [f64; 4] {
    [r[0] + by, r[1] + by, r[2] - by, r[3] - by]
}

/// Pairs of (unrotated, non-empty) texts whose boxes overlap by more than a pixel.
pub fn overlapping_texts(boxes: &[TextBox]) -> Vec<(String, String)> {
    let live: Vec<&TextBox> = boxes
        .iter()
        .filter(|b| !b.rotated && !b.text.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, p) in live.iter().enumerate() {
        for q in &live[i + 1..] {
            let (a, b) = (inset(p.rect, 1.0), inset(q.rect, 1.0));
            if a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] {
                out.push((p.text.clone(), q.text.clone()));
            }
        }
    }
    out
}

/// Whether the segment passes through the rectangle's interior (Liang–Barsky clipping).
fn crosses(s: &Segment, r: [f64; 4]) -> bool {
    if r[0] >= r[2] || r[1] >= r[3] {
        return false;
    }
    let (dx, dy) = (s.b.0 - s.a.0, s.b.1 - s.a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, s.a.0 - r[0]),
        (dx, r[2] - s.a.0),
        (-dy, s.a.1 - r[1]),
        (dy, r[3] - s.a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

/// Whether a pixel path passes through the rectangle `(x0, y0, x1, y1)`: for chart code
/// that places a label where no line crosses it.
pub(crate) fn path_crosses(rect: (i32, i32, i32, i32), path: &[(i32, i32)]) -> bool {
    let r = [rect.0 as f64, rect.1 as f64, rect.2 as f64, rect.3 as f64];
    path.windows(2).any(|w| {
        let s = Segment {
            a: (w[0].0 as f64, w[0].1 as f64),
            b: (w[1].0 as f64, w[1].1 as f64),
            stroke: String::new(),
        };
        crosses(&s, r)
    })
}

/// (text, stroke) of every unrotated text crossed by a segment, except the segments `skip`
/// accepts (grid lines, or the line a label is about).
pub fn crossed_texts(
    boxes: &[TextBox],
    segs: &[Segment],
    skip: &dyn Fn(&TextBox, &Segment) -> bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in boxes.iter().filter(|b| !b.rotated && !b.text.is_empty()) {
        let r = inset(b.rect, 1.5);
        for s in segs {
            if !skip(b, s) && crosses(s, r) {
                out.push((b.text.clone(), s.stroke.clone()));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_of_lines_and_polylines() {
        let svg = r##"<svg><line x1="1" y1="2" x2="3" y2="4" stroke="#E5E7EB"/><polyline fill="none" stroke="#111" points="0,0 10,0 10,5 "/></svg>"##;
        let s = segments(svg);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].a, (1.0, 2.0));
        assert_eq!(s[2].b, (10.0, 5.0));
        assert_eq!(s[1].stroke, "#111");
    }

    #[test]
    fn a_segment_crosses_a_box_only_through_its_interior() {
        let seg = |a, b| Segment {
            a,
            b,
            stroke: String::new(),
        };
        let r = [10.0, 10.0, 20.0, 20.0];
        assert!(crosses(&seg((15.0, 0.0), (15.0, 30.0)), r));
        assert!(crosses(&seg((0.0, 0.0), (30.0, 30.0)), r));
        assert!(!crosses(&seg((25.0, 0.0), (25.0, 30.0)), r));
        assert!(!crosses(&seg((0.0, 5.0), (30.0, 5.0)), r));
        assert!(!crosses(&seg((0.0, 0.0), (9.0, 9.0)), r));
    }

    #[test]
    fn overlapping_boxes_are_reported_once_per_pair() {
        let b = |t: &str, r| TextBox {
            text: t.into(),
            rect: r,
            rotated: false,
            fill: String::new(),
        };
        let boxes = [
            b("a", [0.0, 0.0, 10.0, 10.0]),
            b("b", [5.0, 5.0, 15.0, 15.0]),
            b("c", [10.5, 0.0, 20.0, 4.0]),
        ];
        assert_eq!(overlapping_texts(&boxes), vec![("a".into(), "b".into())]);
    }
}
