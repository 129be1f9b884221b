//! Tornado chart: the output with one input at a time at its low and its high value, as
//! horizontal bars around the base case, widest on top.

use plotters::coord::Shift;

use super::*;

/// Inputs of [`tornado_chart`].
#[derive(Clone, Debug)]
pub struct TornadoData {
    /// What the x axis shows, e.g. `"payback (months)"` or `"NPV (CNY)"`.
    pub output_label: String,
    /// Output of the base case; `None` = the base case does not pay back within the horizon.
    pub base: Option<f64>,
    /// Horizon in months, for payback outputs (where bar ends can be `None`).
    pub horizon: Option<f64>,
    /// Rows in drawing order (widest first).
    pub rows: Vec<TornadoRow>,
}

/// One input of a tornado chart.
#[derive(Clone, Debug)]
pub struct TornadoRow {
    /// Input name (may be Chinese).
    pub input: String,
    /// The input value at its low percentile, in its own units, already formatted.
    pub low_label: String,
    /// The input value at its high percentile, already formatted.
    pub high_label: String,
    /// Output with the input at its low value; `None` = no payback within the horizon.
    pub output_low: Option<f64>,
    /// Output with the input at its high value; `None` = no payback within the horizon.
    pub output_high: Option<f64>,
}

/// Draws the tornado chart. Bar ends that are `None` run to the horizon (or the right edge),
/// hatched, labelled "> H months (no payback)". NaN ends are left out.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn tornado_chart(
    data: &TornadoData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    let words = None;
    render(&TornadoChart { data, meta, words }, format)
}

/// The words of a tornado that is not a one-at-a-time swing (the probability of a rule
/// with each input in its lowest or highest decile).
#[derive(Clone, Debug)]
pub struct TornadoWords {
    /// What the title says moves (after "what moves").
    pub title: String,
    /// The line under the title.
    pub subtitle: String,
    /// Legend of the low and the high bars.
    pub legend: [String; 2],
    /// Label of the reference line.
    pub base: String,
    /// Values are percentages (ticks and labels get a `%`).
    pub percent: bool,
}

/// [`tornado_chart`] with its own words (the bars, labels and layout are the same).
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn tornado_chart_with(
    data: &TornadoData,
    words: &TornadoWords,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    let words = Some(words);
    render(&TornadoChart { data, meta, words }, format)
}

struct TornadoChart<'a> {
    data: &'a TornadoData,
    meta: &'a ChartMeta,
    words: Option<&'a TornadoWords>,
}

/// A bar end: a finite output, beyond the horizon, or nothing to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
enum End {
    Value(f64),
    Beyond,
    Missing,
}

fn end(v: Option<f64>) -> End {
    match v {
        None => End::Beyond,
        Some(x) if x.is_finite() => End::Value(x),
        Some(_) => End::Missing,
    }
}

/// What the tornado's words and layout work from.
struct Setup {
    /// The horizon, when finite.
    horizon: Option<f64>,
    /// The horizon in words (`36`).
    hs: Option<String>,
    /// The base case's output, when finite.
    base: Option<f64>,
    /// Every finite bar end.
    values: Vec<f64>,
    /// Some bar end lies beyond the horizon.
    any_beyond: bool,
    /// Where the bars start: the base case, else the horizon, else the mean bar end.
    reference: f64,
}

impl Chart for TornadoChart<'_> {
    const NAME: &'static str = "tornado";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let title = self.title();
        if d.rows.is_empty() {
            return draw_no_data(root, self.meta, &title, "no inputs to compare");
        }
        let s = self.setup();
        let area = frame(root, self.meta, &title, &[self.subtitle(&s)])?;
        let (legend_area, plot_area) = area.split_vertically(26);
        legend_row(&legend_area, &self.legend(&s), (60, 12))?;

        let beyond = |label: &str| self.beyond_text(&s, label);
        let names: Vec<String> = d.rows.iter().map(|r| r.input.clone()).collect();
        let ((lo, hi), x) = self.x_range(&s, &names, &beyond);
        let x_fmt = |v: &f64| self.value_text(*v);
        let tick_px = (bar_plot_px(&names) as f64 * (hi - lo) / (x.1 - x.0)) as i32;
        let (ticks, _) = fitted_ticks(lo, hi, 6, tick_px, &x_fmt);
        let axis = BarAxis {
            names: &names,
            x,
            ticks,
            fmt: &x_fmt,
            desc: d.output_label.trim(),
            margin_top: 30,
        };
        let m = hbar_frame(root, &plot_area, axis)?;
        let n = d.rows.len();
        let bars = Bars {
            m,
            half: bar_half(&m, n, 0.64),
            ref_px: m.xp(s.reference),
            beyond_x: s.horizon.unwrap_or(hi).min(hi),
            reference: s.reference,
        };
        for (i, r) in d.rows.iter().enumerate() {
            bars.draw_row(root, r, m.yp(row_y(i, n)), &beyond)?;
        }
        // The base line and its label above the plot.
        value_line(root, &m, bars.ref_px, 2)?;
        draw_marker_labels(root, &m, &[(bars.ref_px, self.base_text(&s), INK)])
    }
}

