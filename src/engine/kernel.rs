//! The batch kernel: one batch of `LANES` trials through the monthly model, as columns.
//! The month loop is branch-free over lanes (payback crossings are selects), month-only
//! decisions come from the plan, and nothing allocates.

use crate::model::program::{Col, LANES, Level, Operand, exec};
use crate::model::{AdoptionPlan, Curve, Kind, MonthPlan, Param, Plan};

/// Reusable buffers for one worker.
pub struct Scratch {
    /// Register file: inputs, adoption, program registers.
    pub regs: Vec<Col>,
    sig: Vec<Col>,
    cf: Box<Col>,
    cum: Box<Col>,
    dcum: Box<Col>,
    /// Payback (∞ = censored).
    pub payback: Box<Col>,
    /// Discounted payback.
    pub dpayback: Box<Col>,
    /// PV of costs.
    pub pvc: Box<Col>,
    /// PV of benefits.
    pub pvb: Box<Col>,
    /// NPV.
    pub npv: Box<Col>,
    /// ROI.
    pub roi: Box<Col>,
    /// TCO total.
    pub tco: Box<Col>,
    /// Peak funding need: the deepest the cumulative cash flow goes below zero.
    pub peak: Box<Col>,
    low: Box<Col>,
    /// TCO per cost category.
    pub tco_cat: Vec<Col>,
    ad_a: Box<Col>,
    ad_b: Box<Col>,
    ad_e: Box<Col>,
    cross_t: Box<Col>,
    cross_prev: Box<Col>,
    cross_flow: Box<Col>,
    dcross_t: Box<Col>,
    dcross_prev: Box<Col>,
    dcross_flow: Box<Col>,
    /// Month scalars each month op last ran with (ops on batch-invariant columns are
    /// skipped while their month scalars do not change, e.g. a price rise by year).
    last: Vec<[f64; 3]>,
    /// Cumulative cash flow per month (when recording paths).
    pub paths: Vec<Col>,
}

fn zcol() -> Box<Col> {
    Box::new([0.0; LANES])
}

impl Scratch {
    /// Buffers sized for a plan; `paths` records cumulative cash flow per month.
    pub fn new(plan: &Plan, paths: bool) -> Self {
        Scratch {
            regs: vec![[0.0; LANES]; plan.n_regs],
            sig: vec![[0.0; LANES]; plan.sigs.len()],
            cf: zcol(),
            cum: zcol(),
            dcum: zcol(),
            payback: zcol(),
            dpayback: zcol(),
            pvc: zcol(),
            pvb: zcol(),
            npv: zcol(),
            roi: zcol(),
            tco: zcol(),
            peak: zcol(),
            low: zcol(),
            tco_cat: vec![[0.0; LANES]; plan.categories.len()],
            ad_a: zcol(),
            ad_b: zcol(),
            ad_e: zcol(),
            cross_t: zcol(),
            cross_prev: zcol(),
            cross_flow: zcol(),
            dcross_t: zcol(),
            dcross_prev: zcol(),
            dcross_flow: zcol(),
            last: vec![[f64::NAN; 3]; plan.month_ops.len()],
            paths: if paths {
                vec![[0.0; LANES]; plan.horizon as usize + 1]
            } else {
                Vec::new()
            },
        }
    }
}

#[inline(always)]
fn operand_at(op: Operand, regs: &[Col], tables: &[Vec<f64>], t: usize, l: usize) -> f64 {
    match op {
        Operand::Const(v) => v,
        Operand::Month(i) => tables[i as usize][t],
        Operand::Reg(r) => regs[r as usize][l],
    }
}

/// `if m { a } else { b }` as bit operations, so that lane loops vectorise (LLVM keeps
/// `if` selects over several arrays as compare-and-jump).
#[inline(always)]
fn blend(m: bool, a: f64, b: f64) -> f64 {
    let mask = 0u64.wrapping_sub(m as u64);
    f64::from_bits((a.to_bits() & mask) | (b.to_bits() & !mask))
}

/// The month scalar an operand reads at month t (0 for registers, which a cacheable op
/// only reads from batch-invariant columns).
#[inline(always)]
fn scalar_at(op: Operand, tables: &[Vec<f64>], t: usize) -> f64 {
    match op {
        Operand::Const(v) => v,
        Operand::Month(i) => tables[i as usize][t],
        Operand::Reg(_) => 0.0,
    }
}

