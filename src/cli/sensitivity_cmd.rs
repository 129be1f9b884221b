//! `payback sensitivity`: tornado, rank correlation, Sobol indices, value of information
//! and spider lines, as a table, JSON, CSV files and charts.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{CliError, Format, SimArgs, cancel_flag, load_scenario, with_bar};
use crate::charts::{self, ChartFormat, ChartMeta};
use crate::format;
use crate::scenario::Scenario;
use crate::sensitivity::analysis::{self, AnalysisError, Method, Request};
use crate::sensitivity::{Output, rank, sobol, spider, tornado, voi};
use crate::simulate::RunSpec;

/// `payback sensitivity`.
#[derive(Debug, Args)]
#[command(mut_arg("out", |a| a.help("Write JSON, CSV files and charts here")))]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// tornado, rank, sobol, voi, spider, target (the decision rule only) or all.
    #[arg(long, value_enum, default_value = "all")]
    pub method: Method,
    /// The output analysed: payback, npv, roi or tco (value of information always uses NPV).
    #[arg(long, value_enum, default_value = "payback")]
    pub output: OutputArg,
    /// Simulation options (--trials is the Monte Carlo run used by rank and voi).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Tornado low percentile.
    #[arg(long, default_value_t = 0.1)]
    pub low: f64,
    /// Tornado high percentile.
    #[arg(long, default_value_t = 0.9)]
    pub high: f64,
    /// Sobol base rows N (N·(k+2) model runs).
    #[arg(long, default_value_t = 8192)]
    pub base_samples: u64,
    /// Bootstrap resamples for Sobol intervals.
    #[arg(long, default_value_t = 300)]
    pub bootstrap: usize,
    /// Trials per point of the spider lines.
    #[arg(long, default_value_t = 10_000)]
    pub spider_trials: u64,
    /// Inputs in the spider chart (the top ones by rank correlation).
    #[arg(long, default_value_t = 6)]
    pub spider_inputs: usize,
    /// A decision rule to explain, e.g. "payback <= 24" or "npv < 0" (default with
    /// --method target: "payback <= 24"): which inputs decide whether it holds.
    #[arg(long, value_name = "RULE")]
    pub target: Option<String>,
    /// The probability of the rule whose crossing the threshold search looks for.
    #[arg(long, default_value_t = 0.8)]
    pub level: f64,
    /// Trials of each rerun of the threshold search (the decision rule's top inputs).
    #[arg(long, default_value_t = 10_000)]
    pub target_trials: u64,
    /// Output format, folder and charts.
    #[command(flatten)]
    pub results: crate::cli::OutputArgs,
    /// Excel workbook.
    #[command(flatten)]
    pub xlsx: crate::cli::xlsx::XlsxArgs,
}

pub use crate::sensitivity::SensitivityReport;

/// `--method` takes the library's analyses by name.
impl ValueEnum for Method {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Method::Tornado,
            Method::Rank,
            Method::Sobol,
            Method::Voi,
            Method::Spider,
            Method::Target,
            Method::All,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Method::Tornado => "tornado",
            Method::Rank => "rank",
            Method::Sobol => "sobol",
            Method::Voi => "voi",
            Method::Spider => "spider",
            Method::Target => "target",
            Method::All => "all",
        }))
    }
}

/// `--output`: the output analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    /// Payback period.
    Payback,
    /// Net present value.
    Npv,
    /// Return on investment.
    Roi,
    /// Total cost of ownership.
    Tco,
}

impl From<OutputArg> for Output {
    fn from(a: OutputArg) -> Self {
        match a {
            OutputArg::Payback => Output::Payback,
            OutputArg::Npv => Output::Npv,
            OutputArg::Roi => Output::Roi,
            OutputArg::Tco => Output::Tco,
        }
    }
}

