//! Strategies for the inputs of generated scenarios: every distribution kind as TOML
//! text (interval forms, truncation where allowed, unsorted empirical lists with
//! repeats), and the inputs an uncertain adoption curve may name.

use proptest::prelude::*;

/// Numbers with at most 3 decimals, so the TOML text is the value.
pub fn dec(lo: i64, hi: i64, scale: f64) -> impl Strategy<Value = f64> {
    (lo..=hi).prop_map(move |k| k as f64 / scale)
}

/// (TOML value, can be zero, uncertain) for every distribution kind, truncated where allowed.
pub fn dist() -> BoxedStrategy<(String, bool, bool)> {
    let trunc = || (any::<bool>(), any::<bool>());
    prop_oneof![
        // constant (a bare number)
        dec(-2000, 20000, 4.0).prop_map(|v| (format!("{v}"), v == 0.0, false)),
        (dec(0, 400, 1.0), dec(1, 300, 2.0), any::<bool>()).prop_map(|(a, w, base)| {
            let b = if base {
                format!(", base = {}", a + w / 3.0)
            } else {
                String::new()
            };
            (
                format!("{{ dist = \"uniform\", min = {a}, max = {}{b} }}", a + w),
                a == 0.0,
                true,
            )
        }),
        (dec(0, 400, 1.0), dec(1, 300, 1.0), 0.0..=1.0f64).prop_map(|(a, w, f)| {
            let m = (a + (w * f).round()).min(a + w);
            (
                format!(
                    "{{ dist = \"triangular\", min = {a}, mode = {m}, max = {} }}",
                    a + w
                ),
                a == 0.0,
                true,
            )
        }),
        (
            dec(0, 400, 1.0),
            dec(1, 300, 1.0),
            0.0..=1.0f64,
            prop::option::of(dec(1, 40, 4.0))
        )
            .prop_map(|(a, w, f, lam)| {
                let m = (a + (w * f).round()).min(a + w);
                let l = lam.map(|l| format!(", lambda = {l}")).unwrap_or_default();
                (
                    format!(
                        "{{ dist = \"pert\", min = {a}, mode = {m}, max = {}{l} }}",
                        a + w
                    ),
                    false,
                    true,
                )
            }),
        (
            dec(-200, 2000, 2.0),
            dec(1, 400, 4.0),
            any::<bool>(),
            trunc(),
            0.2..2.0f64,
            0.2..2.0f64
        )
            .prop_map(|(m, s, interval, (lo, hi), a, b)| {
                let body = if interval {
                    format!("p5 = {}, p95 = {}", m - 1.5 * s, m + 1.5 * s)
                } else {
                    format!("mean = {m}, sd = {s}")
                };
                let t = bounds(lo.then(|| r3(m - a * s)), hi.then(|| r3(m + b * s)));
                (format!("{{ dist = \"normal\", {body}{t} }}"), false, true)
            }),
        (
            0..3usize,
            dec(0, 600, 100.0),
            dec(5, 100, 100.0),
            trunc(),
            0.3..0.9f64,
            1.2..3.0f64
        )
            .prop_map(|(form, mu, sg, (lo, hi), f1, f2)| {
                let med = mu.exp();
                let body = match form {
                    0 => format!("mu = {mu}, sigma = {sg}"),
                    1 => format!("median = {}, p95 = {}", r3(med), r3(med * (1.0 + 2.0 * sg))),
                    _ => format!(
                        "p5 = {}, p95 = {}",
                        r3(med / (1.0 + sg)),
                        r3(med * (1.0 + sg))
                    ),
                };
                let t = bounds(lo.then(|| r3(med * f1)), hi.then(|| r3(med * f2)));
                (
                    format!("{{ dist = \"lognormal\", {body}{t} }}"),
                    false,
                    true,
                )
            }),
        (
            dec(2, 40, 4.0),
            dec(2, 40, 4.0),
            prop::option::of((dec(-50, 50, 1.0), dec(1, 500, 1.0)))
        )
            .prop_map(|(a, b, mm)| {
                let t = mm
                    .map(|(lo, w)| format!(", min = {lo}, max = {}", lo + w))
                    .unwrap_or_default();
                (
                    format!("{{ dist = \"beta\", alpha = {a}, beta = {b}{t} }}"),
                    false,
                    true,
                )
            }),
        (
            dec(2, 40, 4.0),
            dec(1, 200, 2.0),
            trunc(),
            0.2..0.9f64,
            1.2..3.0f64
        )
            .prop_map(|(k, th, (lo, hi), f1, f2)| {
                let mean = k * th;
                let t = bounds(lo.then(|| r3(mean * f1)), hi.then(|| r3(mean * f2)));
                (
                    format!("{{ dist = \"gamma\", shape = {k}, scale = {th}{t} }}"),
                    false,
                    true,
                )
            }),
        (
            dec(3, 40, 10.0),
            dec(1, 200, 2.0),
            trunc(),
            0.2..0.9f64,
            1.2..3.0f64
        )
            .prop_map(|(k, l, (lo, hi), f1, f2)| {
                let t = bounds(lo.then(|| r3(l * f1)), hi.then(|| r3(l * f2)));
                (
                    format!("{{ dist = \"weibull\", shape = {k}, scale = {l}{t} }}"),
                    false,
                    true,
                )
            }),
        (dec(2, 80, 4.0), dec(5, 90, 100.0), trunc()).prop_map(|(r, p, (lo, hi))| {
            let mean = r * (1.0 - p) / p;
            let t = bounds(
                lo.then(|| (mean * 0.5).floor()),
                hi.then(|| (mean * 1.5).ceil() + 1.0),
            );
            let zero = !lo || (mean * 0.5).floor() <= 0.0;
            (
                format!("{{ dist = \"negbinomial\", r = {r}, p = {p}{t} }}"),
                zero,
                true,
            )
        }),
        (dec(1, 400, 4.0), dec(11, 1000, 10.0)).prop_map(|(a, f)| (
            format!("{{ dist = \"loguniform\", min = {a}, max = {} }}", a * f),
            false,
            true
        )),
        dec(1, 99, 100.0).prop_map(|p| (
            format!("{{ dist = \"bernoulli\", p = {p} }}"),
            true,
            true
        )),
        (dec(2, 200, 4.0), trunc()).prop_map(|(l, (lo, hi))| {
            let t = bounds(
                lo.then(|| (l * 0.5).floor()),
                hi.then(|| (l * 1.5).ceil() + 1.0),
            );
            let zero = !lo || (l * 0.5).floor() <= 0.0;
            (
                format!("{{ dist = \"poisson\", lambda = {l}{t} }}"),
                zero,
                true,
            )
        }),
        (
            prop::collection::vec((dec(-20, 200, 2.0), 0..5u32), 2..6),
            trunc()
        )
            .prop_map(|(vw, (lo, hi))| {
                let mut vw = vw;
                // At least two distinct values with positive weight.
                vw[0].1 = vw[0].1.max(1);
                if vw[1].0 == vw[0].0 {
                    vw[1].0 = vw[0].0 + 1.0;
                }
                vw[1].1 = vw[1].1.max(1);
                let v0 = vw[0].0;
                let vals: Vec<String> = vw.iter().map(|x| x.0.to_string()).collect();
                let ws: Vec<String> = vw.iter().map(|x| x.1.to_string()).collect();
                let t = bounds(lo.then_some(v0 - 0.5), hi.then_some(v0 + 0.5));
                let zero = vw.iter().any(|x| x.0 == 0.0);
                (
                    format!(
                        "{{ dist = \"discrete\", values = [{}], weights = [{}]{t} }}",
                        vals.join(", "),
                        ws.join(", ")
                    ),
                    zero,
                    true,
                )
            }),
        // Unsorted, with repeats.
        (
            prop::collection::vec(dec(-40, 400, 4.0), 2..9),
            0..3usize,
            trunc()
        )
            .prop_map(|(mut v, rep, (lo, hi))| {
                if v[1] == v[0] {
                    v[1] = v[0] + 7.0;
                }
                for k in 0..rep {
                    let x = v[k % v.len()];
                    v.push(x);
                }
                v.reverse();
                let v0 = v[0];
                let t = bounds(lo.then_some(v0 - 0.25), hi.then_some(v0 + 0.25));
                let zero = v.contains(&0.0);
                let vs: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                (
                    format!(
                        "{{ dist = \"empirical\", values = [{}]{t} }}",
                        vs.join(", ")
                    ),
                    zero,
                    true,
                )
            }),
    ]
    .boxed()
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn bounds(lo: Option<f64>, hi: Option<f64>) -> String {
    let mut t = String::new();
    if let Some(a) = lo {
        t += &format!(", min = {a}");
    }
    if let Some(b) = hi {
        t += &format!(", max = {b}");
    }
    t
}

/// An input whose support lies in [0, 1] (an uncertain adoption peak).
pub fn peak_dist() -> BoxedStrategy<String> {
    prop_oneof![
        (dec(2, 40, 2.0), dec(1, 20, 2.0))
            .prop_map(|(a, b)| format!("{{ dist = \"beta\", alpha = {a}, beta = {b} }}")),
        (dec(0, 50, 100.0), dec(60, 100, 100.0))
            .prop_map(|(a, b)| format!("{{ dist = \"uniform\", min = {a}, max = {b} }}")),
        Just("{ dist = \"pert\", min = 0.4, mode = 0.8, max = 1 }".to_string()),
        Just("{ dist = \"normal\", mean = 0.7, sd = 0.2, min = 0, max = 1 }".to_string()),
        Just("{ dist = \"discrete\", values = [0.5, 0.9, 1], weights = [1, 2, 1] }".to_string()),
    ]
    .boxed()
}

/// An input that is never negative (an uncertain months-to-peak); Poisson and the
/// empirical list can draw 0, which makes the curve a step (README "Model").
pub fn ramp_dist() -> BoxedStrategy<String> {
    prop_oneof![
        (dec(1, 12, 1.0), dec(1, 24, 1.0))
            .prop_map(|(a, w)| format!("{{ dist = \"uniform\", min = {a}, max = {} }}", a + w)),
        dec(4, 48, 4.0).prop_map(|l| format!("{{ dist = \"poisson\", lambda = {l} }}")),
        Just("{ dist = \"triangular\", min = 0, mode = 6, max = 18 }".to_string()),
        Just("{ dist = \"gamma\", shape = 3, scale = 2.5 }".to_string()),
        Just("{ dist = \"lognormal\", median = 6, p95 = 15 }".to_string()),
        Just("{ dist = \"empirical\", values = [9, 0, 3, 12, 3] }".to_string()),
    ]
    .boxed()
}
