//! A deliberately plain tree-walking evaluator of amount expressions, written from the
//! grammar the README documents (not from `src/expr`): numbers (`1_000`, `1.5e3`), input
//! names (any alphabetic start, Chinese included), `month`, `year`, `adoption`, `pi`,
//! `+ - * / ^` with `^` right-associative and binding tighter than unary minus,
//! comparisons `< <= > >= == !=` (lowest precedence, not chained, 1 or 0), and the
//! functions min, max, abs, exp, ln, sqrt, sin, cos, floor, ceil, clamp, if.

use std::collections::HashMap;

/// A parsed expression.
#[derive(Clone, Debug)]
pub enum Ex {
    Num(f64),
    Var(String),
    Neg(Box<Ex>),
    Bin(char, Box<Ex>, Box<Ex>),
    Cmp(&'static str, Box<Ex>, Box<Ex>),
    Call(String, Vec<Ex>),
}

/// What a name means in one month of one trial.
pub struct Env<'a> {
    pub inputs: &'a HashMap<String, f64>,
    pub month: u32,
    pub adoption: f64,
    /// Set when a comparison, `floor` or `ceil` was decided within rounding of its
    /// threshold (operands within 1e-12 of each other, or of an integer), other than
    /// between exact small integers. Two correct implementations that round differently
    /// (e.g. the logistic curve saturating to exactly its peak in one and to
    /// peak·(1 − 1e-16) in the other) may then take different sides.
    pub near_discontinuity: std::cell::Cell<bool>,
}

/// Within rounding of each other, and not both exact small integers.
fn ambiguous(x: f64, y: f64) -> bool {
    let small_int = |v: f64| v.fract() == 0.0 && v.abs() < 1e12;
    let close = (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1e-300);
    close && !(small_int(x) && small_int(y))
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Sym(&'static str),
}

fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_whitespace() {
            i += 1;
        } else if c[i].is_ascii_digit() || c[i] == '.' {
            let mut s = String::new();
            while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.' || c[i] == '_') {
                if c[i] != '_' {
                    s.push(c[i]);
                }
                i += 1;
            }
            // An exponent only when digits follow `e`, `e+` or `e-`.
            if i < c.len() && (c[i] == 'e' || c[i] == 'E') {
                let mut j = i + 1;
                if j < c.len() && (c[j] == '+' || c[j] == '-') {
                    j += 1;
                }
                if j < c.len() && c[j].is_ascii_digit() {
                    s.extend(&c[i..j]);
                    i = j;
                    while i < c.len() && c[i].is_ascii_digit() {
                        s.push(c[i]);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Num(s.parse().expect("oracle: a number")));
        } else if c[i].is_alphabetic() || c[i] == '_' {
            let mut s = String::new();
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                s.push(c[i]);
                i += 1;
            }
            out.push(Tok::Name(s));
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            let sym = ["<=", ">=", "==", "!="].into_iter().find(|s| *s == two);
            if let Some(s) = sym {
                out.push(Tok::Sym(s));
                i += 2;
            } else {
                let s = match c[i] {
                    '+' => "+",
                    '-' => "-",
                    '*' => "*",
                    '/' => "/",
                    '^' => "^",
                    '<' => "<",
                    '>' => ">",
                    '(' => "(",
                    ')' => ")",
                    ',' => ",",
                    other => panic!("oracle: unexpected character {other:?} in {src:?}"),
                };
                out.push(Tok::Sym(s));
                i += 1;
            }
        }
    }
    out
}

/// Recursive descent, one function per precedence level:
/// compare := sum [cmp sum]; sum := product {(+|-) product};
/// product := unary {(*|/) unary}; unary := (-|+) unary | power;
/// power := atom [^ unary]   (so `-a^b` = `-(a^b)`, `a^b^c` = `a^(b^c)`, `a^-b` = `a^(-b)`).
struct P {
    t: Vec<Tok>,
    i: usize,
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn eat(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn compare(&mut self) -> Ex {
        let a = self.sum();
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            if self.eat(op) {
                let b = self.sum();
                return Ex::Cmp(op, Box::new(a), Box::new(b));
            }
        }
        a
    }
    fn sum(&mut self) -> Ex {
        let mut a = self.product();
        loop {
            if self.eat("+") {
                a = Ex::Bin('+', Box::new(a), Box::new(self.product()));
            } else if self.eat("-") {
                a = Ex::Bin('-', Box::new(a), Box::new(self.product()));
            } else {
                return a;
            }
        }
    }
    fn product(&mut self) -> Ex {
        let mut a = self.unary();
        loop {
            if self.eat("*") {
                a = Ex::Bin('*', Box::new(a), Box::new(self.unary()));
            } else if self.eat("/") {
                a = Ex::Bin('/', Box::new(a), Box::new(self.unary()));
            } else {
                return a;
            }
        }
    }
    fn unary(&mut self) -> Ex {
        if self.eat("-") {
            Ex::Neg(Box::new(self.unary()))
        } else if self.eat("+") {
            self.unary()
        } else {
            self.power()
        }
    }
    fn power(&mut self) -> Ex {
        let a = self.atom();
        if self.eat("^") {
            Ex::Bin('^', Box::new(a), Box::new(self.unary()))
        } else {
            a
        }
    }
    fn atom(&mut self) -> Ex {
        let tok = self.t.get(self.i).cloned();
        self.i += 1;
        match tok {
            Some(Tok::Num(v)) => Ex::Num(v),
            Some(Tok::Sym("(")) => {
                let e = self.compare();
                assert!(self.eat(")"), "oracle: expected )");
                e
            }
            Some(Tok::Name(n)) => {
                if self.eat("(") {
                    let mut args = vec![self.compare()];
                    while self.eat(",") {
                        args.push(self.compare());
                    }
                    assert!(self.eat(")"), "oracle: expected ) after arguments");
                    Ex::Call(n, args)
                } else {
                    Ex::Var(n)
                }
            }
            other => panic!("oracle: unexpected token {other:?}"),
        }
    }
}

