//! A distribution's parameters under the scenario format's own keys, and the input written
//! back as the inline TOML table a scenario takes (what `validate` shows a range became, and
//! the line `payback fit` prints to paste).

use super::{Dist, InputDist, short_number};

impl Dist {
    /// The parameters under the keys a scenario writes them with (`mu`, `sigma`; `shape`,
    /// `scale`; `min`, `mode`, `max`, …); empty for constants and lists of values.
    pub fn parameters(&self) -> Vec<(&'static str, f64)> {
        match self {
            Dist::Constant(_) | Dist::Discrete { .. } | Dist::Empirical { .. } => Vec::new(),
            Dist::Uniform { min, max } => vec![("min", *min), ("max", *max)],
            Dist::Triangular { min, mode, max } => {
                vec![("min", *min), ("mode", *mode), ("max", *max)]
            }
            Dist::Pert {
                min,
                mode,
                max,
                lambda,
            } => {
                let mut p = vec![("min", *min), ("mode", *mode), ("max", *max)];
                if *lambda != 4.0 {
                    p.push(("lambda", *lambda));
                }
                p
            }
            Dist::Normal { mean, sd } => vec![("mean", *mean), ("sd", *sd)],
            Dist::LogNormal { mu, sigma } => vec![("mu", *mu), ("sigma", *sigma)],
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                let mut p = vec![("alpha", *alpha), ("beta", *beta)];
                if *min != 0.0 || *max != 1.0 {
                    p.extend([("min", *min), ("max", *max)]);
                }
                p
            }
            Dist::Gamma { shape, scale } | Dist::Weibull { shape, scale } => {
                vec![("shape", *shape), ("scale", *scale)]
            }
            Dist::Bernoulli { p } => vec![("p", *p)],
            Dist::Poisson { lambda } => vec![("lambda", *lambda)],
            Dist::NegBinomial { r, p } => vec![("r", *r), ("p", *p)],
        }
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
        match &self.dist {
            Dist::Constant(v) => return short_number(*v),
            Dist::Discrete { values, weights } => {
                keys.push(("values".into(), list(values)));
                keys.push(("weights".into(), list(weights)));
            }
            Dist::Empirical { values } => keys.push(("values".into(), list(values))),
            _ => {}
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