/// Check the options against the scenario: the run spec of the Monte Carlo run and what to
/// analyse.
pub fn check_args(
    s: &Scenario,
    a: &SensitivityArgs,
) -> Result<(RunSpec<'static>, Request), CliError> {
    let spec = a.sim.spec(s)?;
    let method = a.method;
    if !(0.0 < a.low && a.low < a.high && a.high < 1.0) {
        return Err(CliError::Usage(format!(
            "--low and --high must satisfy 0 < low < high < 1 (got {} and {})",
            a.low, a.high
        )));
    }
    if a.base_samples < 16 || a.base_samples > 10_000_000 {
        return Err(CliError::Usage(
            "--base-samples must be from 16 to 10,000,000".into(),
        ));
    }
    if a.spider_trials < 100 {
        return Err(CliError::Usage(format!(
            "--spider-trials must be at least 100 (got {}): each point of a spider line is the median of that many trials",
            a.spider_trials
        )));
    }
    if (method.runs(Method::Rank) || method.runs(Method::Voi)) && spec.trials < 10 {
        return Err(CliError::Usage(format!(
            "rank correlation and value of information need at least 10 trials (got {})",
            spec.trials
        )));
    }
    super::sensitivity_target::check(s, a, spec.trials)?;
    if s.uncertain_inputs().is_empty() {
        return Err(CliError::Usage(format!(
            "`{}` has no uncertain inputs: there is nothing to analyse",
            s.name
        )));
    }
    let req = Request {
        method,
        output: a.output.into(),
        low: a.low,
        high: a.high,
        base_samples: a.base_samples,
        bootstrap: a.bootstrap,
        spider_trials: a.spider_trials,
        spider_inputs: a.spider_inputs,
        rule: super::sensitivity_target::rule_of(s, a)?,
        level: a.level,
        target_trials: a.target_trials,
    };
    Ok((spec, req))
}

/// Run the requested analyses (the Monte Carlo run with a progress bar).
pub fn analyse(s: &Scenario, a: &SensitivityArgs) -> Result<SensitivityReport, CliError> {
    let (spec, req) = check_args(s, a)?;
    let cancel = cancel_flag();
    with_bar(a.sim.quiet, |bar| {
        let spec = RunSpec {
            cancel: Some(&cancel),
            progress: Some(bar),
            ..spec
        };
        analysis::analyse(s, &spec, &req)
    })
    .map_err(|e| match e {
        AnalysisError::Correlations(e) => {
            CliError::Usage(format!("correlations: {e}{}", super::repair_hint(&e)))
        }
        AnalysisError::Simulate(e) => super::sim_error(s, e),
        AnalysisError::Run(e) => CliError::Run(e),
        AnalysisError::Target(e) => super::sensitivity_target::target_error(s, e),
        other => CliError::Usage(other.to_string()),
    })
}

/// An input value in its own units: about three significant digits.
pub(crate) fn num(x: f64) -> String {
    format::value(x)
}

/// An output value in its units, bare: months, a percentage (ROI) or money.
fn out_number(v: f64, output: Output) -> String {
    match output {
        Output::Payback => format::months(v),
        Output::Roi => format::percent(v),
        _ => format::thousands(v, 0),
    }
}

/// A tornado swing in the output's units; `≥` when an end is beyond the horizon, so the
/// swing counted to the horizon is only a lower bound.
fn swing_text(r: &crate::sensitivity::tornado::TornadoRow, output: Output) -> String {
    let bound = if r.output_low.is_none() || r.output_high.is_none() {
        "≥ "
    } else {
        ""
    };
    let v = match output {
        Output::Roi => format::percentage_points(r.swing),
        _ => out_number(r.swing, output),
    };
    format!("{bound}{v}")
}

fn out_value(o: Option<f64>, output: Output, h: u32, currency: &str) -> String {
    match (o, output) {
        (None, _) => format!("> {h} months"),
        (Some(v), Output::Payback) => format!("{} months", format::months(v)),
        (Some(v), Output::Roi) => format::percent(v),
        (Some(v), _) => format!("{} {currency}", format::thousands(v, 0)),
    }
}

/// The readable table.
pub fn render(rep: &SensitivityReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — sensitivity of {}\n",
        rep.scenario,
        rep.output.label(&rep.currency)
    );
    if let Some(t) = &rep.tornado {
        tornado_table(&mut o, rep, t);
    }
    if let Some(rows) = &rep.rank {
        rank_table(&mut o, rep, rows);
    }
    if let Some(sb) = &rep.sobol {
        sobol_table(&mut o, sb);
    }
    if let Some(v) = &rep.voi {
        voi_table(&mut o, rep, v);
    }
    if let Some(sp) = &rep.spider {
        spider_table(&mut o, rep, sp);
    }
    if let Some(t) = &rep.target {
        o.push_str(&super::sensitivity_target::render(t));
    }
    for n in &rep.notes {
        let _ = writeln!(o, "note: {n}");
    }
    o
}

