//! Equation files sent from the explore page (docs/models.md): compiled,
//! kept under an id that carries a hash of their text, and from then on
//! explored through the ordinary model routes like a catalog model.

use std::hash::{Hash, Hasher};

use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use walkaway_lang::{Format, LangError, MAX_SOURCE_BYTES};

use crate::error::ApiError;
use crate::explore::info_json;
use crate::json::ApiJson;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// The text of the equation file.
    #[schema(max_length = 65536)]
    pub text: String,
    /// `toml` (the equation format, default) or `ode` (XPPAUT).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::format_schema)]
    pub format: Option<String>,
}

/// The position goes into `allowed` too: the explore page shows that
/// line, not the `value`.
fn located(e: LangError) -> ApiError {
    ApiError::invalid(
        "text",
        format!("line {}, column {}", e.line, e.column),
        format!("line {}, column {}: {}", e.line, e.column, e.message),
    )
}

#[utoipa::path(post, path = "/api/models", tag = "models", summary = "Your own model from an equation file (docs/models.md) or an XPPAUT .ode file: compiled and kept; its id works in the model routes", request_body = UploadRequest,
    responses((status = 200, description = "Model", body = Object), (status = 400), (status = 413), (status = 415), (status = 422)))]
/// `POST /api/models`: compiles an equation file and answers with the
/// model's description; its `id` works in `/api/models/{id}/...`.
pub async fn upload(ApiJson(req): ApiJson<UploadRequest>) -> Result<Json<Value>, ApiError> {
    if req.text.len() > MAX_SOURCE_BYTES {
        return Err(ApiError::invalid(
            "text",
            format!("{} bytes", req.text.len()),
            format!("an equation file of at most {MAX_SOURCE_BYTES} bytes"),
        ));
    }
    let (format, file) = match req.format.as_deref() {
        None | Some("toml") => (Format::Toml, "your model (TOML)"),
        Some("ode") => (Format::Xppaut, "your model (.ode)"),
        Some(other) => {
            return Err(ApiError::invalid(
                "format",
                other,
                "toml (the equation format of docs/models.md) or ode (XPPAUT)",
            ));
        }
    };
    let mut source = walkaway_lang::parse(&req.text, file, format).map_err(located)?;
    // Visitors share one server: the id carries a hash of the text, so two
    // different files never claim the same id and the same file sent twice
    // is the same model.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    req.text.hash(&mut hasher);
    let stem: String = source.id.chars().take(28).collect();
    source.id = format!(
        "{}-{:08x}",
        stem.trim_end_matches('-'),
        hasher.finish() as u32
    );
    let model = walkaway_core::equations::compile(&source).map_err(located)?;
    let model = walkaway_core::equations::register(model)?;
    Ok(Json(info_json(walkaway_core::Model::info(model))))
}
