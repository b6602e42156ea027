//! The separation journal over HTTP: read, write and delete one day at a
//! time, set the day you left, export (CSV, JSON), and the analysis (the
//! particle filter and the forecast after it, docs/journal.md). Every
//! entry is checked by walkaway-core's journal module, together with the
//! days already stored, before anything is written: a bad entry gets a 422
//! naming its field, and nothing stored is lost.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use walkaway_core::journal::{
    self, AnalysisOptions, Entry, FilterOptions, JournalError, MetSignal, Request,
};
use walkaway_store::JournalRow;

use crate::error::ApiError;
use crate::json::ApiJson;
use crate::questionnaire::{self, Answers};
use crate::workers::Cancel;

/// Days a journal can cover: the longest forecast horizon.
fn journal_days(limits: &crate::Limits) -> u32 {
    limits.max_horizon_days.floor() as u32
}

/// One day as the API receives it; every field may be left out or null
/// (not recorded).
#[derive(Debug, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// Calls and messages from your partner that day.
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(minimum = 0, maximum = 500)]
    pub contacts: Option<u64>,
    #[schema(schema_with = request_schema)]
    pub request: Option<String>,
    #[schema(schema_with = met_someone_schema)]
    pub met_someone: Option<String>,
    /// Whether you were in contact with your partner that day.
    pub you_contacted: Option<bool>,
    /// How you feel, from 0 (worst) to 10 (best).
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(minimum = 0, maximum = 10)]
    pub mood: Option<u64>,
    /// A private note.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn nullable_choice(values: &[&str], description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            values
                .iter()
                .map(|v| json!(v))
                .chain(std::iter::once(Value::Null)),
        ))
        .description(Some(description))
}

fn request_schema() -> impl Into<RefOr<Schema>> {
    nullable_choice(
        &["none", "declined", "accepted"],
        "a request from your partner to get back together, and your answer",
    )
}

fn met_someone_schema() -> impl Into<RefOr<Schema>> {
    nullable_choice(
        &["yes", "not_sure", "no"],
        "signs that your partner met someone",
    )
}

fn left_on_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .description(Some("the day you left, YYYY-MM-DD; null forgets it"))
}

/// 0 (no forecast) or a number of simulated futures.
fn analysis_trajectories_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(crate::Limits::DEFAULT.max_trajectories))
        .description(Some(
            "simulated futures for the forecasts before and after the journal: 0 for none, else at least 100",
        ))
}

fn journal_error(e: JournalError) -> ApiError {
    ApiError::invalid(e.column, e.value, e.allowed)
}

fn entry_from_request(day: u32, req: EntryRequest) -> Result<Entry, ApiError> {
    let request = req
        .request
        .map(|r| {
            Request::parse(&r).ok_or_else(|| {
                ApiError::invalid("request", r, "none, declined or accepted (or null)")
            })
        })
        .transpose()?;
    let met_someone = req
        .met_someone
        .map(|m| {
            MetSignal::parse(&m)
                .ok_or_else(|| ApiError::invalid("met_someone", m, "yes, not_sure or no (or null)"))
        })
        .transpose()?;
    let small = |v: Option<u64>, field: &str, max: u32| {
        v.map(|x| {
            u32::try_from(x).ok().filter(|x| *x <= max).ok_or_else(|| {
                ApiError::invalid(
                    field,
                    x.to_string(),
                    format!("a whole number from 0 to {max}"),
                )
            })
        })
        .transpose()
    };
    Ok(Entry {
        day,
        contacts: small(req.contacts, "contacts", journal::MAX_CONTACTS_PER_DAY)?,
        request,
        met_someone,
        you_contacted: req.you_contacted,
        mood: small(req.mood, "mood", u32::from(journal::MAX_MOOD))?.map(|m| m as u8),
        note: req.note.unwrap_or_default(),
    })
}