/// The tornado: each input at its low and high percentile, the others at point values.
fn tornado_table(o: &mut String, rep: &SensitivityReport, t: &tornado::Tornado) {
    let (h, cur, out) = (rep.horizon_months, rep.currency.as_str(), rep.output);
    let _ = writeln!(
        o,
        "Tornado (each input at its P{:.0} and P{:.0}, others at point values; base {}):",
        100.0 * t.low,
        100.0 * t.high,
        out_value(t.base, out, h, cur)
    );
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .take(15)
        .map(|r| {
            vec![
                r.input.clone(),
                num(r.low_value),
                format!("→ {}", out_value(r.output_low, out, h, cur)),
                num(r.high_value),
                format!("→ {}", out_value(r.output_high, out, h, cur)),
                "swing".into(),
                swing_text(r, out),
            ]
        })
        .collect();
    use format::Align::{Left as L, Right as R};
    push_lines(o, &rows, &[L, R, L, R, L, L, R]);
    if t.rows
        .iter()
        .any(|r| r.output_low.is_none() || r.output_high.is_none())
    {
        let _ = writeln!(
            o,
            "  (≥: an end does not pay back within {h} months; its swing is counted to month {h}, so the true swing is larger)"
        );
    }
    o.push('\n');
}

/// Rank (Spearman) correlations of the inputs with the output.
fn rank_table(o: &mut String, rep: &SensitivityReport, rows: &[rank::RankRow]) {
    let out = rep.output;
    let _ = writeln!(
        o,
        "Rank correlation with {} ({} trials):",
        out.name(),
        format::count(rep.trials_analysed)
    );
    let cells: Vec<Vec<String>> = rows
        .iter()
        .take(15)
        .map(|r| {
            let share = match r.contribution {
                Some(c) => format!("{} of Σρ²", format::percent(c)),
                None => String::new(),
            };
            vec![r.input.clone(), format!("ρ = {:>6.3}", r.spearman), share]
        })
        .collect();
    use format::Align::{Left as L, Right as R};
    push_lines(o, &cells, &[L, L, R]);
    o.push('\n');
}

/// First-order and total Sobol indices with their bootstrap intervals.
fn sobol_table(o: &mut String, sb: &sobol::SobolIndices) {
    let _ = writeln!(
        o,
        "Sobol indices (N = {}, {} runs, {} design, {} bootstrap resamples):",
        format::count(sb.base_samples),
        format::count(sb.model_runs),
        sb.design,
        format::count(sb.bootstrap as u64)
    );
    let index = |x: f64, lo: f64, hi: f64| {
        if x.is_finite() {
            format!("{x:>6.3} [{lo:>6.3}, {hi:>6.3}]")
        } else {
            "n/a (correlated)".to_string()
        }
    };
    let mut cells = vec![vec![
        "input".to_string(),
        "first order S1 [95%]".to_string(),
        "total ST [95%]".to_string(),
    ]];
    cells.extend(sb.rows.iter().map(|r| {
        vec![
            r.input.clone(),
            index(r.s1, r.s1_low, r.s1_high),
            index(r.st, r.st_low, r.st_high),
        ]
    }));
    use format::Align::{Left as L, Right as R};
    push_lines(o, &cells, &[L, R, R]);
    o.push('\n');
}

