//! Compilation of amount expressions into column programs, hoisting by what each
//! subexpression depends on:
//! - nothing → a constant, folded at compile time;
//! - the month only (`month`, `year`, a fixed adoption curve) → a per-month table,
//!   computed once per run;
//! - the trial only (inputs) → a column computed once per batch of trials;
//! - both → a column computed per month per batch.
//!
//! Products and sums are re-associated so that month-invariant factors are multiplied
//! once per batch: `employees * adoption * minutes / 60 * cost` becomes
//! `(employees * minutes * cost / 60) * adoption`, one multiply per lane per month.

use crate::expr::{BinOp, Env, Node, UnOp, bin, clamp, un};

/// Number of trials evaluated together as columns.
pub const LANES: usize = 256;
/// One column: a value per lane.
pub type Col = [f64; LANES];

/// Where an operand comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Operand {
    /// A number.
    Const(f64),
    /// A per-month scalar table.
    Month(u32),
    /// A register (column).
    Reg(u32),
}

/// Operation kinds of the column machine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OpKind {
    /// Unary.
    Un(UnOp),
    /// Binary.
    Bin(BinOp),
    /// clamp(a, b, c)
    Clamp,
    /// if(a, b, c)
    If,
}

/// One column operation: `dst = kind(a, b, c)`; `dst` is above every source register.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Op {
    /// What.
    pub kind: OpKind,
    /// Destination register.
    pub dst: u32,
    /// First operand.
    pub a: Operand,
    /// Second operand (unused for unary).
    pub b: Operand,
    /// Third operand (clamp, if).
    pub c: Operand,
}

/// Dependence of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Constant.
    Const,
    /// Per month, same for every trial.
    Month,
    /// Per trial, same every month.
    Trial,
    /// Per trial and month.
    Full,
}

fn level_of(m: bool, t: bool) -> Level {
    match (m, t) {
        (false, false) => Level::Const,
        (true, false) => Level::Month,
        (false, true) => Level::Trial,
        (true, true) => Level::Full,
    }
}

/// The compiler's state: the two programs, month tables and registers.
pub struct Compiler<'a> {
    /// `Some(v)` for inputs that are constant (folded).
    pub constant_inputs: &'a [Option<f64>],
    /// Adoption per month when it is the same for all trials.
    pub static_adoption: Option<&'a [f64]>,
    /// Horizon.
    pub horizon: u32,
    /// Ops run once per batch.
    pub batch_ops: Vec<Op>,
    /// Ops run per month.
    pub month_ops: Vec<Op>,
    /// Per-month scalar tables, each of length H+1.
    pub month_tables: Vec<Vec<f64>>,
    /// Next free register.
    pub next_reg: u32,
}

