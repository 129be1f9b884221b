//! The sweep's charts: per scenario, the line charts of payback and NPV (one parameter) or
//! the heatmap (two); with several scenarios and one parameter, which option is best
//! (highest mean NPV) and cheapest (lowest mean TCO) at each grid point, and where that
//! changes.

use crate::charts::{
    self, ChartError, ChartFormat, ChartMeta, HeatmapData, LeaderSeries, LeadersData, SweepLineData,
};
use crate::compare::chart_labels;
use crate::format::{self, NumberStyle};
use crate::sweep::{ScenarioSweep, Statistic, SweepResult, crossing_at};

/// File-name suffix of a scenario's charts: empty with one scenario, else `_`, the option's
/// key and `_` + its sanitized file stem (unique even when two files share a name).
fn suffix(r: &SweepResult, sc: &ScenarioSweep) -> String {
    if r.scenarios.len() == 1 {
        return String::new();
    }
    let stem = std::path::Path::new(&sc.file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| sc.key.clone());
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let clean = if clean.is_empty() {
        "scenario".to_string()
    } else {
        clean
    };
    format!("_{}_{clean}", sc.key)
}

/// The sweep charts: one parameter → `sweep_payback` and `sweep_npv` line charts (P50 with
/// the P10–P90 band, break-evens marked); two → `sweep_heatmap` of P(payback ≤ 24). With
/// several scenarios each file name ends in `_KEY_stem`: the option's key (A, B, …) and its
/// file stem.
///
/// # Errors
/// A [`ChartError`] when drawing fails.
pub fn charts(
    r: &SweepResult,
    style: NumberStyle,
    fmts: &[ChartFormat],
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut out = Vec::new();
    for sc in &r.scenarios {
        let meta = ChartMeta {
            scenario: sc.name.clone(),
            currency: r.currency.clone(),
            number_style: style,
            footer: format!(
                "{} trials per point · seed {} · {} sampling · common random numbers across points · payback {}",
                format::thousands(r.trials as f64, 0),
                r.seed,
                r.sampling,
                env!("CARGO_PKG_VERSION")
            ),
        };
        let sfx = suffix(r, sc);
        for &f in fmts {
            let ext = f.extension();
            if r.params.len() == 1 {
                for (name, bytes) in line_charts(r, sc, &meta, f)? {
                    out.push((format!("{name}{sfx}.{ext}"), bytes));
                }
            } else if r.params.len() == 2 {
                let data = HeatmapData {
                    x_param: r.params[0].label.clone(),
                    y_param: r.params[1].label.clone(),
                    x: r.params[0].values.clone(),
                    y: r.params[1].values.clone(),
                    z: r.params[1]
                        .values
                        .iter()
                        .enumerate()
                        .map(|(iy, _)| {
                            let nx = r.params[0].values.len();
                            (0..nx)
                                .map(|ix| {
                                    sc.points[iy * nx + ix]
                                        .prob_payback_within_24
                                        .unwrap_or(f64::NAN)
                                })
                                .collect()
                        })
                        .collect(),
                    z_label: "P(payback ≤ 24 months)".into(),
                };
                out.push((
                    format!("sweep_heatmap{sfx}.{ext}"),
                    charts::heatmap_chart(&data, &meta, f)?,
                ));
            }
        }
    }
    if r.scenarios.len() > 1 && r.params.len() == 1 {
        for &f in fmts {
            for (name, bytes) in leader_charts(r, style, f)? {
                out.push((format!("{name}.{}", f.extension()), bytes));
            }
        }
    }
    Ok(out)
}

