//! The API through `app()` without a socket (tower's `oneshot`), on a real
//! SQLite file: each route's success, and each kind of bad input answered
//! with a 4xx that names the field and what is allowed.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use walkaway_server::{Access, LaneSize, Limits, State, Workers, app};
use walkaway_store::Store;

struct TestApp {
    router: Router,
    _dir: tempfile::TempDir,
}

async fn test_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("t.db"))
        .await
        .unwrap();
    TestApp {
        router: app(State::new(store)),
        _dir: dir,
    }
}

async fn send(
    app: &TestApp,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    raw(app, req.body(body).unwrap()).await
}

async fn raw(app: &TestApp, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

fn assert_error(status: StatusCode, body: &Value, want: StatusCode, field: Option<&str>) {
    assert_eq!(status, want, "{body}");
    let e = &body["error"];
    assert_eq!(e["status"], want.as_u16(), "{body}");
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    if let Some(f) = field {
        assert_eq!(e["field"], f, "{body}");
    }
    let text = body.to_string();
    assert!(
        !text.contains("panicked") && !text.contains("src/"),
        "{text}"
    );
}

#[tokio::test]
async fn health_models_and_openapi() {
    let app = test_app().await;
    let (s, b) = send(&app, Method::GET, "/api/health", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["status"], "ok");

    let (s, b) = send(&app, Method::GET, "/api/models", None).await;
    assert_eq!(s, StatusCode::OK);
    let ids: Vec<&str> = b["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"walkaway") && ids.contains(&"strogatz"),
        "{ids:?}"
    );

    let (s, b) = send(&app, Method::GET, "/api/models/strogatz", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!b["params"].as_array().unwrap().is_empty());

    let (s, doc) = send(&app, Method::GET, "/api/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    // Every documented operation is served, and the list is complete.
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            documented += 1;
            assert!(
                walkaway_server::openapi::OPERATIONS.contains(&(method.as_str(), path.as_str())),
                "{method} {path}"
            );
        }
    }
    assert_eq!(documented, walkaway_server::openapi::OPERATIONS.len());
    for (method, path) in walkaway_server::openapi::OPERATIONS {
        let uri = path.replace(
            "{id}",
            if path.starts_with("/api/models") {
                "strogatz"
            } else {
                "999999"
            },
        );
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        // A forecast of the default size is slow in a debug build: ask for
        // too few trajectories, which is answered (422) without running.
        let body = (m == Method::POST).then(|| {
            if *path == "/api/forecast" {
                json!({"trajectories": 5})
            } else {
                json!({})
            }
        });
        let (s, b) = send(&app, m, &uri, body).await;
        // Served: anything but "no such route" (404 from the API fallback
        // names a route; a missing saved item names the id).
        if s == StatusCode::NOT_FOUND {
            assert_ne!(b["error"]["field"], Value::Null, "{method} {uri}: {b}");
        }
        assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
    }
}

#[tokio::test]
async fn simulate_explore_and_bifurcation() {
    let app = test_app().await;
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/simulate",
        Some(json!({"t_end": 5.0, "every": 0.5})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["times"].as_array().unwrap().len(), 11);

    let model = &send(&app, Method::GET, "/api/models/strogatz", None)
        .await
        .1;
    let first = model["params"][0]["name"].as_str().unwrap().to_string();
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"grid": 11})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["field"]["dx"].as_array().unwrap().len(), 121);
    assert!(!b["equilibria"].as_array().unwrap().is_empty(), "{b}");
    assert!(b["equilibria"][0]["kind"].is_string());
    // Moving a slider changes the answer.
    let default = model["params"][0]["default"].as_f64().unwrap();
    let (_, moved) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"grid": 11, "params": {first.clone(): default * 0.5 + 0.1}})),
    )
    .await;
    assert_ne!(
        moved["trajectory"]["final_state"],
        b["trajectory"]["final_state"]
    );

    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/gone-with-the-wind/bifurcation",
        Some(json!({"param": model_real_param(&app, "gone-with-the-wind").await, "steps": 10})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["orbits"].as_array().unwrap().len(), 10);

    // The walkaway model (12 states) explores too.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/walkaway/explore",
        Some(json!({"grid": 7, "t_end": 60})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(b["note"].as_str().unwrap().contains("state variables"));
}

