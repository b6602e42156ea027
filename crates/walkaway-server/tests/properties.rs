//! Property tests over API bodies: whatever JSON a client sends to the
//! model and forecast endpoints, the answer is a success or a 4xx that
//! names what was wrong; never a 5xx. Forecasts run under a test-only cap
//! (100 futures, 60 days) so that valid bodies stay cheap. Cases per run:
//! PROPTEST_CASES (default 300 here; scripts/campaign.sh asks for more).

use axum::body::Body;
use axum::http::{Request, header};
use proptest::prelude::*;
use serde_json::{Value, json};
use tower::ServiceExt;
use walkaway_server::{Limits, State, app};
use walkaway_store::Store;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(300)
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(5e-324)),
        Just(json!(1e6)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!("1")),
        Just(json!(null)),
        Just(json!(true)),
        (-100.0f64..100.0).prop_map(|x| json!(x)),
        any::<i64>().prop_map(|x| json!(x)),
    ]
}

fn names() -> impl Strategy<Value = String> {
    let mut n: Vec<String> = vec!["x".into(), "".into(), "love".into(), "t_end".into()];
    for m in walkaway_core::catalog() {
        n.extend(m.info().params.iter().map(|p| p.name.to_string()));
        n.extend(m.info().states.iter().map(|s| s.name.to_string()));
    }
    proptest::sample::select(n)
}

fn map_of() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(names(), number(), 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn simulate_body() -> impl Strategy<Value = Value> {
    (
        map_of(),
        map_of(),
        proptest::option::of(number()),
        proptest::option::of(number()),
        proptest::option::of(proptest::sample::select(vec![
            json!("dopri5"),
            json!("euler-maruyama"),
            json!("milstein"),
            json!("rk4"),
            json!(3),
        ])),
        proptest::option::of(number()),
    )
        .prop_map(|(params, initial, t_end, every, method, seed)| {
            let mut b = json!({"params": params, "initial": initial});
            for (k, v) in [
                ("t_end", t_end),
                ("every", every),
                ("method", method),
                ("seed", seed),
            ] {
                if let Some(v) = v {
                    b[k] = v;
                }
            }
            b
        })
}

fn forecast_body() -> impl Strategy<Value = Value> {
    let choice = proptest::collection::btree_map(
        proptest::sample::select(vec!["possessiveness", "contact", "plan", "nope", "length"]),
        prop_oneof![
            Just(json!(0)),
            Just(json!(1)),
            Just(json!(99)),
            Just(json!(-1)),
            Just(json!(0.5))
        ],
        0..3,
    );
    (
        choice,
        proptest::option::of(number()),
        proptest::option::of(number()),
        proptest::option::of(number()),
    )
        .prop_map(|(choices, trajectories, horizon, seed)| {
            let mut b = json!({"answers": {"choices": choices}});
            for (k, v) in [
                ("trajectories", trajectories),
                ("horizon_days", horizon),
                ("seed", seed),
            ] {
                if let Some(v) = v {
                    b[k] = v;
                }
            }
            b
        })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn router(dir: &std::path::Path) -> axum::Router {
    let store = Store::open_sqlite_file(&dir.join("p.db")).await.unwrap();
    app(State {
        limits: Limits {
            max_trajectories: 100,
            max_horizon_days: 60.0,
            ..Limits::default()
        },
        ..State::new(store)
    })
}

async fn post(router: &axum::Router, uri: &str, body: &Value) -> (u16, Value) {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn check(status: u16, body: &Value, sent: &Value) -> Result<(), TestCaseError> {
    prop_assert!(status < 500, "{status} for {sent}: {body}");
    if status >= 400 {
        prop_assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn model_bodies_never_give_a_server_error(
        id in proptest::sample::select(walkaway_core::catalog().iter().map(|m| m.info().id).collect::<Vec<_>>()),
        body in simulate_body(),
    ) {
        let rt = runtime();
        let dir = tempfile::tempdir().unwrap();
        rt.block_on(async {
            let r = router(dir.path()).await;
            let (s, b) = post(&r, &format!("/api/models/{id}/simulate"), &body).await;
            check(s, &b, &body)
        })?;
    }

    #[test]
    fn forecast_bodies_never_give_a_server_error(body in forecast_body()) {
        let rt = runtime();
        let dir = tempfile::tempdir().unwrap();
        rt.block_on(async {
            let r = router(dir.path()).await;
            let (s, b) = post(&r, "/api/forecast", &body).await;
            check(s, &b, &body)
        })?;
    }
}