impl TornadoChart<'_> {
    /// An output value as the axis and labels write it.
    fn value_text(&self, x: f64) -> String {
        if self.words.is_some_and(|w| w.percent) {
            format!("{}%", crate::format::thousands(x, 0))
        } else {
            value_label(x, self.meta.number_style)
        }
    }

    fn title(&self) -> String {
        let out = self.data.output_label.trim();
        let what = match self.words {
            Some(w) => w.title.as_str(),
            None if out.is_empty() => "the result",
            None => out,
        };
        titled(self.meta, &format!("what moves {what}"))
    }

    fn setup(&self) -> Setup {
        let d = self.data;
        let horizon = d.horizon.filter(|h| h.is_finite());
        let base = d.base.filter(|b| b.is_finite());
        let values: Vec<f64> = d
            .rows
            .iter()
            .flat_map(|r| [r.output_low, r.output_high])
            .filter_map(|v| v.filter(|x| x.is_finite()))
            .collect();
        let any_beyond = d
            .rows
            .iter()
            .any(|r| r.output_low.is_none() || r.output_high.is_none());
        let reference = base.or(horizon).unwrap_or_else(|| {
            if values.is_empty() {
                0.0
            } else {
                values.iter().sum::<f64>() / values.len() as f64
            }
        });
        Setup {
            horizon,
            hs: horizon.map(whole_months),
            base,
            values,
            any_beyond,
            reference,
        }
    }

    /// The label of a bar end beyond the horizon.
    fn beyond_text(&self, s: &Setup, label: &str) -> String {
        let what = match &s.hs {
            Some(h) => format!("> {h} months (no payback)"),
            None => "no payback".to_string(),
        };
        if label.trim().is_empty() {
            what
        } else {
            format!("{label}: {what}")
        }
    }

    fn subtitle(&self, s: &Setup) -> String {
        if let Some(w) = self.words {
            return w.subtitle.clone();
        }
        let out = self.data.output_label.trim();
        match (s.base, self.data.base, &s.hs) {
            (Some(b), _, _) => format!(
                "base case {} = {}  ·  bars: one input at its low or high value, all others at base",
                if out.is_empty() { "result" } else { out },
                self.value_text(b)
            ),
            (None, None, Some(h)) => format!(
                "the base case does not pay back within {h} months  ·  bars start at the horizon"
            ),
            (None, None, None) => {
                "the base case does not pay back  ·  bars start at the right edge".to_string()
            }
            (None, Some(_), _) => "the base case could not be evaluated".to_string(),
        }
    }

    fn legend(&self, s: &Setup) -> Vec<(Swatch, String)> {
        let [low_text, high_text] = self.words.map(|w| w.legend.clone()).unwrap_or([
            "input at its low value".to_string(),
            "input at its high value".to_string(),
        ]);
        let mut legend = vec![
            (Swatch::Box(BLUE.mix(0.8)), low_text),
            (Swatch::Box(ORANGE.mix(0.8)), high_text),
        ];
        if s.any_beyond {
            legend.push((
                Swatch::Hatch(RED),
                match &s.hs {
                    Some(h) => format!("no payback within {h} months"),
                    None => "no payback".to_string(),
                },
            ));
        }
        legend
    }

    /// The data range `(lo, hi)` the ticks cover, and the x range: widened on each side so
    /// the labels outside the bar ends fit.
    fn x_range(
        &self,
        s: &Setup,
        names: &[String],
        beyond: &dyn Fn(&str) -> String,
    ) -> ((f64, f64), (f64, f64)) {
        let mut span: Vec<f64> = s.values.clone();
        span.push(s.reference);
        if s.any_beyond
            && let Some(h) = s.horizon
        {
            span.push(h);
        }
        let (lo, hi) = padded(min_max(span), 0.04);
        let (mut left_px, mut right_px) = (0, 0);
        for r in &self.data.rows {
            for (right, pieces) in row_labels(r, s.reference, beyond) {
                let w = pieces_width(&pieces) + 12;
                if right {
                    right_px = right_px.max(w);
                } else {
                    left_px = left_px.max(w);
                }
            }
        }
        let plot_px = bar_plot_px(names);
        let share = ((left_px + right_px) as f64 / plot_px as f64).min(0.6);
        let total = (hi - lo) / (1.0 - share);
        let x = (
            lo - left_px as f64 / plot_px as f64 * total,
            hi + right_px as f64 / plot_px as f64 * total,
        );
        ((lo, hi), x)
    }

    /// The label of the base line.
    fn base_text(&self, s: &Setup) -> String {
        match (s.base, &s.hs, self.words) {
            (Some(b), _, Some(w)) => format!("{} {}", w.base, self.value_text(b)),
            (Some(b), _, None) => format!("base case {}", self.value_text(b)),
            (None, Some(h), _) => format!("base case: > {h} months"),
            (None, None, _) => "reference".to_string(),
        }
    }
}

