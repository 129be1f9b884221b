//! `payback fit`: data drawn from each family (keyed, seeded) is recovered — parameters
//! within a few standard errors (from the observed information) or equal to their closed
//! forms, the right family ranked first at n = 2,000; bootstrap p-values against Stephens'
//! closed form for the normal; the CLI's table, JSON, TOML line (pasted into a scenario and
//! run), chart files, CJK column names and every bad-data error.

use payback::distributions::{Dist, InputDist, families};
use payback::fit::{Family, FitOptions, FitReport, Model, Sample, fit};
use payback::rng;
use payback::scenario::parse_input_value;

use crate::util::{bin, tempdir};

const N: u64 = 2_000;

/// n keyed draws of a distribution written as a scenario input.
fn draws(text: &str, n: u64, seed: u64) -> Vec<f64> {
    let s = parse_input_value(text, "x").unwrap().sampler().unwrap();
    let key = rng::input_key(seed, "fit test");
    (0..n).map(|i| s.quantile(rng::uniform(key, i))).collect()
}

fn no_bootstrap() -> FitOptions {
    FitOptions {
        bootstrap: 0,
        ..FitOptions::default()
    }
}

fn fit_of(r: &FitReport, family: Family) -> &payback::fit::Fit {
    r.fits
        .iter()
        .find(|f| f.family == family)
        .unwrap_or_else(|| panic!("{family:?} not fitted: {:?}", r.not_fitted))
}

/// Standard errors of a fit's free parameters from the observed information: the inverse
/// of minus the Hessian of the log-likelihood, by central differences in the parameters
/// the TOML line names (`fixed` keys are held: bounds given by the user).
fn standard_errors(
    fit: &payback::fit::Fit,
    s: &Sample,
    fixed: &[&str],
) -> Vec<(&'static str, f64, f64)> {
    let input = fit.input();
    let params = input.dist.parameters();
    let free: Vec<usize> = (0..params.len())
        .filter(|i| !fixed.contains(&params[*i].0))
        .collect();
    let ll = |shift: &[(usize, f64)]| -> f64 {
        let mut p = params.clone();
        for (i, d) in shift {
            p[*i].1 += d;
        }
        let keys: Vec<String> = p.iter().map(|(k, v)| format!(", {k} = {v:e}")).collect();
        let text = format!("{{ dist = \"{}\"{} }}", input.dist.family(), keys.concat());
        let d = parse_input_value(&text, "x").unwrap();
        let m = Model::new(InputDist {
            trunc_min: input.trunc_min,
            trunc_max: input.trunc_max,
            ..d
        })
        .unwrap();
        m.log_likelihood(s)
    };
    let h: Vec<f64> = free
        .iter()
        .map(|i| 1e-4 * params[*i].1.abs().max(1e-3))
        .collect();
    let k = free.len();
    let mut hess = vec![vec![0.0; k]; k];
    for a in 0..k {
        for b in 0..k {
            let (i, j) = (free[a], free[b]);
            let f = |si: f64, sj: f64| {
                if i == j {
                    ll(&[(i, si * h[a] + sj * h[b])])
                } else {
                    ll(&[(i, si * h[a]), (j, sj * h[b])])
                }
            };
            hess[a][b] =
                (f(1.0, 1.0) - f(1.0, -1.0) - f(-1.0, 1.0) + f(-1.0, -1.0)) / (4.0 * h[a] * h[b]);
        }
    }
    // Invert −H (1×1 or 2×2).
    let cov = match k {
        1 => vec![vec![-1.0 / hess[0][0]]],
        2 => {
            let det = hess[0][0] * hess[1][1] - hess[0][1] * hess[1][0];
            vec![
                vec![-hess[1][1] / det, hess[0][1] / det],
                vec![hess[1][0] / det, -hess[0][0] / det],
            ]
        }
        _ => panic!("{k} free parameters"),
    };
    free.iter()
        .enumerate()
        .map(|(a, i)| (params[*i].0, params[*i].1, cov[a][a].sqrt()))
        .collect()
}

/// (draws, the truth's parameters, bounds given, the family)
type Case = (
    &'static str,
    &'static [(&'static str, f64)],
    Option<(f64, f64)>,
    Family,
);