impl Compiler<'_> {
    /// Dependence flags (month, trial) of a node.
    fn deps(&self, n: &Node) -> (bool, bool) {
        match n {
            Node::Const(_) => (false, false),
            Node::Input(i) => (false, self.constant_inputs[*i].is_none()),
            Node::Month | Node::Year => (true, false),
            Node::Adoption => (true, self.static_adoption.is_none()),
            Node::Unary(_, a) => self.deps(a),
            Node::Binary(_, a, b) => {
                let (x, y) = (self.deps(a), self.deps(b));
                (x.0 || y.0, x.1 || y.1)
            }
            Node::Clamp(a, b, c) | Node::If(a, b, c) => {
                let (x, y, z) = (self.deps(a), self.deps(b), self.deps(c));
                (x.0 || y.0 || z.0, x.1 || y.1 || z.1)
            }
        }
    }

    /// The level of a node.
    pub fn level(&self, n: &Node) -> Level {
        let (m, t) = self.deps(n);
        level_of(m, t)
    }

    /// Fold constants and re-associate products and sums by level.
    pub fn simplify(&self, n: &Node) -> Node {
        let n = match n {
            Node::Input(i) => match self.constant_inputs[*i] {
                Some(v) => Node::Const(v),
                None => n.clone(),
            },
            Node::Unary(op, a) => Node::Unary(*op, Box::new(self.simplify(a))),
            Node::Binary(BinOp::Mul | BinOp::Div, _, _) => {
                let mut fs = Vec::new();
                flatten(n, &mut fs, true);
                let fs: Vec<(Node, bool)> = fs
                    .into_iter()
                    .map(|(f, inv)| (self.simplify(&f), inv))
                    .collect();
                self.regroup(fs, true)
            }
            Node::Binary(BinOp::Add | BinOp::Sub, _, _) => {
                let mut ts = Vec::new();
                flatten(n, &mut ts, false);
                let ts: Vec<(Node, bool)> = ts
                    .into_iter()
                    .map(|(f, neg)| (self.simplify(&f), neg))
                    .collect();
                self.regroup(ts, false)
            }
            Node::Binary(op, a, b) => {
                Node::Binary(*op, Box::new(self.simplify(a)), Box::new(self.simplify(b)))
            }
            Node::Clamp(a, b, c) => Node::Clamp(
                Box::new(self.simplify(a)),
                Box::new(self.simplify(b)),
                Box::new(self.simplify(c)),
            ),
            Node::If(a, b, c) => Node::If(
                Box::new(self.simplify(a)),
                Box::new(self.simplify(b)),
                Box::new(self.simplify(c)),
            ),
            other => other.clone(),
        };
        if self.level(&n) == Level::Const && !matches!(n, Node::Const(_)) {
            Node::Const(n.eval(&Env {
                inputs: &[],
                month: 0.0,
                adoption: 0.0,
            }))
        } else {
            n
        }
    }

    /// Rebuild a flattened product (`mul`) or sum from its terms, grouping them as
    /// (constant ∘ trial-level) ∘ month-level ∘ full.
    fn regroup(&self, terms: Vec<(Node, bool)>, mul: bool) -> Node {
        let (op, inv_op) = if mul {
            (BinOp::Mul, BinOp::Div)
        } else {
            (BinOp::Add, BinOp::Sub)
        };
        let identity = if mul { 1.0 } else { 0.0 };
        let mut groups: [Vec<(Node, bool)>; 4] = Default::default();
        let mut constant = identity;
        for (t, inv) in terms {
            match self.level(&t) {
                Level::Const => {
                    let v = t.eval(&Env {
                        inputs: &[],
                        month: 0.0,
                        adoption: 0.0,
                    });
                    constant = if inv {
                        bin(inv_op, constant, v)
                    } else {
                        bin(op, constant, v)
                    };
                }
                Level::Month => groups[1].push((t, inv)),
                Level::Trial => groups[2].push((t, inv)),
                Level::Full => groups[3].push((t, inv)),
            }
        }
        let chain = |acc: Option<Node>, items: Vec<(Node, bool)>| -> Option<Node> {
            let mut acc = acc;
            for (t, inv) in items {
                acc = Some(match acc {
                    None if inv => {
                        Node::Binary(inv_op, Box::new(Node::Const(identity)), Box::new(t))
                    }
                    None => t,
                    Some(a) => {
                        Node::Binary(if inv { inv_op } else { op }, Box::new(a), Box::new(t))
                    }
                });
            }
            acc
        };
        // Constant joins the trial group (so it is applied once per batch) or, failing
        // that, the month group; a neutral constant is dropped.
        let has_const = constant != identity || constant.is_nan();
        let mut trial = chain(None, std::mem::take(&mut groups[2]));
        let mut month = chain(None, std::mem::take(&mut groups[1]));
        if has_const {
            let c = Node::Const(constant);
            if let Some(t) = trial {
                trial = Some(Node::Binary(op, Box::new(c), Box::new(t)));
            } else if let Some(m) = month {
                month = Some(Node::Binary(op, Box::new(c), Box::new(m)));
            } else {
                trial = Some(c);
            }
        }
        let mut acc = trial;
        if let Some(m) = month {
            acc = Some(match acc {
                None => m,
                Some(a) => Node::Binary(op, Box::new(a), Box::new(m)),
            });
        }
        chain(acc, std::mem::take(&mut groups[3])).unwrap_or(Node::Const(identity))
    }

    fn table(&mut self, n: &Node) -> Operand {
        let h = self.horizon as usize;
        let mut v = Vec::with_capacity(h + 1);
        for t in 0..=h {
            let a = self.static_adoption.map(|s| s[t]).unwrap_or(0.0);
            v.push(n.eval(&Env {
                inputs: &[],
                month: t as f64,
                adoption: a,
            }));
        }
        self.month_tables.push(v);
        Operand::Month(self.month_tables.len() as u32 - 1)
    }

    /// Emit code for a simplified node; returns its operand and level.
    pub fn emit(&mut self, n: &Node, adoption_reg: u32) -> (Operand, Level) {
        let level = self.level(n);
        match level {
            Level::Const => {
                return (
                    Operand::Const(n.eval(&Env {
                        inputs: &[],
                        month: 0.0,
                        adoption: 0.0,
                    })),
                    level,
                );
            }
            Level::Month => return (self.table(n), level),
            _ => {}
        }
        let (kind, a, b, c) = match n {
            Node::Input(i) => return (Operand::Reg(*i as u32), level),
            Node::Adoption => return (Operand::Reg(adoption_reg), level),
            Node::Unary(op, a) => (
                OpKind::Un(*op),
                self.emit(a, adoption_reg).0,
                Operand::Const(0.0),
                Operand::Const(0.0),
            ),
            Node::Binary(op, a, b) => (
                OpKind::Bin(*op),
                self.emit(a, adoption_reg).0,
                self.emit(b, adoption_reg).0,
                Operand::Const(0.0),
            ),
            Node::Clamp(a, b, c) | Node::If(a, b, c) => {
                let k = if matches!(n, Node::Clamp(..)) {
                    OpKind::Clamp
                } else {
                    OpKind::If
                };
                (
                    k,
                    self.emit(a, adoption_reg).0,
                    self.emit(b, adoption_reg).0,
                    self.emit(c, adoption_reg).0,
                )
            }
            // Month/Year/Const are never trial-dependent.
            other => {
                return (
                    Operand::Const(other.eval(&Env {
                        inputs: &[],
                        month: 0.0,
                        adoption: 0.0,
                    })),
                    Level::Const,
                );
            }
        };
        let dst = self.next_reg;
        self.next_reg += 1;
        let op = Op { kind, dst, a, b, c };
        if level == Level::Trial {
            self.batch_ops.push(op);
        } else {
            self.month_ops.push(op);
        }
        (Operand::Reg(dst), level)
    }
}