/// The drawn bars' geometry.
struct Bars {
    m: Mapper,
    /// Half a bar's height in pixels.
    half: i32,
    /// Pixel column of the reference.
    ref_px: i32,
    /// Where an end beyond the horizon is drawn, in data units.
    beyond_x: f64,
    /// The reference, in data units.
    reference: f64,
}

impl Bars {
    /// Pixel column of a bar end (none for a missing one).
    fn px_of(&self, e: End) -> Option<i32> {
        match e {
            End::Value(v) => Some(self.m.xp(v)),
            End::Beyond => Some(self.m.xp(self.beyond_x)),
            End::Missing => None,
        }
    }

    /// One input's two bars at pixel row `y` (halves of the row when both lie on one side),
    /// hatched where they reach beyond the horizon, and their labels beside the outer ends.
    fn draw_row<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        r: &TornadoRow,
        y: i32,
        beyond: &dyn Fn(&str) -> String,
    ) -> DrawResult {
        let (half, ref_px) = (self.half, self.ref_px);
        let ends = [end(r.output_low), end(r.output_high)];
        let split = is_split(ends, self.reference);
        for (k, (e, color)) in ends.into_iter().zip([BLUE, ORANGE]).enumerate() {
            let rows = match (split, k) {
                (true, 0) => (y - half, y),
                (true, _) => (y, y + half),
                _ => (y - half, y + half),
            };
            let Some(px) = self.px_of(e) else { continue };
            if e == End::Beyond {
                let ((a, b), (y0, y1)) = (bar_ends(ref_px, px), rows);
                root.draw(&Rectangle::new([(a, y0), (b, y1)], RED.mix(0.1).filled()))
                    .de()?;
                hatch(root, (a, y0), (b, y1), RED)?;
                root.draw(&Rectangle::new([(a, y0), (b, y1)], color.stroke_width(2)))
                    .de()?;
            } else {
                fill_bar(root, (ref_px, px), rows, color.mix(0.8))?;
            }
        }
        // Labels beside the outer end of each side, centred on the row.
        for (right, pieces) in row_labels(r, self.reference, beyond) {
            let outer = ends
                .iter()
                .filter(|e| side(**e, self.reference) == Some(right))
                .filter_map(|e| self.px_of(*e))
                .reduce(|a, b| if right { a.max(b) } else { a.min(b) })
                .unwrap_or(ref_px);
            let x0 = if right {
                outer + 6
            } else {
                outer - 6 - pieces_width(&pieces)
            };
            draw_pieces(root, &pieces, (x0, y))?;
        }
        Ok(())
    }
}

/// Which side of the reference a bar end lies on (`true` = right); none for a missing end.
fn side(e: End, reference: f64) -> Option<bool> {
    match e {
        End::Value(v) => Some(v >= reference),
        End::Beyond => Some(true),
        End::Missing => None,
    }
}

/// Both ends on the same side of the base: the row is split so both bars show.
fn is_split(ends: [End; 2], reference: f64) -> bool {
    let s = side(ends[0], reference);
    s.is_some() && s == side(ends[1], reference)
}

/// A label drawn in pieces of different colours, left to right.
type Pieces = Vec<(String, RGBColor)>;

