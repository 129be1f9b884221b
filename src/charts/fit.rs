//! Distribution fits (`payback fit --out`): on the left, the data's histogram (as a density,
//! or probability per count) with the best fits' densities over it; on the right, a Q–Q
//! plot of the observed order statistics against each fit's quantiles, with the line on
//! which a perfect fit's points would fall.

use plotters::coord::Shift;

use super::*;

/// One fitted distribution, as drawn.
#[derive(Clone, Debug)]
pub struct FitCurve {
    /// Its name (`lognormal`).
    pub label: String,
    /// Drawn as points at counts rather than a curve?
    pub discrete: bool,
    /// (x, density or probability) over the data's range.
    pub density: Vec<(f64, f64)>,
    /// (fitted quantile, observed value) pairs.
    pub qq: Vec<(f64, f64)>,
}

/// Inputs of [`fit_chart`].
#[derive(Clone, Debug)]
pub struct FitData {
    /// The column's name.
    pub column: String,
    /// The observations.
    pub values: Vec<f64>,
    /// Whole counts (one bar per count when they span at most 80)?
    pub counts: bool,
    /// The best fits, best first (at most 10 are drawn).
    pub curves: Vec<FitCurve>,
}

/// Draws the fits chart. Non-finite numbers are skipped.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn fit_chart(
    data: &FitData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&FitChart { data, meta }, format)
}

struct FitChart<'a> {
    data: &'a FitData,
    meta: &'a ChartMeta,
}

/// Histogram bins: (left edge, width, density per unit).
fn bins(values: &[f64], counts: bool) -> Vec<(f64, f64, f64)> {
    let Some((lo, hi)) = min_max(values.iter().copied()) else {
        return Vec::new();
    };
    let (start, w) = if counts && hi - lo <= 80.0 {
        (lo - 0.5, 1.0)
    } else {
        let (lo, hi) = padded(Some((lo, hi)), 0.0);
        let w = nice_step(hi - lo, 40);
        ((lo / w).floor() * w, w)
    };
    let n_bins = (((hi - start) / w).floor() as usize + 1).clamp(1, 400);
    let mut c = vec![0usize; n_bins];
    for v in values.iter().filter(|v| v.is_finite()) {
        let i = ((v - start) / w).floor().max(0.0) as usize;
        c[i.min(n_bins - 1)] += 1;
    }
    let total = values.iter().filter(|v| v.is_finite()).count().max(1) as f64;
    c.iter()
        .enumerate()
        .map(|(i, k)| (start + i as f64 * w, w, *k as f64 / (total * w)))
        .collect()
}

impl Chart for FitChart<'_> {
    const NAME: &'static str = "fit";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let title = titled(self.meta, "which distribution fits the data");
        let values = finite(&d.values);
        if values.is_empty() {
            return draw_no_data(root, self.meta, &title, "no values to plot");
        }
        let curves: Vec<&FitCurve> = d.curves.iter().take(10).collect();
        let subtitle = format!(
            "{} values of `{}`: histogram with the best fits' {}; Q–Q plot of the data against each fit",
            crate::format::thousands(values.len() as f64, 0),
            d.column,
            if d.counts {
                "probabilities"
            } else {
                "densities"
            }
        );
        let area = frame(root, self.meta, &title, &[subtitle])?;
        let mut legend = vec![(Swatch::Box(BLUE.mix(0.25)), "data".to_string())];
        for (i, c) in curves.iter().enumerate() {
            let label = if i == 0 {
                format!("{} (best)", c.label)
            } else {
                c.label.clone()
            };
            legend.push((Swatch::Line(series_color(i + 1), 2), label));
        }
        let plots = legend_above(&area, &legend)?;
        let (w, _) = plots.dim_in_pixel();
        let (left, right) = plots.split_horizontally((w as f64 * 0.58) as i32);
        let panels = Panels {
            d,
            values: &values,
            curves: &curves,
        };
        panels.histogram(root, &left)?;
        panels.qq(root, &right)
    }
}

/// The fit chart's two panels: the data and what they are drawn against.
struct Panels<'a> {
    d: &'a FitData,
    /// The finite values.
    values: &'a [f64],
    /// The fits drawn, best first.
    curves: &'a [&'a FitCurve],
}

