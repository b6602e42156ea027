//! Saved scenarios and forecasts: save, list, reopen, export (JSON, CSV),
//! delete one, delete all. A save answers 201 only after the row is on disk.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use walkaway_store::Kind;

use crate::error::ApiError;
use crate::json::ApiJson;

const MAX_TITLE: usize = 200;
/// Items per page when the request does not say.
const DEFAULT_PAGE: i64 = 1000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    #[schema(schema_with = crate::openapi::kind_schema)]
    pub kind: String,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// The scenario's answers or the forecast.
    #[schema(value_type = Object)]
    pub body: Value,
}

fn parse_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid("id", text, "a positive whole number"))
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound {
        what: format!("saved item {id}"),
        field: Some("id".into()),
        value: Some(id.to_string()),
        allowed: Some("the id of an item listed by GET /api/saved".into()),
    }
}

/// Reads `name=value` from a query string (no percent-decoding needed for
/// the plain words we accept).
fn query_value<'a>(query: &'a Option<String>, name: &str) -> Option<&'a str> {
    query
        .as_deref()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[utoipa::path(get, path = "/api/saved", tag = "saved", summary = "Saved items, newest first, a page at a time: `total` counts them all and `next_offset` (null on the last page) is where the next page starts",
    params(("kind" = Option<String>, Query, description = "only this kind (scenario or forecast); empty or left out: all", pattern = "^(scenario|forecast)?$"),
        ("limit" = Option<i64>, Query, description = "items per page (default 1000)", minimum = 0, maximum = 10000),
        ("offset" = Option<i64>, Query, description = "items to skip (default 0)", minimum = 0)),
    responses((status = 200, description = "A page of items", body = crate::openapi::SavedPage), (status = 422)))]
pub async fn list(
    State(state): State<crate::State>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let kind = match query_value(&query, "kind") {
        None | Some("") => None,
        Some(k) => {
            Some(Kind::parse(k).map_err(|_| ApiError::invalid("kind", k, "scenario or forecast"))?)
        }
    };
    let whole = |name: &str, default: i64, most: i64| -> Result<i64, ApiError> {
        match query_value(&query, name) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=most).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid(name, v, format!("a whole number from 0 to {most}"))
                }),
        }
    };
    let limit = whole("limit", DEFAULT_PAGE, walkaway_store::LIST_LIMIT)?;
    let offset = whole("offset", 0, i64::MAX)?;
    let page = state.store.list(kind, limit, offset).await?;
    let shown = offset.saturating_add(page.items.len() as i64);
    // `next` is where the following page starts, while there is one.
    let next = (u64::try_from(shown).unwrap_or(u64::MAX) < page.total).then_some(shown);
    Ok(Json(json!({
        "items": page.items,
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "next_offset": next,
    })))
}

#[utoipa::path(post, path = "/api/saved", tag = "saved", summary = "Save a scenario or forecast; answers 201 once it is on disk", request_body = SaveRequest,
    responses((status = 201, description = "Saved item (without body)", body = crate::openapi::Summary), (status = 400), (status = 413), (status = 415), (status = 422)))]
pub async fn create(
    State(state): State<crate::State>,
    ApiJson(req): ApiJson<SaveRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let kind = Kind::parse(&req.kind)
        .map_err(|_| ApiError::invalid("kind", req.kind.clone(), "scenario or forecast"))?;
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(ApiError::invalid(
            "title",
            req.title.clone(),
            format!("between 1 and {MAX_TITLE} characters"),
        ));
    }
    if !req.body.is_object() {
        return Err(ApiError::invalid(
            "body",
            crate::error::excerpt(&req.body.to_string()),
            "a JSON object (the scenario's answers or the forecast)",
        ));
    }
    let saved = state.store.save(kind, title, &req.body).await?;
    Ok((StatusCode::CREATED, Json(json!(saved))))
}

#[utoipa::path(get, path = "/api/saved/{id}", tag = "saved", summary = "One saved item with its body", params(("id" = i64, Path, description = "saved item id", minimum = 1)),
    responses((status = 200, description = "Item", body = Object), (status = 404), (status = 422)))]
pub async fn get(
    State(state): State<crate::State>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id)?;
    let item = state.store.get(id).await?.ok_or_else(|| not_found(id))?;
    Ok(Json(json!(item)))
}

#[utoipa::path(delete, path = "/api/saved/{id}", tag = "saved", summary = "Delete one saved item", params(("id" = i64, Path, description = "saved item id", minimum = 1)),
    responses((status = 204, description = "Deleted"), (status = 404), (status = 422)))]