/// Flatten a chain of * and / (mul = true) or + and − into (term, inverted) pairs.
fn flatten(n: &Node, out: &mut Vec<(Node, bool)>, mul: bool) {
    fn go(n: &Node, inv: bool, out: &mut Vec<(Node, bool)>, mul: bool) {
        match n {
            Node::Binary(BinOp::Mul, a, b) if mul => {
                go(a, inv, out, mul);
                go(b, inv, out, mul);
            }
            Node::Binary(BinOp::Div, a, b) if mul => {
                go(a, inv, out, mul);
                go(b, !inv, out, mul);
            }
            Node::Binary(BinOp::Add, a, b) if !mul => {
                go(a, inv, out, mul);
                go(b, inv, out, mul);
            }
            Node::Binary(BinOp::Sub, a, b) if !mul => {
                go(a, inv, out, mul);
                go(b, !inv, out, mul);
            }
            other => out.push((other.clone(), inv)),
        }
    }
    go(n, false, out, mul);
}

/// A source resolved for one op execution.
#[derive(Clone, Copy)]
pub enum Src<'a> {
    /// A column.
    Col(&'a Col),
    /// A scalar.
    Val(f64),
}

macro_rules! map1 {
    ($out:expr, $a:expr, |$x:ident| $e:expr) => {
        match $a {
            Src::Col(a) => {
                for (o, &$x) in $out.iter_mut().zip(a.iter()) {
                    *o = $e;
                }
            }
            Src::Val($x) => {
                let v = $e;
                $out.fill(v);
            }
        }
    };
}