/// Every family's draws at n = 2,000: the right family first (or, where a family nests
/// the true one, the true one within 2 of its AIC), and each parameter within 4 standard
/// errors of the truth.
#[test]
fn fit_recovers_each_family_at_n_2000() {
    let cases: [Case; 9] = [
        (
            "{ dist = \"normal\", mean = 100, sd = 15 }",
            &[("mean", 100.0), ("sd", 15.0)],
            None,
            Family::Normal,
        ),
        (
            "{ dist = \"lognormal\", mu = 2.5, sigma = 0.6 }",
            &[("mu", 2.5), ("sigma", 0.6)],
            None,
            Family::LogNormal,
        ),
        (
            "{ dist = \"gamma\", shape = 2, scale = 3 }",
            &[("shape", 2.0), ("scale", 3.0)],
            None,
            Family::Gamma,
        ),
        (
            "{ dist = \"weibull\", shape = 1.7, scale = 12 }",
            &[("shape", 1.7), ("scale", 12.0)],
            None,
            Family::Weibull,
        ),
        (
            "{ dist = \"beta\", alpha = 2, beta = 5 }",
            &[("alpha", 2.0), ("beta", 5.0)],
            Some((0.0, 1.0)),
            Family::Beta,
        ),
        (
            "{ dist = \"triangular\", min = 0, mode = 3, max = 10 }",
            &[("mode", 3.0)],
            Some((0.0, 10.0)),
            Family::Triangular,
        ),
        (
            "{ dist = \"pert\", min = 0, mode = 3, max = 10 }",
            &[("mode", 3.0)],
            Some((0.0, 10.0)),
            Family::Pert,
        ),
        (
            "{ dist = \"poisson\", lambda = 4 }",
            &[("lambda", 4.0)],
            None,
            Family::Poisson,
        ),
        (
            "{ dist = \"negbinomial\", r = 3, p = 0.3 }",
            &[("r", 3.0), ("p", 0.3)],
            None,
            Family::NegBinomial,
        ),
    ];
    for (text, truth, bounds, family) in cases {
        let values = draws(text, N, 11);
        let options = FitOptions {
            lower: bounds.map(|b| b.0),
            upper: bounds.map(|b| b.1),
            ..no_bootstrap()
        };
        let r = fit(&values, "x", &options).unwrap();
        let first = r.fits[0].family;
        // The negative binomial nests the Poisson, and the beta on the same bounds the PERT.
        let nests = matches!(
            (family, first),
            (Family::Poisson, Family::NegBinomial) | (Family::Pert, Family::Beta)
        );
        if first != family {
            let gap = fit_of(&r, family).aic - r.fits[0].aic;
            assert!(
                nests && gap <= 2.0,
                "{text}: {first:?} first, {family:?} {gap} behind"
            );
        }
        let f = fit_of(&r, family);
        let s = &r.sample;
        let fixed = ["min", "max"];
        if family == Family::Triangular {
            // The triangular's mode is not a regular parameter (its log-likelihood has a kink
            // at every observation, so no Hessian): the truth must lie within the 99%
            // likelihood-ratio interval, ln L(mode) − ln L(truth) < χ²₁(0.99)/2 = 3.32.
            let at_truth = Model::new(parse_input_value(text, "x").unwrap()).unwrap();
            let drop = f.log_likelihood - at_truth.log_likelihood(s);
            assert!(
                (0.0..3.32).contains(&drop),
                "{text}: ln L falls by {drop} at the truth"
            );
            continue;
        }
        let se = standard_errors(f, s, &fixed);
        for (key, want) in truth {
            let (_, got, err) = se.iter().find(|p| p.0 == *key).copied().unwrap();
            assert!(
                (got - want).abs() < 4.0 * err,
                "{text}: {key} = {got} ± {err}, truth {want}"
            );
        }
    }
}

