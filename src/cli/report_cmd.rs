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
use crate::report::choice::{self, ChoiceInput};
use crate::report::drivers::drivers_html;
use crate::report::figures;
use crate::report::html::{self, ReportInput, Section};
use crate::report::sections::OptionBlocks;
use crate::scenario::Scenario;
use crate::simulate::{self, RunConfig, RunResult};

/// `--help` examples of `payback report`.
pub const AFTER_HELP: &str = "Examples:\n  payback report scenarios/cloud_im_500.toml -o report.html\n  payback report s.toml -o report.html --trials 200000 --seed 7\n  payback report s.toml -o report.html --number-style wan --set employees=800\n  payback report scenarios/vendor_a_low_price.toml scenarios/vendor_b_mature.toml scenarios/vendor_c_tech_leader.toml -o options.html\n\nWith several scenarios (one per option) the report opens with the recommendation and the options side by side, then each option in detail. The report is one HTML file with inline charts and no scripts or network access: open it\nin any browser, attach it to an e-mail, or print it (A4).";

/// `payback report`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct ReportArgs {
    /// Scenario file(s) (TOML). With several, one per option: the report opens with which
    /// option to pick and why, then each option's details.
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
    if a.scenarios.is_empty() {
        return Err(CliError::Usage("give a scenario file".into()));
    }
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
    let (page, said, book) = if a.scenarios.len() > 1 {
        report_options(a, style)?
    } else {
        report_one(a, style)?
    };
    let cancel = cancel_flag();
    write_unless_cancelled(&a.output, page.as_bytes(), &cancel)?;
    let xlsx_path = book.as_ref().map(|(p, _)| p.clone());
    crate::cli::xlsx::write(book, &cancel)?;
    println!("wrote {} — {said}", a.output.display());
    if let Some(p) = xlsx_path {
        println!("wrote {}", p.display());
    }
    Ok(())
}

/// A workbook built for `--xlsx` (its path and bytes), if asked for.
type Book = Option<(PathBuf, Vec<u8>)>;

fn register_font(a: &ReportArgs) -> Result<(), CliError> {
    charts::ensure_registered(a.font.as_deref())
        .map_err(|e| CliError::Usage(format!("--font: {e}")))
}

/// The report on one scenario: the page and its verdict.
fn report_one(a: &ReportArgs, style: NumberStyle) -> Result<(String, String, Book), CliError> {
    let path = &a.scenarios[0];
    let s = load_scenario(path, &a.sim)?;
    let (trials, seed) = trials_and_seed(&s, &a.sim)?;
    register_font(a)?;
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
    let charts = run_chart_svgs(&result, style).map_err(chart_error)?;
    let (extra_sections, sens) = drivers_section(&s, &result, style, &a.sim)?;
    let book = a.xlsx.file.build(|| {
        let b = crate::workbook::RunBook {
            scenario: &s,
            result: &result,
            style,
            trials_sheet: a.xlsx.xlsx_trials,
        };
        crate::workbook::report_workbook(&b, Some(&sens), None)
    })?;
    let page = html::render(&ReportInput {
        scenario: &s,
        result: &result,
        style,
        charts,
        extra_sections,
    });
    Ok((page, result.summary.verdict.clone(), book))
}

