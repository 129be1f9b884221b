//! Runtime CPU dispatch of the batch kernel: AVX2 code where the CPU has it, portable
//! code otherwise, in one binary, with bit-identical results.
//!
//! The kernel ([`super::kernel`]) is compiled twice from one `#[inline(always)]` body:
//! once for the build target's baseline (SSE2 on x86-64) and once inside a
//! `#[target_feature(enable = "avx2")]` function, so LLVM vectorises the lane loops four
//! `f64` wide instead of two. FMA is deliberately *not* enabled: Rust never contracts
//! `a * b + c` into a fused multiply-add on its own, and both copies execute the same IEEE
//! operations in the same order on every lane, so they give the same bits (libm calls
//! such as `exp` and `powf` are the same functions in both). The tests compare the two
//! paths bit for bit (`kernel_paths_agree_bit_for_bit_*` below and
//! `portable_and_avx2_paths_give_identical_json` in the integration tests).
//!
//! The path is chosen once per run (the detection is cached) and fixed per block of
//! trials. `PAYBACK_SIMD=portable` in the environment forces the portable path (read once
//! per process), and [`Simd::Portable`] in the run options does so for one run.
//!
//! # Why hand-written, and the unsafe surface
//! Calling a `#[target_feature]` function from code compiled without that feature is
//! `unsafe`: it is undefined behaviour on a CPU that lacks the feature. The crate denies
//! `unsafe_code`; this module is the one place allowed to use it, for exactly one
//! `unsafe` block in [`Kernel::run_batch`]. Its soundness rests on one invariant, kept by
//! this module alone: a [`Kernel`] holding the AVX2 path is only constructed (in
//! [`Kernel::select`]) after `is_x86_feature_detected!("avx2")` returned true, and its
//! field is private. Crates that generate such dispatch (`multiversion`, `pulp`) would add
//! a dependency and macro- or trait-generated code for one function, and `pulp`'s AVX2
//! level is x86-64-v3, which includes FMA. Twenty lines here keep the contract visible.
//!
//! Debug builds do not vectorise, so the equality tests mean most under
//! `cargo test --release`.
#![allow(unsafe_code)]

use std::sync::OnceLock;

use super::kernel;
use crate::model::Plan;

use super::Scratch;

/// Which instruction sets a run may use. Results are the same either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Simd {
    /// The fastest kernel the CPU runs (AVX2 on x86-64 where present), unless the
    /// environment variable `PAYBACK_SIMD` is `portable`.
    #[default]
    Auto,
    /// The portable kernel only (the build target's baseline instructions).
    Portable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

/// A batch kernel this CPU can run. Only [`Kernel::select`] makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernel(Path);

/// The best path of this CPU and environment, detected once.
fn best() -> Path {
    static BEST: OnceLock<Path> = OnceLock::new();
    *BEST.get_or_init(|| {
        if std::env::var_os("PAYBACK_SIMD").is_some_and(|v| v == "portable") {
            return Path::Portable;
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return Path::Avx2;
        }
        Path::Portable
    })
}

impl Kernel {
    /// The kernel for a run's choice.
    pub fn select(simd: Simd) -> Kernel {
        match simd {
            Simd::Auto => Kernel(best()),
            Simd::Portable => Kernel(Path::Portable),
        }
    }

