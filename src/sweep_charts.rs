//! The sweep's charts: per scenario, the line charts of payback and NPV (one parameter) or
//! the heatmap (two); with several scenarios, which option is best (highest mean NPV) and
//! cheapest (lowest mean TCO) at each grid point: along one parameter with where that
//! changes, or as a map over two.

use crate::charts::{
    self, ChartError, ChartFormat, ChartMeta, HeatmapData, LeaderCell, LeaderMapData, LeaderSeries,
    LeadersData, SweepLineData,
};
use crate::compare::{Pick, chart_labels};
use crate::format::{self, NumberStyle};
use crate::sweep::{Leader, ParamOut, ScenarioSweep, Statistic, SweepResult, crossing_at};

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
/// file stem, and `sweep_best` and `sweep_cheapest` show the leading option.
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
                    x_param: r.params[0].axis().0,
                    y_param: r.params[1].axis().0,
                    x: r.params[0].axis_values(),
                    y: r.params[1].axis_values(),
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
    if r.scenarios.len() > 1 && (r.params.len() == 1 || r.params.len() == 2) {
        for &f in fmts {
            for (name, bytes) in leader_charts(r, style, f)? {
                out.push((format!("{name}.{}", f.extension()), bytes));
            }
        }
    }
    Ok(out)
}

/// What leading means: the chart's file stem, the statistic, the words and the value's name.
struct Criterion {
    file: &'static str,
    stat: Statistic,
    what: &'static str,
    value: &'static str,
}

/// Best by mean NPV, cheapest by mean TCO.
const CRITERIA: [Criterion; 2] = [
    Criterion {
        file: "sweep_best",
        stat: Statistic::NpvMean,
        what: "best option (highest mean NPV)",
        value: "mean NPV",
    },
    Criterion {
        file: "sweep_cheapest",
        stat: Statistic::TcoMean,
        what: "cheapest option (lowest mean TCO)",
        value: "mean TCO",
    },
];

impl Criterion {
    /// The leader by this criterion at a grid point.
    fn pick<'a>(&self, l: &'a Leader) -> &'a Pick {
        if self.stat == Statistic::TcoMean {
            &l.cheapest
        } else {
            &l.best_npv
        }
    }

    /// The criterion's value at a point.
    fn of(&self, q: &crate::sweep::Point) -> f64 {
        match self.stat {
            Statistic::TcoMean => q.tco_mean,
            _ => q.npv_mean,
        }
    }
}

/// Several scenarios: `sweep_best` (highest mean NPV) and `sweep_cheapest` (lowest mean
/// TCO). Over one parameter, each option's value as a line with the leader at each point and
/// the crossovers; over two, a map of the leader at each grid point.
fn leader_charts(
    r: &SweepResult,
    style: NumberStyle,
    f: ChartFormat,
) -> Result<Vec<(&'static str, Vec<u8>)>, ChartError> {
    let meta = ChartMeta::of_options(
        &r.currency,
        style,
        r.scenarios.len(),
        r.trials,
        "per point",
        r.seed,
        &r.sampling,
    );
    let names: Vec<String> = r.scenarios.iter().map(|s| s.name.clone()).collect();
    let labels = chart_labels(&names);
    let mut out = Vec::new();
    for c in &CRITERIA {
        let bytes = match r.params.as_slice() {
            [p] => charts::leaders_chart(&leader_lines(r, p, &labels, c), &meta, f)?,
            [px, py] => charts::leader_map_chart(&leader_map(r, [px, py], &labels, c), &meta, f)?,
            _ => continue,
        };
        out.push((c.file, bytes));
    }
    Ok(out)
}

/// One parameter: each option's value along it, the leader(s) at each point and where the
/// lead changes.
fn leader_lines(r: &SweepResult, p: &ParamOut, labels: &[String], c: &Criterion) -> LeadersData {
    let mut leaders = vec![Vec::new(); p.values.len()];
    for l in &r.leaders {
        if let Some(slot) = leaders.get_mut(l.point) {
            *slot = c.pick(l).options.clone();
        }
    }
    let key = |i: usize| {
        r.scenarios
            .get(i)
            .map(|s| s.key.clone())
            .unwrap_or_default()
    };
    let (param, scale) = p.axis();
    LeadersData {
        param,
        output_label: format!("{} ({})", c.value, r.currency),
        what: c.what.to_string(),
        x: p.axis_values(),
        options: r
            .scenarios
            .iter()
            .zip(labels)
            .map(|(sc, name)| LeaderSeries {
                name: name.clone(),
                values: sc.points.iter().map(|q| c.of(q)).collect(),
            })
            .collect(),
        leaders,
        changes: r
            .crossovers
            .iter()
            .filter(|x| x.statistic == c.stat)
            .map(|x| {
                (
                    x.value * scale,
                    format!(
                        "{} → {} {}",
                        key(x.from),
                        key(x.to),
                        crossing_at(&p.param, x.value)
                    ),
                )
            })
            .collect(),
    }
}

/// Two parameters: the leader(s) at each grid point (the first parameter varies fastest)
/// and their value.
fn leader_map(
    r: &SweepResult,
    [px, py]: [&ParamOut; 2],
    labels: &[String],
    c: &Criterion,
) -> LeaderMapData {
    let nx = px.values.len();
    let mut cells = vec![vec![LeaderCell::default(); nx]; py.values.len()];
    for l in &r.leaders {
        let (ix, iy) = (l.point % nx.max(1), l.point / nx.max(1));
        if let Some(cell) = cells.get_mut(iy).and_then(|row| row.get_mut(ix)) {
            let pick = c.pick(l);
            *cell = LeaderCell {
                options: pick.options.clone(),
                value: pick.value,
            };
        }
    }
    LeaderMapData {
        x_param: px.axis().0,
        y_param: py.axis().0,
        x: px.axis_values(),
        y: py.axis_values(),
        what: c.what.to_string(),
        value_label: c.value.to_string(),
        options: labels.to_vec(),
        keys: r.scenarios.iter().map(|s| s.key.clone()).collect(),
        cells,
    }
}

fn line_charts(
    r: &SweepResult,
    sc: &ScenarioSweep,
    meta: &ChartMeta,
    f: ChartFormat,
) -> Result<Vec<(&'static str, Vec<u8>)>, ChartError> {
    let p = &r.params[0];
    let (param, scale) = p.axis();
    let x = p.axis_values();
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
                    b.value * scale,
                    format!("{what} {}", crossing_at(&p.param, b.value)),
                )
            })
            .collect()
    };
    let pay = SweepLineData {
        param: param.clone(),
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
        param,
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