/// Several scenarios over one parameter: `sweep_best` (each option's mean NPV, the best
/// at each point) and `sweep_cheapest` (mean TCO, the cheapest), with the crossovers.
fn leader_charts(
    r: &SweepResult,
    style: NumberStyle,
    f: ChartFormat,
) -> Result<Vec<(&'static str, Vec<u8>)>, ChartError> {
    let Some(p) = r.params.first() else {
        return Ok(Vec::new());
    };
    let meta = ChartMeta {
        scenario: String::new(),
        currency: r.currency.clone(),
        number_style: style,
        footer: format!(
            "{} options · {} trials per point · seed {} · {} sampling · common random numbers · payback {}",
            r.scenarios.len(),
            format::thousands(r.trials as f64, 0),
            r.seed,
            r.sampling,
            env!("CARGO_PKG_VERSION")
        ),
    };
    let names: Vec<String> = r.scenarios.iter().map(|s| s.name.clone()).collect();
    let labels = chart_labels(&names);
    let cur = &r.currency;
    let mut out = Vec::new();
    for (file, stat, what, output) in [
        (
            "sweep_best",
            Statistic::NpvMean,
            "best option (highest mean NPV)",
            format!("mean NPV ({cur})"),
        ),
        (
            "sweep_cheapest",
            Statistic::TcoMean,
            "cheapest option (lowest mean TCO)",
            format!("mean TCO ({cur})"),
        ),
    ] {
        let value = |q: &crate::sweep::Point| match stat {
            Statistic::TcoMean => q.tco_mean,
            _ => q.npv_mean,
        };
        let mut leaders = vec![Vec::new(); p.values.len()];
        for l in &r.leaders {
            if let Some(slot) = leaders.get_mut(l.point) {
                let pick = if stat == Statistic::TcoMean {
                    &l.cheapest
                } else {
                    &l.best_npv
                };
                *slot = pick.options.clone();
            }
        }
        let key = |i: usize| {
            r.scenarios
                .get(i)
                .map(|s| s.key.clone())
                .unwrap_or_default()
        };
        let data = LeadersData {
            param: p.label.clone(),
            output_label: output,
            what: what.to_string(),
            x: p.values.clone(),
            options: r
                .scenarios
                .iter()
                .zip(&labels)
                .map(|(sc, name)| LeaderSeries {
                    name: name.clone(),
                    values: sc.points.iter().map(value).collect(),
                })
                .collect(),
            leaders,
            changes: r
                .crossovers
                .iter()
                .filter(|c| c.statistic == stat)
                .map(|c| {
                    (
                        c.value,
                        format!(
                            "{} → {} {}",
                            key(c.from),
                            key(c.to),
                            crossing_at(&p.param, c.value)
                        ),
                    )
                })
                .collect(),
        };
        out.push((file, charts::leaders_chart(&data, &meta, f)?));
    }
    Ok(out)
}

fn line_charts(
    r: &SweepResult,
    sc: &ScenarioSweep,
    meta: &ChartMeta,
    f: ChartFormat,
) -> Result<Vec<(&'static str, Vec<u8>)>, ChartError> {
    let p = &r.params[0];
    let x = p.values.clone();
    let marks = |st: Statistic| -> Vec<(f64, String)> {
        sc.breakevens
            .iter()
            .filter(|b| b.statistic == st)
            .map(|b| {
                let what = match st {
                    Statistic::PaybackP50 => {
                        format!(
                            "median payback = {} months",
                            crate::format::grid_value(b.threshold)
                        )
                    }
                    _ => "mean NPV = 0".into(),
                };
                (
                    b.value,
                    format!("{what} {}", crossing_at(&p.param, b.value)),
                )
            })
            .collect()
    };
    let pay = SweepLineData {
        param: p.label.clone(),
        output_label: "payback (months)".into(),
        x: x.clone(),
        p10: sc.points.iter().map(|q| q.payback_p10).collect(),
        p50: sc.points.iter().map(|q| q.payback_p50).collect(),
        p90: sc.points.iter().map(|q| q.payback_p90).collect(),
        thresholds: vec![(12.0, "12 months".into()), (24.0, "24 months".into())],
        breakevens: marks(Statistic::PaybackP50),
        mean: Vec::new(),
        horizon: sc
            .points
            .iter()
            .map(|q| q.horizon_months as f64)
            .reduce(f64::max),
    };
    let npv = SweepLineData {
        param: p.label.clone(),
        output_label: format!("NPV ({})", r.currency),
        x,
        p10: sc.points.iter().map(|q| Some(q.npv_p10)).collect(),
        p50: sc.points.iter().map(|q| Some(q.npv_p50)).collect(),
        p90: sc.points.iter().map(|q| Some(q.npv_p90)).collect(),
        thresholds: vec![(0.0, "NPV = 0".into())],
        breakevens: marks(Statistic::NpvMean),
        mean: sc.points.iter().map(|q| q.npv_mean).collect(),
        horizon: None,
    };
    Ok(vec![
        ("sweep_payback", charts::sweep_line_chart(&pay, meta, f)?),
        ("sweep_npv", charts::sweep_line_chart(&npv, meta, f)?),
    ])
}
