//! Inputs described the way people say them ("PERT 5 / 15 / 25", "lognormal, 90% between 5
//! and 30"), for `validate`, the report's assumptions table and chart labels.

use super::{InputDist, short_number};

impl InputDist {
    /// Describe as people say it, e.g. "PERT 5 / 15 / 25", "uniform 5,000 to 20,000".
    pub fn describe(&self) -> String {
        self.describe_with(&crate::format::number)
    }

    /// [`describe`](Self::describe) with the numbers written by `g` (a report's number style).
    pub fn describe_with(&self, g: &dyn Fn(f64) -> String) -> String {
        let mut s = self.dist.as_family().describe(g, self.interval_form);
        s.push_str(&self.truncation_text());
        s
    }

    /// The input as it was written: a range as the scenario gave it (`5 to 30 (a 90%
    /// range, lognormal)`, `gamma with p10 = 5, p90 = 30`), anything else as
    /// [`InputDist::describe`] says it.
    pub fn describe_as_written(&self) -> String {
        self.describe_as_written_with(&crate::format::number)
    }

    /// [`describe_as_written`](Self::describe_as_written), other numbers written by `g`.
    pub fn describe_as_written_with(&self, g: &dyn Fn(f64) -> String) -> String {
        match &self.range {
            Some(r) => format!("{}{}", r.label(self.dist.family()), self.truncation_text()),
            None => self.describe_with(g),
        }
    }

    /// `, truncated to [a, b]`, `, at least a`, `, at most b`, or nothing.
    fn truncation_text(&self) -> String {
        let g = short_number;
        match (self.trunc_min, self.trunc_max) {
            (Some(a), Some(b)) => format!(", truncated to [{}, {}]", g(a), g(b)),
            (Some(a), None) => format!(", at least {}", g(a)),
            (None, Some(b)) => format!(", at most {}", g(b)),
            _ => String::new(),
        }
    }
}
