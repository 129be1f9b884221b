//! A decision rule on one output of a trial, as the user writes it: `payback <= 24`,
//! `npv < 0`, `tco_licence > 500000`. Parsed once into a typed [`Rule`]; every error names
//! the column of the rule where it went wrong.

use crate::accum::Metric;

/// The comparison of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Op {
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=` (or `≤`)
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=` (or `≥`)
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    /// The symbol as printed (`≤`, `≥`, `<`, `>`).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        }
    }

    /// Does `x op threshold` hold? A censored payback (+∞) compares as beyond every month;
    /// NaN never meets a rule.
    pub fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => x < threshold,
            Op::Le => x <= threshold,
            Op::Gt => x > threshold,
            Op::Ge => x >= threshold,
        }
    }
}

/// A parsed decision rule: `metric op threshold`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The output the rule is on.
    pub metric: Metric,
    /// Its name as written in the rule (`payback`, `npv`, `tco_licence`, …).
    pub metric_name: String,
    /// The comparison.
    pub op: Op,
    /// The threshold, in the metric's units (months, currency, a ratio for ROI).
    pub threshold: f64,
    /// The rule as the user wrote it.
    pub text: String,
}

/// Why a rule cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{rule}`, column {column}: {message}")]
pub struct RuleError {
    /// The rule as written.
    pub rule: String,
    /// 1-based column (in characters) where the problem starts.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// The metric names a rule may use, for messages (`tco_<category>` stands for the cost
/// categories).
pub const METRIC_NAMES: &str = "payback, discounted_payback, npv, roi, tco, pv_costs, pv_benefits, peak_funding or tco_<category>";

fn is_op_char(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '!' | '≤' | '≥')
}