pub async fn delete_one(
    State(state): State<crate::State>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    if state.store.delete(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

#[utoipa::path(delete, path = "/api/saved", tag = "saved", summary = "Delete all my data",
    responses((status = 200, description = "How many were deleted", body = Object)))]
pub async fn delete_all(State(state): State<crate::State>) -> Result<Json<Value>, ApiError> {
    let deleted = state.store.delete_all().await?;
    Ok(Json(json!({ "deleted": deleted })))
}

/// One CSV field, quoted when needed (RFC 4180).
fn csv_field(s: &str) -> String {
    // A leading = + - @ would be read as a formula by spreadsheets.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Flattens any JSON into `path,value` rows (arrays indexed, objects by key).
fn flatten(prefix: &str, v: &Value, rows: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, rows);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, rows);
            }
        }
        other => rows.push((prefix.to_string(), scalar(other))),
    }
}

/// CSV of a saved item. A forecast with daily series becomes one row per
/// day (day, then mean and quantiles of each variable); anything else
/// becomes `field,value` rows.
pub fn to_csv(body: &Value) -> String {
    let mut out = String::new();
    if let (Some(days), Some(series)) = (
        body.pointer("/forecast/days").and_then(Value::as_array),
        body.pointer("/forecast/series").and_then(Value::as_object),
    ) {
        let mut header = vec!["day".to_string()];
        let mut columns: Vec<&Vec<Value>> = Vec::new();
        for (name, s) in series {
            if let Some(obj) = s.as_object() {
                for stat in ["mean", "q10", "q50", "q90", "min", "max"] {
                    if let Some(Value::Array(a)) = obj.get(stat) {
                        header.push(format!("{name}_{stat}"));
                        columns.push(a);
                    }
                }
            } else if let Value::Array(a) = s {
                header.push(name.clone());
                columns.push(a);
            }
        }
        out.push_str(&header.join(","));
        out.push('\n');
        for (i, d) in days.iter().enumerate() {
            let mut row = vec![scalar(d)];
            row.extend(
                columns
                    .iter()
                    .map(|c| c.get(i).map(scalar).unwrap_or_default()),
            );
            out.push_str(&row.join(","));
            out.push('\n');
        }
        return out;
    }
    let mut rows = Vec::new();
    flatten("", body, &mut rows);
    out.push_str("field,value\n");
    for (k, v) in rows {
        out.push_str(&csv_field(&k));
        out.push(',');
        out.push_str(&csv_field(&v));
        out.push('\n');
    }
    out
}

#[utoipa::path(get, path = "/api/saved/{id}/export", tag = "saved", summary = "Download a saved item as JSON or CSV",
    params(("id" = i64, Path, description = "saved item id", minimum = 1), ("format" = Option<String>, Query, description = "json (default) or csv", pattern = "^(json|csv)$")),
    responses((status = 200, description = "The file", content((Object = "application/json"), (String = "text/csv"))), (status = 404), (status = 422)))]
pub async fn export(
    State(state): State<crate::State>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let format = query_value(&query, "format").unwrap_or("json");
    if format != "json" && format != "csv" {
        return Err(ApiError::invalid("format", format, "json or csv"));
    }
    let item = state.store.get(id).await?.ok_or_else(|| not_found(id))?;
    let (content_type, text) = if format == "csv" {
        ("text/csv; charset=utf-8", to_csv(&item.body))
    } else {
        (
            "application/json",
            serde_json::to_string_pretty(&item).map_err(|e| ApiError::Internal(e.to_string()))?,
        )
    };
    let filename = format!("walkaway-{}-{id}.{format}", item.kind.as_str());
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-0.5"), "-0.5");
    }

    #[test]
    fn forecast_series_become_one_row_per_day() {
        let body = json!({"forecast": {"days": [0, 1], "series": {
            "love": {"mean": [0.5, 0.4], "q10": [0.1, 0.0], "q50": [0.5, 0.4], "q90": [0.9, 0.8]},
            "expected_contact_attempts": [0.0, 1.5]}}});
        let csv = to_csv(&body);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "day,expected_contact_attempts,love_mean,love_q10,love_q50,love_q90"
        );
        assert_eq!(lines[2], "1,1.5,0.4,0.0,0.4,0.8");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn other_bodies_become_field_value_rows() {
        let csv = to_csv(&json!({"answers": {"choices": {"plan": 2}, "safety": ["afraid"]}}));
        assert!(csv.contains("answers.choices.plan,2\n"));
        assert!(csv.contains("answers.safety[0],afraid\n"));
    }
}