/// Expected value of perfect information, overall and per input.
fn voi_table(o: &mut String, rep: &SensitivityReport, v: &voi::Voi) {
    let cur = rep.currency.as_str();
    let _ = writeln!(
        o,
        "Value of information (decision: deploy if E[NPV] > 0; E[NPV] = {} {cur}):",
        format::thousands(v.expected_npv, 0)
    );
    let _ = writeln!(
        o,
        "  EVPI (perfect information on everything): {} {cur}",
        format::thousands(v.evpi, 0)
    );
    let cells: Vec<Vec<String>> = v
        .inputs
        .iter()
        .take(10)
        .map(|r| {
            vec![
                r.input.clone(),
                format!("{} {cur}", format::thousands(r.evppi, 0)),
            ]
        })
        .collect();
    use format::Align::{Left as L, Right as R};
    push_lines(o, &cells, &[L, R]);
    if let Some(top) = v.inputs.first() {
        if top.evppi > 0.0 {
            let _ = writeln!(
                o,
                "  → Most worth measuring before deciding: {}. Knowing it exactly is worth at most {} {cur}; a study costing more is not worth doing for this decision.",
                top.input,
                format::thousands(top.evppi, 0)
            );
        } else {
            let _ = writeln!(
                o,
                "  → The decision does not change with what any input turns out to be (EVPPI ≈ 0): measuring first is not worth paying for."
            );
        }
    }
    o.push('\n');
}

/// Median output with one input fixed at each percentile.
fn spider_table(o: &mut String, rep: &SensitivityReport, sp: &spider::Spider) {
    let (h, out) = (rep.horizon_months, rep.output);
    let _ = writeln!(
        o,
        "Spider (median {} with one input fixed at its percentile; {} trials a point):",
        out.name(),
        format::count(sp.trials)
    );
    let mut cells = vec![
        std::iter::once("input \\ percentile".to_string())
            .chain(sp.percentiles.iter().map(|p| format!("P{:.0}", 100.0 * p)))
            .collect::<Vec<_>>(),
    ];
    cells.extend(sp.lines.iter().map(|l| {
        std::iter::once(l.input.clone())
            .chain(l.medians.iter().map(|m| match m {
                Some(v) => out_number(*v, out),
                None => format!("> {h}"),
            }))
            .collect()
    }));
    let aligns: Vec<format::Align> = std::iter::once(format::Align::Left)
        .chain(sp.percentiles.iter().map(|_| format::Align::Right))
        .collect();
    push_lines(o, &cells, &aligns);
    o.push('\n');
}

/// Table rows laid out by [`format::align`], indented by two spaces.
fn push_lines(o: &mut String, rows: &[Vec<String>], aligns: &[format::Align]) {
    for line in format::align(rows, aligns, 2) {
        let _ = writeln!(o, "  {line}");
    }
}

pub(crate) fn csv<T: Serialize>(rows: &[T]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let _ = w.serialize(r);
    }
    w.into_inner().unwrap_or_default()
}

#[derive(Serialize)]
struct SpiderCsv<'a> {
    input: &'a str,
    percentile: f64,
    input_value: f64,
    median: Option<f64>,
}

/// Chart files of a report: (file name, bytes).
pub fn charts_of(
    rep: &SensitivityReport,
    meta: &ChartMeta,
    fmts: &[ChartFormat],
) -> Result<Vec<(String, Vec<u8>)>, charts::ChartError> {
    let label = rep.output.label(&rep.currency);
    let horizon = if rep.output == Output::Payback {
        Some(rep.horizon_months as f64)
    } else {
        None
    };
    let mut files = Vec::new();
    for &f in fmts {
        let ext = f.extension();
        if let Some(t) = &rep.tornado {
            let data = charts::TornadoData {
                output_label: label.clone(),
                base: t.base,
                horizon,
                rows: t
                    .rows
                    .iter()
                    .map(|r| charts::TornadoRow {
                        input: r.input.clone(),
                        low_label: num(r.low_value),
                        high_label: num(r.high_value),
                        output_low: r.output_low,
                        output_high: r.output_high,
                    })
                    .collect(),
            };
            files.push((
                format!("tornado.{ext}"),
                charts::tornado_chart(&data, meta, f)?,
            ));
        }
        if let Some(rows) = &rep.rank {
            let data = charts::RankData {
                output_label: label.clone(),
                rows: rows
                    .iter()
                    .map(|r| charts::RankRow {
                        input: r.input.clone(),
                        spearman: r.spearman,
                        contribution: r.contribution.unwrap_or(f64::NAN),
                    })
                    .collect(),
            };
            files.push((format!("rank.{ext}"), charts::rank_chart(&data, meta, f)?));
        }
        if let Some(sb) = &rep.sobol {
            let data = charts::SobolData {
                output_label: label.clone(),
                note: if rep.output == Output::Payback {
                    Some(format!("payback capped at {} months", rep.horizon_months))
                } else {
                    None
                },
                rows: sb.rows.clone(),
            };
            files.push((format!("sobol.{ext}"), charts::sobol_chart(&data, meta, f)?));
        }
        if let Some(v) = &rep.voi {
            let data = charts::VoiData {
                evpi: v.evpi,
                rows: v
                    .inputs
                    .iter()
                    .map(|r| charts::VoiRow {
                        input: r.input.clone(),
                        evppi: r.evppi,
                    })
                    .collect(),
            };
            files.push((format!("voi.{ext}"), charts::voi_chart(&data, meta, f)?));
        }
        if let Some(sp) = &rep.spider {
            let data = charts::SpiderData {
                output_label: label.clone(),
                percentiles: sp.percentiles.iter().map(|p| 100.0 * p).collect(),
                lines: sp
                    .lines
                    .iter()
                    .map(|l| charts::SpiderLine {
                        input: l.input.clone(),
                        values: l.medians.clone(),
                    })
                    .collect(),
                horizon,
            };
            files.push((
                format!("spider.{ext}"),
                charts::spider_chart(&data, meta, f)?,
            ));
        }
        if let Some(t) = &rep.target {
            files.extend(super::sensitivity_target::charts(t, meta, f)?);
        }
    }
    Ok(files)
}

