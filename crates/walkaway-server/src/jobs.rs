//! Forecast jobs: a long forecast the page can follow and stop.
//!
//! - `POST /api/forecast/jobs` (the body of `POST /api/forecast`) checks the
//!   request, takes a place in the heavy queue and answers 202 with the job;
//! - `GET /api/forecast/jobs/{id}` reports its state and progress, and the
//!   forecast itself once done;
//! - `DELETE /api/forecast/jobs/{id}` stops it (the running forecast stops
//!   at its next chunk of 64 futures) and forgets it.
//!
//! A job nobody has asked about for [`ABANDONED_AFTER`] is taken as
//! abandoned (the page was closed) and cancelled; a finished one is kept
//! for [`KEPT_FOR`] after it was last read. Ids are random, so one page
//! cannot guess another's job.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::forecast_api::{self, ForecastRequest};
use crate::json::ApiJson;
use crate::workers::Cancel;

/// A queued or running job not polled for this long is cancelled.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(60);
/// A finished job is forgotten this long after it was last read.
pub const KEPT_FOR: Duration = Duration::from_secs(600);
/// At most this many finished jobs are kept (the oldest go first).
const MAX_FINISHED: usize = 32;

/// Where a job is.
#[derive(Debug, Clone)]
enum Phase {
    Queued,
    Running,
    Done(Arc<Value>),
    Failed(Arc<ApiError>),
    Cancelled,
}

impl Phase {
    fn name(&self) -> &'static str {
        match self {
            Phase::Queued => "queued",
            Phase::Running => "running",
            Phase::Done(_) => "done",
            Phase::Failed(_) => "failed",
            Phase::Cancelled => "cancelled",
        }
    }

    fn finished(&self) -> bool {
        !matches!(self, Phase::Queued | Phase::Running)
    }
}

#[derive(Debug)]
struct Job {
    total: u64,
    progress: Arc<AtomicU64>,
    cancel: Cancel,
    phase: Mutex<Phase>,
    last_seen: Mutex<Instant>,
}

impl Job {
    fn phase(&self) -> Phase {
        self.phase.lock().map_or(Phase::Cancelled, |p| p.clone())
    }

    fn set(&self, phase: Phase) {
        if let Ok(mut p) = self.phase.lock() {
            // A cancelled job stays cancelled whatever its worker says last.
            if !matches!(*p, Phase::Cancelled) {
                *p = phase;
            }
        }
    }

    fn seen(&self) {
        if let Ok(mut t) = self.last_seen.lock() {
            *t = Instant::now();
        }
    }

    fn idle(&self) -> Duration {
        self.last_seen.lock().map_or(Duration::MAX, |t| t.elapsed())
    }

    fn status(&self, id: &str) -> Value {
        let phase = self.phase();
        let done = self.progress.load(Ordering::Relaxed).min(self.total);
        let done = if matches!(phase, Phase::Done(_)) {
            self.total
        } else {
            done
        };
        let mut v = json!({
            "id": id,
            "state": phase.name(),
            "done": done,
            "total": self.total,
            "fraction": done as f64 / self.total.max(1) as f64,
            "url": format!("/api/forecast/jobs/{id}"),
        });
        match phase {
            Phase::Done(result) => v["result"] = (*result).clone(),
            Phase::Failed(e) => v["error"] = e.body()["error"].clone(),
            _ => {}
        }
        v
    }
}

/// The jobs of this server (in memory: a restart forgets them).
#[derive(Debug, Clone, Default)]
pub struct Jobs {
    jobs: Arc<Mutex<HashMap<String, Arc<Job>>>>,
}

impl Jobs {
    fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.sweep();
        self.jobs.lock().ok()?.get(id).cloned()
    }

    fn insert(&self, id: String, job: Arc<Job>) {
        self.sweep();
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(id, job);
        }
    }

    fn remove(&self, id: &str) -> Option<Arc<Job>> {
        self.jobs.lock().ok()?.remove(id)
    }

    /// Cancels abandoned jobs and forgets old finished ones.
    fn sweep(&self) {
        let Ok(mut jobs) = self.jobs.lock() else {
            return;
        };
        for job in jobs.values() {
            if !job.phase().finished() && job.idle() > ABANDONED_AFTER {
                job.cancel.cancel();
                job.set(Phase::Cancelled);
            }
        }
        jobs.retain(|_, j| !(j.phase().finished() && j.idle() > KEPT_FOR));
        let mut finished: Vec<(Duration, String)> = jobs
            .iter()
            .filter(|(_, j)| j.phase().finished())
            .map(|(id, j)| (j.idle(), id.clone()))
            .collect();
        if finished.len() > MAX_FINISHED {
            finished.sort();
            for (_, id) in finished.drain(..).skip(MAX_FINISHED) {
                jobs.remove(&id);
            }
        }
    }
}

