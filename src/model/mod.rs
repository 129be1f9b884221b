//! The monthly cash-flow model of docs/MODEL.md compiled into a [`Plan`]: per-month schedules
//! of line items, discount factors, the adoption curve and column programs for amounts.
//! Everything that depends on the month alone is decided here, once, so the engine's
//! month loop only adds columns.

mod diagnose;
pub mod program;

use crate::expr::Node;
use crate::scenario::{COST_CATEGORIES, Scenario, adoption_at};
/// The scenario's value types that a compiled plan carries (adoption curve, item kind, a
/// constant-or-input parameter), so that the engine reads only the model.
pub use crate::scenario::{Curve, Kind, Param};
use program::{Compiler, Level, Op, Operand};

/// How adoption is computed.
#[derive(Clone, Debug)]
pub enum AdoptionPlan {
    /// The same A(t) for every trial.
    Static(Vec<f64>),
    /// Depends on uncertain inputs: computed per lane.
    Dynamic {
        /// Curve.
        curve: Curve,
        /// Peak.
        peak: Param,
        /// Months to peak.
        months_to_peak: Param,
    },
}

/// One line item, compiled.
#[derive(Clone, Debug)]
pub struct ItemPlan {
    /// Name.
    pub name: String,
    /// Cost or benefit.
    pub kind: Kind,
    /// Index into `Plan::categories` for costs.
    pub category: usize,
    /// What the amount depends on.
    pub level: Level,
    /// Where the amount is.
    pub operand: Operand,
    /// Its ops in `month_ops` (Full level).
    pub ops: std::ops::Range<usize>,
    /// How many of the months 0..=H it falls in.
    pub n_active: u32,
    /// Σ discount factors over those months.
    pub df_sum: f64,
    /// Resolved amount (for diagnostics).
    pub amount: Node,
}

/// What happens in one month.
#[derive(Clone, Debug)]
pub struct MonthPlan {
    /// Index of the set of month-invariant items that fall this month.
    pub sig: usize,
    /// Full-level items that fall this month.
    pub full_items: Vec<u32>,
    /// Month-level items that fall this month (folded into `cf_scalar`).
    pub month_items: Vec<u32>,
    /// Net of Month-level items (benefits − costs), the same for all trials, in the
    /// currency.
    pub cf_scalar: f64,
    /// Discount factor (1+r)^(−t/12).
    pub df: f64,
}

/// A compiled scenario.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The horizon H, in months (the plan covers months 0..=H).
    pub horizon: u32,
    /// Annual discount rate r (0.10 = 10% a year).
    pub discount_rate: f64,
    /// Number of inputs (registers 0..n).
    pub n_inputs: usize,
    /// Input names.
    pub input_names: Vec<String>,
    /// Cost categories present, in canonical order.
    pub categories: Vec<String>,
    /// Adoption.
    pub adoption: AdoptionPlan,
    /// The adoption column register.
    pub adoption_reg: u32,
    /// Ops run once per batch.
    pub batch_ops: Vec<Op>,
    /// Ops run per month (ranges per item).
    pub month_ops: Vec<Op>,
    /// Month scalar tables.
    pub month_tables: Vec<Vec<f64>>,
    /// Month ops whose register operands are all batch-invariant (inputs or batch ops):
    /// their result changes only when their month scalars do.
    pub month_op_cacheable: Vec<bool>,
    /// Registers needed.
    pub n_regs: usize,
    /// Items.
    pub items: Vec<ItemPlan>,
    /// Months 0..=H.
    pub months: Vec<MonthPlan>,
    /// Sets of month-invariant items (signed sums per batch).
    pub sigs: Vec<Vec<u32>>,
    /// Per-trial-constant parts of TCO by category (indexed like `categories`) from
    /// Month-level costs, in the scenario's currency.
    pub const_tco: Vec<f64>,
    /// Present value of the Month-level costs (the same in every trial), in the currency.
    pub const_pvc: f64,
    /// Present value of the Month-level benefits, in the currency.
    pub const_pvb: f64,
}

