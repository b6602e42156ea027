//! The JSON body extractor: checks the content type and the size, and turns
//! every deserialisation failure into an [`ApiError`] that names the field
//! (its path in the document, e.g. `answers.choices.plan`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Like `axum::Json`, with our errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T> FromRequest<crate::State> for ApiJson<T>
where
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &crate::State) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("application/json")
                    || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge {
                    limit: state.limits.body_bytes,
                }
            } else {
                ApiError::Malformed {
                    message: format!("the request body could not be read: {e}"),
                    field: None,
                }
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Parses a JSON document, naming the path of the first problem.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = (path != ".").then_some(path);
        // A number that is not a whole number from 0 is a wrong value, not
        // a wrong shape: the same 422 as any other value out of range.
        if let (Some(f), Some(value)) = (&field, whole::rejected_value(&inner.to_string())) {
            return ApiError::invalid(f.clone(), value, whole::ALLOWED);
        }
        let message = match (&field, inner.classify()) {
            (_, serde_json::error::Category::Syntax | serde_json::error::Category::Eof) => {
                format!("the body is not valid JSON: {inner}")
            }
            (Some(f), _) => format!("`{f}`: {inner}"),
            (None, _) => format!("the body does not have the expected shape: {inner}"),
        };
        ApiError::Malformed { message, field }
    })?;
    de.end().map_err(|e| ApiError::Malformed {
        message: format!("the body is not valid JSON: {e}"),
        field: None,
    })?;
    Ok(value)
}

/// JSON Schema's "integer" includes numbers written with a zero fraction
/// (`1510.0`), which serde's integers refuse; these read either form of an
/// optional whole number (and null), and name what is allowed otherwise.
pub mod whole {
    use serde::de::{Deserialize, Deserializer, Error};

    /// What a whole-number field allows (each field may narrow it further).
    pub const ALLOWED: &str = "a whole number from 0";
    const REJECTED: &str = " is not allowed: a whole number from 0";

    /// The number text of a message made by this module, if it is one.
    pub fn rejected_value(message: &str) -> Option<&str> {
        message.split_once(REJECTED).map(|(value, _)| value)
    }

    fn to_u64<E: Error>(n: &serde_json::Number) -> Result<u64, E> {
        if let Some(u) = n.as_u64() {
            return Ok(u);
        }
        match n.as_f64() {
            // 2^53: beyond it a double no longer holds every whole number.
            Some(f) if f.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&f) => {
                Ok(f as u64)
            }
            _ => Err(E::custom(format!("{n}{REJECTED}"))),
        }
    }

    fn fit<T: TryFrom<u64>, E: Error>(u: u64) -> Result<T, E> {
        T::try_from(u).map_err(|_| E::custom(format!("{u} is too large")))
    }

    /// `Option<u64>`, `Option<usize>` and the like.
    pub fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<u64>,
    {
        match Option::<serde_json::Number>::deserialize(d)? {
            None => Ok(None),
            Some(n) => fit(to_u64(&n)?).map(Some),
        }
    }

    /// One whole number, read on its own so that error paths name its key.
    struct Whole<T>(T);

    impl<'de, T: TryFrom<u64>> Deserialize<'de> for Whole<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let n = serde_json::Number::deserialize(d)?;
            fit(to_u64(&n)?).map(Whole)
        }
    }

    /// A map of names to whole numbers.
    pub fn map<'de, D, T>(d: D) -> Result<std::collections::BTreeMap<String, T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<u64>,
    {
        Ok(
            std::collections::BTreeMap::<String, Whole<T>>::deserialize(d)?
                .into_iter()
                .map(|(k, Whole(v))| (k, v))
                .collect(),
        )
    }
}
