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

/// A vector of vectors of floats, each row packed as base64 of its little-endian IEEE 754
/// bytes: exact for every value (±∞ and NaN too) and about half the size of JSON numbers,
/// for the kept sample of a run's first trials.
pub mod packed_table {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialise.
    pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|row| {
            let bytes: Vec<u8> = row.iter().flat_map(|x| x.to_le_bytes()).collect();
            STANDARD.encode(bytes)
        }))
    }

    /// Deserialise.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
        use serde::de::Error;
        Vec::<String>::deserialize(d)?
            .into_iter()
            .map(|row| {
                let bytes = STANDARD
                    .decode(row.as_bytes())
                    .map_err(|e| D::Error::custom(format!("packed floats: {e}")))?;
                if bytes.len() % 8 != 0 {
                    return Err(D::Error::custom(
                        "packed floats: length is not a multiple of 8 bytes",
                    ));
                }
                Ok(bytes
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T(#[serde(with = "super::packed_table")] Vec<Vec<f64>>);

    #[test]
    fn packed_table_round_trips_every_bit_pattern() {
        let rows = vec![
            vec![0.0, -0.0, 1.5, f64::MIN_POSITIVE, 5e-324, f64::MAX, -1e300],
            vec![],
            vec![f64::INFINITY, f64::NEG_INFINITY],
        ];
        let s = serde_json::to_string(&T(rows.clone())).unwrap();
        let back: T = serde_json::from_str(&s).unwrap();
        let bits = |t: &[Vec<f64>]| -> Vec<Vec<u64>> {
            t.iter()
                .map(|r| r.iter().map(|x| x.to_bits()).collect())
                .collect()
        };
        assert_eq!(bits(&back.0), bits(&rows));
        let nan: T =
            serde_json::from_str(&serde_json::to_string(&T(vec![vec![f64::NAN]])).unwrap())
                .unwrap();
        assert!(nan.0[0][0].is_nan());
        assert!(
            serde_json::from_str::<T>("[\"AAAA\"]").is_err(),
            "3 bytes is not a float"
        );
        assert!(serde_json::from_str::<T>("[\"not base64!\"]").is_err());
    }
}