impl Plan {
    /// Compile a scenario, folding every input that is not uncertain to its point value
    /// (see [`Plan::compile_with`]).
    pub fn compile(s: &Scenario) -> Plan {
        let constant_inputs = s.constant_inputs();
        Self::compile_with(s, &constant_inputs)
    }

    /// Compile a scenario with explicit folding of inputs: `constant_inputs[i]` = `Some(v)`
    /// folds input i to the number v (constants, and inputs fixed by a sweep or a
    /// sensitivity case); `None` leaves it a column that the trial source fills. One entry
    /// per input of `s`.
    pub fn compile_with(s: &Scenario, constant_inputs: &[Option<f64>]) -> Plan {
        let h = s.horizon;
        let adoption = adoption_plan(s, constant_inputs);
        let n_inputs = s.inputs.len();
        let adoption_reg = n_inputs as u32;
        let static_vec = match &adoption {
            AdoptionPlan::Static(v) => Some(v.clone()),
            _ => None,
        };
        let mut c = Compiler {
            constant_inputs,
            static_adoption: static_vec.as_deref(),
            horizon: h,
            batch_ops: Vec::new(),
            month_ops: Vec::new(),
            month_tables: Vec::new(),
            next_reg: adoption_reg + 1,
        };
        let categories: Vec<String> = COST_CATEGORIES
            .iter()
            .filter(|c| {
                s.items
                    .iter()
                    .any(|i| i.kind == Kind::Cost && i.category == **c)
            })
            .map(|c| c.to_string())
            .collect();
        let df: Vec<f64> = (0..=h)
            .map(|t| (1.0 + s.discount_rate).powf(-(t as f64) / 12.0))
            .collect();
        let items = compile_items(s, &mut c, &categories, &df, adoption_reg);
        let months = month_plans(s, &items, &c.month_tables, &df, categories.len());
        let month_op_cacheable = cacheable(&c, &adoption, adoption_reg);
        Plan {
            month_op_cacheable,
            horizon: h,
            discount_rate: s.discount_rate,
            n_inputs,
            input_names: s.inputs.iter().map(|i| i.name.clone()).collect(),
            categories,
            adoption,
            adoption_reg,
            batch_ops: c.batch_ops,
            month_ops: c.month_ops,
            month_tables: c.month_tables,
            n_regs: c.next_reg as usize,
            items,
            months: months.months,
            sigs: months.sigs,
            const_tco: months.const_tco,
            const_pvc: months.const_pvc,
            const_pvb: months.const_pvb,
        }
    }
}

/// The adoption curve: a fixed A(t) table when its peak and months to peak are numbers
/// (or folded inputs; a step needs only the peak), computed per lane otherwise.
fn adoption_plan(s: &Scenario, constant_inputs: &[Option<f64>]) -> AdoptionPlan {
    let h = s.horizon;
    let param_const = |p: &Param| match p {
        Param::Const(v) => Some(*v),
        Param::Input(i) => constant_inputs[*i],
    };
    match (
        param_const(&s.adoption.peak),
        param_const(&s.adoption.months_to_peak),
    ) {
        (Some(p), Some(m)) => AdoptionPlan::Static(
            (0..=h)
                .map(|t| adoption_at(s.adoption.curve, p, m, t as f64))
                .collect(),
        ),
        _ if s.adoption.curve == Curve::Step && param_const(&s.adoption.peak).is_some() => {
            let p = param_const(&s.adoption.peak).unwrap_or(1.0);
            AdoptionPlan::Static(
                (0..=h)
                    .map(|t| adoption_at(Curve::Step, p, 1.0, t as f64))
                    .collect(),
            )
        }
        _ => AdoptionPlan::Dynamic {
            curve: s.adoption.curve,
            peak: s.adoption.peak.clone(),
            months_to_peak: s.adoption.months_to_peak.clone(),
        },
    }
}

