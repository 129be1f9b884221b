//! NPV distribution: histogram with the loss side in red, P(NPV < 0), P10/P50/P90 and mean.

use plotters::coord::Shift;

use super::*;
use crate::format::{money, percent};

/// Inputs of [`npv_chart`].
#[derive(Clone, Debug)]
pub struct NpvData {
    /// NPV of a sample of trials.
    pub values: Vec<f64>,
    /// Share of all trials with NPV < 0.
    pub prob_negative: f64,
    /// Mean NPV over all trials.
    pub mean: f64,
    /// 10th percentile of NPV.
    pub p10: f64,
    /// Median NPV.
    pub p50: f64,
    /// 90th percentile of NPV.
    pub p90: f64,
    /// Annual discount rate as a share (0.1 = 10%/yr).
    pub discount_rate: f64,
}

/// Draws the NPV histogram. Non-finite values are skipped; non-finite statistics are not
/// marked.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn npv_chart(
    data: &NpvData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&NpvChart { data, meta }, format)
}

struct NpvChart<'a> {
    data: &'a NpvData,
    meta: &'a ChartMeta,
}

impl Chart for NpvChart<'_> {
    const NAME: &'static str = "NPV";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let style = self.meta.number_style;
        let title = titled(self.meta, "net present value (NPV)");
        let values = finite(&d.values);
        if values.is_empty() {
            return draw_no_data(root, self.meta, &title, "no NPV values to plot");
        }
        let area = frame(root, self.meta, &title, &[self.facts()])?;
        let plot_area = legend_above(
            &area,
            &[
                (
                    Swatch::Box(RED.mix(0.7)),
                    "trials losing money (NPV < 0)".to_string(),
                ),
                (Swatch::Box(BLUE.mix(0.75)), "NPV ≥ 0".to_string()),
                (Swatch::Dashed(MARKER), "P10 / P50 / P90".to_string()),
                (Swatch::Line(PURPLE, 2), "mean".to_string()),
            ],
        )?;

        let hist = Histogram::of(&values);
        let x = padded(Some((hist.start, hist.end())), 0.02);
        let y = (0.0, (hist.max_share() * 1.18).max(1.0));
        let x_fmt = |v: &f64| money(*v, style);
        let (x_ticks, _) = fitted_ticks(x.0, x.1, 8, 820, &x_fmt);
        let (y_ticks, y_step) = nice_ticks(y.0, y.1, 6);
        let y_fmt = |v: &f64| tick_percent(*v, y_step);
        let x_desc = self.x_desc();
        let m = Plot::new(
            PlotAxis::new(x, x_ticks, &x_fmt, &x_desc),
            PlotAxis::new(y, y_ticks, &y_fmt, "share of trials (%)"),
        )
        .grid(false, true)
        .margin(44, 20)
        .draw(&plot_area)?;

        hist.draw(root, &m)?;
        let zero_px = (x.0 <= 0.0 && 0.0 <= x.1).then(|| m.xp(0.0));
        if let Some(zx) = zero_px {
            value_line(root, &m, zx, 2)?;
        }
        let marks = self.draw_markers(root, &m)?;
        self.draw_loss_share(root, &m, zero_px, &marks)?;
        draw_marker_labels(root, &m, &marks)
    }
}

