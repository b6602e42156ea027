//! The OpenAPI 3.1 document of the JSON API, derived with utoipa: request
//! bodies from their types' `ToSchema` derives, operations from the
//! handlers' `#[utoipa::path]` attributes. What only the running program
//! knows is filled in by functions called when the document is built: the
//! questions of the questionnaire, the catalog's model ids (so that a
//! contract check such as schemathesis reaches the model routes), and the
//! error body of every error response. A test checks that every route of
//! the router is described and every described route exists.

use std::sync::OnceLock;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use utoipa::OpenApi;

use crate::forecast_api::{DEFAULT_HORIZON_DAYS, DEFAULT_TRAJECTORIES};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type,
};

/// Every (method, path) the API serves, as written in the document.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/openapi.json"),
    ("get", "/api/models"),
    ("post", "/api/models"),
    ("get", "/api/models/{id}"),
    ("post", "/api/models/{id}/simulate"),
    ("post", "/api/models/{id}/explore"),
    ("post", "/api/models/{id}/bifurcation"),
    ("get", "/api/questionnaire"),
    ("post", "/api/forecast"),
    ("post", "/api/forecast/jobs"),
    ("get", "/api/forecast/jobs/{id}"),
    ("delete", "/api/forecast/jobs/{id}"),
    ("get", "/api/saved"),
    ("post", "/api/saved"),
    ("delete", "/api/saved"),
    ("get", "/api/saved/{id}"),
    ("delete", "/api/saved/{id}"),
    ("get", "/api/saved/{id}/export"),
    ("get", "/api/journal"),
    ("put", "/api/journal/start"),
    ("put", "/api/journal/entries/{day}"),
    ("delete", "/api/journal/entries/{day}"),
    ("get", "/api/journal/export"),
    ("post", "/api/journal/analysis"),
];

#[derive(OpenApi)]
#[openapi(
    info(
        title = "walkaway",
        description = "What happens if you walk away? Forecasts from the walkaway model, the catalog of love-dynamics models, and your saved scenarios. A model, not a prophecy.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        crate::health,
        document,
        crate::explore::list_models,
        crate::own_models::upload,
        crate::explore::model_info,
        crate::explore::simulate,
        crate::explore::explore,
        crate::explore::bifurcation,
        crate::forecast_api::questionnaire,
        crate::forecast_api::forecast,
        crate::jobs::start,
        crate::jobs::status,
        crate::jobs::cancel,
        crate::saved::list,
        crate::saved::create,
        crate::saved::delete_all,
        crate::saved::get,
        crate::saved::delete_one,
        crate::saved::export,
        crate::journal_api::get,
        crate::journal_api::set_start,
        crate::journal_api::put_entry,
        crate::journal_api::delete_entry,
        crate::journal_api::export,
        crate::journal_api::analysis,
    ),
    components(schemas(Error, ErrorDetail, ForecastJob, Summary, SavedPage))
)]
struct ApiDoc;

/// The body of every error response.
#[derive(Debug, utoipa::ToSchema)]
pub struct Error {
    pub error: ErrorDetail,
}

/// What went wrong: `field`, `value` and `allowed` name the input, what it
/// was and what is allowed instead.
#[derive(Debug, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub value: Option<String>,
    pub allowed: Option<String>,
}

/// A forecast job, as `crate::jobs` reports it.
#[derive(Debug, utoipa::ToSchema)]
pub struct ForecastJob {
    pub id: String,
    #[schema(schema_with = job_state_schema)]
    pub state: String,
    /// Simulated futures finished so far.
    pub done: u64,
    #[schema(minimum = 1)]
    pub total: u64,
    #[schema(minimum = 0, maximum = 1)]
    pub fraction: f64,
    pub url: String,
    /// When done: the same body as POST /api/forecast answers.
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    /// When failed: the error, as in the Error schema's `error`.
    #[schema(value_type = Option<Object>)]
    pub error: Option<Value>,
}

