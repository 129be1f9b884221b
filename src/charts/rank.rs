//! Rank correlation (Spearman) of each input with the output, with its share of variance.

use plotters::coord::Shift;

use super::*;
use crate::format::{percent, thousands};

/// Inputs of [`rank_chart`].
#[derive(Clone, Debug)]
pub struct RankData {
    /// The output, e.g. `"payback (months)"`.
    pub output_label: String,
    /// One row per input (any order; drawn by |ρ|).
    pub rows: Vec<RankRow>,
}

/// One input's rank correlation with the output.
#[derive(Clone, Debug)]
pub struct RankRow {
    /// Input name (may be Chinese).
    pub input: String,
    /// Spearman rank correlation, in [-1, 1].
    pub spearman: f64,
    /// Contribution to the output's variance as a share (0.41 = 41%).
    pub contribution: f64,
}

/// Draws the rank-correlation chart, inputs sorted by |ρ| (strongest on top). Rows with a
/// non-finite ρ are left out.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn rank_chart(
    data: &RankData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&RankChart { data, meta }, format)
}

struct RankChart<'a> {
    data: &'a RankData,
    meta: &'a ChartMeta,
}

impl Chart for RankChart<'_> {
    const NAME: &'static str = "rank correlation";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let out = d.output_label.trim();
        let out = if out.is_empty() { "the output" } else { out };
        let title = titled(self.meta, &format!("inputs ranked by influence on {out}"));
        let mut rows: Vec<&RankRow> = d.rows.iter().filter(|r| r.spearman.is_finite()).collect();
        rows.sort_by(|a, b| b.spearman.abs().total_cmp(&a.spearman.abs()));
        if rows.is_empty() {
            return draw_no_data(root, self.meta, &title, "no rank correlations to plot");
        }
        let subtitle = vec![format!(
            "Spearman rank correlation ρ of each input with {out}  ·  label: ρ and share of variance explained"
        )];
        let area = frame(root, self.meta, &title, &subtitle)?;
        let (legend_area, plot_area) = area.split_vertically(26);
        legend_row(
            &legend_area,
            &[
                (
                    Swatch::Box(BLUE.mix(0.8)),
                    format!("higher input → higher {out}"),
                ),
                (
                    Swatch::Box(ORANGE.mix(0.8)),
                    format!("higher input → lower {out}"),
                ),
            ],
            (60, 12),
        )?;

        let label = |r: &RankRow| {
            let rho = format!("ρ {}", thousands(r.spearman, 2));
            if r.contribution.is_finite() {
                format!("{rho} · {}", percent(r.contribution))
            } else {
                rho
            }
        };
        let names: Vec<String> = rows.iter().map(|r| r.input.clone()).collect();
        let bars: Vec<Bar> = rows
            .iter()
            .map(|r| {
                let rho = clamp(r.spearman, -1.0, 1.0);
                Bar {
                    value: rho,
                    color: if rho >= 0.0 { BLUE } else { ORANGE }.mix(0.8),
                    label: label(r),
                }
            })
            .collect();
        let room = widest_label(&bars) + 14;
        let extra = room_for(room, 2.0, bar_plot_px(&names)).min(1.0);
        let desc = format!("rank correlation with {out}");
        let axis = BarAxis {
            names: &names,
            x: (-1.0 - extra, 1.0 + extra),
            ticks: vec![-1.0, -0.5, 0.0, 0.5, 1.0],
            fmt: &|v| tick_number(*v, 0.5),
            desc: &desc,
            margin_top: 12,
        };
        let m = hbar_frame(root, &plot_area, axis)?;
        draw_bars(root, &m, &bars, 0.62)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> RankData {
        let row = |input: &str, spearman: f64, contribution: f64| RankRow {
            input: input.into(),
            spearman,
            contribution,
        };
        RankData {
            output_label: "payback (months)".into(),
            rows: vec![
                row("minutes saved per user per day", -0.71, 0.52),
                row("adoption rate", -0.45, 0.21),
                row("licence price per seat", 0.38, 0.15),
                row("implementation cost", 0.22, 0.05),
                row("hourly staff cost", -0.18, 0.03),
                row("churn of users", 0.04, 0.0005),
            ],
        }
    }

    #[test]
    fn rank_chart_renders_png_and_svg() {
        let data = fake();
        let png = rank_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("rank.png", &png);
        let svg = rank_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("rank.svg", &svg);
        check_svg(
            &svg,
            &[
                "inputs ranked by influence on payback (months)",
                "adoption rate",
                "ρ -0.71 · 52.0%",
                "<0.1%",
            ],
        );
    }

    #[test]
    fn rank_chart_survives_edge_cases() {
        let row = |s: f64, c: f64| RankRow {
            input: "x".into(),
            spearman: s,
            contribution: c,
        };
        let cases = [
            RankData {
                output_label: String::new(),
                rows: vec![],
            },
            RankData {
                output_label: "NPV".into(),
                rows: vec![row(0.0, 0.0)],
            },
            RankData {
                output_label: "NPV".into(),
                rows: vec![
                    row(f64::NAN, 0.1),
                    row(1.0, f64::NAN),
                    row(-1.0, 1.0),
                    row(7.0, -3.0),
                ],
            },
        ];
        renders_all(&cases, rank_chart);
    }
}