/// Add `sign · x` to `acc`, with x a column or scalar.
#[inline(always)]
fn axpy(acc: &mut Col, sign: f64, op: Operand, regs: &[Col], tables: &[Vec<f64>], t: usize) {
    match op {
        Operand::Reg(r) => {
            for (a, x) in acc.iter_mut().zip(regs[r as usize].iter()) {
                *a += sign * x;
            }
        }
        other => {
            let v = sign * operand_at(other, regs, tables, t, 0);
            acc.iter_mut().for_each(|a| *a += v);
        }
    }
}

/// Run one batch with portable code (the build target's baseline instructions).
/// Inputs must already be in `s.regs[0..n_inputs]`. The engine calls this through
/// [`super::simd::Kernel`], which picks AVX-512 or AVX2 code where the CPU has it; all
/// give the same bits.
pub fn run_batch(plan: &Plan, s: &mut Scratch) {
    run_batch_body(plan, s)
}

/// [`run_batch`] compiled for AVX2 (without FMA: a fused multiply-add rounds once where
/// the portable code rounds twice, so enabling it would change results). Only
/// [`super::simd`] calls it, after detecting AVX2 at run time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) fn run_batch_avx2(plan: &Plan, s: &mut Scratch) {
    run_batch_body(plan, s)
}

/// [`run_batch`] compiled for AVX-512 (eight lanes a vector; FMA left unused as above).
/// Only [`super::simd`] calls it, after detecting AVX-512F at run time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
pub(super) fn run_batch_avx512(plan: &Plan, s: &mut Scratch) {
    run_batch_body(plan, s)
}

/// The kernel's body, inlined into each instantiation above so that LLVM vectorises the
/// lane loops (and the inlined [`exec`]) with that instantiation's instruction set. Its
/// steps are `#[inline(always)]` for the same reason.
#[inline(always)]
fn run_batch_body(plan: &Plan, s: &mut Scratch) {
    trial_invariants(plan, s);
    let dynamic = adoption_state(plan, s);
    let areg = plan.adoption_reg as usize;
    s.regs[areg].fill(0.0);
    let mut pow = [20.0f64; LANES];
    reset_cumulative(s);
    for (t, mp) in plan.months.iter().enumerate() {
        if let Some(curve) = dynamic
            && t > 0
        {
            advance_adoption(curve, t, areg, s, &mut pow);
        }
        month_cash_flow(plan, mp, t, s);
        accumulate(t, mp.df, s);
        if !s.paths.is_empty() {
            s.paths[t].copy_from_slice(&s.cum[..]);
        }
    }
    finish(s);
}

/// What does not change from month to month within a trial: the batch ops, the signed sums
/// of month-invariant items per signature, and those items' TCO and PVs in one go.
#[inline(always)]
fn trial_invariants(plan: &Plan, s: &mut Scratch) {
    let tables = &plan.month_tables;
    for op in &plan.batch_ops {
        exec(op, &mut s.regs, 0, tables);
    }
    s.last.iter_mut().for_each(|k| *k = [f64::NAN; 3]);
    s.pvc.fill(plan.const_pvc);
    s.pvb.fill(plan.const_pvb);
    for (c, col) in s.tco_cat.iter_mut().enumerate() {
        col.fill(plan.const_tco[c]);
    }
    for (sig, items) in s.sig.iter_mut().zip(&plan.sigs) {
        sig.fill(0.0);
        for &k in items {
            let it = &plan.items[k as usize];
            let sign = if it.kind == Kind::Cost { -1.0 } else { 1.0 };
            axpy(sig, sign, it.operand, &s.regs, tables, 0);
        }
    }
    for it in &plan.items {
        if !matches!(it.level, Level::Const | Level::Trial) || it.n_active == 0 {
            continue;
        }
        let n = it.n_active as f64;
        if it.kind == Kind::Cost {
            axpy(
                &mut s.tco_cat[it.category],
                n,
                it.operand,
                &s.regs,
                tables,
                0,
            );
            axpy(&mut s.pvc, it.df_sum, it.operand, &s.regs, tables, 0);
        } else {
            axpy(&mut s.pvb, it.df_sum, it.operand, &s.regs, tables, 0);
        }
    }
}

