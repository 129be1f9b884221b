//! The outputs of a trial, as one typed registry: every statistic, CSV column, chart and
//! sensitivity output names a [`Metric`] instead of an index.

use crate::engine::BatchOut;
use crate::model::program::Col;

/// One per-trial output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Simple payback period in months (+∞ = does not pay back within the horizon).
    Payback,
    /// Discounted payback period in months (+∞ likewise).
    DiscountedPayback,
    /// Net present value: discounted cumulative cash flow at the horizon (currency).
    Npv,
    /// Return on investment, a ratio: (PV benefits − PV costs) / PV costs (NaN when the PV
    /// of costs is 0 or negative).
    Roi,
    /// Total cost of ownership: undiscounted costs over months 0..H (currency).
    Tco,
    /// Present value of the costs (currency).
    PvCosts,
    /// Present value of the benefits (currency).
    PvBenefits,
    /// Peak funding need: the most the cumulative (undiscounted) cash flow is ever below
    /// zero, max(0, −min over months 0..H of Cum(t)): the cash the project must be fronted
    /// before it pays for itself (currency; 0 when Cum never goes below zero).
    PeakFunding,
    /// TCO of one cost category, by its index in the plan's category list (currency).
    TcoCategory(usize),
}

impl Metric {
    /// The metrics every run reports, in their fixed order (categories follow).
    pub const MAIN: [Metric; 8] = [
        Metric::Payback,
        Metric::DiscountedPayback,
        Metric::Npv,
        Metric::Roi,
        Metric::Tco,
        Metric::PvCosts,
        Metric::PvBenefits,
        Metric::PeakFunding,
    ];

    /// Every metric of a plan with `categories` cost categories: [`Metric::MAIN`], then one
    /// per category.
    pub fn all(categories: usize) -> Vec<Metric> {
        Metric::MAIN
            .iter()
            .copied()
            .chain((0..categories).map(Metric::TcoCategory))
            .collect()
    }

    /// Position in [`Metric::all`].
    pub fn index(self) -> usize {
        match self {
            Metric::Payback => 0,
            Metric::DiscountedPayback => 1,
            Metric::Npv => 2,
            Metric::Roi => 3,
            Metric::Tco => 4,
            Metric::PvCosts => 5,
            Metric::PvBenefits => 6,
            Metric::PeakFunding => 7,
            Metric::TcoCategory(c) => Metric::MAIN.len() + c,
        }
    }

    /// Column name in CSV files and JSON keys (categories: `tco_<category>`, by the
    /// caller, who knows the names).
    pub fn key(self) -> &'static str {
        match self {
            Metric::Payback => "payback",
            Metric::DiscountedPayback => "discounted_payback",
            Metric::Npv => "npv",
            Metric::Roi => "roi",
            Metric::Tco => "tco",
            Metric::PvCosts => "pv_costs",
            Metric::PvBenefits => "pv_benefits",
            Metric::PeakFunding => "peak_funding",
            Metric::TcoCategory(_) => "tco_category",
        }
    }

    /// Is it a time in months whose +∞ means "beyond the horizon"?
    pub fn is_payback(self) -> bool {
        matches!(self, Metric::Payback | Metric::DiscountedPayback)
    }

    /// This metric's column in a batch.
    #[inline]
    pub fn col<'a>(self, b: &'a BatchOut) -> &'a Col {
        match self {
            Metric::Payback => b.payback,
            Metric::DiscountedPayback => b.dpayback,
            Metric::Npv => b.npv,
            Metric::Roi => b.roi,
            Metric::Tco => b.tco,
            Metric::PvCosts => b.pvc,
            Metric::PvBenefits => b.pvb,
            Metric::PeakFunding => b.peak,
            Metric::TcoCategory(c) => &b.tco_cat[c],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_position_in_all() {
        for (i, m) in Metric::all(4).into_iter().enumerate() {
            assert_eq!(m.index(), i);
        }
    }
}