impl NpvChart<'_> {
    /// The subtitle: P(NPV < 0), the mean and the P10–P90 range.
    fn facts(&self) -> String {
        let (d, style) = (self.data, self.meta.number_style);
        let mut facts = vec![format!("P(NPV < 0) = {}", percent(d.prob_negative))];
        if d.mean.is_finite() {
            facts.push(format!("mean {}", amount(self.meta, d.mean)));
        }
        if d.p10.is_finite() && d.p90.is_finite() {
            facts.push(format!(
                "80% of trials between {} and {} (P10–P90)",
                money(d.p10, style),
                money(d.p90, style)
            ));
        }
        facts.join("  ·  ")
    }

    fn x_desc(&self) -> String {
        let rate = self.data.discount_rate;
        if rate.is_finite() {
            format!(
                "NPV ({}discounted at {}/yr)",
                currency_prefix(self.meta),
                rate_text(rate)
            )
        } else {
            format!("NPV{}", currency_suffix(self.meta))
        }
    }

    /// P10, P50, mean and P90 as lines across the plot; returns their labels' marks.
    fn draw_markers<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
    ) -> DrawResult<Vec<(i32, String, RGBColor)>> {
        let d = self.data;
        let mut marks = Vec::new();
        for (name, v, color, dashed) in [
            ("P10", d.p10, MARKER, true),
            ("P50", d.p50, MARKER, true),
            ("mean", d.mean, PURPLE, false),
            ("P90", d.p90, MARKER, true),
        ] {
            if !v.is_finite() {
                continue;
            }
            let px = m.xp(v);
            if dashed {
                let width = if name == "P50" { 2 } else { 1 };
                dashed_vline(root, m, px, color.stroke_width(width))?;
            } else {
                root.draw(&PathElement::new(
                    vec![(px, m.top()), (px, m.bottom())],
                    color.stroke_width(2),
                ))
                .de()?;
            }
            let text = format!("{name} {}", money(v, self.meta.number_style));
            marks.push((px, text, color));
        }
        Ok(marks)
    }

    /// The loss probability at the top of the plot, beside the zero line where no marker
    /// line crosses it (markers run the plot's full height).
    fn draw_loss_share<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        m: &Mapper,
        zero_px: Option<i32>,
        marks: &[(i32, String, RGBColor)],
    ) -> DrawResult {
        let p_text = format!("P(NPV < 0) = {}", percent(self.data.prob_negative));
        let w = text_width(&p_text, LABEL_SIZE + 1.0) + 8;
        let lines: Vec<i32> = marks.iter().map(|k| k.0).chain(zero_px).collect();
        let free = |x0: i32| {
            x0 >= m.left() + 2
                && x0 + w <= m.right() - 2
                && lines.iter().all(|l| *l < x0 - 2 || *l > x0 + w + 2)
        };
        let near = zero_px.unwrap_or(m.left());
        let spot = [near - 10 - w, near + 10, m.left() + 8, m.right() - 8 - w]
            .into_iter()
            .chain((m.left()..m.right() - w).step_by(10))
            .find(|x0| free(*x0));
        match spot {
            Some(x0) => draw_boxed_text(
                root,
                &p_text,
                ((x0 + 4, m.top() + 8), TOP_LEFT),
                LABEL_SIZE + 1.0,
                darker(RED),
            ),
            None => Ok(()),
        }
    }
}

/// The NPV histogram: bins aligned on multiples of a nice width, so 0 is always a bin edge.
struct Histogram {
    /// The first bin's left edge.
    start: f64,
    /// Bin width.
    width: f64,
    /// Share of the values in each bin, in percent.
    shares: Vec<f64>,
}

impl Histogram {
    /// Bins over the values' range, and zero's when it is close enough to matter.
    fn of(values: &[f64]) -> Self {
        let (lo, hi) = min_max(values.iter().copied()).unwrap_or((0.0, 1.0));
        let (lo, hi) = padded(Some((lo, hi)), 0.0);
        let near = 0.25 * (hi - lo);
        let (lo, hi) = if lo - near <= 0.0 && 0.0 <= hi + near {
            (lo.min(0.0), hi.max(0.0))
        } else {
            (lo, hi)
        };
        let w = nice_step(hi - lo, 45);
        let start = (lo / w).floor() * w;
        let n_bins = (((hi - start) / w).floor() as usize + 1).clamp(1, 400);
        let mut counts = vec![0usize; n_bins];
        for &v in values {
            let i = ((v - start) / w).floor();
            counts[(i.max(0.0) as usize).min(n_bins - 1)] += 1;
        }
        let total = values.len() as f64;
        Histogram {
            start,
            width: w,
            shares: counts.iter().map(|&c| c as f64 / total * 100.0).collect(),
        }
    }

    /// The last bin's right edge.
    fn end(&self) -> f64 {
        self.start + self.shares.len() as f64 * self.width
    }

    fn max_share(&self) -> f64 {
        self.shares.iter().copied().fold(0.0, f64::max)
    }

