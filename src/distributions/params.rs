//! A distribution's parameters under the scenario format's own keys, and the input written
//! back as the inline TOML table a scenario takes (what `validate` shows a range became, and
//! the line `payback fit` prints to paste).

use super::{Dist, InputDist, short_number};

impl Dist {
    /// The parameters under the keys a scenario writes them with (`mu`, `sigma`; `shape`,
    /// `scale`; `min`, `mode`, `max`, …), defaults left out; empty for constants and lists
    /// of values.
    pub fn parameters(&self) -> Vec<(&'static str, f64)> {
        self.as_family().parameters()
    }
}

impl InputDist {
    /// The family and its parameters, e.g. `lognormal mu 2.50, sigma 0.545` (6 significant
    /// digits), truncation included.
    pub fn parameter_text(&self) -> String {
        let mut parts: Vec<String> = self
            .dist
            .parameters()
            .iter()
            .map(|(k, v)| format!("{k} {}", short_number(*v)))
            .collect();
        for (k, v) in [("min", self.trunc_min), ("max", self.trunc_max)] {
            if let Some(v) = v {
                parts.push(format!("{k} {}", short_number(v)));
            }
        }
        match &self.dist {
            Dist::Constant(v) => short_number(*v),
            _ => format!("{} {}", self.dist.family(), parts.join(", ")),
        }
    }

    /// The input as the inline TOML table a scenario takes, numbers to 6 significant
    /// digits: `{ dist = "gamma", shape = 2.1, scale = 3.4, max = 100 }` (a constant is its
    /// number).
    pub fn to_toml(&self) -> String {
        let list = |v: &[f64]| {
            let items: Vec<String> = v.iter().map(|x| short_number(*x)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut keys: Vec<(String, String)> = self
            .dist
            .parameters()
            .iter()
            .map(|(k, v)| (k.to_string(), short_number(*v)))
            .collect();
        if let Dist::Constant(v) = &self.dist {
            return short_number(*v);
        }
        for (k, values) in self.dist.as_family().lists() {
            keys.push((k.to_string(), list(values)));
        }
        for (k, v) in [
            ("min", self.trunc_min),
            ("max", self.trunc_max),
            ("base", self.base),
        ] {
            if let Some(v) = v {
                keys.push((k.into(), short_number(v)));
            }
        }
        let body: Vec<String> = keys.iter().map(|(k, v)| format!(", {k} = {v}")).collect();
        format!("{{ dist = \"{}\"{} }}", self.dist.family(), body.concat())
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::parse_input_value;

    /// Every family written back as TOML reads as the same distribution.
    #[test]
    fn to_toml_reads_back_as_the_same_input() {
        for text in [
            "12.5",
            "{ dist = \"uniform\", min = 1, max = 3 }",
            "{ dist = \"loguniform\", min = 1000, max = 100000 }",
            "{ dist = \"triangular\", min = 1, mode = 2, max = 5 }",
            "{ dist = \"pert\", min = 1, mode = 2, max = 5, lambda = 3 }",
            "{ dist = \"normal\", mean = 10, sd = 2, min = 5 }",
            "{ dist = \"lognormal\", mu = 2.5, sigma = 0.25, max = 80 }",
            "{ dist = \"beta\", alpha = 2, beta = 5, min = -3, max = 9 }",
            "{ dist = \"gamma\", shape = 2, scale = 3, base = 5 }",
            "{ dist = \"weibull\", shape = 1.5, scale = 12 }",
            "{ dist = \"bernoulli\", p = 0.3 }",
            "{ dist = \"poisson\", lambda = 4, min = 1, max = 9 }",
            "{ dist = \"negbinomial\", r = 2.5, p = 0.3 }",
            "{ dist = \"discrete\", values = [1, 5], weights = [2, 1] }",
            "{ dist = \"empirical\", values = [3, 1, 2] }",
        ] {
            let d = parse_input_value(text, "x").unwrap();
            let again = parse_input_value(&d.to_toml(), "x").unwrap();
            assert_eq!(d.dist, again.dist, "{text} → {}", d.to_toml());
            assert_eq!(
                (d.trunc_min, d.trunc_max, d.base),
                (again.trunc_min, again.trunc_max, again.base)
            );
        }
        let d = parse_input_value("{ dist = \"gamma\", shape = 2, scale = 3, max = 9 }", "x");
        assert_eq!(d.unwrap().parameter_text(), "gamma shape 2, scale 3, max 9");
    }
}
