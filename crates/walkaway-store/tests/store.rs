//! The store against a real SQLite file (always) and a real PostgreSQL
//! server (when WALKAWAY_TEST_POSTGRES_URL is set; scripts/test.sh starts one
//! when it can).

use serde_json::json;
use walkaway_store::{Kind, Store, StoreError};

async fn round_trip(store: &Store) {
    store.delete_all().await.unwrap();
    let body = json!({"answers": {"q1": 3}, "note": "ünïcode ✓"});
    let a = store.save(Kind::Scenario, "first", &body).await.unwrap();
    let b = store
        .save(Kind::Forecast, "second", &json!([1, 2.5, null]))
        .await
        .unwrap();
    assert!(b.id > a.id);

    let all = store.list(None).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, b.id, "newest first");
    let scenarios = store.list(Some(Kind::Scenario)).await.unwrap();
    assert_eq!(scenarios.len(), 1);
    assert_eq!(scenarios[0].title, "first");

    let got = store.get(a.id).await.unwrap().expect("saved item");
    assert_eq!(got.body, body);
    assert_eq!(got.kind, Kind::Scenario);
    assert_eq!(got.created_ms, a.created_ms);
    assert!(store.get(b.id + 1000).await.unwrap().is_none());

    assert!(store.delete(a.id).await.unwrap());
    assert!(!store.delete(a.id).await.unwrap());
    assert!(store.get(a.id).await.unwrap().is_none());

    assert_eq!(store.delete_all().await.unwrap(), 1);
    assert!(store.list(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn sqlite_saves_lists_gets_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("nested/walkaway.db"))
        .await
        .unwrap();
    round_trip(&store).await;
}

#[tokio::test]
async fn a_save_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let url = format!("sqlite://{}", path.display());
    let id = {
        let store = Store::connect(&url).await.unwrap();
        let s = store
            .save(Kind::Scenario, "kept", &json!({"x": 1}))
            .await
            .unwrap();
        // No close: the row must be on disk when save returns.
        s.id
    };
    let again = Store::connect(&url).await.unwrap();
    let got = again.get(id).await.unwrap().expect("still there");
    assert_eq!(got.title, "kept");
}

#[tokio::test]
async fn delete_all_leaves_no_trace_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let store = Store::open_sqlite_file(&path).await.unwrap();
    let marker = "very-private-marker-3141592653";
    for i in 0..50 {
        store
            .save(
                Kind::Scenario,
                marker,
                &json!({ "secret": format!("{marker}-{i}") }),
            )
            .await
            .unwrap();
    }
    let contains = |p: &std::path::Path| {
        std::fs::read(p)
            .map(|bytes| bytes.windows(marker.len()).any(|w| w == marker.as_bytes()))
            .unwrap_or(false)
    };
    let files = |p: &std::path::Path| {
        let wal = p.with_extension("db-wal");
        contains(p) || contains(&wal)
    };
    assert!(files(&path), "the marker is stored before deletion");
    assert_eq!(store.delete_all().await.unwrap(), 50);
    assert!(
        !files(&path),
        "the marker is gone from the database and its WAL"
    );
}

#[tokio::test]
async fn unsupported_urls_name_what_is_allowed() {
    let err = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl { .. }));
    assert!(err.to_string().contains("postgres://"));
    let err = Store::connect("sqlite::memory:").await.unwrap_err();
    assert!(err.to_string().contains("in-memory"));
}

#[tokio::test]
async fn postgres_round_trip_when_a_server_is_given() {
    let Ok(url) = std::env::var("WALKAWAY_TEST_POSTGRES_URL") else {
        eprintln!("WALKAWAY_TEST_POSTGRES_URL is not set: the PostgreSQL round trip did not run");
        return;
    };
    let store = Store::connect(&url).await.unwrap();
    round_trip(&store).await;
    // Migrations are idempotent: a second connection finds them applied.
    let again = Store::connect(&url).await.unwrap();
    assert!(again.list(None).await.unwrap().is_empty());
}
