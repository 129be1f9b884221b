//! Throughput of the engine: trials per second on the largest bundled scenario, the
//! engine alone (a sink that only counts) and a whole `simulate` (with summary
//! statistics). A plain harness: run with `cargo bench --bench engine`; it prints medians
//! of 5 repetitions. Nothing here is asserted: timing belongs to benchmarks, not tests.

use std::path::Path;
use std::time::Instant;

use payback::engine::{self, BatchOut, RunOptions, Sink};
use payback::model::Plan;
use payback::sampling::Design;
use payback::scenario::Scenario;
use payback::sensitivity::{Output, sobol};
use payback::simulate::{RunConfig, simulate_plan};

struct Count(f64);
impl Sink for Count {
    fn absorb(&mut self, b: &BatchOut) {
        self.0 += b.npv[..b.len].iter().sum::<f64>();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The median wall time of `reps` runs of `f`, in seconds.
fn median_secs(reps: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..reps)
            .map(|_| {
                let t0 = Instant::now();
                f();
                t0.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// Print the median time `m` of `n` trials on `threads` threads and the trials per second.
fn throughput(what: &str, threads: usize, n: u64, m: f64) {
    println!(
        "{what:<9} threads={threads} trials={n:>10}  median {:>8.3} s  {:>6.2} M trials/s",
        m,
        n as f64 / m / 1e6
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick" || a == "--test");
    let reps = if quick { 1 } else { 5 };
    let file = std::env::var("PAYBACK_BENCH_SCENARIO")
        .unwrap_or_else(|_| "scenarios/cloud_im_500.toml".into());
    let s = Scenario::load(Path::new(&file)).expect("bundled scenario loads");
    let plan = Plan::compile(&s);
    let src = Design::monte_carlo(&s, 42);
    let unc = s.uncertain_inputs().len();
    println!(
        "scenario {file}: {} inputs ({unc} uncertain), {} line items, {} months",
        s.inputs.len(),
        s.items.len(),
        s.horizon
    );
    let sizes: &[u64] = if quick {
        &[100_000]
    } else {
        &[100_000, 1_000_000, 10_000_000]
    };
    // Sobol indices: k uncertain inputs, N = 8,192 base rows → N(k+2) model runs.
    for threads in [1usize, 2] {
        let opts = RunOptions {
            threads: Some(threads),
            ..RunOptions::default()
        };
        let n = if quick { 1024 } else { 8192 };
        let m = median_secs(reps, || {
            std::hint::black_box(
                sobol::sobol(&s, Output::Payback, n, 300, 1, None, &opts).expect("runs"),
            );
        });
        println!(
            "sobol     threads={threads} N={n} ({} runs, 300 bootstrap)  median {:>8.3} s",
            n * (unc as u64 + 2),
            m
        );
    }
    for threads in [1usize, 2] {
        for &n in sizes {
            let opts = RunOptions {
                threads: Some(threads),
                ..RunOptions::default()
            };
            let m = median_secs(reps, || {
                let sinks = engine::run(&plan, &src, 0..n, &opts, |_| Count(0.0)).expect("runs");
                std::hint::black_box(sinks.iter().map(|s| s.0).sum::<f64>());
            });
            throughput("engine", threads, n, m);
        }
        for &n in sizes.iter().take(2) {
            let cfg = RunConfig {
                trials: n,
                seed: 42,
                sampling: payback::summary::Sampling::Mc,
                engine: RunOptions {
                    threads: Some(threads),
                    ..RunOptions::default()
                },
            };
            let m = median_secs(reps, || {
                std::hint::black_box(simulate_plan(&s, &plan, &src, &cfg).expect("runs"));
            });
            throughput("simulate", threads, n, m);
        }
    }
}
