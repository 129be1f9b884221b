//! The model contract written out plainly, one trial at a time, from the generated
//! [`Spec`] (the text the scenario was written from) and the trial's input draws. Nothing
//! here comes from `src/model`, `src/expr` or `src/engine`.

use std::collections::{BTreeMap, HashMap};

use super::expr::{self, Env, Ex};
use super::scenarios::{Param, Spec, When};

/// Everything the contract defines for one trial.
#[derive(Clone, Debug)]
pub struct Trial {
    /// Cum(t), t = 0..=H.
    pub cum: Vec<f64>,
    /// DCum(t).
    pub dcum: Vec<f64>,
    /// CF(t).
    pub cf: Vec<f64>,
    /// CF(t) / (1 + r)^(t/12).
    pub dcf: Vec<f64>,
    pub payback: f64,
    pub dpayback: f64,
    /// Flows of the crossing months (simple, discounted).
    pub cross_flow: (f64, f64),
    pub npv: f64,
    pub pvc: f64,
    pub pvb: f64,
    /// (PV benefits − PV costs) / PV costs; NaN (undefined) when PV costs are 0.
    pub roi: f64,
    pub tco: f64,
    pub tco_cat: BTreeMap<String, f64>,
    /// Σ over months and items of |amount|: the trial's scale for tolerances.
    pub scale: f64,
    /// The same sum over months 0..=t: what rounding in Cum(t) can be proportional to
    /// (0 when nothing has fallen yet, and Cum(t) is then exactly 0).
    pub partial_scale: Vec<f64>,
    /// Some comparison or floor/ceil was decided within rounding (see `Env`).
    pub near_discontinuity: bool,
}

/// A(t) of docs/MODEL.md "Adoption"; without `[adoption]` adoption is 1 from month 1, and a
/// months-to-peak of 0 or less makes the curve a step (README "Model").
fn adoption(spec: &Spec, inputs: &HashMap<String, f64>, t: u32) -> f64 {
    let Some(a) = &spec.adoption else {
        return if t >= 1 { 1.0 } else { 0.0 };
    };
    let val = |p: &Option<Param>, default: f64| match p {
        None => default,
        Some(Param::Num(x)) => *x,
        Some(Param::Input(n)) => inputs[n],
    };
    let peak = val(&a.peak, 1.0);
    let m = val(&a.months_to_peak, 1.0);
    if t == 0 {
        return 0.0;
    }
    let t = t as f64;
    match a.curve.unwrap_or("logistic") {
        "step" => peak,
        _ if m <= 0.0 => peak,
        "linear" => peak * f64::min(1.0, t / m),
        _ => {
            let k = 2.0 * 20f64.ln() / m;
            let mid = m / 2.0;
            let l = |x: f64| 1.0 / (1.0 + (-k * (x - mid)).exp());
            peak * (l(t) - l(0.0)) / (1.0 - l(0.0))
        }
    }
}

/// Does an item with this timing fall in month t (defaults of docs/MODEL.md "Line items")?
fn falls(w: &When, t: u32, h: u32) -> bool {
    match *w {
        When::Once { at } => t == at.unwrap_or(0),
        When::Monthly { start, end } => {
            let (s, e) = (start.unwrap_or(1), end.unwrap_or(h).min(h));
            s <= t && t <= e
        }
        When::Yearly { start, end } => {
            let (s, e) = (start.unwrap_or(1), end.unwrap_or(h).min(h));
            let mut m = s;
            while m <= e {
                if m == t {
                    return true;
                }
                m += 12;
            }
            false
        }
    }
}

/// Payback by the last-crossing rule: the earliest T with Cum(t) ≥ 0 for every t ≥ T,
/// interpolated inside the month of that crossing; +∞ when Cum(H) < 0.
/// Also returns the flow of the crossing month (0 when there is none), whose size sets
/// how much rounding in the cash flows can move the interpolated month.
pub fn payback(cum: &[f64], flow: &[f64]) -> (f64, f64) {
    let h = cum.len() - 1;
    if cum[h] < 0.0 {
        return (f64::INFINITY, 0.0);
    }
    // First month from which the cumulative flow never goes below zero again.
    let mut first = h;
    while first > 0 && cum[first - 1] >= 0.0 {
        first -= 1;
    }
    if first == 0 {
        return (0.0, 0.0);
    }
    (
        (first - 1) as f64 + (-cum[first - 1]) / flow[first],
        flow[first],
    )
}

