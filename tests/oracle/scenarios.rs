//! A proptest generator of random valid scenarios, as TOML text. It records what it wrote
//! (every amount string, timing, adoption parameter) in a [`Spec`], which is all the
//! oracle model reads: the product's parsed `Scenario` is used only to run the engine.

use payback::sampling::Method;
use proptest::prelude::*;
use proptest::sample::select;

use super::inputs::{dec, dist, peak_dist, ramp_dist};

/// A number or an input name (adoption parameters).
#[derive(Clone, Debug)]
pub enum Param {
    Num(f64),
    Input(String),
}

/// `[adoption]`: `curve = None` leaves the key out (the default, logistic).
#[derive(Clone, Debug)]
pub struct AdoptSpec {
    pub curve: Option<&'static str>,
    pub peak: Option<Param>,
    pub months_to_peak: Option<Param>,
}

/// Timing as written; `None` = key left out (the default applies).
#[derive(Clone, Debug)]
pub enum When {
    Once {
        at: Option<u32>,
    },
    Monthly {
        start: Option<u32>,
        end: Option<u32>,
    },
    Yearly {
        start: Option<u32>,
        end: Option<u32>,
    },
}

#[derive(Clone, Debug)]
pub struct ItemSpec {
    pub cost: bool,
    pub name: String,
    pub category: &'static str,
    pub when: When,
    /// The amount text: an expression, or a bare TOML number when `bare`.
    pub amount: String,
    pub bare: bool,
}

#[derive(Clone, Debug)]
pub struct InputSpec {
    pub name: String,
    /// The TOML value written after `name =`.
    pub value: String,
    /// Can the input draw exactly 0 (so a division by it needs a guard)?
    pub can_be_zero: bool,
    /// More than one possible value (may be correlated).
    pub uncertain: bool,
}

/// One generated scenario and how to sample it.
#[derive(Clone, Debug)]
pub struct Spec {
    /// None = `horizon_months` left out (36).
    pub horizon: Option<u32>,
    /// None = `discount_rate` left out (0.10).
    pub rate: Option<f64>,
    pub inputs: Vec<InputSpec>,
    pub adoption: Option<AdoptSpec>,
    pub items: Vec<ItemSpec>,
    pub pairs: Vec<(String, String, f64)>,
    pub method: Method,
    pub seed: u64,
    pub trials: u64,
}

impl Spec {
    pub fn h(&self) -> u32 {
        self.horizon.unwrap_or(36)
    }
    pub fn r(&self) -> f64 {
        self.rate.unwrap_or(0.10)
    }

    /// The scenario file.
    pub fn toml(&self) -> String {
        let mut s = String::from("name = \"oracle 随机场景\"\n");
        if let Some(h) = self.horizon {
            s += &format!("horizon_months = {h}\n");
        }
        if let Some(r) = self.rate {
            s += &format!("discount_rate = {r}\n");
        }
        s += "[inputs]\n";
        for i in &self.inputs {
            s += &format!("{} = {}\n", key(&i.name), i.value);
        }
        if let Some(a) = &self.adoption {
            s += "[adoption]\n";
            if let Some(c) = a.curve {
                s += &format!("curve = \"{c}\"\n");
            }
            for (k, p) in [("peak", &a.peak), ("months_to_peak", &a.months_to_peak)] {
                match p {
                    Some(Param::Num(x)) => s += &format!("{k} = {x}\n"),
                    Some(Param::Input(n)) => s += &format!("{k} = \"{n}\"\n"),
                    None => {}
                }
            }
        }
        for cost in [true, false] {
            for it in self.items.iter().filter(|i| i.cost == cost) {
                s += if cost {
                    "[[costs]]\n"
                } else {
                    "[[benefits]]\n"
                };
                s += &format!("name = \"{}\"\ncategory = \"{}\"\n", it.name, it.category);
                let opt = |k: &str, v: Option<u32>| v.map(|v| format!("{k} = {v}\n"));
                let (when, a, b) = match it.when {
                    When::Once { at } => ("once", opt("at", at), None),
                    When::Monthly { start, end } => {
                        ("monthly", opt("start", start), opt("end", end))
                    }
                    When::Yearly { start, end } => ("yearly", opt("start", start), opt("end", end)),
                };
                s += &format!("when = \"{when}\"\n");
                s += &a.unwrap_or_default();
                s += &b.unwrap_or_default();
                if it.bare {
                    s += &format!("amount = {}\n", it.amount);
                } else {
                    s += &format!("amount = \"{}\"\n", it.amount);
                }
            }
        }
        if !self.pairs.is_empty() {
            let p: Vec<String> = self
                .pairs
                .iter()
                .map(|(a, b, r)| format!("[\"{a}\", \"{b}\", {r}]"))
                .collect();
            s += &format!("[correlations]\npairs = [{}]\n", p.join(", "));
        }
        s
    }
}

