//! The amount-expression language of docs/MODEL.md "Line items": numbers, input names, the
//! built-ins `month`, `year`, `adoption` and `pi`, operators `+ - * / ^`, comparisons,
//! parentheses, unary minus, and the functions min, max, abs, exp, ln, sqrt, sin, cos,
//! floor, ceil, clamp(x, lo, hi) and if(cond, a, b).
//!
//! A hand-written Pratt parser: it accepts Chinese identifiers (`员工数 * 30`), reports the
//! column of an error inside the expression, and bounds nesting so that no input can
//! overflow the stack. Parsing happens once per scenario; the engine evaluates a compiled,
//! column-wise form (`model::program`), never strings.

mod parse;

pub use parse::parse;

/// A position inside an expression: 0-based character offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// Binary operators and two-argument functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// a + b
    Add,
    /// a − b
    Sub,
    /// a · b
    Mul,
    /// a / b
    Div,
    /// a ^ b
    Pow,
    /// min(a, b)
    Min,
    /// max(a, b)
    Max,
    /// a < b
    Lt,
    /// a <= b
    Le,
    /// a > b
    Gt,
    /// a >= b
    Ge,
    /// a == b
    Eq,
    /// a != b
    Ne,
}

/// One-argument functions and unary minus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// −a
    Neg,
    /// |a|
    Abs,
    /// e^a
    Exp,
    /// ln a
    Ln,
    /// √a
    Sqrt,
    /// sin a
    Sin,
    /// cos a
    Cos,
    /// ⌊a⌋
    Floor,
    /// ⌈a⌉
    Ceil,
}

/// Syntax tree as parsed, names unresolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    /// A literal.
    Num(f64),
    /// An identifier.
    Name(String, Span),
    /// Unary operator or function.
    Unary(UnOp, Box<Ast>),
    /// Binary operator or function.
    Binary(BinOp, Box<Ast>, Box<Ast>),
    /// clamp(x, lo, hi)
    Clamp(Box<Ast>, Box<Ast>, Box<Ast>),
    /// if(cond, a, b)
    If(Box<Ast>, Box<Ast>, Box<Ast>),
}

/// A resolved expression: names bound to input indices and built-ins.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A number (literals, `pi`, constant inputs).
    Const(f64),
    /// Input by index.
    Input(usize),
    /// The month index t.
    Month,
    /// ceil(t/12), 0 at t = 0.
    Year,
    /// A(t).
    Adoption,
    /// Unary.
    Unary(UnOp, Box<Node>),
    /// Binary.
    Binary(BinOp, Box<Node>, Box<Node>),
    /// clamp(x, lo, hi)
    Clamp(Box<Node>, Box<Node>, Box<Node>),
    /// if(cond, a, b)
    If(Box<Node>, Box<Node>, Box<Node>),
}

/// An error in an expression, with its position.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExprError {
    /// Syntax error.
    #[error("{message} at column {} of the expression", .span.start + 1)]
    Syntax {
        /// What is wrong.
        message: String,
        /// Where.
        span: Span,
    },
    /// A name that is not an input or built-in.
    #[error("unknown name `{name}` at column {}{}", .span.start + 1, suggestion_text(.suggestion))]
    UnknownName {
        /// The name.
        name: String,
        /// Where.
        span: Span,
        /// The nearest known name.
        suggestion: Option<String>,
    },
    /// Unknown function.
    #[error("unknown function `{name}` at column {}{}", .span.start + 1, suggestion_text(.suggestion))]
    UnknownFunction {
        /// The name.
        name: String,
        /// Where.
        span: Span,
        /// The nearest function.
        suggestion: Option<String>,
    },
    /// Wrong number of arguments.
    #[error("`{name}` takes {expected} argument(s) but was given {got} at column {}", .span.start + 1)]
    Arity {
        /// Function.
        name: String,
        /// Expected count, in words.
        expected: &'static str,
        /// Given.
        got: usize,
        /// Where.
        span: Span,
    },
}

impl ExprError {
    /// Where in the expression the error is.
    pub fn span(&self) -> Span {
        match self {
            ExprError::Syntax { span, .. }
            | ExprError::UnknownName { span, .. }
            | ExprError::UnknownFunction { span, .. }
            | ExprError::Arity { span, .. } => *span,
        }
    }
}

fn suggestion_text(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// Names that cannot be inputs.
pub const RESERVED: &[&str] = &[
    "month", "year", "adoption", "pi", "min", "max", "abs", "exp", "ln", "sqrt", "sin", "cos",
    "floor", "ceil", "clamp", "if",
];

/// The function names the parser knows.
pub const FUNCTIONS: &[&str] = &[
    "min", "max", "abs", "exp", "ln", "sqrt", "sin", "cos", "floor", "ceil", "clamp", "if",
];

/// Edit distance (Damerau–Levenshtein, optimal string alignment) between two names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=m {
        d[0][j] = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

/// The candidate nearest to `name`, if it is near enough to be a plausible typo.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let len = name.chars().count();
    let limit = (len / 3).max(1) + usize::from(len > 8);
    let lower = name.to_lowercase();
    let cands: Vec<&str> = candidates.into_iter().collect();
    let typo = cands
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string());
    // A shortened or lengthened name (`horizon` for `horizon_months`).
    typo.or_else(|| {
        cands
            .iter()
            .filter(|c| {
                len >= 3
                    && (c.to_lowercase().starts_with(&lower)
                        || lower.starts_with(&c.to_lowercase()))
            })
            .min_by_key(|c| c.len().abs_diff(name.len()))
            .map(|c| c.to_string())
    })
}

