//! The `[adoption]` table: the curve, its peak share and the months to the peak, each a
//! number or an input.

use toml::de::DeValue;

use super::ctx::{Ctx, Val, get};
use crate::expr;
use crate::scenario::{Adoption, Curve, MIN_MONTHS_TO_PEAK, Param, Scenario, ScenarioError};

/// Read the `[adoption]` table `v` into `scenario.adoption`; inputs it names must stay
/// within what the curve allows (a peak in [0, 1]).
pub(super) fn adoption(cx: &Ctx, scenario: &mut Scenario, v: &Val) -> Result<(), ScenarioError> {
    let t = cx.table(v, "adoption")?;
    cx.check_keys(
        t,
        "adoption",
        &["curve", "peak", "months_to_peak"],
        "[adoption]",
    )?;
    let curve = match get(t, "curve") {
        None => Curve::Logistic,
        Some(c) => curve(cx, c)?,
    };
    let peak = match get(t, "peak") {
        None => Param::Const(1.0),
        Some(p) => param(cx, scenario, p, "adoption.peak")?,
    };
    if let (Param::Const(x), Some(p)) = (&peak, get(t, "peak"))
        && !(0.0..=1.0).contains(x)
    {
        return Err(cx.err(
            p,
            "adoption.peak",
            format!("must lie within [0, 1] (it is a share of users; got {x})"),
        ));
    }
    let months_to_peak = match get(t, "months_to_peak") {
        None if curve == Curve::Step => Param::Const(1.0),
        None => {
            return Err(cx.err(
                v,
                "adoption.months_to_peak",
                "missing: a logistic or linear curve needs `months_to_peak`",
            ));
        }
        Some(m) => param(cx, scenario, m, "adoption.months_to_peak")?,
    };
    if let (Param::Const(x), Some(m)) = (&months_to_peak, get(t, "months_to_peak"))
        && *x < MIN_MONTHS_TO_PEAK
    {
        return Err(cx.err(
            m,
            "adoption.months_to_peak",
            format!("must be at least {MIN_MONTHS_TO_PEAK} months (got {}); for the full peak from month 1 use curve = \"step\"", crate::format::short_number(*x)),
        ));
    }
    scenario.adoption = Adoption {
        curve,
        peak,
        months_to_peak,
    };
    for (key, val) in [
        ("peak", get(t, "peak")),
        ("months_to_peak", get(t, "months_to_peak")),
    ] {
        if let Some(val) = val
            && let Param::Input(i) = param(cx, scenario, val, "")?
        {
            let sampler = scenario.inputs[i].sampler.clone();
            scenario
                .check_adoption_param(i, &sampler)
                .map_err(|m| cx.err(val, &format!("adoption.{key}"), m))?;
        }
    }
    Ok(())
}

/// The curve named by `adoption.curve` (value `c`).
fn curve(cx: &Ctx, c: &Val) -> Result<Curve, ScenarioError> {
    match cx.string(c, "adoption.curve")? {
        "logistic" => Ok(Curve::Logistic),
        "linear" => Ok(Curve::Linear),
        "step" => Ok(Curve::Step),
        other => {
            let hint = expr::nearest(other, ["logistic", "linear", "step"])
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Err(cx.err(
                c,
                "adoption.curve",
                format!("unknown curve `{other}`: use logistic, linear or step{hint}"),
            ))
        }
    }
}

/// A number, or the name of one of the scenario's inputs.
fn param(cx: &Ctx, s: &Scenario, v: &Val, path: &str) -> Result<Param, ScenarioError> {
    match v.get_ref() {
        DeValue::String(name) => cx.input_named(s, v, name, path).map(Param::Input),
        _ => Ok(Param::Const(cx.number(v, path)?)),
    }
}