/// Parse `text` against the cost categories of a plan (`tco_<category>` metrics).
pub fn parse(text: &str, categories: &[String]) -> Result<Rule, RuleError> {
    let chars: Vec<char> = text.chars().collect();
    let err = |at: usize, message: String| RuleError {
        rule: text.to_string(),
        column: at + 1,
        message,
    };
    let skip = |mut i: usize| {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let word = |i: usize, stop: &dyn Fn(char) -> bool| {
        let mut j = i;
        while j < chars.len() && !chars[j].is_whitespace() && !stop(chars[j]) {
            j += 1;
        }
        (chars[i..j].iter().collect::<String>(), j)
    };
    let m0 = skip(0);
    let (name, m1) = word(m0, &is_op_char);
    if name.is_empty() {
        return Err(err(
            m0,
            format!(
                "expected a metric ({METRIC_NAMES}), then a comparison and a number, as in `payback <= 24`"
            ),
        ));
    }
    let metric = metric_of(&name, categories).ok_or_else(|| {
        let mut known: Vec<String> = Metric::MAIN.iter().map(|m| m.key().to_string()).collect();
        known.extend(categories.iter().map(|c| format!("tco_{c}")));
        let hint = crate::expr::nearest(&name, known.iter().map(String::as_str))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        err(
            m0,
            format!("unknown metric `{name}`{hint}: use {METRIC_NAMES}"),
        )
    })?;
    let o0 = skip(m1);
    let (op_text, o1) = {
        let mut j = o0;
        while j < chars.len() && is_op_char(chars[j]) {
            j += 1;
        }
        (chars[o0..j].iter().collect::<String>(), j)
    };
    let op = match op_text.as_str() {
        "<" => Op::Lt,
        "<=" | "≤" => Op::Le,
        ">" => Op::Gt,
        ">=" | "≥" => Op::Ge,
        "" => {
            return Err(err(
                o0,
                format!("expected a comparison (<, <=, > or >=) after `{name}`"),
            ));
        }
        "=" | "==" | "!=" => {
            return Err(err(
                o0,
                format!(
                    "`{op_text}` is not a decision rule (an output almost never equals a number exactly): use <, <=, > or >="
                ),
            ));
        }
        other => {
            return Err(err(
                o0,
                format!("unknown comparison `{other}`: use <, <=, > or >="),
            ));
        }
    };
    let n0 = skip(o1);
    let (num, n1) = word(n0, &|_| false);
    if num.is_empty() {
        return Err(err(n0, format!("expected a number after `{op_text}`")));
    }
    let threshold =
        parse_number(&num).ok_or_else(|| err(n0, format!("`{num}` is not a number")))?;
    let rest = skip(n1);
    if rest < chars.len() {
        let tail: String = chars[rest..].iter().collect();
        return Err(err(
            rest,
            format!(
                "unexpected `{tail}` after the threshold: a rule is one metric, one comparison and one number"
            ),
        ));
    }
    Ok(Rule {
        metric,
        metric_name: name,
        op,
        threshold,
        text: text.trim().to_string(),
    })
}

/// A finite number; `_` between digits is allowed, as in scenario expressions.
fn parse_number(s: &str) -> Option<f64> {
    let cs: Vec<char> = s.chars().collect();
    let ok_underscores = cs.iter().enumerate().all(|(i, c)| {
        *c != '_'
            || (i > 0
                && i + 1 < cs.len()
                && cs[i - 1].is_ascii_digit()
                && cs[i + 1].is_ascii_digit())
    });
    if !ok_underscores {
        return None;
    }
    let v: f64 = s.replace('_', "").parse().ok()?;
    v.is_finite().then_some(v)
}

fn metric_of(name: &str, categories: &[String]) -> Option<Metric> {
    if let Some(m) = Metric::MAIN.iter().find(|m| m.key() == name) {
        return Some(*m);
    }
    let cat = name.strip_prefix("tco_")?;
    categories
        .iter()
        .position(|c| c == cat)
        .map(Metric::TcoCategory)
}

impl Rule {
    /// Does an output value meet the rule?
    pub fn holds(&self, x: f64) -> bool {
        self.op.holds(x, self.threshold)
    }

    /// The rule in print: `payback ≤ 24`.
    pub fn pretty(&self) -> String {
        format!(
            "{} {} {}",
            self.metric_name,
            self.op.symbol(),
            crate::format::short_number(self.threshold)
        )
    }

    /// Check the rule against the horizon: whether a payback rule holds must be known at
    /// the horizon (a trial unpaid at H might still pay back by a later threshold).
    pub fn check_horizon(&self, horizon: u32) -> Result<(), RuleError> {
        if self.metric.is_payback() && self.threshold > horizon as f64 {
            let column = self
                .text
                .chars()
                .count()
                .saturating_sub(self.threshold_len())
                + 1;
            return Err(RuleError {
                rule: self.text.clone(),
                column,
                message: format!(
                    "the horizon is {horizon} months, so whether a trial that has not paid back by then meets `{}` is not known: use a threshold of at most {horizon} months or a longer horizon",
                    self.pretty()
                ),
            });
        }
        Ok(())
    }

    fn threshold_len(&self) -> usize {
        self.text
            .split_whitespace()
            .last()
            .map(|w| w.chars().count())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats() -> Vec<String> {
        vec!["licence".into(), "integration".into()]
    }

    #[test]
    fn rules_parse_into_metric_op_threshold() {
        let r = parse("payback <= 24", &cats()).unwrap();
        assert_eq!(
            (r.metric, r.op, r.threshold),
            (Metric::Payback, Op::Le, 24.0)
        );
        let r = parse("  npv<0 ", &cats()).unwrap();
        assert_eq!((r.metric, r.op, r.threshold), (Metric::Npv, Op::Lt, 0.0));
        assert_eq!(r.text, "npv<0");
        let r = parse("tco_licence ≥ 1_000_000", &cats()).unwrap();
        assert_eq!(
            (r.metric, r.op, r.threshold),
            (Metric::TcoCategory(0), Op::Ge, 1e6)
        );
        let r = parse("discounted_payback > -1.5e1", &cats()).unwrap();
        assert_eq!(
            (r.metric, r.op, r.threshold),
            (Metric::DiscountedPayback, Op::Gt, -15.0)
        );
        assert_eq!(parse("roi>=0.25", &[]).unwrap().pretty(), "roi ≥ 0.25");
    }

    #[test]
    fn a_censored_payback_fails_at_most_and_meets_more_than() {
        let le = parse("payback <= 24", &[]).unwrap();
        let gt = parse("payback > 24", &[]).unwrap();
        assert!(!le.holds(f64::INFINITY) && gt.holds(f64::INFINITY));
        assert!(le.holds(24.0) && !gt.holds(24.0));
        assert!(!le.holds(f64::NAN) && !gt.holds(f64::NAN));
    }

    #[test]
    fn bad_rules_name_the_column_and_the_problem() {
        let e = |s: &str| parse(s, &cats()).unwrap_err();
        let x = e("");
        assert_eq!(x.column, 1);
        assert!(x.message.contains("expected a metric"), "{x}");
        let x = e("paybak <= 24");
        assert_eq!(x.column, 1);
        assert!(x.message.contains("did you mean `payback`"), "{x}");
        let x = e("payback 24");
        assert_eq!(x.column, 9);
        assert!(x.message.contains("expected a comparison"), "{x}");
        let x = e("payback == 24");
        assert!(x.message.contains("not a decision rule"), "{x}");
        let x = e("payback =< 24");
        assert!(x.message.contains("unknown comparison `=<`"), "{x}");
        let x = e("payback <=");
        assert_eq!(x.column, 11);
        assert!(x.message.contains("expected a number after `<=`"), "{x}");
        let x = e("npv < 1,000");
        assert_eq!(x.column, 7);
        assert!(x.message.contains("`1,000` is not a number"), "{x}");
        let x = e("npv < inf");
        assert!(x.message.contains("not a number"), "{x}");
        let x = e("payback <= 24 months");
        assert_eq!(x.column, 15);
        assert!(x.message.contains("unexpected `months`"), "{x}");
        let x = e("tco_hidden > 5");
        assert!(x.message.contains("unknown metric `tco_hidden`"), "{x}");
        assert_eq!(
            x.to_string(),
            format!("`tco_hidden > 5`, column 1: {}", x.message)
        );
    }

    #[test]
    fn a_payback_threshold_beyond_the_horizon_is_refused() {
        let r = parse("payback <= 48", &[]).unwrap();
        let x = r.check_horizon(36).unwrap_err();
        assert_eq!(x.column, 12);
        assert!(x.message.contains("the horizon is 36 months"), "{x}");
        assert!(r.check_horizon(48).is_ok());
        assert!(parse("npv < 1e9", &[]).unwrap().check_horizon(1).is_ok());
    }
}