/// A saved item without its body (walkaway-store's `Summary`).
#[derive(Debug, utoipa::ToSchema)]
pub struct Summary {
    pub id: i64,
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    pub title: String,
    /// Milliseconds since the Unix epoch (UTC).
    pub created_ms: i64,
}

/// One page of saved items.
#[derive(Debug, utoipa::ToSchema)]
pub struct SavedPage {
    pub items: Vec<Summary>,
    #[schema(minimum = 0)]
    pub total: u64,
    pub limit: i64,
    pub offset: i64,
    /// Where the next page starts; null on the last page.
    pub next_offset: Option<i64>,
}

fn string_enum(values: &[&str], description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
}

/// Parameter name → value: numbers, flags (true/false) and choices (the
/// option's name). Unnamed parameters keep their defaults.
pub fn params_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .description(Some(
            "Parameter name → number (flags: true/false, choices: option name). Unnamed parameters keep their defaults.",
        ))
        .additional_properties(Some(ObjectBuilder::new().schema_type(
            SchemaType::from_iter([Type::Number, Type::Boolean, Type::String]),
        )))
}

pub fn method_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some([
            json!("dopri5"),
            json!("euler-maruyama"),
            json!("milstein"),
            Value::Null,
        ]))
        .description(Some("the integrator (default dopri5)"))
}

pub fn format_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some([json!("toml"), json!("ode"), Value::Null]))
        .description(Some("toml (the equation format, default) or ode (XPPAUT)"))
}

/// Any whole number a u64 holds (utoipa's u64 stops at i64's maximum).
pub fn seed_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(u64::MAX))
        .description(Some("random seed (the same seed gives the same numbers)"))
}

pub fn kind_schema() -> impl Into<RefOr<Schema>> {
    string_enum(&["scenario", "forecast"], "what was saved")
}

fn job_state_schema() -> impl Into<RefOr<Schema>> {
    string_enum(
        &["queued", "running", "done", "failed", "cancelled"],
        "where the job is",
    )
}

/// The ticked safety items.
pub fn safety_schema() -> impl Into<RefOr<Schema>> {
    let ids: Vec<&str> = crate::questionnaire::SAFETY_ITEMS
        .iter()
        .map(|(id, _)| *id)
        .collect();
    ArrayBuilder::new()
        .items(string_enum(
            &ids,
            "a safety item ticked on the questionnaire",
        ))
        .unique_items(true)
}

/// One property per question of the questionnaire: the index of the chosen
/// option (from 0); a question left out means "not sure".
pub fn choices_schema() -> impl Into<RefOr<Schema>> {
    let mut object = ObjectBuilder::new()
        .description(Some(
            "question id → option index (see /api/questionnaire); missing = not sure",
        ))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for q in crate::questionnaire::QUESTIONS
        .iter()
        .filter(|q| !q.options.is_empty())
    {
        object = object.property(
            q.id,
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(q.options.len() - 1)),
        );
    }
    object
}

/// Descriptions of the error statuses the operations list.
fn error_description(status: &str) -> &'static str {
    match status {
        "400" => "Malformed JSON or wrong shape; `field` names the path",
        "404" => "Not found",
        "413" => "Body larger than the limit (1 MiB)",
        "415" => "Body not sent as application/json",
        "422" => "A value is not allowed; `field`, `value` and `allowed` say which and what is",
        "503" => "Too many simulations queued; retry after the Retry-After seconds",
        _ => "Error",
    }
}