fn row_from_entry(e: &Entry) -> JournalRow {
    JournalRow {
        day: i64::from(e.day),
        contacts: e.contacts.map(i64::from),
        request: e.request.map(|r| r.key().to_string()),
        met_someone: e.met_someone.map(|m| m.key().to_string()),
        you_contacted: e.you_contacted,
        mood: e.mood.map(i64::from),
        note: e.note.clone(),
        updated_ms: 0,
    }
}

/// A stored row back as an entry. Rows were checked before they were
/// written, so a value that does not read back is a damaged database.
fn entry_from_row(r: &JournalRow) -> Result<Entry, ApiError> {
    let bad =
        |what: &str| ApiError::Internal(format!("journal day {}: stored {what} unreadable", r.day));
    Ok(Entry {
        day: u32::try_from(r.day).map_err(|_| bad("day"))?,
        contacts: r
            .contacts
            .map(|c| u32::try_from(c).map_err(|_| bad("contacts")))
            .transpose()?,
        request: r
            .request
            .as_deref()
            .map(|t| Request::parse(t).ok_or_else(|| bad("request")))
            .transpose()?,
        met_someone: r
            .met_someone
            .as_deref()
            .map(|t| MetSignal::parse(t).ok_or_else(|| bad("met_someone")))
            .transpose()?,
        you_contacted: r.you_contacted,
        mood: r
            .mood
            .map(|m| u8::try_from(m).map_err(|_| bad("mood")))
            .transpose()?,
        note: r.note.clone(),
    })
}

async fn stored_entries(state: &crate::State) -> Result<Vec<Entry>, ApiError> {
    state
        .store
        .journal_entries()
        .await?
        .iter()
        .map(entry_from_row)
        .collect()
}

fn parse_day(text: &str, limits: &crate::Limits) -> Result<u32, ApiError> {
    let days = journal_days(limits);
    text.parse::<u32>()
        .ok()
        .filter(|d| *d < days)
        .ok_or_else(|| {
            ApiError::invalid(
                "day",
                text,
                format!(
                    "a whole number of days since you left, from 0 to {}",
                    days - 1
                ),
            )
        })
}

fn entry_json(e: &Entry, left_on: Option<i64>) -> Value {
    json!({
        "day": e.day,
        "date": left_on.map(|l| journal::date_from_days(l + i64::from(e.day))),
        "contacts": e.contacts,
        "request": e.request.map(Request::key),
        "met_someone": e.met_someone.map(MetSignal::key),
        "you_contacted": e.you_contacted,
        "mood": e.mood,
        "note": e.note,
    })
}

async fn left_on(state: &crate::State) -> Result<Option<i64>, ApiError> {
    Ok(state
        .store
        .journal_left_on()
        .await?
        .and_then(|d| journal::days_from_date(&d)))
}

/// GET /api/journal: the day you left and every entry, by day.
#[utoipa::path(get, path = "/api/journal", tag = "journal", summary = "The separation journal (docs/journal.md): the day you left and every day recorded",
    responses((status = 200, description = "The journal", body = Object)))]
pub async fn get(State(state): State<crate::State>) -> Result<Json<Value>, ApiError> {
    let entries = stored_entries(&state).await?;
    let left = left_on(&state).await?;
    Ok(Json(json!({
        "left_on": left.map(journal::date_from_days),
        "days": journal_days(&state.limits),
        "entries": entries.iter().map(|e| entry_json(e, left)).collect::<Vec<_>>(),
    })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    #[schema(schema_with = left_on_schema)]
    pub left_on: Option<String>,
}

/// PUT /api/journal/start: the date you left (YYYY-MM-DD), or null.
#[utoipa::path(put, path = "/api/journal/start", tag = "journal", summary = "Set (or, with null, forget) the day you left", request_body = StartRequest,
    responses((status = 200, description = "The day you left", body = Object), (status = 400), (status = 413), (status = 415), (status = 422)))]
pub async fn set_start(
    State(state): State<crate::State>,
    ApiJson(req): ApiJson<StartRequest>,
) -> Result<Json<Value>, ApiError> {
    if let Some(d) = &req.left_on
        && journal::days_from_date(d).is_none()
    {
        return Err(ApiError::invalid(
            "left_on",
            d.clone(),
            "a date as YYYY-MM-DD that exists, or null",
        ));
    }
    state
        .store
        .set_journal_left_on(req.left_on.as_deref())
        .await?;
    Ok(Json(json!({"left_on": req.left_on})))
}