/// Parse an amount expression (panics on text the generator should never produce).
pub fn parse(src: &str) -> Ex {
    let mut p = P {
        t: tokens(src),
        i: 0,
    };
    let e = p.compare();
    assert!(p.i == p.t.len(), "oracle: trailing text in {src:?}");
    e
}

/// Evaluate in one month of one trial.
pub fn eval(e: &Ex, env: &Env) -> f64 {
    match e {
        Ex::Num(v) => *v,
        Ex::Var(n) => match n.as_str() {
            "month" => env.month as f64,
            // ceil(t / 12), 0 in month 0 (docs/MODEL.md "Time").
            "year" => env.month.div_ceil(12) as f64,
            "adoption" => env.adoption,
            "pi" => std::f64::consts::PI,
            _ => *env
                .inputs
                .get(n)
                .unwrap_or_else(|| panic!("oracle: unknown name {n}")),
        },
        Ex::Neg(a) => -eval(a, env),
        Ex::Bin(op, a, b) => {
            let (x, y) = (eval(a, env), eval(b, env));
            match op {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                '/' => x / y,
                _ => x.powf(y),
            }
        }
        Ex::Cmp(op, a, b) => {
            let (x, y) = (eval(a, env), eval(b, env));
            if ambiguous(x, y) {
                env.near_discontinuity.set(true);
            }
            let t = match *op {
                "<" => x < y,
                "<=" => x <= y,
                ">" => x > y,
                ">=" => x >= y,
                "==" => x == y,
                _ => x != y,
            };
            if t { 1.0 } else { 0.0 }
        }
        Ex::Call(f, args) => {
            let v = |i: usize| eval(&args[i], env);
            match f.as_str() {
                "abs" => v(0).abs(),
                "exp" => v(0).exp(),
                "ln" => v(0).ln(),
                "sqrt" => v(0).sqrt(),
                "sin" => v(0).sin(),
                "cos" => v(0).cos(),
                "floor" | "ceil" => {
                    let x = v(0);
                    let near = x.round();
                    if x != near && ambiguous(x, near) {
                        env.near_discontinuity.set(true);
                    }
                    if f == "floor" { x.floor() } else { x.ceil() }
                }
                "min" => (0..args.len()).map(v).fold(f64::INFINITY, f64::min),
                "max" => (0..args.len()).map(v).fold(f64::NEG_INFINITY, f64::max),
                // clamp(x, lo, hi) = min(max(x, lo), hi); the generator keeps lo ≤ hi.
                "clamp" => v(0).max(v(1)).min(v(2)),
                // Only the chosen branch is evaluated: a guarded division never runs.
                "if" => {
                    if v(0) != 0.0 {
                        v(1)
                    } else {
                        v(2)
                    }
                }
                other => panic!("oracle: unknown function {other}"),
            }
        }
    }
}

#[test]
fn oracle_evaluator_follows_the_documented_grammar() {
    let inputs: HashMap<String, f64> = [("迁移成本".to_string(), 3.0), ("x".to_string(), 2.0)]
        .into_iter()
        .collect();
    let env = Env {
        inputs: &inputs,
        month: 13,
        adoption: 0.5,
        near_discontinuity: Default::default(),
    };
    let ev = |s: &str| eval(&parse(s), &env);
    // Right-associative power; unary minus below ^; ^ accepts a signed exponent.
    assert_eq!(ev("2 ^ 3 ^ 2"), 512.0);
    assert_eq!(ev("-x ^ 2"), -4.0);
    assert_eq!(ev("2 ^ -1 * 4"), 2.0);
    assert_eq!(ev("1_000 + 1.5e3"), 2500.0);
    assert_eq!(ev("迁移成本 * year"), 6.0);
    assert_eq!(ev("month - 1 >= 12"), 1.0);
    assert_eq!(ev("if(x != 0, 1 / (x - 2), 7)"), f64::INFINITY);
    assert_eq!(
        ev("clamp(x * 10, 0, 5) + min(1, 2, -3) + max(x, adoption)"),
        4.0
    );
    assert_eq!(ev("8 / 2 / 2 - 1 - 1"), 0.0);
    // Exact integer ties are not ambiguous; a tie decided by rounding is.
    assert!(!env.near_discontinuity.get());
    assert_eq!(ev("floor(0.1 * 3 * 10)"), 3.0);
    assert!(env.near_discontinuity.get());
}