/// The document for a server with these `limits`: a server started with
/// lower caps says so, and a contract check keeps within them.
pub fn spec(limits: &crate::Limits) -> Value {
    let mut doc = derived().clone();
    let forecast = &mut doc["components"]["schemas"]["ForecastRequest"]["properties"];
    forecast["trajectories"]["maximum"] = json!(limits.max_trajectories);
    forecast["trajectories"]["default"] = json!(DEFAULT_TRAJECTORIES.min(limits.max_trajectories));
    forecast["horizon_days"]["maximum"] = json!(limits.max_horizon_days);
    forecast["horizon_days"]["default"] = json!(DEFAULT_HORIZON_DAYS.min(limits.max_horizon_days));
    let journal_days = limits.max_horizon_days.floor() as u64;
    let entries = &mut doc["paths"]["/api/journal/entries/{day}"];
    for (_, op) in entries.as_object_mut().into_iter().flatten() {
        for p in op["parameters"].as_array_mut().into_iter().flatten() {
            if p["name"] == "day" {
                p["schema"]["maximum"] = json!(journal_days.saturating_sub(1));
            }
        }
    }
    let analysis = &mut doc["components"]["schemas"]["AnalysisRequest"]["properties"];
    let particles = crate::journal_api::max_particles(limits);
    analysis["particles"]["maximum"] = json!(particles);
    analysis["particles"]["default"] = json!(crate::journal_api::DEFAULT_PARTICLES.min(particles));
    analysis["trajectories"]["maximum"] = json!(limits.max_trajectories);
    analysis["horizon_days"]["maximum"] = json!(limits.max_horizon_days);
    analysis["horizon_days"]["default"] = json!(DEFAULT_HORIZON_DAYS.min(limits.max_horizon_days));
    doc
}

/// utoipa's derivation plus what only the running program knows, for the
/// default limits (built once).
fn derived() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi())
            .expect("the OpenAPI document serialises to JSON");
        doc["openapi"] = json!("3.1.0");
        let error_body = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}});
        let model_ids: Vec<&str> = walkaway_core::models::catalog()
            .iter()
            .map(|m| m.info().id)
            .collect();
        // A catalog model's id, or the id POST /api/models gave an
        // equation file (its name, a dash and eight hex digits of its
        // text's hash).
        let model_id = json!({"type": "string", "anyOf": [{"enum": model_ids}, {"pattern": "^.+-[0-9a-f]{8}$"}]});
        for (path, item) in doc["paths"].as_object_mut().into_iter().flatten() {
            for (_, op) in item.as_object_mut().into_iter().flatten() {
                let responses = op["responses"].as_object_mut().expect("responses");
                for (status, response) in responses.iter_mut() {
                    if status.starts_with('4') || status.starts_with('5') {
                        response["description"] = json!(error_description(status));
                        response["content"] = error_body.clone();
                    }
                }
                responses.insert(
                    "500".into(),
                    json!({"description": "Internal error (details are logged, not sent)", "content": error_body}),
                );
                if path.starts_with("/api/models/") {
                    for p in op["parameters"].as_array_mut().into_iter().flatten() {
                        if p["name"] == "id" {
                            p["schema"] = model_id.clone();
                        }
                    }
                }
            }
        }
        doc
    })
}

/// The methods the document lists for `path` (templates such as
/// `/api/saved/{id}` match any one segment), plus HEAD wherever GET is.
pub fn allowed_methods(path: &str) -> Vec<String> {
    let doc = derived();
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let matches = |template: &str| {
        let t: Vec<&str> = template.split('/').collect();
        t.len() == segments.len()
            && t.iter()
                .zip(&segments)
                .all(|(a, b)| a == b || (a.starts_with('{') && a.ends_with('}')))
    };
    let mut methods: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(template, _)| matches(template))
        .flat_map(|(_, ops)| {
            ops.as_object()
                .into_iter()
                .flatten()
                .map(|(m, _)| m.to_uppercase())
        })
        .collect();
    if methods.iter().any(|m| m == "GET") {
        methods.push("HEAD".into());
    }
    methods.sort();
    methods.dedup();
    methods
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "site", summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
pub async fn document(State(state): State<crate::State>) -> Json<Value> {
    Json(spec(&state.limits))
}