/// PUT /api/journal/entries/{day}: writes one day (replacing it), after
/// checking it with the days already stored.
#[utoipa::path(put, path = "/api/journal/entries/{day}", tag = "journal", summary = "Write one day (replacing it); checked with the days already stored, and nothing is written if it is refused",
    params(("day" = u32, Path, description = "days since you left (0 = the day you left), below the longest horizon", minimum = 0, maximum = 729)),
    request_body = EntryRequest,
    responses((status = 200, description = "The day as stored", body = Object), (status = 400), (status = 413), (status = 415), (status = 422)))]
pub async fn put_entry(
    State(state): State<crate::State>,
    Path(day): Path<String>,
    ApiJson(req): ApiJson<EntryRequest>,
) -> Result<Json<Value>, ApiError> {
    let day = parse_day(&day, &state.limits)?;
    let entry = entry_from_request(day, req)?;
    let mut all = stored_entries(&state).await?;
    all.retain(|e| e.day != day);
    let at = all.partition_point(|e| e.day < day);
    all.insert(at, entry.clone());
    journal::check_journal(&all, journal_days(&state.limits), &[])
        .map_err(|e| ApiError::invalid(e.column, e.value, e.allowed))?;
    state
        .store
        .put_journal_entry(&row_from_entry(&entry))
        .await?;
    let left = left_on(&state).await?;
    Ok(Json(entry_json(&entry, left)))
}

/// DELETE /api/journal/entries/{day}.
#[utoipa::path(delete, path = "/api/journal/entries/{day}", tag = "journal", summary = "Delete one day",
    params(("day" = u32, Path, description = "days since you left (0 = the day you left), below the longest horizon", minimum = 0, maximum = 729)),
    responses((status = 204, description = "Deleted"), (status = 404), (status = 422)))]
pub async fn delete_entry(
    State(state): State<crate::State>,
    Path(day): Path<String>,
) -> Result<StatusCode, ApiError> {
    let day = parse_day(&day, &state.limits)?;
    if state.store.delete_journal_entry(i64::from(day)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound {
            what: format!("journal entry for day {day}"),
            field: Some("day".into()),
            value: Some(day.to_string()),
            allowed: Some("a day listed by GET /api/journal".into()),
        })
    }
}

/// GET /api/journal/export?format=csv|json: the journal as a file (the
/// CSV reads back with `walkaway journal`).
#[utoipa::path(get, path = "/api/journal/export", tag = "journal", summary = "Download the journal as CSV (reads back with `walkaway journal`) or JSON",
    params(("format" = Option<String>, Query, description = "csv (default) or json", pattern = "^(csv|json)$")),
    responses((status = 200, description = "The file", content((String = "text/csv"), (Object = "application/json"))), (status = 422)))]
pub async fn export(
    State(state): State<crate::State>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let format = query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "format")
        .map_or("csv", |(_, v)| v);
    let entries = stored_entries(&state).await?;
    let left = left_on(&state).await?;
    let (content_type, text) = match format {
        "csv" => ("text/csv; charset=utf-8", journal::to_csv(&entries, left)),
        "json" => (
            "application/json",
            serde_json::to_string_pretty(&json!({
                "left_on": left.map(journal::date_from_days),
                "entries": entries.iter().map(|e| entry_json(e, left)).collect::<Vec<_>>(),
            }))
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        ),
        other => return Err(ApiError::invalid("format", other, "csv or json")),
    };
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"walkaway-journal.{format}\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// Most particles and simulated futures one analysis may ask for.
pub const MAX_PARTICLES: u64 = 20_000;
pub const DEFAULT_PARTICLES: u64 = 1000;
pub const DEFAULT_TRAJECTORIES: u64 = 1000;

