//! `payback report`: simulate a scenario and write the one-file HTML management report.

use crate::accum::Metric;
use std::path::PathBuf;

use crate::charts::{self, ChartError, ChartFormat};
use crate::cli::outdir::{check_output_file, write_unless_cancelled};
use crate::cli::{
    CliError, Inputs, SimArgs, StyleArgs, cancel_flag, load_scenario, sim_error, with_bar,
};
use crate::engine::RunOptions;
use crate::format::NumberStyle;
use crate::report::choice::{self, ChoiceInput};
use crate::report::drivers::drivers_html;
use crate::report::figures;
use crate::report::html::{self, ReportInput, Section};
use crate::report::sections::OptionBlocks;
use crate::scenario::Scenario;
use crate::sensitivity::analysis::{self, VOI_NOTE};
use crate::sensitivity::rule::Rule;
use crate::simulate::{self, RunResult, RunSpec};

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
    /// How money and chart text are written.
    #[command(flatten)]
    pub style: StyleArgs,
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
    let style = a.style.style();
    check_output_file("-o", &a.output)?;
    let inputs = Inputs::of(&a.scenarios, &a.sim.set, a.style.font.as_deref());
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

/// The report on one scenario: the page and its verdict.
fn report_one(a: &ReportArgs, style: NumberStyle) -> Result<(String, String, Book), CliError> {
    let path = &a.scenarios[0];
    let s = load_scenario(path, &a.sim)?;
    let spec = a.sim.spec(&s)?;
    a.style.register_font()?;
    let cancel = cancel_flag();
    let result = with_bar(a.sim.quiet, |bar| {
        let spec = RunSpec {
            cancel: Some(&cancel),
            progress: Some(bar),
            ..spec
        };
        simulate::run(&s, &spec)
    })
    .map_err(|e| sim_error(&s, e))?;
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
    Ok((page, result.summary.verdict.to_string(), book))
}

/// The report on several options: the page and the recommendation.
fn report_options(a: &ReportArgs, style: NumberStyle) -> Result<(String, String, Book), CliError> {
    // Load and check every option before the first long run.
    let setup = crate::cli::decide::prepare_compare(&a.scenarios, &a.sim)?;
    a.style.register_font()?;
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
    use crate::sensitivity::{Output, SensitivityReport, tornado, voi};
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
    let mut rep = SensitivityReport::new(s, Output::Payback, r.summary.trials, r.summary.seed);
    rep.trials_analysed = r.sample.output(Metric::Npv).len() as u64;
    rep.tornado = Some(t);
    let meta = figures::meta(r, style);
    let svgs = crate::cli::sensitivity_cmd::charts_of(&rep, &meta, &[ChartFormat::Svg])
        .map_err(chart_error)?;
    let section = Section {
        id: "sensitivity".into(),
        title: "What drives the risk".into(),
        html: drivers_html(&svgs, &v, &s.currency, style),
    };
    rep.voi = Some(v);
    rep.notes.push(VOI_NOTE.into());
    let mut sections = vec![section];
    if let Some((section, t)) = decision_section(s, r, &meta, sim, &opts)? {
        sections.push(section);
        rep.notes.extend(analysis::rule_notes(s, &t));
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
    use crate::sensitivity::target::{MIN_TRIALS, Reruns};
    let kept = r.sample.output(Metric::Payback).len();
    if s.horizon < 24 || kept < MIN_TRIALS || s.uncertain_inputs().is_empty() {
        return Ok(None);
    }
    let rule: Rule = crate::cli::sensitivity_target::parse_rule(s, analysis::DEFAULT_RULE)?;
    let re = Reruns {
        scenario: s,
        // The reruns need no more trials than the run itself.
        trials: r.summary.trials.clamp(100, 10_000),
        seed: r.summary.seed,
        repair: sim.repair_correlations,
        opts,
    };
    let t = analysis::explain_rule(s, r, &rule, 0.8, &re)
        .map_err(|e| crate::cli::sensitivity_target::target_error(s, e))?;
    let svgs =
        crate::cli::sensitivity_target::charts(&t, meta, ChartFormat::Svg).map_err(chart_error)?;
    let section = Section {
        id: "payback-rule".into(),
        title: crate::report::decision::TITLE.into(),
        html: crate::report::decision::decision_html(&t, &svgs, meta.number_style),
    };
    Ok(Some((section, t)))
}