/// Adoption state of a trial-dependent curve (peak, months to peak, logistic ratio per
/// lane); `None` when adoption is the same for every trial (a month table).
#[inline(always)]
fn adoption_state(plan: &Plan, s: &mut Scratch) -> Option<Curve> {
    let AdoptionPlan::Dynamic {
        curve,
        peak,
        months_to_peak,
    } = &plan.adoption
    else {
        return None;
    };
    let get = |p: &Param, l: usize| match p {
        Param::Const(v) => *v,
        Param::Input(i) => s.regs[*i][l],
    };
    for l in 0..LANES {
        let (p, m) = (get(peak, l), get(months_to_peak, l));
        s.ad_a[l] = p;
        s.ad_b[l] = m;
        // Logistic: A(t) = p·(1/(1+20·r^t) − 1/21)/(20/21), r = 20^(−2/m).
        s.ad_e[l] = if *curve == Curve::Logistic && m > 0.0 {
            20f64.powf(-2.0 / m)
        } else {
            0.0
        };
    }
    Some(*curve)
}

/// Cumulative flows start at 0, with no crossing yet: month −1 marks "never below zero"
/// (payback 0 if it stays so).
#[inline(always)]
fn reset_cumulative(s: &mut Scratch) {
    s.cum.fill(0.0);
    s.dcum.fill(0.0);
    s.low.fill(0.0);
    for c in [&mut s.cross_t, &mut s.dcross_t] {
        c.fill(-1.0);
    }
    for c in [
        &mut s.cross_prev,
        &mut s.cross_flow,
        &mut s.dcross_prev,
        &mut s.dcross_flow,
    ] {
        c.fill(0.0);
    }
}

/// Adoption at month t > 0 of a trial-dependent curve, into the adoption register `areg`
/// (`pow` carries 20·r^t of the logistic curve from month to month).
#[inline(always)]
fn advance_adoption(curve: Curve, t: usize, areg: usize, s: &mut Scratch, pow: &mut Col) {
    let a = &mut s.regs[areg];
    match curve {
        Curve::Logistic => {
            for l in 0..LANES {
                pow[l] *= s.ad_e[l];
                let logistic = s.ad_a[l] * (1.0 / (1.0 + pow[l]) - 1.0 / 21.0) * (21.0 / 20.0);
                a[l] = if s.ad_b[l] > 0.0 { logistic } else { s.ad_a[l] };
            }
        }
        Curve::Linear => {
            let tf = t as f64;
            for l in 0..LANES {
                let m = s.ad_b[l];
                a[l] = if m > 0.0 {
                    s.ad_a[l] * (tf / m).min(1.0)
                } else {
                    s.ad_a[l]
                };
            }
        }
        Curve::Step => a.copy_from_slice(&s.ad_a[..]),
    }
}

/// The month's cash flow: the invariant items' signature sum, the month's scalars, and the
/// items that vary by month (their ops run, skipped while their month scalars repeat), with
/// their TCO and PVs.
#[inline(always)]
fn month_cash_flow(plan: &Plan, mp: &MonthPlan, t: usize, s: &mut Scratch) {
    let tables = &plan.month_tables;
    let cf = &mut *s.cf;
    let base = &s.sig[mp.sig];
    for (c, b) in cf.iter_mut().zip(base.iter()) {
        *c = b + mp.cf_scalar;
    }
    for &k in &mp.full_items {
        let it = &plan.items[k as usize];
        for j in it.ops.clone() {
            let op = &plan.month_ops[j];
            if plan.month_op_cacheable[j] {
                let key = [
                    scalar_at(op.a, tables, t),
                    scalar_at(op.b, tables, t),
                    scalar_at(op.c, tables, t),
                ];
                if key == s.last[j] {
                    continue;
                }
                s.last[j] = key;
            }
            exec(op, &mut s.regs, t, tables);
        }
        let Operand::Reg(r) = it.operand else {
            continue;
        };
        let amt = &s.regs[r as usize];
        if it.kind == Kind::Cost {
            let tc = &mut s.tco_cat[it.category];
            for l in 0..LANES {
                cf[l] -= amt[l];
                tc[l] += amt[l];
                s.pvc[l] += amt[l] * mp.df;
            }
        } else {
            for l in 0..LANES {
                cf[l] += amt[l];
                s.pvb[l] += amt[l] * mp.df;
            }
        }
    }
}