/// TOML key: Chinese names quoted, ASCII names bare.
fn key(name: &str) -> String {
    if name.is_ascii() {
        name.to_string()
    } else {
        format!("\"{name}\"")
    }
}

const EN: [&str; 7] = [
    "seat_price",
    "hours",
    "users",
    "cost_b",
    "k1",
    "days",
    "obs_x",
];
const CN: [&str; 7] = [
    "迁移成本",
    "员工数",
    "培训费用",
    "风险事件",
    "单价",
    "节省工时",
    "故障次数",
];
const PEAK: &str = "采用峰值";
const RAMP: &str = "ramp_months";

/// A number as text in one of the documented spellings.
fn number() -> BoxedStrategy<String> {
    prop_oneof![
        (0..500u32).prop_map(|k| k.to_string()),
        (1..90u32).prop_map(|k| format!("{k}_000")),
        (0..400u32).prop_map(|k| format!("{}.{}", k / 4, (k % 4) * 25)),
        (1..40u32).prop_map(|k| format!("{}.5e{}", k, k % 3)),
        (1..9u32).prop_map(|k| format!("{k}5e-2")),
    ]
    .boxed()
}

/// Random amount expressions over the given names. Division only by a positive
/// divisor; `ln`, `sqrt` and `^` only where the result is real and finite; a division
/// by an input that can be 0 only under `if(x != 0, …)`, the README's guard.
fn expr(names: Vec<String>, zeroable: Vec<String>) -> BoxedStrategy<String> {
    let mut leaves: Vec<String> = names.clone();
    leaves.extend(["month", "year", "adoption", "pi"].map(String::from));
    let leaf = prop_oneof![
        3 => select(leaves),
        2 => number(),
    ];
    let zeroable = if zeroable.is_empty() {
        vec!["month".to_string()]
    } else {
        zeroable
    };
    leaf.prop_recursive(3, 24, 3, move |inner| {
        let z = zeroable.clone();
        let cmp = select(vec!["<", "<=", ">", ">=", "==", "!="]);
        let paren = any::<bool>();
        prop_oneof![
            // + - * with or without parentheses around the result (precedence then
            // follows the grammar: both implementations parse the same text).
            (
                inner.clone(),
                select(vec!["+", "-", "*"]),
                inner.clone(),
                paren
            )
                .prop_map(|(a, op, b, p)| wrap(format!("{a} {op} {b}"), p)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} / (1 + abs({b})))")),
            (inner.clone(), 1..24u32).prop_map(|(a, k)| format!("{a} / {k}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (
                inner.clone(),
                select(vec!["abs", "floor", "ceil", "sin", "cos"])
            )
                .prop_map(|(a, f)| format!("{f}({a})")),
            inner.clone().prop_map(|a| format!("sqrt(abs({a}))")),
            inner.clone().prop_map(|a| format!("ln(1 + abs({a}))")),
            inner
                .clone()
                .prop_map(|a| format!("exp(clamp({a}, -4, 4))")),
            // ^: right-associative chains of constants, unary minus below ^, a signed
            // exponent, and a growth rate to the power year − 1.
            (1..9u32, 1..4u32, 1..3u32).prop_map(|(a, b, c)| format!("1.{a} ^ {b} ^ {c}.5")),
            inner.clone().prop_map(|a| format!("-abs({a}) ^ 2")),
            inner.clone().prop_map(|a| format!("(1 + abs({a})) ^ -1")),
            (inner.clone(), select(vec!["2", "3", "0.5"]))
                .prop_map(|(a, e)| format!("(1 + abs({a}) / 1000) ^ {e}")),
            inner
                .clone()
                .prop_map(|a| format!("(1 + clamp({a}, 0, 1) / 10) ^ (year - 1)")),
            (prop::collection::vec(inner.clone(), 2..4), any::<bool>()).prop_map(|(v, mn)| {
                format!("{}({})", if mn { "min" } else { "max" }, v.join(", "))
            }),
            (inner.clone(), -50..50i32, 1..500u32)
                .prop_map(|(a, lo, w)| format!("clamp({a}, {lo}, {})", lo + w as i32)),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("clamp({a}, {b}, {b} + abs({c}))")),
            (
                inner.clone(),
                cmp.clone(),
                inner.clone(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(a, op, b, c, d)| format!("if({a} {op} {b}, {c}, {d})")),
            (cmp.clone(), 0..40u32, inner.clone(), inner.clone())
                .prop_map(|(op, k, c, d)| format!("if(month {op} {k}, {c}, {d})")),
            (inner.clone(), cmp, inner.clone(), inner.clone())
                .prop_map(|(a, op, b, c)| format!("({a} {op} {b}) * {c}")),
            (select(z), inner.clone()).prop_map(|(x, c)| format!("if({x} != 0, {c} / {x}, 0)")),
        ]
    })
    .boxed()
}