    /// The bars: red for bins wholly below zero (losses), blue for the others.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, m: &Mapper) -> DrawResult {
        let (start, w) = (self.start, self.width);
        for (i, &share) in self.shares.iter().enumerate() {
            let (a, b) = (start + i as f64 * w, start + (i + 1) as f64 * w);
            let color = if b <= 0.0 {
                RED.mix(0.7)
            } else {
                BLUE.mix(0.75)
            };
            histogram_bar(root, m, (a, b), share, color)?;
        }
        Ok(())
    }
}

/// `"CNY, "` for axis labels that continue after the currency; empty without a currency.
fn currency_prefix(meta: &ChartMeta) -> String {
    let c = meta.currency.trim();
    if c.is_empty() {
        String::new()
    } else {
        format!("{c}, ")
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake(n: usize, center: f64, spread: f64) -> NpvData {
        let mut rng = Lcg(11);
        let mut values: Vec<f64> = (0..n)
            .map(|_| center + spread * rng.normal() + spread * 0.3 * rng.normal().powi(2))
            .collect();
        values.sort_by(f64::total_cmp);
        let q = |p: f64| values[((n as f64 - 1.0) * p) as usize];
        NpvData {
            prob_negative: values.iter().filter(|v| **v < 0.0).count() as f64 / n as f64,
            mean: values.iter().sum::<f64>() / n as f64,
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            discount_rate: 0.1,
            values,
        }
    }

    #[test]
    fn npv_chart_renders_png_and_svg() {
        let data = fake(5000, 600_000.0, 450_000.0);
        let png = npv_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("npv.png", &png);
        let svg = npv_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("npv.svg", &svg);
        check_svg(
            &svg,
            &[
                "Cloud office IM: net present value",
                "P(NPV < 0) = ",
                "P10",
                "P50",
                "P90",
                "mean",
                "NPV (CNY, discounted at 10%/yr)",
            ],
        );
        // Chinese readers: 万/亿 amounts and a Chinese scenario name.
        let wan = ChartMeta {
            scenario: "云办公即时通讯".into(),
            number_style: crate::format::NumberStyle::Wan,
            ..meta()
        };
        let png = npv_chart(&data, &wan, ChartFormat::Png).unwrap();
        check_png(&png);
        save("npv_wan.png", &png);
        let svg = npv_chart(&data, &wan, ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "云办公即时通讯: net present value",
                "50万",
                "mean 72.8万 CNY",
            ],
        );
    }

    #[test]
    fn npv_chart_survives_edge_cases() {
        let base = fake(50, 1000.0, 10.0);
        let cases = [
            NpvData {
                values: vec![],
                ..base.clone()
            },
            NpvData {
                values: vec![42.0],
                ..base.clone()
            },
            NpvData {
                values: vec![-5.0; 100],
                mean: -5.0,
                p10: -5.0,
                p50: -5.0,
                p90: -5.0,
                ..base.clone()
            },
            NpvData {
                values: vec![f64::NAN, 1.0, f64::NEG_INFINITY, 1e300, -1e300],
                mean: f64::NAN,
                discount_rate: f64::NAN,
                prob_negative: f64::NAN,
                ..base.clone()
            },
            NpvData {
                values: vec![0.0, 0.0],
                ..base.clone()
            },
        ];
        renders_all(&cases, npv_chart);
        // Absurd magnitudes in the long Plain style still draw.
        let plain = ChartMeta {
            number_style: crate::format::NumberStyle::Plain,
            ..meta()
        };
        let huge = NpvData {
            values: vec![-1e250, 3e250, 1e250],
            p10: -1e250,
            p50: 1e250,
            p90: 3e250,
            mean: 1e250,
            ..base.clone()
        };
        for format in [ChartFormat::Png, ChartFormat::Svg] {
            let out = npv_chart(&huge, &plain, format);
            assert!(out.is_ok(), "huge {format}: {:?}", out.err());
        }
        save(
            "npv_huge_plain.png",
            &npv_chart(&huge, &plain, ChartFormat::Png).unwrap(),
        );
        let empty = npv_chart(&cases[0], &meta(), ChartFormat::Svg).unwrap();
        check_svg(&empty, &["no NPV values to plot"]);
        save(
            "npv_empty.png",
            &npv_chart(&cases[0], &meta(), ChartFormat::Png).unwrap(),
        );
        save(
            "npv_all_equal.png",
            &npv_chart(&cases[2], &meta(), ChartFormat::Png).unwrap(),
        );
    }
}
