//! A sweep as people read it: terminal tables, `sweep.json` and `sweep.csv`.

use std::fmt::Write as _;

use super::{Point, ScenarioSweep, SweepResult};
use crate::compare::Pick;
use crate::format::{self, months_or_beyond, pad_left, percent};

/// The sweep as terminal tables: the heading, one table per scenario (its break-evens,
/// cost of delay and notes), the leaders among several scenarios, then warnings.
pub fn render_table(r: &SweepResult) -> String {
    let mut o = String::new();
    heading(&mut o, r);
    let widths: Vec<usize> = r
        .params
        .iter()
        .map(|p| {
            p.values
                .iter()
                .map(|v| format::display_width(&p.param.value_text(*v)))
                .chain([format::display_width(&p.param.short())])
                .max()
                .unwrap_or(4)
                + 2
        })
        .collect();
    for sc in &r.scenarios {
        scenario_table(&mut o, r, sc, &widths);
    }
    if r.scenarios.len() > 1 && !r.leaders.is_empty() {
        leaders_table(&mut o, r, &widths);
    }
    for w in &r.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    o
}

fn money(x: f64) -> String {
    format::thousands(x, 0)
}

/// "Sweep of users from 100 to 3,000 (15 points) · 100,000 trials per point · …".
fn heading(o: &mut String, r: &SweepResult) {
    let ranges: Vec<String> = r
        .params
        .iter()
        .map(|p| {
            format!(
                "{} from {} to {} ({} points)",
                p.label,
                p.param.value_text(*p.values.first().unwrap_or(&f64::NAN)),
                p.param.value_text(*p.values.last().unwrap_or(&f64::NAN)),
                p.values.len()
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "Sweep of {} · {} trials per point · seed {} · {} sampling · the same trials at every point (common random numbers) · {}",
        ranges.join(" × "),
        format::thousands(r.trials as f64, 0),
        r.seed,
        r.sampling.name(),
        r.currency
    );
}

/// The parameter columns of a row: each value right-aligned in its column.
fn param_cells(r: &SweepResult, values: &[f64], widths: &[usize]) -> String {
    let mut row = String::from(" ");
    for ((v, w), q) in values.iter().zip(widths).zip(&r.params) {
        row.push_str(&pad_left(&q.param.value_text(*v), *w));
    }
    row
}

/// The header cells of the parameter columns.
fn param_heads(r: &SweepResult, widths: &[usize]) -> String {
    let mut head = String::from(" ");
    for (p, w) in r.params.iter().zip(widths) {
        head.push_str(&pad_left(&p.param.short(), *w));
    }
    head
}

/// One scenario's table: a row per grid point.
fn scenario_table(o: &mut String, r: &SweepResult, sc: &ScenarioSweep, widths: &[usize]) {
    if r.scenarios.len() == 1 {
        let _ = writeln!(o, "\n{}   ({})", sc.name, sc.file);
    } else {
        let _ = writeln!(o, "\n{}  {}   ({})", sc.key, sc.name, sc.file);
    }
    let _ = writeln!(
        o,
        "{}{:>9}{:>8}{:>8}{:>9}{:>9}{:>14}{:>14}{:>12}{:>14}",
        param_heads(r, widths),
        "pb P10",
        "P50",
        "P90",
        "P(≤ 12)",
        "P(≤ 24)",
        "NPV P50",
        "E[NPV]",
        "P(NPV < 0)",
        "E[TCO]"
    );
    for p in &sc.points {
        let h = p.horizon_months;
        let _ = writeln!(
            o,
            "{}{:>9}{:>8}{:>8}{:>9}{:>9}{:>14}{:>14}{:>12}{:>14}",
            param_cells(r, &p.values, widths),
            months_or_beyond(p.payback_p10, h),
            months_or_beyond(p.payback_p50, h),
            months_or_beyond(p.payback_p90, h),
            percent(p.prob_payback_within_12.unwrap_or(f64::NAN)),
            percent(p.prob_payback_within_24.unwrap_or(f64::NAN)),
            money(p.npv_p50),
            money(p.npv_mean),
            percent(p.prob_npv_negative),
            money(p.tco_mean)
        );
    }
    if !sc.statements.is_empty() {
        let _ = writeln!(o, "  Break-even:");
        for b in &sc.statements {
            let _ = writeln!(o, "    {b}");
        }
    }
    if let Some(c) = &sc.cost_of_delay {
        let _ = writeln!(o, "  {}", c.sentence);
    }
    for n in &sc.notes {
        let _ = writeln!(o, "  note: {n}");
    }
}

/// Several scenarios: E[TCO] and E[NPV] of each at every point, the cheapest and the best,
/// then where the leader changes.
fn leaders_table(o: &mut String, r: &SweepResult, widths: &[usize]) {
    let _ = writeln!(
        o,
        "\nCheapest and best at each point (E[TCO] and E[NPV], {}):",
        r.currency
    );
    let mut head = param_heads(r, widths);
    for sc in &r.scenarios {
        head.push_str(&format!("{:>14}", format!("E[TCO] {}", sc.key)));
    }
    head.push_str(&format!("{:>10}", "cheapest"));
    for sc in &r.scenarios {
        head.push_str(&format!("{:>14}", format!("E[NPV] {}", sc.key)));
    }
    head.push_str(&format!("{:>8}", "best"));
    let _ = writeln!(o, "{head}");
    for l in &r.leaders {
        let mut row = param_cells(r, &l.values, widths);
        for sc in &r.scenarios {
            row.push_str(&format!("{:>14}", money(sc.points[l.point].tco_mean)));
        }
        row.push_str(&format!("{:>10}", leader_keys(&l.cheapest)));
        for sc in &r.scenarios {
            row.push_str(&format!("{:>14}", money(sc.points[l.point].npv_mean)));
        }
        row.push_str(&format!("{:>8}", leader_keys(&l.best_npv)));
        let _ = writeln!(o, "{row}");
    }
    if r.leaders
        .iter()
        .any(|l| l.cheapest.options.len() > 1 || l.best_npv.options.len() > 1)
    {
        let _ = writeln!(
            o,
            "(A=B: tied, the same E[TCO] or E[NPV], as in `payback compare`)"
        );
    }
    for s in &r.crossover_statements {
        let _ = writeln!(o, "{s}");
    }
}

/// The keys of a leader pick, `=`-joined when they tie (`A=B`).
fn leader_keys(p: &Pick) -> String {
    if p.keys.is_empty() {
        "none".into()
    } else {
        p.keys.join("=")
    }
}

/// `sweep.json`.
pub fn to_json(r: &SweepResult) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(r).unwrap_or_default();
    v.push(b'\n');
    v
}

/// A column of `sweep.csv` for one statistic of a grid point: its header and its cell.
type Column = (&'static str, fn(&Point) -> Option<f64>);

/// The statistics columns of `sweep.csv`, in order; an empty cell is a percentile beyond the
/// horizon or a probability the horizon cannot decide.
const COLUMNS: [Column; 16] = [
    ("payback_p10", |p| p.payback_p10),
    ("payback_p50", |p| p.payback_p50),
    ("payback_p90", |p| p.payback_p90),
    ("prob_payback_within_12", |p| p.prob_payback_within_12),
    ("prob_payback_within_24", |p| p.prob_payback_within_24),
    ("prob_payback_within_horizon", |p| {
        Some(p.prob_payback_within_horizon)
    }),
    ("npv_mean", |p| Some(p.npv_mean)),
    ("npv_mean_se", |p| Some(p.npv_mean_se)),
    ("npv_p10", |p| Some(p.npv_p10)),
    ("npv_p50", |p| Some(p.npv_p50)),
    ("npv_p90", |p| Some(p.npv_p90)),
    ("prob_npv_negative", |p| Some(p.prob_npv_negative)),
    ("tco_mean", |p| Some(p.tco_mean)),
    ("tco_p10", |p| Some(p.tco_p10)),
    ("tco_p50", |p| Some(p.tco_p50)),
    ("tco_p90", |p| Some(p.tco_p90)),
];

/// `sweep.csv`: one row per scenario and grid point.
pub fn to_csv(r: &SweepResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = vec!["scenario".into(), "file".into()];
    head.extend(r.params.iter().map(|p| p.param.short_name()));
    head.extend(COLUMNS.iter().map(|c| c.0.to_string()));
    head.extend(["option", "cheapest", "best_npv"].map(String::from));
    let _ = w.write_record(&head);
    for sc in &r.scenarios {
        for (k, p) in sc.points.iter().enumerate() {
            let mut row: Vec<String> = vec![sc.name.clone(), sc.file.clone()];
            row.extend(p.values.iter().map(|v| v.to_string()));
            row.extend(
                COLUMNS
                    .iter()
                    .map(|c| c.1(p).map(|v| v.to_string()).unwrap_or_default()),
            );
            row.push(sc.key.clone());
            // The leaders at this point, with several scenarios (A=B: tied).
            match r.leaders.iter().find(|l| l.point == k) {
                Some(l) => row.extend([leader_keys(&l.cheapest), leader_keys(&l.best_npv)]),
                None => row.extend([String::new(), String::new()]),
            }
            let _ = w.write_record(&row);
        }
    }
    w.into_inner().unwrap_or_default()
}