fn wrap(s: String, p: bool) -> String {
    if p { format!("({s})") } else { s }
}

fn cost_category() -> impl Strategy<Value = &'static str> {
    select(payback::scenario::COST_CATEGORIES.to_vec())
}

fn benefit_category() -> impl Strategy<Value = &'static str> {
    select(payback::scenario::BENEFIT_CATEGORIES.to_vec())
}

fn when(h: u32) -> BoxedStrategy<When> {
    let opt = move || prop::option::of(0..=h);
    prop_oneof![
        opt().prop_map(|at| When::Once { at }),
        (opt(), prop::option::of(0..=130u32)).prop_map(|(start, end)| When::Monthly {
            start,
            end: end.map(|e| e.max(start.unwrap_or(1))),
        }),
        (opt(), prop::option::of(0..=130u32)).prop_map(|(start, end)| When::Yearly {
            start,
            end: end.map(|e| e.max(start.unwrap_or(1))),
        }),
    ]
    .boxed()
}

fn adoption(with_inputs: (bool, bool)) -> BoxedStrategy<Option<AdoptSpec>> {
    let (peak_in, ramp_in) = with_inputs;
    let peak = if peak_in {
        Just(Some(Param::Input(PEAK.into()))).boxed()
    } else {
        prop::option::of(dec(0, 100, 100.0).prop_map(Param::Num)).boxed()
    };
    let ramp = if ramp_in {
        Just(Param::Input(RAMP.into())).boxed()
    } else {
        dec(1, 144, 4.0).prop_map(Param::Num).boxed()
    };
    let curve = select(vec![None, Some("logistic"), Some("linear"), Some("step")]);
    let any_input = peak_in || ramp_in;
    (curve, peak, ramp, any::<bool>(), any::<bool>())
        .prop_map(move |(curve, peak, ramp, drop_ramp, absent)| {
            if absent && !any_input {
                return None;
            }
            // A step curve needs no months_to_peak; the others do.
            let months_to_peak = if curve == Some("step") && drop_ramp && !ramp_in {
                None
            } else {
                Some(ramp)
            };
            Some(AdoptSpec {
                curve,
                peak,
                months_to_peak,
            })
        })
        .boxed()
}

