//! The OpenAPI 3.1 document of the JSON API, written by hand so that it
//! needs no build-time download; a test checks that every route of the
//! router is described and every described route exists.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::forecast_api::{DEFAULT_HORIZON_DAYS, DEFAULT_TRAJECTORIES};

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
];

fn error_responses(extra: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for code in extra {
        let description = match *code {
            "400" => "Malformed JSON or wrong shape; `field` names the path",
            "404" => "Not found",
            "413" => "Body larger than the limit (1 MiB)",
            "415" => "Body not sent as application/json",
            "422" => "A value is not allowed; `field`, `value` and `allowed` say which and what is",
            "401" => "Off loopback: the access token is missing or wrong",
            "403" => "The Host header names an address this server does not listen on",
            "503" => "Too many simulations queued; retry after the Retry-After seconds",
            _ => "Error",
        };
        m.insert(
            code.to_string(),
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    m.insert(
        "500".into(),
        json!({"description": "Internal error (details are logged, not sent)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
    );
    Value::Object(m)
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn with_ok(code: &str, ok_body: Value, errors: &[&str]) -> Value {
    let mut r = error_responses(errors);
    r[code] = ok_body;
    r
}

fn body(schema_ref: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema_ref}")}}}})
}

/// The model id, with the catalog's ids listed so that generated requests
/// (schemathesis) reach the model endpoints.
/// A catalog model's id, or the id POST /api/models gave an equation file
/// (its name, a dash and eight hex digits of its text's hash): listing the
/// catalog lets a contract check reach the model routes.
fn model_id_param() -> Value {
    let ids: Vec<&str> = walkaway_core::models::catalog()
        .iter()
        .map(|m| m.info().id)
        .collect();
    json!({"name": "id", "in": "path", "required": true, "description": "model id (GET /api/models lists them; POST /api/models adds yours)",
        "schema": {"type": "string", "anyOf": [{"enum": ids}, {"pattern": "^.+-[0-9a-f]{8}$"}]}})
}

fn job_id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": "the job id returned by POST /api/forecast/jobs", "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}})
}

fn saved_id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": "saved item id", "schema": {"type": "integer", "minimum": 1, "maximum": i64::MAX}})
}

/// One property per question of the questionnaire: the index of the chosen
/// option (from 0); a question left out means "not sure".
fn choices_schema() -> Value {
    let properties: serde_json::Map<String, Value> = crate::questionnaire::QUESTIONS
        .iter()
        .filter(|q| !q.options.is_empty())
        .map(|q| {
            let schema = json!({"type": "integer", "minimum": 0, "maximum": q.options.len() - 1});
            (q.id.to_string(), schema)
        })
        .collect();
    json!({"type": "object", "description": "question id → option index (see /api/questionnaire); missing = not sure", "properties": properties, "additionalProperties": false})
}

/// `schema` or null: optional request fields may be left out or sent as null.
fn or_null(mut schema: Value) -> Value {
    let t = schema["type"].clone();
    schema["type"] = json!([t, "null"]);
    schema
}

