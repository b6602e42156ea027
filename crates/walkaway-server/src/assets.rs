//! The pages and assets of `web/`, embedded in the binary at build time
//! (rust-embed with `debug-embed`, so tests and debug builds do not depend on
//! the working directory and nothing is fetched from the network).

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "../../web/"]
struct Web;

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" | "LICENSE" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file(path: &str) -> Option<Response> {
    let f = Web::get(path)?;
    let mut r = (StatusCode::OK, f.data.into_owned()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Some(r)
}

fn page(name: &str) -> Response {
    file(name)
        .unwrap_or_else(|| (StatusCode::NOT_FOUND, "page missing from the build").into_response())
}

pub async fn page_questionnaire() -> Response {
    page("index.html")
}

pub async fn page_forecast() -> Response {
    page("forecast.html")
}

pub async fn page_explore() -> Response {
    page("explore.html")
}

pub async fn page_saved() -> Response {
    page("saved.html")
}

pub async fn page_journal() -> Response {
    page("journal.html")
}

pub async fn asset(Path(path): Path<String>) -> Response {
    if path.contains("..") || path.ends_with(".html") {
        return not_found_page().await;
    }
    match file(&path) {
        Some(r) => r,
        None => not_found_page().await,
    }
}

pub async fn favicon() -> Response {
    file("favicon.svg").unwrap_or_else(|| StatusCode::NO_CONTENT.into_response())
}

pub async fn not_found_page() -> Response {
    let mut r = (
        StatusCode::NOT_FOUND,
        "<!doctype html><meta charset=utf-8><title>Not found</title><p>There is no page here. <a href=\"/\">Back to the start</a>.",
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}