/// Whole scenarios.
pub fn spec(max_trials: u64) -> BoxedStrategy<Spec> {
    let inputs = prop::collection::vec((dist(), any::<bool>()), 1..=7).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, ((value, can_be_zero, uncertain), cn))| InputSpec {
                name: if cn { CN[i] } else { EN[i] }.to_string(),
                value,
                can_be_zero,
                uncertain,
            })
            .collect::<Vec<_>>()
    });
    let horizon = prop_oneof![1 => Just(None), 6 => (1..=120u32).prop_map(Some)];
    let rate = prop_oneof![1 => Just(None), 6 => dec(0, 300, 1000.0).prop_map(Some)];
    let method = select(vec![Method::Mc, Method::Lhs, Method::Sobol]);
    (
        horizon,
        rate,
        inputs,
        prop::option::of(peak_dist()),
        prop::option::of(ramp_dist()),
        method,
        any::<u64>(),
        1..=max_trials,
    )
        .prop_flat_map(
            |(horizon, rate, mut inputs, peak, ramp, method, seed, trials)| {
                let h = horizon.unwrap_or(36);
                if let Some(v) = &peak {
                    inputs.push(InputSpec {
                        name: PEAK.into(),
                        value: v.clone(),
                        can_be_zero: false,
                        uncertain: true,
                    });
                }
                if let Some(v) = &ramp {
                    inputs.push(InputSpec {
                        name: RAMP.into(),
                        value: v.clone(),
                        can_be_zero: true,
                        uncertain: true,
                    });
                }
                let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
                let zero: Vec<String> = inputs
                    .iter()
                    .filter(|i| i.can_be_zero)
                    .map(|i| i.name.clone())
                    .collect();
                let amount = prop_oneof![
                    8 => expr(names, zero).prop_map(|e| (e, false)),
                    1 => dec(0, 4000, 4.0).prop_map(|v| (v.to_string(), true)),
                ];
                let item = (
                    any::<bool>(),
                    when(h),
                    amount,
                    cost_category(),
                    benefit_category(),
                );
                let items = prop::collection::vec(item, 1..=6);
                let uncertain: Vec<String> = inputs
                    .iter()
                    .filter(|i| i.uncertain)
                    .map(|i| i.name.clone())
                    .collect();
                let pairs = if uncertain.len() >= 2 {
                    let u = uncertain.clone();
                    prop::collection::vec(
                        (select(u.clone()), select(u), dec(-30, 30, 100.0)),
                        0..=3,
                    )
                    .boxed()
                } else {
                    Just(Vec::new()).boxed()
                };
                (
                    Just((horizon, rate, inputs, method, seed, trials)),
                    adoption((peak.is_some(), ramp.is_some())),
                    items,
                    pairs,
                )
            },
        )
        .prop_map(
            |((horizon, rate, inputs, method, seed, trials), adoption, items, pairs)| {
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (cost, when, (amount, bare), cc, bc))| ItemSpec {
                        cost,
                        name: if i % 2 == 0 {
                            format!("项目{i}")
                        } else {
                            format!("item {i}")
                        },
                        category: if cost { cc } else { bc },
                        when,
                        amount,
                        bare,
                    })
                    .collect();
                // Distinct unordered pairs of distinct inputs, non-zero targets; at most three
                // pairs of |ρ| ≤ 0.3 keep the normal-score matrix diagonally dominant (valid).
                let mut kept: Vec<(String, String, f64)> = Vec::new();
                for (a, b, r) in pairs {
                    let dup = kept
                        .iter()
                        .any(|(x, y, _)| (*x == a && *y == b) || (*x == b && *y == a));
                    if a != b && r != 0.0 && !dup {
                        kept.push((a, b, r));
                    }
                }
                Spec {
                    horizon,
                    rate,
                    inputs,
                    adoption,
                    items,
                    pairs: kept,
                    method,
                    seed,
                    trials,
                }
            },
        )
        .boxed()
}