/// Run the command.
pub fn cmd_sensitivity(a: &SensitivityArgs) -> Result<(), CliError> {
    let s = load_scenario(&a.scenario, &a.sim)?;
    // Every option is checked before anything is written.
    check_args(&s, a)?;
    let scenarios = std::slice::from_ref(&a.scenario);
    let mut out = a
        .results
        .prepare(scenarios, &a.sim.set, |i| a.xlsx.check(i))?;
    let style = a.results.chart.style.style();
    let rep = analyse(&s, a)?;
    let book = a
        .xlsx
        .build(|| crate::workbook::sensitivity_workbook(&rep, style))?;
    let json = {
        let mut v = serde_json::to_vec_pretty(&rep).unwrap_or_default();
        v.push(b'\n');
        v
    };
    if let Some(mut out) = out.take() {
        out.write("sensitivity.json", &json)?;
        if let Some(t) = &rep.tornado {
            out.write("tornado.csv", &csv(&t.rows))?;
        }
        if let Some(r) = &rep.rank {
            out.write("rank.csv", &csv(r))?;
        }
        if let Some(sb) = &rep.sobol {
            out.write("sobol.csv", &csv(&sb.rows))?;
        }
        if let Some(v) = &rep.voi {
            out.write("voi.csv", &csv(&v.inputs))?;
        }
        if let Some(sp) = &rep.spider {
            let rows: Vec<SpiderCsv> = sp
                .lines
                .iter()
                .flat_map(|l| {
                    sp.percentiles
                        .iter()
                        .zip(&l.input_values)
                        .zip(&l.medians)
                        .map(move |((p, v), m)| SpiderCsv {
                            input: &l.input,
                            percentile: *p,
                            input_value: *v,
                            median: *m,
                        })
                })
                .collect();
            out.write("spider.csv", &csv(&rows))?;
        }
        if let Some(t) = &rep.target {
            out.write("target.csv", &super::sensitivity_target::csv_of(t))?;
        }
        a.results.chart.write(&mut out, |style, fmts| {
            let meta = ChartMeta {
                scenario: rep.scenario.clone(),
                currency: rep.currency.clone(),
                number_style: style,
                footer: format!(
                    "{} trials · seed {} · payback {}",
                    format::thousands(rep.trials as f64, 0),
                    rep.seed,
                    env!("CARGO_PKG_VERSION")
                ),
            };
            charts_of(&rep, &meta, fmts)
        })?;
        out.commit(&cancel_flag())?;
    }
    super::xlsx::write(book, &cancel_flag())?;
    let text = match a.results.format {
        Format::Json => json,
        Format::Table => render(&rep).into_bytes(),
    };
    super::print_bytes(&text)
}
