//! `payback report`: simulate a scenario and write the one-file HTML management report.

use crate::accum::Metric;
use std::path::PathBuf;

use crate::charts::{self, ChartError, ChartFormat};
use crate::cli::outdir::{check_output_file, write_unless_cancelled};
use crate::cli::{
    CliError, Inputs, SimArgs, cancel_flag, load_scenario, make_design, trials_and_seed,
    with_progress,
};
use crate::engine::RunOptions;
use crate::format::NumberStyle;
use crate::model::Plan;
use crate::report::figures;
use crate::report::html::{self, ReportInput, Section};
use crate::scenario::Scenario;
use crate::simulate::{self, RunConfig, RunResult};

/// `--help` examples of `payback report`.
pub const AFTER_HELP: &str = "Examples:\n  payback report scenarios/cloud_im_500.toml -o report.html\n  payback report s.toml -o report.html --trials 200000 --seed 7\n  payback report s.toml -o report.html --number-style wan --set employees=800\n\nThe report is one HTML file with inline charts and no scripts or network access: open it\nin any browser, attach it to an e-mail, or print it (A4).";

/// `payback report`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct ReportArgs {
    /// Scenario file (TOML). One scenario per report; several scenarios are compared by
    /// `payback compare`.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Where to write the HTML report, e.g. report.html.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
    /// Simulation options.
    #[command(flatten)]
    pub sim: SimArgs,
    /// How money is written: plain (1,234,567), short (1.2M) or wan (123万).
    #[arg(long, default_value = "plain", value_parser = ["plain", "short", "wan"])]
    pub number_style: String,
    /// A TTF/TTC font used to lay out chart text (the browser draws the text with its own
    /// fonts; its face 0 must cover every character used).
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,
    /// Excel workbook: the report's tables and charts as sheets.
    #[command(flatten)]
    pub xlsx: crate::cli::xlsx::XlsxRunArgs,
}

