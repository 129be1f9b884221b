//! The run's charts: turn a [`RunResult`] into the chart data of [`crate::charts`] and
//! render the files `payback`, `cashflow`, `npv` and `tco` (PNG and/or SVG).

use crate::accum::Metric;
use crate::charts::{
    self, ChartError, ChartFormat, ChartMeta, FanData, NpvData, PaybackData, TcoCategory, TcoData,
};
use crate::format::NumberStyle;
use crate::simulate::RunResult;

/// Which chart files a command writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChartFiles {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    #[default]
    Both,
    /// No charts.
    None,
}

impl ChartFiles {
    /// The formats written, in order.
    pub fn formats(self) -> &'static [ChartFormat] {
        match self {
            ChartFiles::Png => &[ChartFormat::Png],
            ChartFiles::Svg => &[ChartFormat::Svg],
            ChartFiles::Both => &[ChartFormat::Png, ChartFormat::Svg],
            ChartFiles::None => &[],
        }
    }
}

/// Titles, currency, number style and the traceability footer of a run.
pub fn meta(r: &RunResult, style: NumberStyle) -> ChartMeta {
    let s = &r.summary;
    ChartMeta {
        scenario: s.scenario.clone(),
        currency: s.currency.clone(),
        number_style: style,
        footer: format!(
            "{} trials · seed {} · {} sampling · payback {}",
            crate::format::thousands(s.trials as f64, 0),
            s.seed,
            s.sampling,
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// Payback histogram data (simple or discounted).
pub fn payback_data(r: &RunResult, discounted: bool) -> PaybackData {
    let p = if discounted {
        &r.summary.discounted_payback
    } else {
        &r.summary.payback
    };
    let k = usize::from(discounted);
    PaybackData {
        horizon: r.summary.horizon_months as f64,
        values: r
            .sample
            .outputs
            .get(k)
            .map(|v| v.iter().copied().filter(|x| x.is_finite()).collect())
            .unwrap_or_default(),
        censored_share: 1.0 - p.prob_within_horizon,
        p10: p.pct.p10,
        p50: p.pct.p50,
        p90: p.pct.p90,
        prob_within_12: p.prob_within_12.unwrap_or(f64::NAN),
        prob_within_24: p.prob_within_24.unwrap_or(f64::NAN),
        discounted,
    }
}

/// Cash-flow fan data.
pub fn fan_data(r: &RunResult) -> FanData {
    FanData {
        months: r.fan.months.iter().map(|m| *m as f64).collect(),
        p5: r.fan.p5.clone(),
        p25: r.fan.p25.clone(),
        p50: r.fan.p50.clone(),
        p75: r.fan.p75.clone(),
        p95: r.fan.p95.clone(),
        median_crossing: r.fan.median_crossing(),
    }
}

/// NPV histogram data.
pub fn npv_data(r: &RunResult) -> NpvData {
    let n = &r.summary.npv;
    NpvData {
        values: r.sample.output(Metric::Npv).to_vec(),
        prob_negative: n.prob_negative,
        mean: n.stats.mean,
        p10: n.stats.pct.p10,
        p50: n.stats.pct.p50,
        p90: n.stats.pct.p90,
        discount_rate: r.summary.discount_rate,
    }
}

/// TCO breakdown data.
pub fn tco_data(r: &RunResult) -> TcoData {
    TcoData {
        categories: r
            .summary
            .tco
            .categories
            .iter()
            .map(|c| TcoCategory {
                name: c.category.clone(),
                mean: c.mean,
                p10: c.p10,
                p90: c.p90,
            })
            .collect(),
        total_mean: r.summary.tco.stats.mean,
        horizon: r.summary.horizon_months as f64,
    }
}

/// Render the four run charts: (file stem, format, bytes).
pub fn run_charts(
    r: &RunResult,
    style: NumberStyle,
    fmts: &[ChartFormat],
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let m = meta(r, style);
    let mut out = Vec::new();
    for &f in fmts {
        let ext = f.extension();
        out.push((
            format!("payback.{ext}"),
            charts::payback_chart(&payback_data(r, false), &m, f)?,
        ));
        out.push((
            format!("cashflow.{ext}"),
            charts::cashflow_chart(&fan_data(r), &m, f)?,
        ));
        out.push((
            format!("npv.{ext}"),
            charts::npv_chart(&npv_data(r), &m, f)?,
        ));
        out.push((
            format!("tco.{ext}"),
            charts::tco_chart(&tco_data(r), &m, f)?,
        ));
    }
    Ok(out)
}
