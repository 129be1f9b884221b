//! Tokeniser and Pratt parser for amount expressions.

use super::{Ast, BinOp, ExprError, FUNCTIONS, Span, UnOp, nearest};

/// Longest expression accepted, in characters.
pub const MAX_LEN: usize = 10_000;
/// Deepest nesting of parentheses, unary minus and calls.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
    End,
}

struct Lexer {
    toks: Vec<(Tok, Span)>,
}

fn syntax(message: impl Into<String>, start: usize, end: usize) -> ExprError {
    ExprError::Syntax {
        message: message.into(),
        span: Span { start, end },
    }
}

fn lex(src: &str) -> Result<Lexer, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    if chars.len() > MAX_LEN {
        return Err(syntax(
            format!("expression is longer than {MAX_LEN} characters"),
            0,
            chars.len(),
        ));
    }
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            // `_` groups digits (`1_000`), one at a time and between digits, as in TOML.
            let raw = &chars[start..i];
            if let Some(k) = raw.iter().enumerate().position(|(k, c)| {
                *c == '_'
                    && !(k > 0
                        && raw[k - 1].is_ascii_digit()
                        && raw.get(k + 1).is_some_and(|d| d.is_ascii_digit()))
            }) {
                return Err(syntax(
                    "`_` may only separate two digits (as in 1_000)",
                    start + k,
                    start + k + 1,
                ));
            }
            let text: String = raw.iter().filter(|c| **c != '_').collect();
            let v: f64 = text
                .parse()
                .map_err(|_| syntax(format!("`{text}` is not a number"), start, i))?;
            if !v.is_finite() {
                return Err(syntax(format!("number `{text}` is too large"), start, i));
            }
            toks.push((Tok::Num(v), Span { start, end: i }));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push((
                Tok::Ident(chars[start..i].iter().collect()),
                Span { start, end: i },
            ));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op2 = ["<=", ">=", "==", "!="].into_iter().find(|o| *o == two);
        if let Some(o) = op2 {
            toks.push((Tok::Op(o), Span { start, end: i + 2 }));
            i += 2;
            continue;
        }
        let tok = match c {
            '+' => Tok::Op("+"),
            '-' | '−' => Tok::Op("-"),
            '*' | '×' => Tok::Op("*"),
            '/' => Tok::Op("/"),
            '^' => Tok::Op("^"),
            '<' => Tok::Op("<"),
            '>' => Tok::Op(">"),
            '(' | '（' => Tok::LParen,
            ')' | '）' => Tok::RParen,
            ',' | '，' => Tok::Comma,
            '=' => {
                return Err(syntax(
                    "`=` is not an operator; use `==` to compare",
                    i,
                    i + 1,
                ));
            }
            _ => return Err(syntax(format!("unexpected character `{c}`"), i, i + 1)),
        };
        toks.push((tok, Span { start, end: i + 1 }));
        i += 1;
    }
    toks.push((
        Tok::End,
        Span {
            start: chars.len(),
            end: chars.len(),
        },
    ));
    Ok(Lexer { toks })
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

fn binop(op: &str) -> Option<(u8, u8, BinOp)> {
    // (left binding power, right binding power, operator)
    Some(match op {
        "<" => (1, 2, BinOp::Lt),
        "<=" => (1, 2, BinOp::Le),
        ">" => (1, 2, BinOp::Gt),
        ">=" => (1, 2, BinOp::Ge),
        "==" => (1, 2, BinOp::Eq),
        "!=" => (1, 2, BinOp::Ne),
        "+" => (3, 4, BinOp::Add),
        "-" => (3, 4, BinOp::Sub),
        "*" => (5, 6, BinOp::Mul),
        "/" => (5, 6, BinOp::Div),
        "^" => (10, 9, BinOp::Pow),
        _ => return None,
    })
}

/// Binding power of unary minus: above * and /, below ^ (so −x^2 = −(x^2)).
const UNARY_BP: u8 = 7;

impl Parser {
    fn peek(&self) -> &(Tok, Span) {
        &self.toks[self.pos]
    }

