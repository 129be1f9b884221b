//! The Assumptions sheet: the settings (horizon, discount rate, currency, adoption curve),
//! every input as written ("PERT 5 / 15 / 25", "uniform 5 to 30") with its point value and
//! P10–P90, and the rank correlations between inputs.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::sheet::{Cell, Kind, Sheet, Styles};
use crate::scenario::{Curve, Param, Scenario};

fn param(s: &Scenario, p: &Param) -> String {
    match p {
        Param::Const(v) => crate::format::short_number(*v),
        Param::Input(i) => s
            .inputs
            .get(*i)
            .map(|x| format!("the input {}", x.name))
            .unwrap_or_else(|| "an input".into()),
    }
}

/// The adoption curve in words.
pub fn adoption_text(s: &Scenario) -> String {
    let a = &s.adoption;
    match a.curve {
        Curve::Step if a.peak == Param::Const(1.0) => {
            "everyone uses the system from month 1".into()
        }
        Curve::Step => format!("from month 1 at a usage share of {}", param(s, &a.peak)),
        Curve::Logistic => format!(
            "S-curve (logistic) up to a peak share of {}, 95% of the peak after {} months",
            param(s, &a.peak),
            param(s, &a.months_to_peak)
        ),
        Curve::Linear => format!(
            "straight line up to a peak share of {}, reached after {} months",
            param(s, &a.peak),
            param(s, &a.months_to_peak)
        ),
    }
}

/// Column headers of the input table.
pub const INPUT_HEADER: [&str; 6] = [
    "Input",
    "Distribution (as written)",
    "Uncertain",
    "Point value",
    "P10",
    "P90",
];

/// The Assumptions sheet.
pub fn sheet(s: &Scenario, st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sh = Sheet::new("Assumptions", st)?;
    sh.title(0, &format!("Assumptions — {}", s.name))?;
    let settings = [
        ("Horizon (months)", Cell::Num(s.horizon as f64, Kind::Count)),
        (
            "Discount rate (a year)",
            Cell::Num(s.discount_rate, Kind::Percent),
        ),
        ("Currency", Cell::Text(s.currency.clone())),
    ];
    let mut r = 2;
    for (label, c) in settings {
        sh.text(r, 0, label)?;
        sh.cell(r, 1, &c)?;
        r += 1;
    }
    sh.text(r, 0, "Adoption")?;
    sh.line(r, 1, &adoption_text(s), &rust_xlsxwriter::Format::new())?;
    let head = r + 2;
    sh.header(head, 0, &INPUT_HEADER)?;
    for (k, i) in s.inputs.iter().enumerate() {
        let row = head + 1 + k as u32;
        let uncertain = i.is_uncertain();
        // Sorted: a risk event's quantile function runs downwards (1 when u < p).
        let (a, b) = (i.quantile(0.1), i.quantile(0.9));
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        sh.row(
            row,
            0,
            &[
                Cell::Text(i.name.clone()),
                Cell::Text(if uncertain {
                    i.dist.describe_as_written()
                } else {
                    "fixed".into()
                }),
                Cell::text(if uncertain { "yes" } else { "no" }),
                Cell::Num(i.point_value(), Kind::Number),
                if uncertain {
                    Cell::Num(lo, Kind::Number)
                } else {
                    Cell::Blank
                },
                if uncertain {
                    Cell::Num(hi, Kind::Number)
                } else {
                    Cell::Blank
                },
            ],
        )?;
    }
    let mut r = head + 2 + s.inputs.len() as u32;
    if !s.correlations.is_empty() {
        sh.header(
            r,
            0,
            &["Correlated input", "with", "Spearman rank correlation"],
        )?;
        for c in &s.correlations {
            r += 1;
            let n = |i: usize| s.inputs.get(i).map(|x| x.name.clone()).unwrap_or_default();
            sh.row(
                r,
                0,
                &[
                    Cell::Text(n(c.a)),
                    Cell::Text(n(c.b)),
                    Cell::Num(c.rho, Kind::Index),
                ],
            )?;
        }
    }
    sh.ws.set_freeze_panes(head + 1, 1)?;
    Ok(sh.finish())
}