/// Parsed amounts of a spec (parse once, evaluate per trial).
pub fn parse_items(spec: &Spec) -> Vec<Ex> {
    spec.items.iter().map(|i| expr::parse(&i.amount)).collect()
}

/// Run one trial of the contract.
pub fn trial(spec: &Spec, amounts: &[Ex], inputs: &HashMap<String, f64>) -> Trial {
    let h = spec.h();
    let r = spec.r();
    let mut out = Trial {
        cum: Vec::new(),
        dcum: Vec::new(),
        cf: Vec::new(),
        dcf: Vec::new(),
        payback: 0.0,
        dpayback: 0.0,
        cross_flow: (0.0, 0.0),
        npv: 0.0,
        pvc: 0.0,
        pvb: 0.0,
        roi: 0.0,
        tco: 0.0,
        tco_cat: BTreeMap::new(),
        scale: 0.0,
        partial_scale: Vec::new(),
        near_discontinuity: false,
    };
    let (mut cum, mut dcum) = (0.0, 0.0);
    for t in 0..=h {
        let env = Env {
            inputs,
            month: t,
            adoption: adoption(spec, inputs, t),
            near_discontinuity: Default::default(),
        };
        let discount = (1.0 + r).powf(t as f64 / 12.0);
        let mut cf = 0.0;
        for (item, amount) in spec.items.iter().zip(amounts) {
            if !falls(&item.when, t, h) {
                continue;
            }
            let x = expr::eval(amount, &env);
            assert!(
                x.is_finite(),
                "oracle: `{}` = {x} in month {t}",
                item.amount
            );
            out.scale += x.abs();
            if item.cost {
                cf -= x;
                out.pvc += x / discount;
                out.tco += x;
                *out.tco_cat.entry(item.category.to_string()).or_insert(0.0) += x;
            } else {
                cf += x;
                out.pvb += x / discount;
            }
        }
        out.near_discontinuity |= env.near_discontinuity.get();
        cum += cf;
        dcum += cf / discount;
        out.cf.push(cf);
        out.dcf.push(cf / discount);
        out.partial_scale.push(out.scale);
        out.cum.push(cum);
        out.dcum.push(dcum);
    }
    let (p, f) = payback(&out.cum, &out.cf);
    let (dp, df) = payback(&out.dcum, &out.dcf);
    (out.payback, out.dpayback, out.cross_flow) = (p, dp, (f, df));
    out.npv = dcum;
    // ROI is defined only when the PV of costs is positive.
    out.roi = if out.pvc <= 0.0 {
        f64::NAN
    } else {
        (out.pvb - out.pvc) / out.pvc
    };
    out
}

#[test]
fn oracle_payback_rule_on_hand_examples() {
    // Crosses in month 2: −100 + 60 + 60 → (2 − 1) + 40/60.
    let pb = |cum: &[f64]| {
        let flow: Vec<f64> = (0..cum.len())
            .map(|t| cum[t] - if t == 0 { 0.0 } else { cum[t - 1] })
            .collect();
        payback(cum, &flow).0
    };
    assert!((pb(&[-100.0, -40.0, 20.0]) - (1.0 + 40.0 / 60.0)).abs() < 1e-15);
    // Never negative: 0. Ends negative: censored.
    assert_eq!(pb(&[0.0, 5.0]), 0.0);
    assert!(pb(&[10.0, -1.0]).is_infinite());
    // Paid back, dips below zero again, recovers: the last crossing counts.
    assert!((pb(&[-10.0, 10.0, -5.0, 5.0]) - 2.5).abs() < 1e-15);
    // Positive at 0, dips, recovers exactly to 0 at H.
    assert_eq!(pb(&[1.0, -1.0, 0.0]), 2.0);
}