/// Bind names: `lookup` gives an input index for a name.
pub fn resolve(
    ast: &Ast,
    lookup: &dyn Fn(&str) -> Option<usize>,
    input_names: &[&str],
) -> Result<Node, ExprError> {
    Ok(match ast {
        Ast::Num(v) => Node::Const(*v),
        Ast::Name(name, span) => match name.as_str() {
            "month" => Node::Month,
            "year" => Node::Year,
            "adoption" => Node::Adoption,
            "pi" => Node::Const(std::f64::consts::PI),
            _ => match lookup(name) {
                Some(i) => Node::Input(i),
                None => {
                    let builtins = ["month", "year", "adoption", "pi"];
                    let suggestion = nearest(name, input_names.iter().copied().chain(builtins));
                    return Err(ExprError::UnknownName {
                        name: name.clone(),
                        span: *span,
                        suggestion,
                    });
                }
            },
        },
        Ast::Unary(op, a) => Node::Unary(*op, Box::new(resolve(a, lookup, input_names)?)),
        Ast::Binary(op, a, b) => Node::Binary(
            *op,
            Box::new(resolve(a, lookup, input_names)?),
            Box::new(resolve(b, lookup, input_names)?),
        ),
        Ast::Clamp(a, b, c) => Node::Clamp(
            Box::new(resolve(a, lookup, input_names)?),
            Box::new(resolve(b, lookup, input_names)?),
            Box::new(resolve(c, lookup, input_names)?),
        ),
        Ast::If(a, b, c) => Node::If(
            Box::new(resolve(a, lookup, input_names)?),
            Box::new(resolve(b, lookup, input_names)?),
            Box::new(resolve(c, lookup, input_names)?),
        ),
    })
}

/// Values a scalar evaluation sees.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    /// Input values by index.
    pub inputs: &'a [f64],
    /// Month t.
    pub month: f64,
    /// A(t).
    pub adoption: f64,
}

/// year(t) = ceil(t/12) for t ≥ 1, 0 at t = 0.
pub fn year_of(month: f64) -> f64 {
    if month <= 0.0 {
        0.0
    } else {
        (month / 12.0).ceil()
    }
}

/// Apply a unary operator.
#[inline(always)]
pub fn un(op: UnOp, a: f64) -> f64 {
    match op {
        UnOp::Neg => -a,
        UnOp::Abs => a.abs(),
        UnOp::Exp => a.exp(),
        UnOp::Ln => a.ln(),
        UnOp::Sqrt => a.sqrt(),
        UnOp::Sin => a.sin(),
        UnOp::Cos => a.cos(),
        UnOp::Floor => a.floor(),
        UnOp::Ceil => a.ceil(),
    }
}

/// Apply a binary operator. Comparisons give 1 or 0.
#[inline(always)]
pub fn bin(op: BinOp, a: f64, b: f64) -> f64 {
    let t = |c: bool| if c { 1.0 } else { 0.0 };
    match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Pow => a.powf(b),
        BinOp::Min => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.min(b)
            }
        }
        BinOp::Max => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.max(b)
            }
        }
        BinOp::Lt => t(a < b),
        BinOp::Le => t(a <= b),
        BinOp::Gt => t(a > b),
        BinOp::Ge => t(a >= b),
        BinOp::Eq => t(a == b),
        BinOp::Ne => t(a != b),
    }
}

/// clamp without panics: NaN propagates, and inverted bounds (lo > hi) are undefined (NaN,
/// reported as a run-time error naming the line item and trial).
#[inline(always)]
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() || lo.is_nan() || hi.is_nan() || lo > hi {
        f64::NAN
    } else {
        x.min(hi).max(lo)
    }
}

impl Node {
    /// Evaluate for one trial and month.
    pub fn eval(&self, env: &Env) -> f64 {
        match self {
            Node::Const(v) => *v,
            Node::Input(i) => env.inputs[*i],
            Node::Month => env.month,
            Node::Year => year_of(env.month),
            Node::Adoption => env.adoption,
            Node::Unary(op, a) => un(*op, a.eval(env)),
            Node::Binary(op, a, b) => bin(*op, a.eval(env), b.eval(env)),
            Node::Clamp(x, lo, hi) => clamp(x.eval(env), lo.eval(env), hi.eval(env)),
            Node::If(c, a, b) => {
                if c.eval(env) != 0.0 {
                    a.eval(env)
                } else {
                    b.eval(env)
                }
            }
        }
    }

    /// Visit every input index the expression reads.
    pub fn inputs(&self, out: &mut Vec<usize>) {
        match self {
            Node::Input(i) => out.push(*i),
            Node::Unary(_, a) => a.inputs(out),
            Node::Binary(_, a, b) => {
                a.inputs(out);
                b.inputs(out);
            }
            Node::Clamp(a, b, c) | Node::If(a, b, c) => {
                a.inputs(out);
                b.inputs(out);
                c.inputs(out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