/// Particles one analysis may ask for on a server with these limits: a
/// server started with fewer trajectories (`walkaway serve
/// --max-trajectories`) allows no more particles either, since each is a
/// simulated partner just as each trajectory is.
pub fn max_particles(limits: &crate::Limits) -> u64 {
    MAX_PARTICLES.min(limits.max_trajectories)
}

#[derive(Debug, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisRequest {
    /// The questionnaire's answers (the prior over your partner); none:
    /// every question "not sure".
    #[serde(default)]
    pub answers: Answers,
    /// Particles of the filter (simulated partners).
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(minimum = 100, maximum = 20000, default = 1000)]
    pub particles: Option<u64>,
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(schema_with = analysis_trajectories_schema)]
    pub trajectories: Option<u64>,
    #[serde(default, deserialize_with = "crate::json::whole::option")]
    #[schema(schema_with = crate::openapi::seed_schema)]
    pub seed: Option<u64>,
    /// Days forecast after you left.
    #[schema(minimum = 30, maximum = 730, default = 180)]
    pub horizon_days: Option<f64>,
}

/// POST /api/journal/analysis: the filter over the stored journal, what it
/// says about your partner, and the forecast before and after it.
#[utoipa::path(post, path = "/api/journal/analysis", tag = "journal", summary = "The particle filter over the journal: effective sample size, the fit check, your partner's traits before and after, the chance of a request to reunite in 30 days, the chance your partner has met someone, a warning on bursts of possessive contact, and the forecast before and after the journal",
    request_body = AnalysisRequest,
    responses((status = 200, description = "The analysis", body = Object), (status = 400), (status = 413), (status = 415), (status = 422), (status = 503)))]
pub async fn analysis(
    State(state): State<crate::State>,
    ApiJson(req): ApiJson<AnalysisRequest>,
) -> Result<Json<Value>, ApiError> {
    let limits = state.limits;
    let most_particles = max_particles(&limits);
    let particles = req
        .particles
        .unwrap_or(DEFAULT_PARTICLES.min(most_particles));
    if !(100..=most_particles).contains(&particles) {
        return Err(ApiError::invalid(
            "particles",
            particles.to_string(),
            format!("a whole number from 100 to {most_particles}"),
        ));
    }
    let trajectories = req
        .trajectories
        .unwrap_or(DEFAULT_TRAJECTORIES.min(limits.max_trajectories));
    if trajectories != 0 && !(100..=limits.max_trajectories).contains(&trajectories) {
        return Err(ApiError::invalid(
            "trajectories",
            trajectories.to_string(),
            format!(
                "0 (no forecast) or a whole number from 100 to {}",
                limits.max_trajectories
            ),
        ));
    }
    let horizon = crate::forecast_api::horizon_days(req.horizon_days, &limits)?;
    let mapped = questionnaire::map_answers(&req.answers, horizon)?;
    let mut run = walkaway_core::forecast::forecast_run_options();
    run.t_end = horizon;
    let entries = stored_entries(&state).await?;
    let days = journal::journal_days(&run, 0.0);
    // Entries past this forecast's horizon stay stored; this analysis
    // cannot use them, and says so.
    journal::check_journal(&entries, days, &[]).map_err(journal_error)?;
    let opts = AnalysisOptions {
        filter: FilterOptions {
            particles: particles as usize,
            seed: req.seed.unwrap_or(20_251_123),
            moves: 5,
            ess_threshold: 0.5,
        },
        trajectories,
    };
    let population = mapped.population;
    let out = state
        .workers
        .run_heavy(Cancel::new(), move || {
            let started = std::time::Instant::now();
            let a = journal::analyse(&population, &run, &entries, &opts)?;
            let mut v =
                journal::journal_json(&a.report, a.forecast.as_ref(), a.prior_forecast.as_ref());
            v["seconds"] = json!(started.elapsed().as_secs_f64());
            v["assumed_separation"] = json!(a.assumed_separation);
            v["horizon_days"] = json!(horizon);
            v["limits"] = json!(walkaway_core::forecast::LIMITS);
            Ok::<Value, ApiError>(v)
        })
        .await?;
    Ok(Json(out))
}