async fn until_cancelled(cancel: &Cancel) {
    while !cancel.is_cancelled() {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn new_id() -> String {
    crate::access::random_hex()
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound {
        what: format!("forecast job `{id}`"),
        field: Some("id".into()),
        value: Some(id.to_string()),
        allowed: Some(
            "the id returned by POST /api/forecast/jobs (finished jobs are kept for 10 minutes)"
                .into(),
        ),
    }
}

#[utoipa::path(post, path = "/api/forecast/jobs", tag = "forecast", summary = "Start a forecast as a job (same body as POST /api/forecast): answers 202 at once with its id, state and progress; poll GET /api/forecast/jobs/{id}", request_body = ForecastRequest,
    responses((status = 202, description = "Started (queued)", body = crate::openapi::ForecastJob, headers(("Location" = String, description = "the job's URL"))), (status = 400), (status = 413), (status = 415), (status = 422), (status = 503)))]
/// `POST /api/forecast/jobs`: 202 with the job's status and `Location`.
pub async fn start(
    State(state): State<crate::State>,
    ApiJson(req): ApiJson<ForecastRequest>,
) -> Result<Response, ApiError> {
    let prepared = forecast_api::prepare(req, &state.limits)?;
    let ticket = state.workers.admit_heavy()?;
    let id = new_id();
    let job = Arc::new(Job {
        total: prepared.trajectories(),
        progress: Arc::new(AtomicU64::new(0)),
        cancel: Cancel::new(),
        phase: Mutex::new(Phase::Queued),
        last_seen: Mutex::new(Instant::now()),
    });
    state.jobs.insert(id.clone(), job.clone());
    let workers = state.workers.clone();
    let worker_job = job.clone();
    tokio::spawn(async move {
        let job = worker_job;
        let running = job.clone();
        let work = workers.run_admitted(ticket, move || {
            if running.cancel.is_cancelled() {
                return Err(ApiError::Cancelled);
            }
            running.set(Phase::Running);
            forecast_api::run(prepared, &running.progress, &running.cancel)
        });
        // A job cancelled while it waits leaves the queue at once; a running
        // one sees the flag itself.
        let outcome = tokio::select! {
            outcome = work => outcome,
            () = until_cancelled(&job.cancel) => Err(ApiError::Cancelled),
        };
        job.set(match outcome {
            Ok(v) => Phase::Done(Arc::new(v)),
            Err(ApiError::Cancelled) => Phase::Cancelled,
            Err(e) => Phase::Failed(Arc::new(e)),
        });
    });
    let body = job.status(&id);
    let mut res = (StatusCode::ACCEPTED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/forecast/jobs/{id}")) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

#[utoipa::path(get, path = "/api/forecast/jobs/{id}", tag = "forecast", summary = "A forecast job's state and progress (done of total futures); the forecast itself in `result` once the state is done. A job not asked about for 60 s is cancelled; a finished one is kept 10 minutes", params(("id" = String, Path, description = "the job id returned by POST /api/forecast/jobs", pattern = "^[0-9a-f]{32}$")),
    responses((status = 200, description = "The job", body = crate::openapi::ForecastJob), (status = 404)))]
/// `GET /api/forecast/jobs/{id}`: state, progress and, once done, the result.
pub async fn status(
    State(state): State<crate::State>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let job = state.jobs.get(&id).ok_or_else(|| not_found(&id))?;
    job.seen();
    Ok(Json(job.status(&id)))
}

#[utoipa::path(delete, path = "/api/forecast/jobs/{id}", tag = "forecast", summary = "Cancel a forecast job (it stops within a fraction of a second) and forget it", params(("id" = String, Path, description = "the job id returned by POST /api/forecast/jobs", pattern = "^[0-9a-f]{32}$")),
    responses((status = 200, description = "The job as it was stopped", body = crate::openapi::ForecastJob), (status = 404)))]
/// `DELETE /api/forecast/jobs/{id}`: stops the job and forgets it.
pub async fn cancel(
    State(state): State<crate::State>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let job = state.jobs.remove(&id).ok_or_else(|| not_found(&id))?;
    if !job.phase().finished() {
        job.cancel.cancel();
        job.set(Phase::Cancelled);
    }
    Ok(Json(job.status(&id)))
}