/// The labels of a row, one per side used (`true` = right of the bars): each end's input
/// value beside its bar; when both ends lie on one side, one line at the outer end with
/// both values in their bars' colours (low first), so they never print on top of each
/// other; an input that does not move the output says so.
fn row_labels(
    r: &TornadoRow,
    reference: f64,
    beyond: &dyn Fn(&str) -> String,
) -> Vec<(bool, Pieces)> {
    let ends = [end(r.output_low), end(r.output_high)];
    let labels = [&r.low_label, &r.high_label];
    let text = |k: usize| match ends[k] {
        End::Beyond => beyond(labels[k]),
        _ => labels[k].clone(),
    };
    let ink = |k: usize| {
        if ends[k] == End::Beyond {
            darker(RED)
        } else {
            INK
        }
    };
    if !is_split(ends, reference) {
        return (0..2)
            .filter_map(|k| side(ends[k], reference).map(|s| (s, vec![(text(k), ink(k))])))
            .collect();
    }
    let right = side(ends[0], reference).unwrap_or(true);
    let both = format!("{} · {}", labels[0], labels[1]);
    let pieces = if ends == [End::Beyond; 2] {
        vec![(beyond(&both), darker(RED))]
    } else if ends[0] == ends[1] {
        vec![(format!("{both}: no effect"), MUTED)]
    } else {
        let colour = |k: usize, c: RGBColor| {
            if ends[k] == End::Beyond {
                darker(RED)
            } else {
                darker(c)
            }
        };
        vec![
            (text(0), colour(0, BLUE)),
            ("  ".to_string(), INK),
            (text(1), colour(1, ORANGE)),
        ]
    };
    vec![(right, pieces)]
}

fn pieces_width(p: &Pieces) -> i32 {
    p.iter().map(|(t, _)| text_width(t, LABEL_SIZE)).sum()
}

fn draw_pieces<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pieces: &Pieces,
    (x, y): (i32, i32),
) -> DrawResult {
    let mut x = x;
    for (t, c) in pieces {
        if !t.trim().is_empty() {
            draw_text(root, t, (x, y), LABEL_SIZE, *c, CENTER_LEFT)?;
        }
        x += text_width(t, LABEL_SIZE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> TornadoData {
        let row = |input: &str, lo: &str, hi: &str, a: Option<f64>, b: Option<f64>| TornadoRow {
            input: input.into(),
            low_label: lo.into(),
            high_label: hi.into(),
            output_low: a,
            output_high: b,
        };
        TornadoData {
            output_label: "payback (months)".into(),
            base: Some(14.2),
            horizon: Some(36.0),
            rows: vec![
                row("adoption rate", "35%", "85%", None, Some(10.1)),
                row(
                    "licence price per seat",
                    "60 CNY",
                    "110 CNY",
                    Some(11.0),
                    Some(21.5),
                ),
                row(
                    "minutes saved per user per day",
                    "4 min",
                    "18 min",
                    Some(20.3),
                    Some(10.6),
                ),
                row(
                    "implementation cost",
                    "280k CNY",
                    "620k CNY",
                    Some(12.1),
                    Some(17.9),
                ),
                row(
                    "hourly staff cost",
                    "95 CNY",
                    "160 CNY",
                    Some(16.8),
                    Some(12.4),
                ),
                row("churn of users", "1%/yr", "6%/yr", Some(14.0), Some(15.3)),
            ],
        }
    }

    #[test]
    fn tornado_chart_renders_png_and_svg() {
        let data = fake();
        let png = tornado_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("tornado.png", &png);
        let svg = tornado_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("tornado.svg", &svg);
        check_svg(
            &svg,
            &[
                "what moves payback (months)",
                "adoption rate",
                "35%: > 36 months (no payback)",
                "60 CNY",
                "110 CNY",
                "base case 14.2",
            ],
        );
    }

    #[test]
    fn tornado_chart_handles_a_base_case_without_payback() {
        let mut data = fake();
        data.base = None;
        data.rows[1].output_high = None;
        let svg = tornado_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "the base case does not pay back within 36 months",
                "110 CNY: > 36 months (no payback)",
            ],
        );
        let png = tornado_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("tornado_no_base.png", &png);
    }

    #[test]
    fn tornado_chart_survives_edge_cases() {
        let base = fake();
        let cases = [
            TornadoData {
                rows: vec![],
                ..base.clone()
            },
            TornadoData {
                rows: vec![base.rows[0].clone()],
                base: None,
                horizon: None,
                ..base.clone()
            },
            TornadoData {
                rows: vec![TornadoRow {
                    output_low: Some(f64::NAN),
                    output_high: Some(f64::INFINITY),
                    ..base.rows[1].clone()
                }],
                base: Some(f64::NAN),
                ..base.clone()
            },
            TornadoData {
                rows: vec![TornadoRow {
                    output_low: Some(14.2),
                    output_high: Some(14.2),
                    ..base.rows[1].clone()
                }],
                ..base.clone()
            },
            TornadoData {
                rows: vec![TornadoRow {
                    output_low: None,
                    output_high: None,
                    ..base.rows[1].clone()
                }],
                base: None,
                ..base.clone()
            },
        ];
        renders_all(&cases, tornado_chart);
    }
}