/// The report on several options: the page and the recommendation.
fn report_options(a: &ReportArgs, style: NumberStyle) -> Result<(String, String, Book), CliError> {
    // Load and check every option before the first long run.
    let setup = crate::cli::decide::prepare_compare(&a.scenarios, &a.sim)?;
    register_font(a)?;
    let (c, runs) = crate::cli::decide::run_compare_with_runs(setup, &a.sim)?;
    let mut charts = Vec::with_capacity(runs.len());
    let mut sections = Vec::with_capacity(runs.len());
    let mut analyses = Vec::with_capacity(runs.len());
    for (s, r) in &runs {
        charts.push(run_chart_svgs(r, style).map_err(chart_error)?);
        let (section, sens) = drivers_section(s, r, style, &a.sim)?;
        sections.push(section);
        analyses.push(sens);
    }
    // The workbook: the first option in full, then the comparison of all.
    let book = a.xlsx.file.build(|| {
        let b = crate::workbook::RunBook {
            scenario: &runs[0].0,
            result: &runs[0].1,
            style,
            trials_sheet: a.xlsx.xlsx_trials,
        };
        crate::workbook::report_workbook(&b, analyses.first(), Some(&c))
    })?;
    let titles = [
        "Payback: share of outcomes paid back by each month",
        "Net present value of each option",
        "Total cost of ownership of each option",
    ];
    let compare_charts = crate::compare::charts(&c, style, &[ChartFormat::Svg])
        .map_err(chart_error)?
        .into_iter()
        .zip(titles)
        .map(|((_, bytes), t)| (t.to_string(), String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    let options = runs
        .iter()
        .zip(&charts)
        .zip(&sections)
        .map(|(((s, r), ch), sec)| OptionBlocks {
            scenario: s,
            result: r,
            style,
            charts: ch,
            extra_sections: sec,
        })
        .collect();
    let page = choice::render_choice(&ChoiceInput {
        comparison: &c,
        options,
        style,
        charts: compare_charts,
        sources: a
            .scenarios
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    });
    let best = &c.decision.best_expected_npv;
    let said = format!("highest expected NPV: {}", best.keys.join(" and "));
    Ok((page, said, book))
}

fn chart_error(e: ChartError) -> CliError {
    CliError::Output(format!("charts: {e}"))
}

/// The "What drives the risk" section (the tornado of payback and the value of
/// information, from the run's own trials) and the "What decides whether it pays back in
/// two years" section; also returned as an analysis for the workbook.
fn drivers_section(
    s: &Scenario,
    r: &RunResult,
    style: NumberStyle,
    sim: &SimArgs,
) -> Result<(Vec<Section>, crate::sensitivity::SensitivityReport), CliError> {
    use crate::sensitivity::{Output, tornado, voi};
    let opts = RunOptions {
        threads: sim.threads,
        ..RunOptions::default()
    };
    let t = tornado::tornado(s, Output::Payback, 0.1, 0.9, &opts)
        .map_err(|e| crate::cli::in_file(s, e))?;
    let unc = s.uncertain_inputs();
    let names: Vec<String> = unc.iter().map(|i| s.inputs[*i].name.clone()).collect();
    let cols: Vec<&[f64]> = unc.iter().map(|i| r.sample.inputs[*i].as_slice()).collect();
    let v = voi::voi(&names, &cols, r.sample.output(Metric::Npv));
    let mut rep = crate::sensitivity::SensitivityReport {
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
        target: None,
        notes: Vec::new(),
    };
    let meta = figures::meta(r, style);
    let svgs = crate::cli::sensitivity_cmd::charts_of(&rep, &meta, &[ChartFormat::Svg])
        .map_err(chart_error)?;
    let section = Section {
        id: "sensitivity".into(),
        title: "What drives the risk".into(),
        html: drivers_html(&svgs, &v, &s.currency, style),
    };
    rep.voi = Some(v);
    rep.notes.push(
        "value of information is for the decision \"deploy if expected NPV > 0\", in currency"
            .into(),
    );
    let mut sections = vec![section];
    if let Some((section, t)) = decision_section(s, r, &meta, sim, &opts)? {
        sections.push(section);
        rep.notes
            .extend(crate::cli::sensitivity_target::notes_of(s, &t));
        rep.target = Some(t);
    }
    Ok((sections, rep))
}

/// "What decides whether it pays back in two years": the rule `payback <= 24` explained on
/// the run's kept trials (none when the horizon is shorter than 24 months or too few
/// trials were kept to split).
fn decision_section(
    s: &Scenario,
    r: &RunResult,
    meta: &charts::ChartMeta,
    sim: &SimArgs,
    opts: &RunOptions,
) -> Result<Option<(Section, crate::sensitivity::target::Target)>, CliError> {
    use crate::cli::sensitivity_target as st;
    use crate::sensitivity::target::{MIN_TRIALS, Reruns};
    let kept = r.sample.output(Metric::Payback).len();
    if s.horizon < 24 || kept < MIN_TRIALS || s.uncertain_inputs().is_empty() {
        return Ok(None);
    }
    let rule = st::parse_rule(s, st::DEFAULT_RULE)?;
    let re = Reruns {
        scenario: s,
        // The reruns need no more trials than the run itself.
        trials: r.summary.trials.clamp(100, 10_000),
        seed: r.summary.seed,
        repair: sim.repair_correlations,
        opts,
    };
    let t = st::run(s, r, &rule, 0.8, &re)?;
    let svgs = st::charts(&t, meta, ChartFormat::Svg).map_err(chart_error)?;
    let section = Section {
        id: "payback-rule".into(),
        title: crate::report::decision::TITLE.into(),
        html: crate::report::decision::decision_html(&t, &svgs, meta.number_style),
    };
    Ok(Some((section, t)))
}
