//! The walkaway web app: a JSON API over walkaway-core and walkaway-store,
//! and the pages in `web/`, embedded in the binary (no CDN, no network).
//!
//! [`app`] builds the router from a [`State`]; tests call it directly with
//! `tower::ServiceExt::oneshot`. [`serve`] binds an address and runs it.
//! CPU-heavy work runs off the async runtime on blocking threads, in two
//! bounded lanes ([`Workers`]): light work (simulate, explore, bifurcation)
//! never waits behind forecasts; when a lane is full the API answers 503
//! with `Retry-After` instead of piling up work. Who may call the server is
//! decided by [`access`] (the `Host` check and, off loopback, a token).

pub mod access;
pub mod assets;
pub mod error;
pub mod explore;
pub mod forecast_api;
pub mod jobs;
pub mod journal_api;
pub mod json;
pub mod openapi;
pub mod own_models;
pub mod questionnaire;
pub mod reciprocity;
pub mod safety;
pub mod saved;
pub mod workers;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;
use walkaway_store::Store;

pub use access::Access;
pub use error::ApiError;
pub use workers::{LaneSize, Workers};

/// Limits on what one request may ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub body_bytes: usize,
    /// Most Monte Carlo trajectories in one forecast.
    pub max_trajectories: u64,
    /// Longest forecast horizon, in days.
    pub max_horizon_days: f64,
    /// Most output rows of one simulated trajectory.
    pub max_points: usize,
    /// Most grid points per axis of a phase portrait.
    pub max_grid: usize,
    /// Most parameter values in a bifurcation diagram.
    pub max_steps: usize,
}

impl Limits {
    /// The limits a server has unless told to be stricter.
    pub const DEFAULT: Self = Self {
        body_bytes: 1 << 20,
        max_trajectories: 20_000,
        max_horizon_days: 730.0,
        max_points: 20_000,
        max_grid: 41,
        max_steps: 200,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct State {
    pub store: Store,
    pub workers: Workers,
    pub limits: Limits,
    pub access: Access,
    pub jobs: jobs::Jobs,
}

impl State {
    /// Lanes sized for this machine, default limits and no access checks
    /// ([`serve`] sets them from the address it binds).
    pub fn new(store: Store) -> Self {
        Self {
            store,
            workers: Workers::for_this_machine(),
            limits: Limits::default(),
            access: Access::open(),
            jobs: jobs::Jobs::default(),
        }
    }
}

/// The whole site: API routes, pages and assets.
pub fn app(state: State) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::document))
        .route(
            "/models",
            get(explore::list_models).post(own_models::upload),
        )
        .route("/models/{id}", get(explore::model_info))
        .route("/models/{id}/simulate", post(explore::simulate))
        .route("/models/{id}/explore", post(explore::explore))
        .route("/models/{id}/bifurcation", post(explore::bifurcation))
        .route("/questionnaire", get(forecast_api::questionnaire))
        .route("/forecast", post(forecast_api::forecast))
        .route("/forecast/jobs", post(jobs::start))
        .route(
            "/forecast/jobs/{id}",
            get(jobs::status).delete(jobs::cancel),
        )
        .route(
            "/saved",
            get(saved::list)
                .post(saved::create)
                .delete(saved::delete_all),
        )
        .route("/saved/{id}", get(saved::get).delete(saved::delete_one))
        .route("/saved/{id}/export", get(saved::export))
        .route("/journal", get(journal_api::get))
        .route("/journal/start", axum::routing::put(journal_api::set_start))
        .route(
            "/journal/entries/{day}",
            axum::routing::put(journal_api::put_entry).delete(journal_api::delete_entry),
        )
        .route("/journal/export", get(journal_api::export))
        .route("/journal/analysis", post(journal_api::analysis))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api", api)
        .route("/", get(assets::page_questionnaire))
        .route("/forecast", get(assets::page_forecast))
        .route("/explore", get(assets::page_explore))
        .route("/saved", get(assets::page_saved))
        .route("/journal", get(assets::page_journal))
        .route("/assets/{*path}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(assets::not_found_page)
        .layer(DefaultBodyLimit::max(state.limits.body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.access.clone(),
            access::guard,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state)
}

#[utoipa::path(get, path = "/api/health", tag = "site", summary = "The server and its database answer",
    responses((status = 200, description = "OK", body = Object)))]
async fn health(
    axum::extract::State(state): axum::extract::State<State>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    state.store.ping().await?;
    Ok(axum::Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
    })))
}

async fn api_not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound {
        what: format!("API route `{}`", uri.path()),
        field: None,
        value: None,
        allowed: Some("a route listed in /api/openapi.json".into()),
    }
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    // Inside the nested router the path has lost its `/api` prefix.
    let path = format!("/api{}", uri.path());
    ApiError::MethodNotAllowed {
        method: method.to_string(),
        allowed: openapi::allowed_methods(&path),
        path,
    }
}

/// Binds `addr`, opens the database at `database_url` (migrating it) and
/// serves until Ctrl-C or SIGTERM. `ready` is called with the bound address,
/// the database's description and the access rules once the server accepts
/// connections (it prints the token, if any, once).
pub async fn serve(
    addr: SocketAddr,
    database_url: &str,
    limits: Limits,
    ready: impl FnOnce(SocketAddr, &str, &Access),
) -> Result<(), ServeError> {
    let store = Store::connect(database_url).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    let access = Access::for_address(addr, bound);
    ready(bound, store.description(), &access);
    let state = State {
        access,
        limits,
        ..State::new(store.clone())
    };
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    store.close().await;
    Ok(())
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] walkaway_store::StoreError),
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// The default database URL: the per-user SQLite file.
pub fn default_database_url() -> String {
    format!(
        "sqlite://{}",
        walkaway_store::default_sqlite_path().display()
    )
}
