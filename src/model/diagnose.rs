//! Explaining a non-finite trial: which month and line item first produce a non-finite
//! amount, evaluated from the expressions rather than the column program.

use super::{AdoptionPlan, Param, Plan};
use crate::expr::Env;
use crate::scenario::adoption_at;

/// Find the first (month, item) whose amount is not finite for the inputs of one trial.
impl Plan {
    /// The first (month, line item name, amount) whose amount is not finite for the inputs
    /// of one trial (`inputs` in the scenario's input order), found by evaluating the
    /// items' expressions directly: the engine calls this only to explain a failed batch.
    pub fn first_non_finite_amount(&self, inputs: &[f64]) -> Option<(u32, String, f64)> {
        let plan = self;
        let (curve, peak, mtp) = match &plan.adoption {
            AdoptionPlan::Static(_) => (None, 0.0, 0.0),
            AdoptionPlan::Dynamic {
                curve,
                peak,
                months_to_peak,
            } => {
                let get = |p: &Param| match p {
                    Param::Const(v) => *v,
                    Param::Input(i) => inputs[*i],
                };
                (Some(*curve), get(peak), get(months_to_peak))
            }
        };
        for (t, mp) in plan.months.iter().enumerate() {
            let adoption = match (&plan.adoption, curve) {
                (AdoptionPlan::Static(v), _) => v[t],
                (_, Some(c)) => adoption_at(c, peak, mtp, t as f64),
                _ => 0.0,
            };
            let env = Env {
                inputs,
                month: t as f64,
                adoption,
            };
            let mut in_month: Vec<u32> = plan.sigs[mp.sig]
                .iter()
                .chain(&mp.full_items)
                .chain(&mp.month_items)
                .copied()
                .collect();
            in_month.sort_unstable();
            for k in in_month {
                let it = &plan.items[k as usize];
                let v = it.amount.eval(&env);
                if !v.is_finite() {
                    return Some((t as u32, it.name.clone(), v));
                }
            }
        }
        None
    }
}