/// The methods the document lists for `path` (templates such as
/// `/api/saved/{id}` match any one segment), plus HEAD wherever GET is.
pub fn allowed_methods(path: &str) -> Vec<String> {
    let doc = spec(&crate::Limits::default());
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

const JSON_ERRORS: &[&str] = &["400", "404", "413", "415", "422", "503"];

/// The document for a server with these `limits` (a server started with
/// lower caps says so, and a contract check keeps within them).
pub fn spec(limits: &crate::Limits) -> Value {
    let object = json!({"type": "object"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "walkaway",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "What happens if you walk away? Forecasts from the walkaway model, the catalog of love-dynamics models, and your saved scenarios. A model, not a prophecy.",
            "license": {"name": "MIT OR Apache-2.0"}
        },
        "paths": {
            "/api/health": {"get": {"summary": "The server and its database answer", "responses": with_ok("200", ok("OK", object.clone()), &[])}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": with_ok("200", ok("OpenAPI 3.1", object.clone()), &[])}},
            "/api/models": {
                "get": {"summary": "The catalog of models with states and parameters (units, ranges, defaults)", "responses": with_ok("200", ok("Models", object.clone()), &[])},
                "post": {"summary": "Your own model from an equation file (docs/models.md) or an XPPAUT .ode file: compiled and kept; its id works in the routes below", "requestBody": body("UploadRequest"), "responses": with_ok("200", ok("Model", object.clone()), &["400", "413", "415", "422"])}
            },
            "/api/models/{id}": {"get": {"summary": "One model", "parameters": [model_id_param()], "responses": with_ok("200", ok("Model", object.clone()), &["404"])}},
            "/api/models/{id}/simulate": {"post": {"summary": "One trajectory", "parameters": [model_id_param()], "requestBody": body("SimulateRequest"), "responses": with_ok("200", ok("Trajectory: times and one column per variable", object.clone()), JSON_ERRORS)}},
            "/api/models/{id}/explore": {"post": {"summary": "Phase portrait: trajectory, vector field on a grid, null-clines, equilibria with eigenvalues and type", "parameters": [model_id_param()], "requestBody": body("ExploreRequest"), "responses": with_ok("200", ok("Phase portrait", object.clone()), JSON_ERRORS)}},
            "/api/models/{id}/bifurcation": {"post": {"summary": "Bifurcation diagram for one parameter: equilibrium branches (stability, folds, Hopf points) and long-run orbit values", "parameters": [model_id_param()], "requestBody": body("BifurcationRequest"), "responses": with_ok("200", ok("Diagram", object.clone()), JSON_ERRORS)}},
            "/api/questionnaire": {"get": {"summary": "The questions, their options, the parameter each sets and its basis", "responses": with_ok("200", ok("Questions", object.clone()), &[])}},
            "/api/forecast": {"post": {"summary": "Forecast from answers: outcome probabilities with 95% intervals, daily quantile series, strategies side by side, drivers, reciprocity verdict, safety assessment, limits", "requestBody": body("ForecastRequest"), "responses": with_ok("200", ok("Forecast", object.clone()), &["400", "413", "415", "422", "503"])}},
            "/api/forecast/jobs": {"post": {"summary": "Start a forecast as a job (same body as POST /api/forecast): answers 202 at once with its id, state and progress; poll GET /api/forecast/jobs/{id}", "requestBody": body("ForecastRequest"),
                "responses": with_ok("202", json!({"description": "Started (queued)", "headers": {"Location": {"description": "the job's URL", "schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ForecastJob"}}}}), &["400", "413", "415", "422", "503"])}},
            "/api/forecast/jobs/{id}": {
                "get": {"summary": "A forecast job's state and progress (done of total futures); the forecast itself in `result` once the state is done. A job not asked about for 60 s is cancelled; a finished one is kept 10 minutes", "parameters": [job_id_param()], "responses": with_ok("200", ok("The job", json!({"$ref": "#/components/schemas/ForecastJob"})), &["404"])},
                "delete": {"summary": "Cancel a forecast job (it stops within a fraction of a second) and forget it", "parameters": [job_id_param()], "responses": with_ok("200", ok("The job as it was stopped", json!({"$ref": "#/components/schemas/ForecastJob"})), &["404"])}
            },
            "/api/saved": {
                "get": {"summary": "Saved items, newest first, a page at a time: `total` counts them all and `next_offset` (null on the last page) is where the next page starts", "parameters": [{"name": "kind", "in": "query", "required": false, "description": "only this kind; empty or left out: all", "schema": {"type": "string", "enum": ["scenario", "forecast", ""]}},
                    {"name": "limit", "in": "query", "required": false, "description": "items per page", "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 1000}},
                    {"name": "offset", "in": "query", "required": false, "description": "items to skip", "schema": {"type": "integer", "minimum": 0, "maximum": i64::MAX, "default": 0}}],
                    "responses": with_ok("200", ok("A page of items", json!({"type": "object", "required": ["items", "total", "limit", "offset", "next_offset"], "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Summary"}}, "total": {"type": "integer", "minimum": 0},
                        "limit": {"type": "integer"}, "offset": {"type": "integer"}, "next_offset": {"type": ["integer", "null"]}}})), &["422"])},
                "post": {"summary": "Save a scenario or forecast; answers 201 once it is on disk", "requestBody": body("SaveRequest"), "responses": with_ok("201", ok("Saved item (without body)", json!({"$ref": "#/components/schemas/Summary"})), &["400", "413", "415", "422"])},
                "delete": {"summary": "Delete all my data", "responses": with_ok("200", ok("How many were deleted", object.clone()), &[])}
            },
            "/api/saved/{id}": {
                "get": {"summary": "One saved item with its body", "parameters": [saved_id_param()], "responses": with_ok("200", ok("Item", object.clone()), &["404", "422"])},
                "delete": {"summary": "Delete one saved item", "parameters": [saved_id_param()], "responses": with_ok("204", json!({"description": "Deleted"}), &["404", "422"])}
            },
            "/api/saved/{id}/export": {"get": {"summary": "Download a saved item as JSON or CSV", "parameters": [saved_id_param(), {"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}],
                "responses": with_ok("200", json!({"description": "The file", "content": {"application/json": {}, "text/csv": {}}}), &["404", "422"])}}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "code", "message"], "properties": {
                "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"},
                "field": {"type": "string"}, "value": {"type": "string"}, "allowed": {"type": "string"}}}}},
            "Params": {"type": "object", "description": "Parameter name → number (flags: true/false, choices: option name). Unnamed parameters keep their defaults.", "additionalProperties": {"type": ["number", "boolean", "string"]}},
            "Initial": {"type": "object", "description": "State name → initial value", "additionalProperties": {"type": "number"}},
            "SimulateRequest": {"type": "object", "additionalProperties": false, "properties": {
                "params": {"$ref": "#/components/schemas/Params"}, "initial": {"$ref": "#/components/schemas/Initial"},
                "t_end": or_null(json!({"type": "number", "exclusiveMinimum": 0, "description": "at most 100 × the model's default horizon"})),
                "every": or_null(json!({"type": "number", "exclusiveMinimum": 0, "description": "output interval; at most 20000 rows"})),
                "method": or_null(json!({"type": "string", "enum": ["dopri5", "euler-maruyama", "milstein", null]})), "seed": or_null(json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}))}},
            "ExploreRequest": {"type": "object", "additionalProperties": false, "properties": {
                "params": {"$ref": "#/components/schemas/Params"}, "initial": {"$ref": "#/components/schemas/Initial"},
                "t_end": or_null(json!({"type": "number"})), "every": or_null(json!({"type": "number"})), "method": or_null(json!({"type": "string"})), "seed": or_null(json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})),
                "x": or_null(json!({"type": "string", "description": "state on the horizontal axis"})), "y": or_null(json!({"type": "string"})),
                "grid": or_null(json!({"type": "integer", "minimum": 3, "maximum": 41}))}},
            "BifurcationRequest": {"type": "object", "additionalProperties": false, "required": ["param"], "properties": {
                "params": {"$ref": "#/components/schemas/Params"}, "initial": {"$ref": "#/components/schemas/Initial"},
                "param": {"type": "string"}, "from": or_null(json!({"type": "number"})), "to": or_null(json!({"type": "number"})),
                "variable": or_null(json!({"type": "string"})), "steps": or_null(json!({"type": "integer", "minimum": 2, "maximum": 200}))}},
            "UploadRequest": {"type": "object", "additionalProperties": false, "required": ["text"], "properties": {
                "text": {"type": "string", "maxLength": 65536, "description": "the equation file"},
                "format": or_null(json!({"type": "string", "enum": ["toml", "ode", null], "default": "toml"}))}},
                        "Answers": {"type": "object", "additionalProperties": false, "properties": {
                "choices": choices_schema(),
                "safety": {"type": "array", "items": {"type": "string", "enum": ["afraid", "threats", "violence", "monitoring", "control", "forced"]}, "uniqueItems": true}}},
            "ForecastRequest": {"type": "object", "additionalProperties": false, "properties": {
                "answers": {"$ref": "#/components/schemas/Answers"},
                "trajectories": or_null(json!({"type": "integer", "minimum": 100, "maximum": limits.max_trajectories, "default": DEFAULT_TRAJECTORIES.min(limits.max_trajectories)})),
                "seed": or_null(json!({"type": "integer", "minimum": 0, "maximum": u64::MAX})),
                "horizon_days": or_null(json!({"type": "number", "minimum": 30, "maximum": limits.max_horizon_days, "default": DEFAULT_HORIZON_DAYS.min(limits.max_horizon_days)}))}},
            "SaveRequest": {"type": "object", "additionalProperties": false, "required": ["kind", "title", "body"], "properties": {
                "kind": {"type": "string", "enum": ["scenario", "forecast"]},
                "title": {"type": "string", "minLength": 1, "maxLength": 200},
                "body": {"type": "object"}}},
            "ForecastJob": {"type": "object", "required": ["id", "state", "done", "total", "fraction", "url"], "properties": {
                "id": {"type": "string"}, "state": {"type": "string", "enum": ["queued", "running", "done", "failed", "cancelled"]},
                "done": {"type": "integer", "minimum": 0, "description": "simulated futures finished so far"}, "total": {"type": "integer", "minimum": 1},
                "fraction": {"type": "number", "minimum": 0, "maximum": 1}, "url": {"type": "string"},
                "result": {"type": "object", "description": "when done: the same body as POST /api/forecast answers"},
                "error": {"type": "object", "description": "when failed: the error, as in the Error schema's `error`"}}},
            "Summary": {"type": "object", "properties": {"id": {"type": "integer"}, "kind": {"type": "string"}, "title": {"type": "string"}, "created_ms": {"type": "integer"}}}
        }}
    })
}

pub async fn document(State(state): State<crate::State>) -> Json<Value> {
    Json(spec(&state.limits))
}
