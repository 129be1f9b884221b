//! The figures of each option that `compare.csv` and the workbook's Options sheet list
//! after the option's key, name and file: one table, so that the two stay in step.

use crate::summary::Summary;

/// What a figure measures, which decides how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Months; `None` is a payback beyond the horizon.
    Months,
    /// A probability in [0, 1].
    Probability,
    /// Money, in the scenarios' currency.
    Money,
}

/// One figure of an option's summary.
pub struct OptionColumn {
    /// Its column in `compare.csv`.
    pub key: &'static str,
    /// Its header in the workbook: `{h}` stands for the horizon in months, `{cur}` for
    /// the currency.
    label: &'static str,
    /// How it is shown.
    pub unit: Unit,
    /// Its value (`None` where the payback is beyond the horizon).
    pub value: fn(&Summary) -> Option<f64>,
}

impl OptionColumn {
    /// The workbook header for a horizon of `h` months and the currency `cur`.
    pub fn label(&self, h: u32, cur: &str) -> String {
        self.label
            .replace("{h}", &h.to_string())
            .replace("{cur}", cur)
    }
}

const fn column(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    value: fn(&Summary) -> Option<f64>,
) -> OptionColumn {
    OptionColumn {
        key,
        label,
        unit,
        value,
    }
}

/// The figures, in column order.
pub const OPTION_COLUMNS: [OptionColumn; 18] = [
    column("payback_p10", "Payback P10 (months)", Unit::Months, |s| {
        s.payback.pct.p10
    }),
    column("payback_p25", "Payback P25 (months)", Unit::Months, |s| {
        s.payback.pct.p25
    }),
    column("payback_p50", "Payback P50 (months)", Unit::Months, |s| {
        s.payback.pct.p50
    }),
    column("payback_p75", "Payback P75 (months)", Unit::Months, |s| {
        s.payback.pct.p75
    }),
    column("payback_p90", "Payback P90 (months)", Unit::Months, |s| {
        s.payback.pct.p90
    }),
    column(
        "prob_payback_within_12",
        "P(payback ≤ 12)",
        Unit::Probability,
        |s| s.payback.prob_within_12,
    ),
    column(
        "prob_payback_within_24",
        "P(payback ≤ 24)",
        Unit::Probability,
        |s| s.payback.prob_within_24,
    ),
    column(
        "prob_payback_within_horizon",
        "P(payback ≤ {h})",
        Unit::Probability,
        |s| Some(s.payback.prob_within_horizon),
    ),
    column("npv_mean", "E[NPV] ({cur})", Unit::Money, |s| {
        Some(s.npv.stats.mean)
    }),
    column("npv_mean_se", "s.e. of E[NPV]", Unit::Money, |s| {
        Some(s.npv.stats.mean_se)
    }),
    column("npv_p10", "NPV P10", Unit::Money, |s| {
        Some(s.npv.stats.pct.p10)
    }),
    column("npv_p50", "NPV P50", Unit::Money, |s| {
        Some(s.npv.stats.pct.p50)
    }),
    column("npv_p90", "NPV P90", Unit::Money, |s| {
        Some(s.npv.stats.pct.p90)
    }),
    column("prob_npv_negative", "P(NPV < 0)", Unit::Probability, |s| {
        Some(s.npv.prob_negative)
    }),
    column("tco_mean", "E[TCO] ({cur})", Unit::Money, |s| {
        Some(s.tco.stats.mean)
    }),
    column("tco_p10", "TCO P10", Unit::Money, |s| {
        Some(s.tco.stats.pct.p10)
    }),
    column("tco_p50", "TCO P50", Unit::Money, |s| {
        Some(s.tco.stats.pct.p50)
    }),
    column("tco_p90", "TCO P90", Unit::Money, |s| {
        Some(s.tco.stats.pct.p90)
    }),
];
