//! Serde helpers for floats that may be ±∞ or NaN (a censored payback, an undefined ROI, an
//! empty range): finite values are JSON numbers (shortest round-trip form, so exact), the
//! others the strings "inf", "-inf" and "nan".

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Wire {
    Num(f64),
    Text(String),
}

fn to_wire(x: f64) -> Wire {
    if x.is_finite() {
        Wire::Num(x)
    } else if x.is_nan() {
        Wire::Text("nan".into())
    } else if x > 0.0 {
        Wire::Text("inf".into())
    } else {
        Wire::Text("-inf".into())
    }
}

fn from_wire<E: serde::de::Error>(w: Wire) -> Result<f64, E> {
    match w {
        Wire::Num(x) => Ok(x),
        Wire::Text(t) => match t.as_str() {
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            "nan" => Ok(f64::NAN),
            other => Err(E::custom(format!("not a number: {other:?}"))),
        },
    }
}

/// One float (`#[serde(with = "codec::float")]`).
pub mod float {
    use super::*;

    /// Serialise.
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        to_wire(*x).serialize(s)
    }

    /// Deserialise.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        from_wire(Wire::deserialize(d)?)
    }
}

/// A vector of floats.
pub mod floats {
    use super::*;

    /// Serialise.
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|x| to_wire(*x)))
    }

    /// Deserialise.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<Wire>::deserialize(d)?
            .into_iter()
            .map(from_wire)
            .collect()
    }
}

/// A vector of vectors of floats.
pub mod float_table {
    use super::*;

    /// Serialise.
    pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            v.iter()
                .map(|row| row.iter().map(|x| to_wire(*x)).collect::<Vec<_>>()),
        )
    }

    /// Deserialise.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
        Vec::<Vec<Wire>>::deserialize(d)?
            .into_iter()
            .map(|row| row.into_iter().map(from_wire).collect())
            .collect()
    }
}