/// The closed forms: normal (mean, sd with divisor n), lognormal (the same of the logs),
/// Poisson (the mean); and gamma's shape against statrs' own digamma equation.
#[test]
fn closed_form_estimates_are_exact() {
    let values = draws("{ dist = \"lognormal\", mu = 1, sigma = 0.5 }", 500, 3);
    let r = fit(&values, "x", &no_bootstrap()).unwrap();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    let logs: Vec<f64> = values.iter().map(|x| x.ln()).collect();
    let mu = logs.iter().sum::<f64>() / n;
    let sigma = (logs.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / n).sqrt();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    let Dist::Normal(families::Normal { mean: m, sd: s }) = fit_of(&r, Family::Normal).input().dist
    else {
        unreachable!()
    };
    assert!(close(m, mean) && close(s, sd));
    let Dist::LogNormal(families::LogNormal { mu: m, sigma: s }) =
        fit_of(&r, Family::LogNormal).input().dist
    else {
        unreachable!()
    };
    assert!(close(m, mu) && close(s, sigma));
    let Dist::Gamma(families::Gamma { shape, scale }) = fit_of(&r, Family::Gamma).input().dist
    else {
        unreachable!()
    };
    let gap = mean.ln() - mu;
    assert!((shape.ln() - statrs::function::gamma::digamma(shape) - gap).abs() < 1e-10);
    assert!(close(shape * scale, mean));
    let counts = draws("{ dist = \"poisson\", lambda = 6.5 }", 500, 3);
    let r = fit(&counts, "x", &no_bootstrap()).unwrap();
    let Dist::Poisson(families::Poisson { lambda }) = fit_of(&r, Family::Poisson).input().dist
    else {
        unreachable!()
    };
    assert!(close(lambda, counts.iter().sum::<f64>() / 500.0));
    // Log-likelihood and criteria.
    let f = fit_of(&r, Family::Poisson);
    let ll: f64 = counts
        .iter()
        .map(|k| {
            statrs::distribution::Discrete::ln_pmf(
                &statrs::distribution::Poisson::new(lambda).unwrap(),
                *k as u64,
            )
        })
        .sum();
    assert!((f.log_likelihood - ll).abs() < 1e-9 * ll.abs());
    assert!((f.aic - (2.0 - 2.0 * ll)).abs() < 1e-9 * ll.abs());
    assert!((f.bic - (500f64.ln() - 2.0 * ll)).abs() < 1e-9 * ll.abs());
}

/// Stephens' closed form for the Anderson–Darling p-value of a normal with estimated mean
/// and sd (D'Agostino & Stephens 1986): the bootstrap p-value agrees within Monte Carlo error.
#[test]
fn bootstrap_p_value_matches_stephens_for_the_normal() {
    for seed in [1, 2, 3] {
        let values = draws("{ dist = \"normal\", mean = 10, sd = 2 }", 200, seed);
        let options = FitOptions {
            bootstrap: 400,
            seed,
            ..FitOptions::default()
        };
        let r = fit(&values, "x", &options).unwrap();
        let f = fit_of(&r, Family::Normal);
        let n = 200.0;
        let a = f.ad * (1.0 + 0.75 / n + 2.25 / (n * n));
        let stephens = if a >= 0.6 {
            (1.2937 - 5.709 * a + 0.0186 * a * a).exp()
        } else if a >= 0.34 {
            (0.9177 - 4.279 * a - 1.38 * a * a).exp()
        } else if a >= 0.2 {
            1.0 - (-8.318 + 42.796 * a - 59.938 * a * a).exp()
        } else {
            1.0 - (-13.436 + 101.14 * a - 223.73 * a * a).exp()
        };
        let got = f.ad_p.unwrap();
        // Binomial sd of a p-value from 400 samples is at most 0.025.
        assert!(
            (got - stephens).abs() < 0.08,
            "seed {seed}: bootstrap {got}, Stephens {stephens}"
        );
    }
}

#[test]
fn bootstrap_p_values_are_seeded() {
    let values = draws("{ dist = \"gamma\", shape = 3, scale = 2 }", 300, 5);
    let with = |seed| {
        let r = fit(
            &values,
            "x",
            &FitOptions {
                bootstrap: 60,
                seed,
                ..FitOptions::default()
            },
        )
        .unwrap();
        r.fits.iter().map(|f| (f.ks_p, f.ad_p)).collect::<Vec<_>>()
    };
    assert_eq!(with(7), with(7));
    assert_ne!(with(7), with(8));
    let r = fit(
        &values,
        "x",
        &FitOptions {
            bootstrap: 60,
            ..FitOptions::default()
        },
    )
    .unwrap();
    assert_eq!(r.bootstrap, 60);
    for f in &r.fits {
        let p = f.ks_p.unwrap();
        assert!(
            p > 0.0 && p <= 1.0 && (p * 61.0 - (p * 61.0).round()).abs() < 1e-9,
            "{p}"
        );
    }
}