    fn next(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn enter(&mut self, span: Span) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax(
                format!("expression is nested more than {MAX_DEPTH} levels deep"),
                span.start,
                span.end,
            ));
        }
        Ok(())
    }

    fn expr(&mut self, min_bp: u8) -> Result<Ast, ExprError> {
        let (tok, span) = self.next();
        self.enter(span)?;
        let mut lhs = match tok {
            Tok::Num(v) => Ast::Num(v),
            Tok::Op("-") => {
                let a = self.expr(UNARY_BP)?;
                Ast::Unary(UnOp::Neg, Box::new(a))
            }
            Tok::Op("+") => {
                return Err(syntax(
                    "unary `+` is not part of an amount: write the value without it",
                    span.start,
                    span.end,
                ));
            }
            Tok::LParen => {
                let inner = self.expr(0)?;
                let (t, s) = self.next();
                if t != Tok::RParen {
                    return Err(syntax("expected `)`", s.start, s.end.max(s.start + 1)));
                }
                inner
            }
            Tok::Ident(name) => {
                if self.peek().0 == Tok::LParen {
                    self.next();
                    self.call(name, span)?
                } else {
                    Ast::Name(name, span)
                }
            }
            Tok::End => {
                return Err(syntax(
                    "expression ends where a value was expected",
                    span.start,
                    span.end,
                ));
            }
            Tok::RParen => return Err(syntax("unexpected `)`", span.start, span.end)),
            Tok::Comma => return Err(syntax("unexpected `,`", span.start, span.end)),
            Tok::Op(o) => {
                return Err(syntax(
                    format!("unexpected operator `{o}`"),
                    span.start,
                    span.end,
                ));
            }
        };
        loop {
            let (tok, span) = self.peek().clone();
            let op = match tok {
                Tok::Op(o) => o,
                Tok::End | Tok::RParen | Tok::Comma => break,
                Tok::Num(_) | Tok::Ident(_) | Tok::LParen => {
                    return Err(syntax(
                        "expected an operator (e.g. `*`) between two values",
                        span.start,
                        span.end,
                    ));
                }
            };
            let Some((lbp, rbp, bop)) = binop(op) else {
                return Err(syntax(
                    format!("unexpected operator `{op}`"),
                    span.start,
                    span.end,
                ));
            };
            if lbp < min_bp {
                break;
            }
            self.next();
            let rhs = self.expr(rbp)?;
            if lbp == 1
                && matches!(
                    self.peek().0,
                    Tok::Op("<" | "<=" | ">" | ">=" | "==" | "!=")
                )
            {
                let s = self.peek().1;
                return Err(syntax(
                    "comparisons cannot be chained; use if() or parentheses",
                    s.start,
                    s.end,
                ));
            }
            lhs = Ast::Binary(bop, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn call(&mut self, name: String, span: Span) -> Result<Ast, ExprError> {
        let mut args = Vec::new();
        if self.peek().0 == Tok::RParen {
            self.next();
        } else {
            loop {
                args.push(self.expr(0)?);
                let (t, s) = self.next();
                match t {
                    Tok::Comma => continue,
                    Tok::RParen => break,
                    _ => {
                        return Err(syntax(
                            format!("expected `,` or `)` in the call of `{name}`"),
                            s.start,
                            s.end.max(s.start + 1),
                        ));
                    }
                }
            }
        }
        let arity = |expected: &'static str, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(ExprError::Arity {
                    name: name.clone(),
                    expected,
                    got: args.len(),
                    span,
                })
            }
        };
        let un = |op| -> Result<Ast, ExprError> {
            arity("1", args.len() == 1)?;
            Ok(Ast::Unary(op, Box::new(args[0].clone())))
        };
        match name.as_str() {
            "abs" => un(UnOp::Abs),
            "exp" => un(UnOp::Exp),
            "ln" => un(UnOp::Ln),
            "sqrt" => un(UnOp::Sqrt),
            "sin" => un(UnOp::Sin),
            "cos" => un(UnOp::Cos),
            "floor" => un(UnOp::Floor),
            "ceil" => un(UnOp::Ceil),
            "min" | "max" => {
                arity("2 or more", args.len() >= 2)?;
                let op = if name == "min" {
                    BinOp::Min
                } else {
                    BinOp::Max
                };
                let mut it = args.into_iter();
                let first = it.next().unwrap_or(Ast::Num(f64::NAN));
                Ok(it.fold(first, |acc, a| Ast::Binary(op, Box::new(acc), Box::new(a))))
            }
            "clamp" | "if" => {
                arity("3", args.len() == 3)?;
                let mut it = args.into_iter().map(Box::new);
                let (a, b, c) = match (it.next(), it.next(), it.next()) {
                    (Some(a), Some(b), Some(c)) => (a, b, c),
                    _ => {
                        return Err(ExprError::Arity {
                            name,
                            expected: "3",
                            got: 0,
                            span,
                        });
                    }
                };
                // Bounds written as numbers are checked here; bounds that depend on inputs
                // are checked per trial (an inverted pair makes the amount undefined).
                let num = |x: &Ast| match x {
                    Ast::Num(v) => Some(*v),
                    Ast::Unary(UnOp::Neg, inner) => match **inner {
                        Ast::Num(v) => Some(-v),
                        _ => None,
                    },
                    _ => None,
                };
                if name == "clamp"
                    && let (Some(lo), Some(hi)) = (num(&b), num(&c))
                    && lo > hi
                {
                    return Err(syntax(
                        format!("clamp(x, lo, hi) needs lo ≤ hi, but lo = {lo} and hi = {hi}"),
                        span.start,
                        span.end,
                    ));
                }
                Ok(if name == "clamp" {
                    Ast::Clamp(a, b, c)
                } else {
                    Ast::If(a, b, c)
                })
            }
            _ => Err(ExprError::UnknownFunction {
                suggestion: nearest(&name, FUNCTIONS.iter().copied()),
                name,
                span,
            }),
        }
    }
}

/// Parse an amount expression.
pub fn parse(src: &str) -> Result<Ast, ExprError> {
    let lexer = lex(src)?;
    let mut p = Parser {
        toks: lexer.toks,
        pos: 0,
        depth: 0,
    };
    let ast = p.expr(0)?;
    let (t, s) = p.peek().clone();
    match t {
        Tok::End => Ok(ast),
        Tok::RParen => Err(syntax("unmatched `)`", s.start, s.end)),
        _ => Err(syntax(
            "unexpected text after the expression",
            s.start,
            s.end,
        )),
    }
}