async fn model_real_param(app: &TestApp, id: &str) -> String {
    let (_, m) = send(app, Method::GET, &format!("/api/models/{id}"), None).await;
    m["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "real")
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn bad_model_inputs_name_the_field() {
    let app = test_app().await;
    let (s, b) = send(&app, Method::GET, "/api/models/nope", None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, Some("model"));
    assert!(b["error"]["allowed"].as_str().unwrap().contains("strogatz"));

    let p = model_real_param(&app, "strogatz").await;
    let cases = [
        (json!({"params": {"nope": 1}}), "params.nope"),
        (
            json!({"params": {p.clone(): "lots"}}),
            &*format!("params.{p}"),
        ),
        (json!({"t_end": -1}), "t_end"),
        (json!({"t_end": 1e12}), "t_end"),
        (json!({"every": 1e-9}), "every"),
        (json!({"method": "magic"}), "method"),
        (json!({"initial": {"nope": 1}}), "state"),
    ];
    for (body, field) in cases {
        let (s, b) = send(
            &app,
            Method::POST,
            "/api/models/strogatz/simulate",
            Some(body.clone()),
        )
        .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
        assert!(b["error"]["allowed"].is_string(), "{body}: {b}");
    }
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"grid": 1000})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("grid"));
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"x": "nope"})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("x"));
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/bifurcation",
        Some(json!({"param": "nope"})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("param"));
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/bifurcation",
        Some(json!({"param": p, "steps": 5000})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("steps"));
    // Wrong type: 400 naming the path.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/simulate",
        Some(json!({"t_end": "soon"})),
    )
    .await;
    assert_error(s, &b, StatusCode::BAD_REQUEST, Some("t_end"));
    // Unknown field.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/simulate",
        Some(json!({"colour": 1})),
    )
    .await;
    assert_error(s, &b, StatusCode::BAD_REQUEST, None);
    assert!(b["error"]["message"].as_str().unwrap().contains("colour"));
}

#[tokio::test]
async fn malformed_bodies_wrong_types_and_oversize() {
    let app = test_app().await;
    let req = Request::post("/api/forecast")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (s, b) = raw(&app, req).await;
    assert_error(s, &b, StatusCode::BAD_REQUEST, None);

    let req = Request::post("/api/forecast")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let (s, b) = raw(&app, req).await;
    assert_error(s, &b, StatusCode::UNSUPPORTED_MEDIA_TYPE, None);

    let big = format!(
        "{{\"title\": \"{}\"}}",
        "x".repeat(Limits::default().body_bytes + 10)
    );
    let req = Request::post("/api/saved")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big))
        .unwrap();
    let (s, b) = raw(&app, req).await;
    assert_error(s, &b, StatusCode::PAYLOAD_TOO_LARGE, None);

    let (s, b) = send(&app, Method::GET, "/api/nothing-here", None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, None);
    // A route without this method: 405, with the methods it has in `Allow`.
    let req = Request::builder()
        .method(Method::PUT)
        .uri("/api/models/strogatz")
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers()[header::ALLOW], "GET, HEAD");
    let (s, b) = send(&app, Method::DELETE, "/api/saved/3/export", None).await;
    assert_error(s, &b, StatusCode::METHOD_NOT_ALLOWED, Some("method"));
    assert_eq!(b["error"]["allowed"], "GET, HEAD");
    // Whole numbers may be written 1510.0 (JSON Schema's "integer" allows
    // it); a fraction is refused naming the field.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"grid": 11.0, "seed": 3.0})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"grid": 11.5})),
    )
    .await;
    // Not a whole number: a wrong value (422), like any other out of range.
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("grid"));
}