macro_rules! map2 {
    ($out:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {
        match ($a, $b) {
            (Src::Col(a), Src::Col(b)) => {
                for ((o, &$x), &$y) in $out.iter_mut().zip(a.iter()).zip(b.iter()) {
                    *o = $e;
                }
            }
            (Src::Col(a), Src::Val($y)) => {
                for (o, &$x) in $out.iter_mut().zip(a.iter()) {
                    *o = $e;
                }
            }
            (Src::Val($x), Src::Col(b)) => {
                for (o, &$y) in $out.iter_mut().zip(b.iter()) {
                    *o = $e;
                }
            }
            (Src::Val($x), Src::Val($y)) => {
                let v = $e;
                $out.fill(v);
            }
        }
    };
}

#[inline(always)]
fn sel(c: bool) -> f64 {
    if c { 1.0 } else { 0.0 }
}

/// Execute one op at month `t` on the register file. Always inlined, so that each
/// instantiation of the batch kernel (portable, AVX2) gets its own vectorised copy.
#[inline(always)]
pub fn exec(op: &Op, regs: &mut [Col], t: usize, tables: &[Vec<f64>]) {
    let (lo, hi) = regs.split_at_mut(op.dst as usize);
    let out = &mut hi[0];
    let src = |o: Operand| -> Src {
        match o {
            Operand::Const(v) => Src::Val(v),
            Operand::Month(i) => Src::Val(tables[i as usize][t]),
            Operand::Reg(r) => Src::Col(&lo[r as usize]),
        }
    };
    let (a, b) = (src(op.a), src(op.b));
    match op.kind {
        OpKind::Bin(BinOp::Add) => map2!(out, a, b, |x, y| x + y),
        OpKind::Bin(BinOp::Sub) => map2!(out, a, b, |x, y| x - y),
        OpKind::Bin(BinOp::Mul) => map2!(out, a, b, |x, y| x * y),
        OpKind::Bin(BinOp::Div) => map2!(out, a, b, |x, y| x / y),
        OpKind::Bin(BinOp::Pow) => match b {
            // Small whole exponents (price rises by year): repeated multiplication.
            Src::Val(y) if y == y.trunc() && y.abs() <= 64.0 => {
                let k = y as i32;
                map1!(out, a, |x| x.powi(k))
            }
            _ => map2!(out, a, b, |x, y| x.powf(y)),
        },
        OpKind::Bin(BinOp::Min) => map2!(out, a, b, |x, y| bin(BinOp::Min, x, y)),
        OpKind::Bin(BinOp::Max) => map2!(out, a, b, |x, y| bin(BinOp::Max, x, y)),
        OpKind::Bin(BinOp::Lt) => map2!(out, a, b, |x, y| sel(x < y)),
        OpKind::Bin(BinOp::Le) => map2!(out, a, b, |x, y| sel(x <= y)),
        OpKind::Bin(BinOp::Gt) => map2!(out, a, b, |x, y| sel(x > y)),
        OpKind::Bin(BinOp::Ge) => map2!(out, a, b, |x, y| sel(x >= y)),
        OpKind::Bin(BinOp::Eq) => map2!(out, a, b, |x, y| sel(x == y)),
        OpKind::Bin(BinOp::Ne) => map2!(out, a, b, |x, y| sel(x != y)),
        OpKind::Un(UnOp::Neg) => map1!(out, a, |x| -x),
        OpKind::Un(u) => map1!(out, a, |x| un(u, x)),
        OpKind::Clamp | OpKind::If => {
            let c = src(op.c);
            let get = |s: Src, l: usize| match s {
                Src::Col(v) => v[l],
                Src::Val(v) => v,
            };
            if op.kind == OpKind::Clamp {
                for (l, o) in out.iter_mut().enumerate() {
                    *o = clamp(get(a, l), get(b, l), get(c, l));
                }
            } else {
                for (l, o) in out.iter_mut().enumerate() {
                    *o = if get(a, l) != 0.0 {
                        get(b, l)
                    } else {
                        get(c, l)
                    };
                }
            }
        }
    }
}
