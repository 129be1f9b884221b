//! Runtime CPU dispatch of the batch kernel and of the uniforms: AVX-512 or AVX2 code
//! where the CPU has it, portable code otherwise, in one binary, with bit-identical results.
//!
//! The kernel ([`super::kernel`]) is compiled three times from one `#[inline(always)]`
//! body: once for the build target's baseline (SSE2 on x86-64), once inside a
//! `#[target_feature(enable = "avx2")]` function and once inside an `avx512f` one, so LLVM
//! vectorises the lane loops two, four or eight `f64` wide. FMA is deliberately *not*
//! used: Rust never contracts `a * b + c` into a fused multiply-add on its own, and every
//! copy executes the same IEEE operations in the same order on every lane, so they give
//! the same bits (libm calls such as `exp` and `powf` are the same functions in all). The
//! tests compare every path the CPU runs with the portable one bit for bit
//! (`kernel_paths_agree_bit_for_bit_*` below and
//! `portable_and_avx2_paths_give_identical_json` in the integration tests).
//!
//! The keyed uniforms ([`crate::rng::fill_uniforms`]: 64-bit multiplies and shifts, then an
//! exact conversion) are integer work with one exact answer; with AVX-512 (F and DQ, which
//! has the 64-bit vector multiply) they are computed eight at a time
//! ([`fill_uniforms`]), with the same bits.
//!
//! The path is chosen once per run (the detection is cached) and fixed per block of
//! trials. `PAYBACK_SIMD=portable` in the environment forces the portable path and
//! `PAYBACK_SIMD=avx2` caps it at AVX2 (read once per process); [`Simd::Portable`] in the
//! run options forces the portable kernel for one run.
//!
//! # Why hand-written, and the unsafe surface
//! Calling a `#[target_feature]` function from code compiled without that feature is
//! `unsafe`: it is undefined behaviour on a CPU that lacks the feature. The crate denies
//! `unsafe_code`; this module is the one place allowed to use it, for exactly two kinds of
//! `unsafe` call: the kernel in [`Kernel::run_batch`] and the uniforms in
//! [`fill_uniforms`]. Their soundness rests on one invariant, kept by this module alone: a
//! [`Path`] that needs a feature is only produced (by `best()` and [`Kernel::available`])
//! after `is_x86_feature_detected!` returned true for every feature it needs, and
//! [`Kernel`]'s field is private. Crates that generate such dispatch (`multiversion`,
//! `pulp`) would add a dependency and macro- or trait-generated code for two functions,
//! and `pulp`'s AVX2 level is x86-64-v3, which includes FMA. These few lines keep the
//! contract visible.
//!
//! Debug builds do not vectorise, so the equality tests mean most under
//! `cargo test --release`.
#![allow(unsafe_code)]

use std::sync::OnceLock;

use super::kernel;
use crate::model::Plan;
use crate::rng;

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
    /// AVX-512F for the kernel; the uniforms also need AVX-512DQ.
    #[cfg(target_arch = "x86_64")]
    Avx512 {
        dq: bool,
    },
}

/// A batch kernel this CPU can run. Only [`Kernel::select`] makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernel(Path);

/// Every path this CPU runs, the portable one first and the best last.
fn detected() -> Vec<Path> {
    let mut paths = vec![Path::Portable];
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            paths.push(Path::Avx2);
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            let dq = std::arch::is_x86_feature_detected!("avx512dq");
            paths.push(Path::Avx512 { dq });
        }
    }
    paths
}

/// The best path of this CPU and environment, detected once.
fn best() -> Path {
    static BEST: OnceLock<Path> = OnceLock::new();
    *BEST.get_or_init(|| {
        let cap = std::env::var("PAYBACK_SIMD").unwrap_or_default();
        let paths = detected();
        let allowed = |p: &Path| match cap.as_str() {
            "portable" => *p == Path::Portable,
            #[cfg(target_arch = "x86_64")]
            "avx2" => !matches!(p, Path::Avx512 { .. }),
            _ => true,
        };
        paths.into_iter().rfind(allowed).unwrap_or(Path::Portable)
    })
}

/// Fill `out[j]` with the uniform of stream `key` at trial `start + j`, exactly as
/// [`rng::fill_uniforms`] does, eight at a time where the CPU has AVX-512DQ.
pub fn fill_uniforms(key: u64, start: u64, out: &mut [f64]) {
    match best() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `best()` returns `Avx512 { dq: true }` only after
        // `is_x86_feature_detected!` returned true for both "avx512f" and "avx512dq" on
        // this CPU, the features `fill_uniforms_avx512` is compiled for.
        Path::Avx512 { dq: true } => unsafe { fill_uniforms_avx512(key, start, out) },
        _ => rng::fill_uniforms(key, start, out),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn fill_uniforms_avx512(key: u64, start: u64, out: &mut [f64]) {
    rng::fill_uniforms_inline(key, start, out)
}

impl Kernel {
    /// The kernel for a run's choice.
    pub fn select(simd: Simd) -> Kernel {
        match simd {
            Simd::Auto => Kernel(best()),
            Simd::Portable => Kernel(Path::Portable),
        }
    }

    /// Every kernel this CPU runs (whatever the environment asks), portable first.
    pub fn available() -> Vec<Kernel> {
        detected().into_iter().map(Kernel).collect()
    }

    /// The instruction set the kernel uses: `"avx512"`, `"avx2"` or `"portable"`.
    pub fn name(self) -> &'static str {
        match self.0 {
            Path::Portable => "portable",
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => "avx2",
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 { .. } => "avx512",
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
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Path::Avx512` is only produced by `detected()` after
            // `is_x86_feature_detected!("avx512f")` returned true on this CPU, the one
            // feature `run_batch_avx512` is compiled for.
            Path::Avx512 { .. } => unsafe { kernel::run_batch_avx512(plan, s) },
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
        let p = Kernel::select(Simd::Portable);
        let others = &Kernel::available()[1..];
        if others.is_empty() {
            eprintln!("no AVX2 or AVX-512 on this CPU: one path only");
        }
        for (&a, salt) in others.iter().flat_map(|a| (0..4).map(move |s| (a, s))) {
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
    fn uniforms_agree_bit_for_bit_on_every_path() {
        for (key, start, len) in [(1u64, 0u64, 256usize), (u64::MAX, 1 << 40, 255), (42, 7, 1)] {
            let mut fast = vec![0.0; len];
            fill_uniforms(key, start, &mut fast);
            for (j, u) in fast.iter().enumerate() {
                let want = crate::rng::uniform(key, start + j as u64);
                assert_eq!(
                    u.to_bits(),
                    want.to_bits(),
                    "key {key} trial {}",
                    start + j as u64
                );
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