#[tokio::test]
async fn forecast_from_answers() {
    let app = test_app().await;
    let (s, q) = send(&app, Method::GET, "/api/questionnaire", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(q["questions"].as_array().unwrap().len() >= 15);

    let answers = json!({"choices": {"satisfaction": 1, "negativity": 3, "partner_effort": 1, "your_effort": 4, "plan": 4}, "safety": []});
    let (s, f) = send(
        &app,
        Method::POST,
        "/api/forecast",
        Some(json!({"answers": answers, "trajectories": 200, "seed": 3})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let total: f64 = f["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    for o in f["outcomes"].as_array().unwrap() {
        let (lo, p) = (
            o["ci_low"].as_f64().unwrap(),
            o["probability"].as_f64().unwrap(),
        );
        assert!(lo <= p + 1e-12, "{o}");
    }
    assert_eq!(f["safety_first"], false);
    assert_eq!(f["reciprocity"]["verdict"], "you-give-more");
    assert!(
        f["reciprocity"]["message"]
            .to_string()
            .contains("yours to decide")
    );
    assert_eq!(f["plan"]["chosen"], true);
    assert_eq!(
        f["days"].as_array().unwrap().len(),
        f["series"]["love"]["q50"].as_array().unwrap().len()
    );
    assert!(!f["strategies"].as_array().unwrap().is_empty());
    assert!(!f["limits"].as_array().unwrap().is_empty());
    assert!(
        f["drivers"][0]
            .as_str()
            .unwrap()
            .contains("together at the end")
    );
    // Who did what: the events name who asked and who went back.
    let keys: Vec<&str> = f["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"partner_asked") && keys.contains(&"reunion_you_went_back"));
    assert!(f["staying"].is_object());
    // Same seed, same answer.
    let (_, again) = send(
        &app,
        Method::POST,
        "/api/forecast",
        Some(json!({"answers": answers, "trajectories": 200, "seed": 3})),
    )
    .await;
    assert_eq!(again["outcomes"], f["outcomes"]);
}

#[tokio::test]
async fn safety_answers_lead_with_the_notice_and_withhold_strategies() {
    let app = test_app().await;
    let body = json!({"answers": {"choices": {}, "safety": ["afraid", "monitoring"]}, "trajectories": 100});
    let (s, f) = send(&app, Method::POST, "/api/forecast", Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["safety_first"], true);
    assert_eq!(f["safety"]["level"], "danger");
    assert!(f["strategies"].as_array().unwrap().is_empty());
    let notice = f["safety"]["notice"].to_string();
    assert!(notice.contains("warning sign, not proof of love") && notice.contains("emergency"));
}

#[tokio::test]
async fn bad_forecast_inputs_name_the_field() {
    let app = test_app().await;
    let cases = [
        (json!({"trajectories": 5}), "trajectories"),
        (json!({"trajectories": 1_000_000}), "trajectories"),
        (json!({"horizon_days": 10_000}), "horizon_days"),
        (
            json!({"answers": {"choices": {"satisfaction": 7}}}),
            "answers.choices.satisfaction",
        ),
        (
            json!({"answers": {"choices": {"mood": 1}}}),
            "answers.choices.mood",
        ),
        (
            json!({"answers": {"safety": ["ghosts"]}}),
            "answers.safety[0]",
        ),
    ];
    for (body, field) in cases {
        let (s, b) = send(&app, Method::POST, "/api/forecast", Some(body.clone())).await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
        assert!(b["error"]["allowed"].is_string(), "{body}: {b}");
    }
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/forecast",
        Some(json!({"answers": {"choices": {"plan": -1}}})),
    )
    .await;
    assert_error(
        s,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("answers.choices.plan"),
    );
    // The same kind of mistake gets the same status and code, whether the
    // number is below the range or not a whole number from 0 at all.
    for bad in [json!(0), json!(-1), json!(2.5), json!(99)] {
        let (s, b) = send(
            &app,
            Method::POST,
            "/api/forecast",
            Some(json!({"trajectories": bad})),
        )
        .await;
        assert_error(
            s,
            &b,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("trajectories"),
        );
        assert_eq!(b["error"]["code"], "invalid_value", "{bad}: {b}");
        assert!(
            !b["error"]["message"].as_str().unwrap().contains("line 1"),
            "{b}"
        );
    }
}

#[tokio::test]
async fn error_bodies_repeat_only_a_short_excerpt_of_what_was_sent() {
    let app = test_app().await;
    let long = "x".repeat(100_000);
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/saved",
        Some(json!({"kind": "scenario", "title": long, "body": {}})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("title"));
    let text = b.to_string();
    assert!(text.len() < 1_000, "{} characters", text.len());
    assert!(b["error"]["value"].as_str().unwrap().ends_with('…'));
}

#[tokio::test]
async fn saved_items_round_trip_export_and_delete_all() {
    let app = test_app().await;
    let (s, b) = send(&app, Method::POST, "/api/saved",
        Some(json!({"kind": "scenario", "title": "mine", "body": {"answers": {"choices": {"plan": 2}}}}))).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_i64().unwrap();
    let (_, b) = send(&app, Method::POST, "/api/saved",
        Some(json!({"kind": "forecast", "title": "f", "body": {"forecast": {"days": [0, 1], "series": {"love": {"mean": [1, 2]}}}}}))).await;
    let fid = b["id"].as_i64().unwrap();

    let (s, list) = send(&app, Method::GET, "/api/saved", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (_, only) = send(&app, Method::GET, "/api/saved?kind=scenario", None).await;
    assert_eq!(only["items"].as_array().unwrap().len(), 1);

    let (s, item) = send(&app, Method::GET, &format!("/api/saved/{id}"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(item["body"]["answers"]["choices"]["plan"], 2);

    let res = app
        .router
        .clone()
        .oneshot(
            Request::get(format!("/api/saved/{fid}/export?format=csv"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let csv = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    assert_eq!(
        std::str::from_utf8(&csv).unwrap(),
        "day,love_mean\n0,1\n1,2\n"
    );
    let (s, json_export) = send(
        &app,
        Method::GET,
        &format!("/api/saved/{id}/export?format=json"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json_export["title"], "mine");

    let (s, _) = send(&app, Method::DELETE, &format!("/api/saved/{id}"), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = send(&app, Method::GET, &format!("/api/saved/{id}"), None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, Some("id"));
    let (s, b) = send(&app, Method::DELETE, "/api/saved", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["deleted"], 1);
    let (_, list) = send(&app, Method::GET, "/api/saved", None).await;
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn bad_saved_inputs_name_the_field() {
    let app = test_app().await;
    let cases = [
        (json!({"kind": "diary", "title": "x", "body": {}}), "kind"),
        (
            json!({"kind": "scenario", "title": "  ", "body": {}}),
            "title",
        ),
        (
            json!({"kind": "scenario", "title": "x".repeat(300), "body": {}}),
            "title",
        ),
        (
            json!({"kind": "scenario", "title": "x", "body": [1, 2]}),
            "body",
        ),
    ];
    for (body, field) in cases {
        let (s, b) = send(&app, Method::POST, "/api/saved", Some(body)).await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/saved",
        Some(json!({"kind": "scenario"})),
    )
    .await;
    assert_error(s, &b, StatusCode::BAD_REQUEST, None);
    let (s, b) = send(&app, Method::GET, "/api/saved/abc", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("id"));
    let (s, b) = send(&app, Method::GET, "/api/saved/1/export?format=xls", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("format"));
    let (s, b) = send(&app, Method::GET, "/api/saved?kind=diary", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("kind"));
    let (s, b) = send(&app, Method::DELETE, "/api/saved/424242", None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, Some("id"));
}

#[tokio::test]
async fn a_full_queue_answers_503_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("q.db"))
        .await
        .unwrap();
    let lane = LaneSize {
        running: 1,
        waiting: 0,
        deadline: std::time::Duration::from_secs(5),
    };
    let workers = Workers::new(lane, lane, 1);
    let state = State {
        workers: workers.clone(),
        limits: Limits::default(),
        ..State::new(store)
    };
    let router = app(state);
    // Occupy the only slot with a job that waits for us.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let blocker = tokio::spawn({
        let workers = workers.clone();
        async move {
            workers
                .run(move || {
                    let _ = rx.recv();
                    Ok(())
                })
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let req = Request::post("/api/models/strogatz/simulate")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()[header::RETRY_AFTER], "2");
    tx.send(()).unwrap();
    blocker.await.unwrap().unwrap();
    // Free again.
    let req = Request::post("/api/models/strogatz/simulate")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(router.oneshot(req).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn pages_and_assets_are_embedded() {
    let app = test_app().await;
    for (path, needle) in [
        ("/", "questionnaire.js"),
        ("/forecast", "forecast.js"),
        ("/explore", "explore.js"),
        ("/saved", "saved.js"),
    ] {
        let res = app
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert!(
            std::str::from_utf8(&body).unwrap().contains(needle),
            "{path}"
        );
    }
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/assets/vendor/uplot/uPlot.esm.js")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/assets/../Cargo.toml")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_run_that_blows_up_names_the_parameter_sent() {
    let app = test_app().await;
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/simulate",
        Some(json!({"params": {"a": 50}})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("params.a"));
    assert_eq!(b["error"]["value"], "a = 50");
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/models/strogatz/explore",
        Some(json!({"params": {"a": 50, "d": 50}})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("params"));
}

#[tokio::test]
async fn an_uploaded_equation_file_is_explored_like_a_catalog_model() {
    let app = test_app().await;
    let text = include_str!("../../../examples/models/laura-petrarch.ode");
    let (s, info) = send(
        &app,
        Method::POST,
        "/api/models",
        Some(json!({"text": text, "format": "ode"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{info}");
    let id = info["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("laura-petrarch-ode-"), "{id}");
    assert_eq!(info["params"].as_array().unwrap().len(), 10);
    // The same text again is the same model.
    let (_, again) = send(
        &app,
        Method::POST,
        "/api/models",
        Some(json!({"text": text, "format": "ode"})),
    )
    .await;
    assert_eq!(again["id"], id.as_str());
    let (s, traj) = send(
        &app,
        Method::POST,
        &format!("/api/models/{id}/simulate"),
        Some(json!({"params": {"gamma": 1.2}})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{traj}");
    let (s, portrait) = send(
        &app,
        Method::POST,
        &format!("/api/models/{id}/explore"),
        Some(json!({"x": "l", "y": "p"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{portrait}");
}

#[tokio::test]
async fn a_bad_equation_file_is_refused_with_its_line_and_column() {
    let app = test_app().await;
    let (s, body) = send(
        &app,
        Method::POST,
        "/api/models",
        Some(json!({"text": "[model]\nid = \"m\"\n[states]\nx = 1\n[equations]\nx = \"sin(x, x)\"\n"})),
    )
    .await;
    assert_error(s, &body, StatusCode::UNPROCESSABLE_ENTITY, Some("text"));
    assert_eq!(body["error"]["value"], "line 6, column 6");
    assert!(
        body["error"]["allowed"]
            .as_str()
            .unwrap()
            .contains("`sin` takes 1 argument")
    );
    let (s, body) = send(
        &app,
        Method::POST,
        "/api/models",
        Some(json!({"text": "x".repeat(70_000)})),
    )
    .await;
    assert_error(s, &body, StatusCode::UNPROCESSABLE_ENTITY, Some("text"));
    let (s, body) = send(
        &app,
        Method::POST,
        "/api/models",
        Some(json!({"text": "x' = 1", "format": "vensim"})),
    )
    .await;
    assert_error(s, &body, StatusCode::UNPROCESSABLE_ENTITY, Some("format"));
}

/// A router that checks `Host` as a server bound to 127.0.0.1:4321 does,
/// and one that needs a token as a server on 0.0.0.0 does.
async fn guarded_app(access: Access) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("g.db"))
        .await
        .unwrap();
    TestApp {
        router: app(State {
            access,
            ..State::new(store)
        }),
        _dir: dir,
    }
}

fn get_with(uri: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_foreign_host_cannot_read_or_delete_saves() {
    let app = guarded_app(Access::for_address(
        "127.0.0.1:4321".parse().unwrap(),
        "127.0.0.1:4321".parse().unwrap(),
    ))
    .await;
    // The reproducer: Host: evil.example answered 200 and DELETE wiped everything.
    let (s, b) = raw(
        &app,
        get_with("/api/saved", &[(header::HOST, "evil.example")]),
    )
    .await;
    assert_error(s, &b, StatusCode::FORBIDDEN, Some("Host"));
    let req = Request::delete("/api/saved")
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    let (s, _) = raw(&app, req).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = raw(&app, get_with("/", &[(header::HOST, "evil.example:4321")])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for host in ["127.0.0.1:4321", "localhost:4321", "[::1]:4321"] {
        let (s, b) = raw(&app, get_with("/api/saved", &[(header::HOST, host)])).await;
        assert_eq!(s, StatusCode::OK, "{host}: {b}");
    }
}

#[tokio::test]
async fn off_loopback_every_api_call_needs_the_token() {
    let access = Access::for_address(
        "0.0.0.0:4321".parse().unwrap(),
        "0.0.0.0:4321".parse().unwrap(),
    );
    let token = access.token().expect("a token off loopback").to_string();
    let app = guarded_app(access).await;
    let host = (header::HOST, "laptop.local:4321");
    let (s, b) = raw(&app, get_with("/api/saved", std::slice::from_ref(&host))).await;
    assert_error(s, &b, StatusCode::UNAUTHORIZED, None);
    assert!(b["error"]["message"].as_str().unwrap().contains("token"));
    let wrong = (header::AUTHORIZATION, "Bearer 0123");
    let (s, _) = raw(&app, get_with("/api/saved", &[host.clone(), wrong])).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let bearer = format!("Bearer {token}");
    let (s, _) = raw(
        &app,
        get_with(
            "/api/saved",
            &[host.clone(), (header::AUTHORIZATION, &bearer)],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // Pages are served without it; /?token=… stores it in a strict cookie.
    let (s, _) = raw(&app, get_with("/", std::slice::from_ref(&host))).await;
    assert_eq!(s, StatusCode::OK);
    let res = app
        .router
        .clone()
        .oneshot(get_with(
            &format!("/?token={token}"),
            std::slice::from_ref(&host),
        ))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    let (s, _) = raw(
        &app,
        get_with("/api/saved", &[host, (header::COOKIE, pair)]),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_forecast_job_reports_progress_and_can_be_cancelled() {
    let app = test_app().await;
    let res = app
        .router
        .clone()
        .oneshot(
            Request::post("/api/forecast/jobs")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"trajectories": 200, "seed": 3}).to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let location = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let started: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(started["total"], 200);
    assert_eq!(started["url"], location.as_str());
    // Poll until done (no timing assumption: it ends one way or another).
    let done = loop {
        let (s, b) = send(&app, Method::GET, &location, None).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert!(b["done"].as_u64().unwrap() <= 200);
        match b["state"].as_str().unwrap() {
            "queued" | "running" => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            _ => break b,
        }
    };
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["done"], 200);
    // The same forecast as the one-shot endpoint gives.
    let (s, direct) = send(
        &app,
        Method::POST,
        "/api/forecast",
        Some(json!({"trajectories": 200, "seed": 3})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(done["result"]["outcomes"], direct["outcomes"]);
    // Deleting forgets it.
    let (s, _) = send(&app, Method::DELETE, &location, None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = send(&app, Method::GET, &location, None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, Some("id"));

    // A big one cancelled at once ends cancelled, and frees the lane for the next.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/forecast/jobs",
        Some(json!({"trajectories": 20000, "horizon_days": 730})),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    let url = b["url"].as_str().unwrap().to_string();
    let (s, b) = send(&app, Method::DELETE, &url, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["state"], "cancelled");
    // Bad input is refused before a job exists.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/forecast/jobs",
        Some(json!({"trajectories": 5})),
    )
    .await;
    assert_error(
        s,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("trajectories"),
    );
    let (s, b) = send(&app, Method::GET, "/api/forecast/jobs/nope", None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, Some("id"));
}

#[tokio::test]
async fn saved_items_come_in_pages_with_a_total() {
    let app = test_app().await;
    for i in 0..3 {
        let (s, _) = send(
            &app,
            Method::POST,
            "/api/saved",
            Some(json!({"kind": "scenario", "title": format!("s{i}"), "body": {"i": i}})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (s, b) = send(&app, Method::GET, "/api/saved", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (b["items"].as_array().unwrap().len(), &b["total"]),
        (3, &json!(3))
    );
    assert_eq!(b["next_offset"], Value::Null);
    let (_, b) = send(&app, Method::GET, "/api/saved?limit=2", None).await;
    assert_eq!(b["items"].as_array().unwrap().len(), 2);
    assert_eq!((&b["total"], &b["next_offset"]), (&json!(3), &json!(2)));
    let (_, b) = send(&app, Method::GET, "/api/saved?limit=2&offset=2", None).await;
    assert_eq!(b["items"][0]["title"], "s0", "oldest last");
    assert_eq!(b["next_offset"], Value::Null);
    let (s, b) = send(&app, Method::GET, "/api/saved?limit=lots", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("limit"));
    let (s, b) = send(&app, Method::GET, "/api/saved?offset=-1", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("offset"));
    // An empty number is not a number (the document says integer).
    let (s, b) = send(&app, Method::GET, "/api/saved?offset=", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("offset"));
}

#[tokio::test]
async fn the_openapi_document_lists_every_model_id() {
    let app = test_app().await;
    let (_, doc) = send(&app, Method::GET, "/api/openapi.json", None).await;
    let (_, models) = send(&app, Method::GET, "/api/models", None).await;
    let listed: Vec<&Value> =
        doc["paths"]["/api/models/{id}/simulate"]["post"]["parameters"][0]["schema"]["anyOf"][0]["enum"]
            .as_array()
            .expect("an enum of model ids")
            .iter()
            .collect();
    let ids: Vec<&Value> = models["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert!(!ids.is_empty());
    assert_eq!(listed, ids);
}

#[tokio::test]
async fn a_server_with_lower_caps_says_so_and_keeps_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("c.db"))
        .await
        .unwrap();
    let limits = Limits {
        max_trajectories: 200,
        max_horizon_days: 60.0,
        ..Limits::DEFAULT
    };
    let app = TestApp {
        router: app(State {
            limits,
            ..State::new(store)
        }),
        _dir: dir,
    };
    let (_, doc) = send(&app, Method::GET, "/api/openapi.json", None).await;
    let request = &doc["components"]["schemas"]["ForecastRequest"]["properties"];
    assert_eq!(request["trajectories"]["maximum"], 200);
    assert_eq!(request["trajectories"]["default"], 200);
    assert_eq!(request["horizon_days"]["maximum"], 60.0);
    // Left out, the size is the (capped) default, which the server accepts.
    let (s, b) = send(&app, Method::POST, "/api/forecast", Some(json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["trajectories"], 200);
    // The journal analysis takes the same capped defaults.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/journal/analysis",
        Some(json!({"trajectories": 0})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["horizon_days"], 60.0);
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/forecast",
        Some(json!({"trajectories": 201})),
    )
    .await;
    assert_error(
        s,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("trajectories"),
    );
}

/// The separation journal: write, edit, delete one day, export, refuse bad
/// days without losing what is stored, analyse, and go with "delete all".
#[tokio::test]
async fn the_journal_round_trip_analysis_and_delete_all() {
    let app = test_app().await;
    let (s, b) = send(&app, Method::GET, "/api/journal", None).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["entries"], json!([]));
    let (s, b) = send(
        &app,
        Method::PUT,
        "/api/journal/start",
        Some(json!({"left_on": "2026-02-30"})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("left_on"));
    let (s, _) = send(
        &app,
        Method::PUT,
        "/api/journal/start",
        Some(json!({"left_on": "2026-11-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    for (day, contacts) in [(0, 7), (1, 9), (2, 4), (4, 2)] {
        let (s, b) = send(
            &app,
            Method::PUT,
            &format!("/api/journal/entries/{day}"),
            Some(json!({"contacts": contacts, "met_someone": "no", "note": "=1+1"})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let (_, b) = send(&app, Method::GET, "/api/journal", None).await;
    assert_eq!(b["entries"].as_array().unwrap().len(), 4);
    assert_eq!(b["entries"][3]["date"], "2026-11-05");
    // Bad days are refused with the field named, and nothing stored changes.
    for (uri, body, field) in [
        (
            "/api/journal/entries/1",
            json!({"contacts": 9999}),
            "contacts",
        ),
        (
            "/api/journal/entries/1",
            json!({"contacts": -1}),
            "contacts",
        ),
        (
            "/api/journal/entries/1",
            json!({"request": "maybe"}),
            "request",
        ),
        ("/api/journal/entries/1", json!({"mood": 11}), "mood"),
        (
            "/api/journal/entries/1",
            json!({"request": "accepted"}),
            "day",
        ),
        ("/api/journal/entries/900", json!({"contacts": 1}), "day"),
        ("/api/journal/entries/x", json!({"contacts": 1}), "day"),
    ] {
        let (s, b) = send(&app, Method::PUT, uri, Some(body.clone())).await;
        assert!(
            s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::BAD_REQUEST,
            "{body}: {b}"
        );
        assert_eq!(b["error"]["field"], field, "{body}: {b}");
    }
    let (_, after) = send(&app, Method::GET, "/api/journal", None).await;
    assert_eq!(after["entries"][1]["contacts"], 9, "{after}");
    // Edit one day, delete one day.
    let (s, _) = send(
        &app,
        Method::PUT,
        "/api/journal/entries/1",
        Some(json!({"contacts": 12, "request": "declined"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = send(&app, Method::DELETE, "/api/journal/entries/2", None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = send(&app, Method::DELETE, "/api/journal/entries/2", None).await;
    assert_error(s, &b, StatusCode::NOT_FOUND, Some("day"));
    let (_, b) = send(&app, Method::GET, "/api/journal", None).await;
    let days: Vec<i64> = b["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["day"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [0, 1, 4]);
    assert_eq!(b["entries"][1]["request"], "declined");
    // The CSV export reads back as the same journal; JSON too.
    let (s, csv) = send(&app, Method::GET, "/api/journal/export?format=csv", None).await;
    assert_eq!(s, StatusCode::OK);
    let parsed = walkaway_core::journal::parse_csv(csv.as_str().unwrap(), 730).unwrap();
    assert_eq!(parsed.entries.len(), 3);
    assert_eq!(parsed.entries[1].contacts, Some(12));
    assert_eq!(parsed.entries[0].note, "=1+1");
    assert!(
        csv.as_str().unwrap().contains("'=1+1"),
        "formulas are defused: {csv}"
    );
    let (s, b) = send(&app, Method::GET, "/api/journal/export?format=json", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["left_on"], "2026-11-01", "{b}");
    assert_eq!(b["entries"].as_array().unwrap().len(), 3);
    let (s, b) = send(&app, Method::GET, "/api/journal/export?format=xls", None).await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("format"));
    // The analysis.
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/journal/analysis",
        Some(json!({"particles": 100, "trajectories": 100})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["traits"][0]["key"], "commitment");
    assert_eq!(
        b["assumed_separation"], true,
        "no answers: the plan is to stay"
    );
    assert!(b["filter"]["ess_final"].as_f64().unwrap() > 0.0);
    assert!(b["forecast"]["outcomes"].is_array() && b["prior_forecast"]["outcomes"].is_array());
    assert!(
        b["warning"]["message"]
            .as_str()
            .unwrap()
            .contains("not proof of love"),
        "{b}"
    );
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/journal/analysis",
        Some(json!({"particles": 5})),
    )
    .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, Some("particles"));
    let (s, b) = send(
        &app,
        Method::POST,
        "/api/journal/analysis",
        Some(json!({"trajectories": 50})),
    )
    .await;
    assert_error(
        s,
        &b,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("trajectories"),
    );
    // "Delete all my data" takes the journal too.
    let (s, b) = send(&app, Method::DELETE, "/api/saved", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["deleted"], 3);
    let (_, b) = send(&app, Method::GET, "/api/journal", None).await;
    assert_eq!((&b["entries"], &b["left_on"]), (&json!([]), &Value::Null));
    let (s, _) = send(&app, Method::GET, "/journal", None).await;
    assert_eq!(s, StatusCode::OK);
}