/// Each line item's amount compiled into `c`, with its months and discount factors `df`.
fn compile_items(
    s: &Scenario,
    c: &mut Compiler,
    categories: &[String],
    df: &[f64],
    adoption_reg: u32,
) -> Vec<ItemPlan> {
    let h = s.horizon;
    let mut items = Vec::new();
    for it in &s.items {
        let simplified = c.simplify(&it.amount);
        let start = c.month_ops.len();
        let (operand, level) = c.emit(&simplified, adoption_reg);
        let ops = start..c.month_ops.len();
        let active: Vec<u32> = (0..=h).filter(|t| it.timing.active(*t, h)).collect();
        items.push(ItemPlan {
            name: it.name.clone(),
            kind: it.kind,
            category: categories
                .iter()
                .position(|c| *c == it.category)
                .unwrap_or(0),
            level,
            operand,
            ops,
            n_active: active.len() as u32,
            df_sum: active.iter().map(|t| df[*t as usize]).sum(),
            amount: it.amount.clone(),
        });
    }
    items
}

/// The months of a plan and what is the same in every trial.
struct Months {
    months: Vec<MonthPlan>,
    sigs: Vec<Vec<u32>>,
    const_tco: Vec<f64>,
    const_pvc: f64,
    const_pvb: f64,
}

/// What falls in each month 0..=H: the set of month-invariant items, the full-level items,
/// and the month-level items folded into a scalar (with their constant TCO by category and
/// present values).
fn month_plans(
    s: &Scenario,
    items: &[ItemPlan],
    month_tables: &[Vec<f64>],
    df: &[f64],
    n_categories: usize,
) -> Months {
    let h = s.horizon;
    let mut sigs: Vec<Vec<u32>> = Vec::new();
    let mut months = Vec::with_capacity(h as usize + 1);
    let mut const_tco = vec![0.0; n_categories];
    let (mut const_pvc, mut const_pvb) = (0.0, 0.0);
    for t in 0..=h {
        let mut sig = Vec::new();
        let mut full_items = Vec::new();
        let mut month_items = Vec::new();
        let mut cf_scalar = 0.0;
        for (k, (it, p)) in s.items.iter().zip(items).enumerate() {
            if !it.timing.active(t, h) {
                continue;
            }
            match p.level {
                Level::Const | Level::Trial => sig.push(k as u32),
                Level::Full => full_items.push(k as u32),
                Level::Month => {
                    month_items.push(k as u32);
                    let v = match p.operand {
                        Operand::Month(i) => month_tables[i as usize][t as usize],
                        Operand::Const(v) => v,
                        Operand::Reg(_) => 0.0,
                    };
                    if p.kind == Kind::Cost {
                        cf_scalar -= v;
                        const_tco[p.category] += v;
                        const_pvc += v * df[t as usize];
                    } else {
                        cf_scalar += v;
                        const_pvb += v * df[t as usize];
                    }
                }
            }
        }
        let id = match sigs.iter().position(|x| *x == sig) {
            Some(i) => i,
            None => {
                sigs.push(sig);
                sigs.len() - 1
            }
        };
        months.push(MonthPlan {
            sig: id,
            full_items,
            month_items,
            cf_scalar,
            df: df[t as usize],
        });
    }
    Months {
        months,
        sigs,
        const_tco,
        const_pvc,
        const_pvb,
    }
}

/// Which month ops read only batch-invariant registers (inputs, batch ops): not the
/// adoption column when it is dynamic, nor another month op's result.
fn cacheable(c: &Compiler, adoption: &AdoptionPlan, adoption_reg: u32) -> Vec<bool> {
    let mut per_month = vec![false; c.next_reg as usize];
    if matches!(adoption, AdoptionPlan::Dynamic { .. }) {
        per_month[adoption_reg as usize] = true;
    }
    for op in &c.month_ops {
        per_month[op.dst as usize] = true;
    }
    c.month_ops
        .iter()
        .map(|op| {
            [op.a, op.b, op.c].iter().all(|o| match o {
                Operand::Reg(r) => !per_month[*r as usize],
                _ => true,
            })
        })
        .collect()
}