    /// The instruction set the kernel uses: `"avx2"` or `"portable"`.
    pub fn name(self) -> &'static str {
        match self.0 {
            Path::Portable => "portable",
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => "avx2",
        }
    }

    /// Run one batch (see [`kernel::run_batch`]).
    #[inline]
    pub fn run_batch(self, plan: &Plan, s: &mut Scratch) {
        match self.0 {
            Path::Portable => kernel::run_batch(plan, s),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Path::Avx2` is only constructed by `best()` after
            // `is_x86_feature_detected!("avx2")` returned true on this CPU, so the AVX2
            // instructions of `run_batch_avx2` are supported. It has no other contract.
            Path::Avx2 => unsafe { kernel::run_batch_avx2(plan, s) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::program::{Col, LANES};
    use crate::scenario::parse_str;

    /// Awkward values: signed zeros, subnormals, huge and tiny magnitudes, exact halves.
    const SPECIAL: [f64; 16] = [
        0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e-310, -1e-310, 1e300, -1e300, 3.0, 7.25, 1e-12,
        123456.789, -0.1, 2.0,
    ];

    /// Inputs lane by lane: every pair of special values over the first inputs, then
    /// pseudo-random values in [−4, 4).
    fn fill(cols: &mut [Col], salt: u64) {
        let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ salt;
        for (i, col) in cols.iter_mut().enumerate() {
            for (l, v) in col.iter_mut().enumerate() {
                *v = match i {
                    0 => SPECIAL[l % 16],
                    1 => SPECIAL[(l / 16) % 16],
                    _ => {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        (x >> 11) as f64 / (1u64 << 53) as f64 * 8.0 - 4.0
                    }
                };
            }
        }
    }

    fn same(a: f64, b: f64) -> bool {
        // NaN payloads are not part of the contract (a run with NaN is refused).
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    /// Every register and output column of every batch, both kernels, bit for bit.
    fn check(toml: &str) {
        let s = parse_str(toml, "test.toml", None).expect("test scenario parses");
        let plan = Plan::compile(&s);
        let (p, a) = (Kernel::select(Simd::Portable), Kernel::select(Simd::Auto));
        if a == p {
            eprintln!("no AVX2 on this CPU (or PAYBACK_SIMD=portable): one path only");
        }
        for salt in 0..4 {
            let mut sp = Scratch::new(&plan, true);
            let mut sa = Scratch::new(&plan, true);
            fill(&mut sp.regs[..plan.n_inputs], salt);
            fill(&mut sa.regs[..plan.n_inputs], salt);
            p.run_batch(&plan, &mut sp);
            a.run_batch(&plan, &mut sa);
            let cols = |s: &Scratch| -> Vec<Col> {
                let mut v: Vec<Col> = s.regs.clone();
                v.extend(s.tco_cat.iter().copied());
                v.extend(s.paths.iter().copied());
                for c in [
                    &s.payback,
                    &s.dpayback,
                    &s.npv,
                    &s.roi,
                    &s.tco,
                    &s.pvc,
                    &s.pvb,
                ] {
                    v.push(**c);
                }
                v
            };
            let (cp, ca) = (cols(&sp), cols(&sa));
            assert_eq!(cp.len(), ca.len());
            for (k, (x, y)) in cp.iter().zip(&ca).enumerate() {
                for l in 0..LANES {
                    assert!(
                        same(x[l], y[l]),
                        "column {k} lane {l}: portable {} ({:#x}) vs {} {} ({:#x})",
                        x[l],
                        x[l].to_bits(),
                        a.name(),
                        y[l],
                        y[l].to_bits()
                    );
                }
            }
        }
    }

    #[test]
    fn kernel_paths_agree_bit_for_bit_on_every_operator() {
        check(
            r#"name = "ops"
horizon_months = 24
[inputs]
a = { dist = "uniform", min = -1, max = 1 }
b = { dist = "uniform", min = -1, max = 1 }
c = { dist = "uniform", min = -1, max = 1 }
d = { dist = "uniform", min = 1, max = 2 }
[[benefits]]
name = "arith"
category = "productivity"
when = "monthly"
amount = "a + b - c * d / (b + 2) + a * month"
[[costs]]
name = "minmax"
category = "licence"
when = "monthly"
amount = "min(a, b) + max(b, a) + min(a, 0) + max(-b, c * month) + clamp(a, c - 1, c + 1) + min(a, b * month)"
[[benefits]]
name = "compare"
category = "productivity"
when = "monthly"
amount = "(a < b) + (a <= b) + (a > b) + (a >= b) + (a == b) + (a != b) + if(a - b, c, d) + if(a * month, b, 0)"
[[costs]]
name = "functions"
category = "operations"
when = "monthly"
amount = "abs(a) + exp(c) + ln(d) + sqrt(d + a) + sin(b * month) + cos(c) + floor(a * 7) + ceil(b * 7) - (-a) + abs(a * month)"
[[benefits]]
name = "powers"
category = "productivity"
when = "monthly"
amount = "d ^ year + d ^ c + (1 + a / 10) ^ 3 + d ^ 0.5 + a ^ 2 / (b ^ 2 + 1) + (d * month) ^ b"
"#,
        );
    }

    #[test]
    fn kernel_paths_agree_bit_for_bit_with_adoption_yearly_items_and_discounting() {
        for curve in ["logistic", "linear", "step"] {
            check(&format!(
                r#"name = "ramp"
horizon_months = 36
discount_rate = 0.08
[inputs]
a = {{ dist = "uniform", min = 0, max = 1 }}
m = {{ dist = "uniform", min = 0, max = 20 }}
users = {{ dist = "triangular", min = 100, mode = 200, max = 400 }}
fee = {{ dist = "uniform", min = 5, max = 9 }}
[adoption]
curve = "{curve}"
peak = "a"
months_to_peak = "m"
[[costs]]
name = "setup"
category = "implementation"
when = "once"
at = 0
amount = "20000 + users * 10"
[[costs]]
name = "licences"
category = "licence"
when = "yearly"
amount = "users * fee * 1.05 ^ year"
[[benefits]]
name = "time saved"
category = "productivity"
when = "monthly"
amount = "users * adoption * fee * 3"
[[costs]]
name = "support"
category = "operations"
when = "monthly"
start = 2
amount = "users * adoption * 0.7 + 50"
"#
            ));
        }
    }
}
