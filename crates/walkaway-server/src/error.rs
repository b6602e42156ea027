//! The one error type of the API, and how each kind maps to a status code.
//!
//! Every error body has the same shape:
//! `{"error": {"status", "code", "message", "field", "value", "allowed"}}`;
//! `field`, `value` and `allowed` are present when one input was wrong.
//! Internal errors are logged and answered with a generic message: no stack
//! traces, paths or SQL reach the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use walkaway_core::ModelError;
use walkaway_core::analysis::AnalysisError;
use walkaway_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON or not the expected shape (400).
    #[error("{message}")]
    Malformed {
        message: String,
        field: Option<String>,
    },
    /// One value is out of what is allowed (422).
    #[error("`{field}` = {} is not allowed: {allowed}", excerpt(value))]
    Invalid {
        field: String,
        value: String,
        allowed: String,
    },
    /// The thing asked for does not exist (404).
    #[error("{what} not found")]
    NotFound {
        what: String,
        field: Option<String>,
        value: Option<String>,
        allowed: Option<String>,
    },
    /// The route exists but not with this method (405; `Allow` lists those it has).
    #[error("method {method} is not allowed on {path}; allowed: {}", allowed.join(", "))]
    MethodNotAllowed {
        method: String,
        path: String,
        allowed: Vec<String>,
    },
    /// The body is larger than the limit (413).
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// Content-Type is not application/json (415).
    #[error("send the body as JSON with `Content-Type: application/json`")]
    UnsupportedMediaType,
    /// The request names a host this server does not answer to (403).
    #[error("`{field}` = {value} is not allowed: {allowed}")]
    Forbidden {
        field: String,
        value: String,
        allowed: String,
    },
    /// An API call without the access token a network-facing server needs (401).
    #[error(
        "this server is reachable from other machines, so every API call needs its access token (printed when it started): send `Authorization: Bearer TOKEN`, or open /?token=TOKEN once in your browser"
    )]
    Unauthorized,
    /// A forecast job was cancelled before it finished (409 when asked for).
    #[error("the forecast was cancelled")]
    Cancelled,
    /// Too much work queued (503).
    #[error("the server is busy with other simulations; try again in a few seconds")]
    Busy,
    /// The simulation itself failed for these parameters (422).
    #[error("the simulation failed for these parameters: {0}")]
    Simulation(String),
    /// Our fault (500); the detail is logged, not sent.
    #[error("internal error")]
    Internal(String),
}

/// Most characters of a sent value that an error body repeats: enough to
/// recognise it, never the whole of a long text.
pub const EXCERPT_CHARS: usize = 60;
/// Most characters of an error message.
const MESSAGE_CHARS: usize = 300;

/// The first [`EXCERPT_CHARS`] characters of `s`, with "…" when cut.
pub fn excerpt(s: &str) -> String {
    cut(s, EXCERPT_CHARS)
}

fn cut(s: &str, limit: usize) -> String {
    if s.chars().count() > limit {
        s.chars().take(limit - 1).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

impl ApiError {
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        ApiError::Invalid {
            field: field.into(),
            value: value.into(),
            allowed: allowed.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid { .. } | ApiError::Simulation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Cancelled => StatusCode::CONFLICT,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed { .. } => "malformed",
            ApiError::Invalid { .. } => "invalid_value",
            ApiError::NotFound { .. } => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Cancelled => "cancelled",
            ApiError::Busy => "busy",
            ApiError::Simulation(_) => "simulation_failed",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The JSON body (also used by tests).
    pub fn body(&self) -> serde_json::Value {
        let mut e = json!({
            "status": self.status().as_u16(),
            "code": self.code(),
            "message": cut(&self.to_string(), MESSAGE_CHARS),
        });
        let (field, value, allowed) = match self {
            ApiError::Invalid {
                field,
                value,
                allowed,
            }
            | ApiError::Forbidden {
                field,
                value,
                allowed,
            } => (
                Some(field.clone()),
                Some(value.clone()),
                Some(allowed.clone()),
            ),
            ApiError::Malformed { field, .. } => (field.clone(), None, None),
            ApiError::MethodNotAllowed {
                method, allowed, ..
            } => (
                Some("method".into()),
                Some(method.clone()),
                Some(allowed.join(", ")),
            ),
            ApiError::NotFound {
                field,
                value,
                allowed,
                ..
            } => (field.clone(), value.clone(), allowed.clone()),
            _ => (None, None, None),
        };
        if let Some(f) = field {
            e["field"] = json!(f);
        }
        if let Some(v) = value {
            e["value"] = json!(excerpt(&v));
        }
        if let Some(a) = allowed {
            e["allowed"] = json!(a);
        }
        json!({ "error": e })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if matches!(self, ApiError::Busy) {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("2"),
            );
        }
        if let ApiError::MethodNotAllowed { allowed, .. } = &self
            && let Ok(value) = axum::http::HeaderValue::from_str(&allowed.join(", "))
        {
            response
                .headers_mut()
                .insert(axum::http::header::ALLOW, value);
        }
        response
    }
}

impl From<ModelError> for ApiError {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::UnknownModel { id, known } => ApiError::NotFound {
                what: format!("model `{id}`"),
                field: Some("model".into()),
                value: Some(id),
                allowed: Some(format!("one of {known}")),
            },
            ModelError::UnknownParameter { name, known, .. } => ApiError::Invalid {
                field: format!("params.{name}"),
                value: name,
                allowed: format!("a parameter of this model: {known}"),
            },
            ModelError::UnknownState { name, known, .. } => ApiError::Invalid {
                field: "state".into(),
                value: name,
                allowed: format!("a state variable of this model: {known}"),
            },
            ModelError::ParameterOutOfRange {
                name,
                value,
                allowed,
            } => ApiError::Invalid {
                field: format!("params.{name}"),
                value,
                allowed,
            },
            ModelError::InitialStateInvalid {
                name,
                value,
                allowed,
            } => ApiError::Invalid {
                field: format!("initial.{name}"),
                value: walkaway_core::model::short(value),
                allowed,
            },
            ModelError::InvalidRunOption {
                field,
                value,
                allowed,
            } => ApiError::Invalid {
                field: field.to_string(),
                value,
                allowed,
            },
            ModelError::ImpossibleSchedule { reason } => ApiError::Invalid {
                field: "params.separation".into(),
                value: reason.clone(),
                allowed: "a separation schedule that fits the horizon".into(),
            },
            ModelError::InvalidTally { part, reason } => ApiError::Invalid {
                field: format!("tally.{part}"),
                value: reason,
                allowed: "a tally saved by a forecast run".into(),
            },
            ModelError::Solver(s) => ApiError::Simulation(s.to_string()),
        }
    }
}

impl From<AnalysisError> for ApiError {
    fn from(e: AnalysisError) -> Self {
        match e {
            AnalysisError::Model(m) => m.into(),
            AnalysisError::Solver(s) => ApiError::Simulation(s.to_string()),
            AnalysisError::InvalidOption {
                field,
                value,
                allowed,
            } => ApiError::Invalid {
                field: field.to_string(),
                value,
                allowed,
            },
            other => ApiError::Simulation(other.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::InvalidKind { kind } => {
                ApiError::invalid("kind", kind, "scenario or forecast")
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}