impl Panels<'_> {
    /// The histogram of the data with each fit's density (or probabilities) over it.
    fn histogram<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let (d, curves) = (self.d, self.curves);
        let hist = bins(self.values, d.counts);
        let x_range = min_max(
            hist.iter()
                .flat_map(|(a, w, _)| [*a, a + w])
                .chain(curves.iter().flat_map(|c| c.density.iter().map(|p| p.0))),
        );
        let x = padded(x_range, 0.02);
        let top = hist
            .iter()
            .map(|b| b.2)
            .chain(curves.iter().flat_map(|c| c.density.iter().map(|p| p.1)))
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y = (0.0, if top > 0.0 { top * 1.12 } else { 1.0 });
        let x_fmt = |v: &f64| value_label(*v, NumberStyle::Short);
        let (x_ticks, _) = fitted_ticks(x.0, x.1, 6, 440, &x_fmt);
        let (y_ticks, y_step) = nice_ticks(y.0, y.1, 6);
        let y_fmt = |v: &f64| tick_number(*v, y_step);
        let y_desc = if d.counts { "probability" } else { "density" };
        let m = Plot::new(
            PlotAxis::new(x, x_ticks, &x_fmt, &d.column),
            PlotAxis::new(y, y_ticks, &y_fmt, y_desc),
        )
        .grid(false, true)
        .margin(16, 16)
        .draw(area)?;
        for (a, w, h) in &hist {
            histogram_bar(root, &m, (*a, a + w), *h, BLUE.mix(0.25))?;
        }
        for (i, c) in curves.iter().enumerate().rev() {
            let color = series_color(i + 1);
            let pts: Vec<(i32, i32)> = c
                .density
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|p| m.p(p.0, p.1))
                .collect();
            let width = if i == 0 { 3 } else { 2 };
            root.draw(&PathElement::new(pts.clone(), color.stroke_width(width)))
                .de()?;
            if c.discrete && pts.len() <= 120 {
                for p in pts {
                    root.draw(&Circle::new(p, 3, color.filled())).de()?;
                }
            }
        }
        Ok(())
    }

    /// The Q–Q plot: each fit's quantiles against the data's, and the diagonal.
    fn qq<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let all = self
            .values
            .iter()
            .copied()
            .chain(self.curves.iter().flat_map(|c| c.qq.iter().map(|p| p.0)));
        let r = padded(min_max(all), 0.04);
        let fmt = |v: &f64| value_label(*v, NumberStyle::Short);
        let (ticks, _) = fitted_ticks(r.0, r.1, 5, 300, &fmt);
        let m = Plot::new(
            PlotAxis::new(r, ticks.clone(), &fmt, "fitted quantile"),
            PlotAxis::new(r, ticks, &fmt, "observed value"),
        )
        .margin(16, 20)
        .draw(area)?;
        dashed_line(root, m.p(r.0, r.0), m.p(r.1, r.1), MARKER.stroke_width(1))?;
        for (i, c) in self.curves.iter().enumerate().rev() {
            let color = series_color(i + 1);
            for p in c.qq.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
                let size = if i == 0 { 3 } else { 2 };
                root.draw(&Circle::new(m.p(p.0, p.1), size, color.mix(0.8).filled()))
                    .de()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    fn fake(n: usize) -> FitData {
        let mut rng = Lcg(5);
        let mut values: Vec<f64> = (0..n).map(|_| (2.5 + 0.6 * rng.normal()).exp()).collect();
        values.sort_by(f64::total_cmp);
        let pdf = |x: f64, s: f64| {
            (-(x.ln() - 2.5).powi(2) / (2.0 * s * s)).exp()
                / (x * s * (2.0 * std::f64::consts::PI).sqrt())
        };
        let curve = |label: &str, s: f64| FitCurve {
            label: label.into(),
            discrete: false,
            density: (1..300)
                .map(|i| (i as f64 * 0.3, pdf(i as f64 * 0.3, s)))
                .collect(),
            qq: values
                .iter()
                .enumerate()
                .step_by(5)
                .map(|(i, v)| {
                    let z = crate::distributions::normal::inv_phi((i as f64 + 0.5) / n as f64);
                    ((2.5 + s * z).exp(), *v)
                })
                .collect(),
        };
        FitData {
            column: "集成天数".into(),
            values: values.clone(),
            counts: false,
            curves: vec![curve("lognormal", 0.6), curve("gamma", 0.7)],
        }
    }

    #[test]
    fn fit_chart_renders_png_and_svg() {
        let data = fake(2000);
        let meta = ChartMeta {
            scenario: "集成天数".into(),
            footer: "2,000 values · bootstrap 200 · seed 42".into(),
            ..meta()
        };
        let png = fit_chart(&data, &meta, ChartFormat::Png).unwrap();
        check_png(&png);
        save("fit.png", &png);
        let svg = fit_chart(&data, &meta, ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "集成天数: which distribution fits the data",
                "lognormal (best)",
                "gamma",
                "fitted quantile",
                "observed value",
                "density",
            ],
        );
    }

    #[test]
    fn fit_chart_survives_edge_cases() {
        let base = fake(50);
        let counts = FitData {
            counts: true,
            values: vec![0.0, 1.0, 1.0, 2.0, 3.0, 3.0, 7.0],
            curves: vec![FitCurve {
                label: "poisson".into(),
                discrete: true,
                density: (0..8).map(|k| (k as f64, 0.1)).collect(),
                qq: vec![(0.0, 0.0), (1.0, 1.0)],
            }],
            ..base.clone()
        };
        let cases = [
            FitData {
                values: vec![],
                ..base.clone()
            },
            FitData {
                values: vec![f64::NAN, 1.0, f64::INFINITY],
                curves: vec![],
                ..base.clone()
            },
            FitData {
                values: vec![3.0; 10],
                ..base.clone()
            },
            counts,
        ];
        renders_all(&cases, fit_chart);
        save(
            "fit_counts.png",
            &fit_chart(&cases[3], &meta(), ChartFormat::Png).unwrap(),
        );
    }
}
