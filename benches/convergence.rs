//! How the Monte Carlo error of P50 payback and of E[NPV] shrinks with the trial count under
//! each sampling method: the standard deviation of each estimate across independent seeds.
//! `cargo bench --bench convergence` prints the Markdown table quoted in the README.

use std::path::Path;

use payback::engine::RunOptions;
use payback::sampling::{Design, Method};
use payback::scenario::Scenario;
use payback::simulate::{RunConfig, simulate};

fn sd(v: &[f64]) -> f64 {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick" || a == "--test");
    let file = "scenarios/cloud_im_500.toml";
    let s = Scenario::load(Path::new(file)).expect("bundled scenario");
    let reps: u64 = if quick { 3 } else { 40 };
    let sizes: &[u64] = if quick { &[1024] } else { &[1024, 8192, 65536] };
    println!("{file}, {reps} seeds per cell: standard error of the estimate (s.d. across seeds)\n");
    println!("| trials | method | s.e. of P50 payback (months) | s.e. of E[NPV] (CNY) |");
    println!("|---:|---|---:|---:|");
    for &n in sizes {
        for m in [Method::Mc, Method::Lhs, Method::Sobol] {
            let (mut p50, mut npv) = (Vec::new(), Vec::new());
            for seed in 0..reps {
                let d = Design::new(&s, 1000 + seed, m, n, None).expect("design");
                let cfg = RunConfig {
                    trials: n,
                    seed,
                    sampling: m.into(),
                    engine: RunOptions::default(),
                };
                let r = simulate(&s, &d, &cfg).expect("runs");
                p50.push(r.summary.payback.pct.p50.unwrap_or(f64::NAN));
                npv.push(r.summary.npv.stats.mean);
            }
            println!("| {n} | {} | {:.3} | {:.0} |", m.name(), sd(&p50), sd(&npv));
        }
    }
}