/// The run's four charts as (title, SVG markup), in report order.
pub fn run_chart_svgs(
    r: &RunResult,
    style: NumberStyle,
) -> Result<Vec<(String, String)>, ChartError> {
    let titles = [
        ("payback.svg", "Payback period"),
        ("cashflow.svg", "Cumulative net cash flow"),
        ("npv.svg", "Net present value (NPV)"),
        ("tco.svg", "Total cost of ownership by category"),
    ];
    let files = figures::run_charts(r, style, &[ChartFormat::Svg])?;
    Ok(files
        .into_iter()
        .map(|(name, bytes)| {
            let title = titles
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string())
                .unwrap_or_else(|| name.trim_end_matches(".svg").to_string());
            (title, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect())
}

/// Run `payback report`.
pub fn cmd_report(a: &ReportArgs) -> Result<(), CliError> {
    let Some(path) = a.scenarios.first() else {
        return Err(CliError::Usage("give a scenario file".into()));
    };
    let style: NumberStyle = a
        .number_style
        .parse()
        .map_err(|e| CliError::Usage(format!("{e}")))?;
    check_output_file("-o", &a.output)?;
    let inputs = Inputs::of(&a.scenarios, &a.sim.set, a.font.as_deref());
    inputs.check_file("-o", &a.output)?;
    a.xlsx.check(&inputs)?;
    if a.xlsx.file.xlsx.as_deref() == Some(a.output.as_path()) {
        return Err(CliError::Usage(
            "-o and --xlsx name the same file; give two names".into(),
        ));
    }
    let s = load_scenario(path, &a.sim)?;
    let (trials, seed) = trials_and_seed(&s, &a.sim)?;
    charts::ensure_registered(a.font.as_deref())
        .map_err(|e| CliError::Usage(format!("--font: {e}")))?;
    // Several options: load and check them all before the first long run.
    let setup = if a.scenarios.len() > 1 {
        Some(crate::cli::decide::prepare_compare(&a.scenarios, &a.sim)?)
    } else {
        None
    };
    let cancel = cancel_flag();
    let plan = Plan::compile(&s);
    let (design, notes) = make_design(&s, seed, &a.sim, trials)?;
    let mut result = with_progress(trials, a.sim.quiet, |done| {
        let cfg = RunConfig {
            trials,
            seed,
            sampling: a.sim.sampling.clone(),
            engine: RunOptions {
                threads: a.sim.threads,
                record_paths_below: 0,
                cancel: Some(&cancel),
                progress: Some(done),
                ..RunOptions::default()
            },
        };
        simulate::simulate_plan(&s, &plan, &design, &cfg)
    })?;
    result.summary.warnings.extend(notes);
    let charts =
        run_chart_svgs(&result, style).map_err(|e| CliError::Output(format!("charts: {e}")))?;
    let (drivers, sens) = sensitivity_section(&s, &result, style, a.sim.threads)?;
    let mut extra_sections = vec![drivers];
    let mut comparison = None;
    if let Some(setup) = setup {
        // Several options: the first is reported in full, then all are compared, paired.
        let c = crate::cli::decide::run_compare(setup, &a.sim)?;
        extra_sections.insert(
            0,
            Section {
                id: "comparison".into(),
                title: "Comparison of the options".into(),
                html: crate::compare::comparison_html(&c, style),
            },
        );
        comparison = Some(c);
    }
    let book = a.xlsx.file.build(|| {
        let b = crate::workbook::RunBook {
            scenario: &s,
            result: &result,
            style,
            trials_sheet: a.xlsx.xlsx_trials,
        };
        crate::workbook::report_workbook(&b, Some(&sens), comparison.as_ref())
    })?;
    let page = html::render(&ReportInput {
        scenario: &s,
        result: &result,
        style,
        charts,
        extra_sections,
    });
    write_unless_cancelled(&a.output, page.as_bytes(), &cancel)?;
    let xlsx_path = book.as_ref().map(|(p, _)| p.clone());
    crate::cli::xlsx::write(book, &cancel)?;
    println!("wrote {} — {}", a.output.display(), result.summary.verdict);
    if let Some(p) = xlsx_path {
        println!("wrote {}", p.display());
    }
    Ok(())
}

/// The report's sensitivity section: the tornado of payback and the value-of-information
/// ranking (from the run's own trials); also returned as an analysis for the workbook.
fn sensitivity_section(
    s: &Scenario,
    r: &RunResult,
    style: NumberStyle,
    threads: Option<usize>,
) -> Result<(Section, crate::sensitivity::SensitivityReport), CliError> {
    use crate::format;
    use crate::sensitivity::{Output, tornado, voi};
    use std::fmt::Write as _;
    let opts = RunOptions {
        threads,
        ..RunOptions::default()
    };
    let t = tornado::tornado(s, Output::Payback, 0.1, 0.9, &opts)
        .map_err(|e| crate::cli::in_file(s, e))?;
    let unc = s.uncertain_inputs();
    let names: Vec<String> = unc.iter().map(|i| s.inputs[*i].name.clone()).collect();
    let cols: Vec<&[f64]> = unc.iter().map(|i| r.sample.inputs[*i].as_slice()).collect();
    let v = voi::voi(&names, &cols, r.sample.output(Metric::Npv));
    let rep = crate::cli::sensitivity_cmd::SensitivityReport {
        schema_version: 1,
        scenario: s.name.clone(),
        currency: s.currency.clone(),
        output: Output::Payback,
        horizon_months: s.horizon,
        trials: r.summary.trials,
        trials_analysed: r.sample.output(Metric::Npv).len() as u64,
        seed: r.summary.seed,
        tornado: Some(t),
        rank: None,
        sobol: None,
        voi: None,
        spider: None,
        notes: Vec::new(),
    };
    let meta = crate::report::figures::meta(r, style);
    let svgs = crate::cli::sensitivity_cmd::charts_of(&rep, &meta, &[charts::ChartFormat::Svg])
        .map_err(|e| CliError::Output(format!("charts: {e}")))?;
    let mut h = String::new();
    let _ = write!(
        h,
        "<p>Which assumptions move the payback most: each uncertain input at its 10th and 90th percentile, every other input at its point value.</p>"
    );
    for (_, bytes) in &svgs {
        h.push_str(&html::inline_svg(
            &String::from_utf8_lossy(bytes),
            "What moves the payback",
        ));
    }
    let cur = html::escape(&s.currency);
    let _ = write!(
        h,
        "<h3>What is worth measuring before deciding</h3><p>For the decision “deploy if the expected NPV is positive”, perfect knowledge of every uncertainty is worth at most <strong>{} {cur}</strong> (EVPI).",
        format::money(v.evpi, style)
    );
    match v.inputs.first() {
        Some(top) if top.evppi > 0.0 => {
            let _ = write!(
                h,
                " The input most worth measuring is <strong>{}</strong>: knowing it exactly is worth at most {} {cur}; a study that costs more is not worth doing for this decision.</p>",
                html::escape(&top.input),
                format::money(top.evppi, style)
            );
        }
        _ => h.push_str(" No single input's value would change the decision: measuring first is not worth paying for.</p>"),
    }
    h.push_str("<table><thead><tr><th>Input</th><th class=\"num\">Value of perfect information</th></tr></thead><tbody>");
    for row in v.inputs.iter().take(8) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{} {cur}</td></tr>",
            html::escape(&row.input),
            format::money(row.evppi, style)
        );
    }
    h.push_str("</tbody></table>");
    let mut rep = rep;
    rep.voi = Some(v);
    rep.notes.push(
        "value of information is for the decision \"deploy if expected NPV > 0\", in currency"
            .into(),
    );
    Ok((
        Section {
            id: "sensitivity".into(),
            title: "What drives the risk".into(),
            html: h,
        },
        rep,
    ))
}