/// Cumulative flows, branch-free. The payback interpolation needs the last upward crossing
/// only, so record (month, Cum before, flow) at each crossing and divide once at the end
/// instead of every month.
#[inline(always)]
fn accumulate(t: usize, df: f64, s: &mut Scratch) {
    let tf = t as f64;
    let cf = &*s.cf;
    let (cum, dcum, low) = (&mut *s.cum, &mut *s.dcum, &mut *s.low);
    let (xt, xp, xf) = (&mut *s.cross_t, &mut *s.cross_prev, &mut *s.cross_flow);
    let (dxt, dxp, dxf) = (&mut *s.dcross_t, &mut *s.dcross_prev, &mut *s.dcross_flow);
    for l in 0..LANES {
        let f = cf[l];
        let prev = cum[l];
        let now = prev + f;
        cum[l] = now;
        low[l] = blend(now < low[l], now, low[l]);
        let up = (prev < 0.0) & (now >= 0.0);
        xt[l] = blend(up, tf, xt[l]);
        xp[l] = blend(up, prev, xp[l]);
        xf[l] = blend(up, f, xf[l]);
    }
    for l in 0..LANES {
        let g = cf[l] * df;
        let dprev = dcum[l];
        let dnow = dprev + g;
        dcum[l] = dnow;
        let up = (dprev < 0.0) & (dnow >= 0.0);
        dxt[l] = blend(up, tf, dxt[l]);
        dxp[l] = blend(up, dprev, dxp[l]);
        dxf[l] = blend(up, g, dxf[l]);
    }
}

/// The trial's outputs. Payback (docs/MODEL.md): ∞ if Cum(H) < 0; 0 if Cum never went below
/// 0; otherwise interpolated inside the month of the last upward crossing:
/// (t − 1) − Cum(t−1)/CF(t). NPV is the discounted cumulative flow at the horizon; ROI is
/// (PV benefits − PV costs) / PV costs, a ratio (0.5 = 50%); the peak funding need is
/// max(0, −min over t of Cum(t)), undiscounted.
#[inline(always)]
fn finish(s: &mut Scratch) {
    for l in 0..LANES {
        let p = if s.cross_t[l] < 0.0 {
            0.0
        } else {
            s.cross_t[l] - 1.0 - s.cross_prev[l] / s.cross_flow[l]
        };
        s.payback[l] = if s.cum[l] < 0.0 { f64::INFINITY } else { p };
        let d = if s.dcross_t[l] < 0.0 {
            0.0
        } else {
            s.dcross_t[l] - 1.0 - s.dcross_prev[l] / s.dcross_flow[l]
        };
        s.dpayback[l] = if s.dcum[l] < 0.0 { f64::INFINITY } else { d };
    }
    for l in 0..LANES {
        let total: f64 = s.tco_cat.iter().map(|c| c[l]).sum();
        s.tco[l] = total;
        s.npv[l] = s.dcum[l];
        s.peak[l] = blend(s.low[l] < 0.0, -s.low[l], 0.0);
        // ROI is a return on money spent: undefined (NaN) unless the PV of costs is > 0
        // (a negative PV of costs, rebates exceeding costs, would flip its sign).
        let r = (s.pvb[l] - s.pvc[l]) / s.pvc[l];
        s.roi[l] = if s.pvc[l] > 0.0 { r } else { f64::NAN };
    }
}

/// First lane in 0..len whose results are not finite (payback may be +∞).
pub fn first_non_finite(s: &Scratch, len: usize) -> Option<usize> {
    (0..len).find(|&l| {
        !s.npv[l].is_finite()
            || !s.cum[l].is_finite()
            || !s.tco[l].is_finite()
            || !s.pvc[l].is_finite()
            || !s.pvb[l].is_finite()
            || s.payback[l].is_nan()
            || s.dpayback[l].is_nan()
    })
}
