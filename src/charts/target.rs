//! What decides a rule: the Kolmogorov–Smirnov distance between each input's draws in the
//! trials that meet the rule and in those that do not, as horizontal bars, largest on top.

use plotters::coord::Shift;

use super::*;

/// Inputs of [`ks_chart`].
#[derive(Clone, Debug)]
pub struct KsData {
    /// The rule as printed, e.g. `"payback ≤ 24"`.
    pub rule: String,
    /// One row per input, in drawing order (largest distance first).
    pub rows: Vec<KsRow>,
}

/// One input of a [`ks_chart`].
#[derive(Clone, Debug)]
pub struct KsRow {
    /// Input name (may be Chinese).
    pub input: String,
    /// KS distance in [0, 1].
    pub ks: f64,
    /// Its p-value.
    pub p: f64,
}

/// Draws the KS distances. Rows with a non-finite distance are left out.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn ks_chart(
    data: &KsData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&KsChart { data, meta }, format)
}

struct KsChart<'a> {
    data: &'a KsData,
    meta: &'a ChartMeta,
}

/// `0.42 · p < 0.001`.
fn ks_label(r: &KsRow) -> String {
    let p = if r.p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {}", crate::format::value(r.p))
    };
    format!("{:.3} · {p}", r.ks)
}

impl Chart for KsChart<'_> {
    const NAME: &'static str = "decision rule";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let title = titled(self.meta, &format!("what decides whether {}", d.rule));
        let rows: Vec<&KsRow> = d.rows.iter().filter(|r| r.ks.is_finite()).collect();
        if rows.is_empty() {
            return draw_no_data(
                root,
                self.meta,
                &title,
                "every trial falls on the same side of the rule: nothing to split",
            );
        }
        let subtitle = vec![
            "Kolmogorov–Smirnov distance between an input's draws in the trials that meet the rule and in those that do not".to_string(),
            "0 = no difference, 1 = no overlap  ·  grey: p ≥ 0.05, no clearer than chance".to_string(),
        ];
        let area = frame(root, self.meta, &title, &subtitle)?;
        let names: Vec<String> = rows.iter().map(|r| r.input.clone()).collect();
        let hi = rows
            .iter()
            .map(|r| r.ks)
            .fold(0.0f64, f64::max)
            .clamp(0.05, 1.0);
        let hi = (hi * 10.0).ceil() / 10.0;
        let bars: Vec<Bar> = rows
            .iter()
            .map(|r| Bar {
                value: r.ks.clamp(0.0, 1.0),
                color: if r.p < 0.05 { BLUE } else { MUTED }.mix(0.8),
                label: ks_label(r),
            })
            .collect();
        let fmt = |v: &f64| tick_number(*v, 0.1);
        let axis = BarAxis::with_room(
            &names,
            (0.0, hi),
            (widest_label(&bars) + 14, bar_plot_px(&names)),
            &fmt,
            "Kolmogorov–Smirnov distance",
        );
        let m = hbar_frame(root, &area, axis)?;
        draw_bars(root, &m, &bars, 0.62)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    fn fake() -> KsData {
        let row = |input: &str, ks: f64, p: f64| KsRow {
            input: input.into(),
            ks,
            p,
        };
        KsData {
            rule: "payback ≤ 24".into(),
            rows: vec![
                row("adoption rate", 0.46, 1e-30),
                row("minutes saved per user per day", 0.31, 1e-12),
                row("licence price per seat", 0.08, 0.004),
                row("churn of users", 0.012, 0.71),
            ],
        }
    }

    #[test]
    fn ks_chart_renders_png_and_svg() {
        let data = fake();
        let png = ks_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("target_ks.png", &png);
        let svg = ks_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        check_svg(
            &svg,
            &[
                "what decides whether payback ≤ 24",
                "adoption rate",
                "0.460 · p < 0.001",
                "0.012 · p = 0.71",
            ],
        );
    }

    #[test]
    fn ks_chart_survives_edge_cases() {
        let base = fake();
        let cases = [
            KsData {
                rows: vec![],
                ..base.clone()
            },
            KsData {
                rows: vec![KsRow {
                    input: "x".into(),
                    ks: f64::NAN,
                    p: f64::NAN,
                }],
                ..base.clone()
            },
            KsData {
                rows: vec![KsRow {
                    input: "x".into(),
                    ks: 0.0,
                    p: 1.0,
                }],
                ..base.clone()
            },
        ];
        renders_all(&cases, ks_chart);
    }
}