/// Values outside the bounds, bounds in the wrong order, and the bounded data's fits:
/// every unbounded family truncated to the bounds in its TOML line.
#[test]
fn bounds_truncate_the_unbounded_families() {
    let values = draws("{ dist = \"beta\", alpha = 1.2, beta = 6 }", 400, 9);
    let options = FitOptions {
        lower: Some(0.0),
        upper: Some(1.0),
        ..no_bootstrap()
    };
    let r = fit(&values, "churn", &options).unwrap();
    for f in &r.fits {
        let i = f.input();
        match f.family {
            Family::Beta | Family::Triangular | Family::Pert => {
                assert_eq!(
                    i.dist
                        .parameters()
                        .iter()
                        .find(|p| p.0 == "min")
                        .map_or(0.0, |p| p.1),
                    0.0
                );
            }
            _ => assert_eq!(
                (i.trunc_min, i.trunc_max),
                (Some(0.0), Some(1.0)),
                "{:?}",
                f.family
            ),
        }
        // The TOML line reads back as the same input.
        let line = payback::fit::render::toml_line("churn", f);
        let (_, value) = line.split_once(" = ").unwrap();
        let back = parse_input_value(value, "churn").unwrap();
        assert_eq!(
            (back.trunc_min, back.trunc_max),
            (i.trunc_min, i.trunc_max),
            "{line}"
        );
    }
    let e = fit(
        &values,
        "churn",
        &FitOptions {
            upper: Some(0.2),
            ..no_bootstrap()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("above --upper 0.2"), "{e}");
    let e = fit(
        &values,
        "churn",
        &FitOptions {
            lower: Some(1.0),
            upper: Some(0.0),
            ..no_bootstrap()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the lower bound (1) must be less than the upper bound (0)"
    );
}

fn write_csv(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A column of keyed lognormal draws (with a CJK header) as CSV text.
fn csv_of(header: &str, values: &[f64]) -> String {
    let rows: Vec<String> = values.iter().map(|v| format!("{v},x")).collect();
    format!("{header},note\n{}\n", rows.join("\n"))
}

#[test]
fn cli_fit_prints_the_ranking_json_and_a_runnable_toml_line() {
    let dir = tempdir();
    let values = draws("{ dist = \"lognormal\", mu = 3.5, sigma = 0.5 }", 500, 21);
    let data = write_csv(&dir, "projects.csv", &csv_of("集成天数", &values));
    let out = bin()
        .args(["fit"])
        .arg(&data)
        .args(["--column", "集成天数", "--bootstrap", "40"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("column `集成天数`: 500 values"), "{text}");
    let line = text
        .lines()
        .skip_while(|l| !l.starts_with("Best fit"))
        .nth(1)
        .unwrap()
        .trim();
    assert!(
        line.starts_with("\"集成天数\" = { dist = \"lognormal\""),
        "{line}"
    );
    // JSON: best first, with the documented keys.
    let out = bin()
        .args(["fit"])
        .arg(&data)
        .args([
            "--column",
            "集成天数",
            "--bootstrap",
            "40",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["column"], "集成天数");
    assert_eq!(v["n"], 500);
    let fits = v["fits"].as_array().unwrap();
    assert_eq!(fits[0]["dist"], "lognormal");
    for f in fits {
        for key in [
            "dist", "params", "aic", "bic", "ks", "ks_p", "ad", "ad_p", "toml",
        ] {
            assert!(!f[key].is_null(), "{key} in {f}");
        }
    }
    let aics: Vec<f64> = fits.iter().map(|f| f["aic"].as_f64().unwrap()).collect();
    assert!(aics.windows(2).all(|w| w[0] <= w[1]), "{aics:?}");
    assert_eq!(fits[0]["toml"], line);
    // The line pasted into a scenario runs, and the input has the fitted mean.
    let scenario = format!(
        "name = \"pasted\"\n[inputs]\n{line}\n[[costs]]\nname = \"c\"\ncategory = \"integration\"\nwhen = \"once\"\namount = \"集成天数 * 1000\"\n"
    );
    let s = write_csv(&dir, "s.toml", &scenario);
    let out = bin()
        .arg("run")
        .arg(&s)
        .args(["-n", "20000", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (mu, sigma) = (
        fits[0]["params"]["mu"].as_f64().unwrap(),
        fits[0]["params"]["sigma"].as_f64().unwrap(),
    );
    let mean = 1000.0 * (mu + sigma * sigma / 2.0).exp();
    let tco = run["tco"]["mean"].as_f64().unwrap();
    assert!((tco / mean - 1.0).abs() < 0.02, "{tco} vs {mean}");
}

#[test]
fn cli_fit_out_writes_json_and_charts_and_keeps_the_data() {
    let dir = tempdir();
    let values = draws("{ dist = \"poisson\", lambda = 3 }", 300, 4);
    let data = write_csv(&dir, "incidents.csv", &csv_of("outages", &values));
    let out_dir = dir.path().join("fits");
    let out = bin()
        .args(["fit"])
        .arg(&data)
        .args(["--column", "outages", "--bootstrap", "20", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["fit.json", "fit.png", "fit.svg"] {
        assert!(out_dir.join(f).is_file(), "{f}");
    }
    let svg = std::fs::read_to_string(out_dir.join("fit.svg")).unwrap();
    assert!(svg.contains("outages: which distribution fits the data") && svg.contains("poisson"));
    // A data file named like an output in --out is refused, and left as it was.
    let inside = write_csv(&dir, "fits/fit.json", &csv_of("outages", &values));
    let before = std::fs::read(&inside).unwrap();
    let out = bin()
        .args(["fit"])
        .arg(&inside)
        .args(["--column", "outages", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&inside).unwrap(), before);
}

/// Bad data: one clear line each, exit 2.
#[test]
fn cli_fit_bad_data_gives_one_clear_error() {
    let dir = tempdir();
    let good: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    let cases = [
        (
            "text.csv",
            format!("days\n{}\nabc\n", good.join("\n")),
            "days",
            "row 22: `abc` is not a number",
        ),
        (
            "nan.csv",
            format!("days\n1\nNaN\n{}\n", good.join("\n")),
            "days",
            "row 3: `NaN` is not finite",
        ),
        (
            "empty.csv",
            "days,other\n,1\n,2\n".to_string(),
            "days",
            "column `days` has no values",
        ),
        (
            "one.csv",
            "days\n7\n".to_string(),
            "days",
            "column `days` has only 1 value; fitting a distribution needs at least 5",
        ),
        (
            "equal.csv",
            "days\n4\n4\n4\n4\n4\n4\n".to_string(),
            "days",
            "all 6 values of column `days` are 4",
        ),
        (
            "columns.csv",
            "项目,天数\n1,2\n".to_string(),
            "days",
            "has no column `days` (columns: 项目, 天数)",
        ),
    ];
    for (name, text, column, message) in cases {
        let p = write_csv(&dir, name, &text);
        let out = bin()
            .args(["fit"])
            .arg(&p)
            .args(["--column", column])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(message), "{name}: wanted `{message}` in {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(!err.contains("panicked"));
    }
    let out = bin()
        .args(["fit", "no/such.csv", "--column", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `no/such.csv`"));
    let out = bin()
        .args(["fit"])
        .arg(dir.path())
        .args(["--column", "x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    let p = write_csv(&dir, "ok.csv", &format!("days\n{}\n", good.join("\n")));
    for (args, message) in [
        (
            vec!["--bootstrap", "20000"],
            "--bootstrap must be at most 10000",
        ),
        (vec!["--lower", "nan"], "--lower must be a finite number"),
        (vec!["--lower", "5"], "4 values lie below --lower 5"),
    ] {
        let out = bin()
            .args(["fit"])
            .arg(&p)
            .args(["--column", "days"])
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(message),
            "{args:?}: wanted `{message}` in {err}"
        );
    }
}
