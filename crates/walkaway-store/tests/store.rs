//! The store against a real SQLite file (always) and a real PostgreSQL
//! server (when WALKAWAY_TEST_POSTGRES_URL is set; scripts/test.sh starts one
//! when it can).

use serde_json::json;
use walkaway_store::{JournalRow, Kind, Store, StoreError};

/// Journal days: write, replace, delete one, the day you left, and
/// "delete all" takes them too.
async fn journal_round_trip(store: &Store) {
    store.delete_all().await.unwrap();
    let day = |d: i64, contacts: Option<i64>| JournalRow {
        day: d,
        contacts,
        request: Some("none".into()),
        met_someone: None,
        you_contacted: Some(false),
        mood: Some(4),
        note: "ünïcode, \"quoted\"".into(),
        updated_ms: 0,
    };
    for d in [3, 0, 1] {
        store.put_journal_entry(&day(d, Some(d * 2))).await.unwrap();
    }
    store.put_journal_entry(&day(1, None)).await.unwrap();
    let rows = store.journal_entries().await.unwrap();
    assert_eq!(rows.iter().map(|r| r.day).collect::<Vec<_>>(), [0, 1, 3]);
    assert_eq!(rows[1].contacts, None, "replaced, not added");
    assert_eq!(rows[0].you_contacted, Some(false));
    assert_eq!(rows[2].note, "ünïcode, \"quoted\"");
    assert!(rows[2].updated_ms > 0);
    assert!(store.delete_journal_entry(0).await.unwrap());
    assert!(!store.delete_journal_entry(0).await.unwrap());
    store.set_journal_left_on(Some("2026-11-01")).await.unwrap();
    store.set_journal_left_on(Some("2026-11-02")).await.unwrap();
    assert_eq!(
        store.journal_left_on().await.unwrap().as_deref(),
        Some("2026-11-02")
    );
    store.save(Kind::Scenario, "one", &json!({})).await.unwrap();
    assert_eq!(
        store.delete_all().await.unwrap(),
        3,
        "one saved item and two days"
    );
    assert!(store.journal_entries().await.unwrap().is_empty());
    assert_eq!(store.journal_left_on().await.unwrap(), None);
}

async fn round_trip(store: &Store) {
    journal_round_trip(store).await;
    store.delete_all().await.unwrap();
    let body = json!({"answers": {"q1": 3}, "note": "ünïcode ✓"});
    let a = store.save(Kind::Scenario, "first", &body).await.unwrap();
    let b = store
        .save(Kind::Forecast, "second", &json!([1, 2.5, null]))
        .await
        .unwrap();
    assert!(b.id > a.id);

    let all = store.list(None, 100, 0).await.unwrap();
    assert_eq!(all.total, 2);
    let all = all.items;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, b.id, "newest first");
    let scenarios = store.list(Some(Kind::Scenario), 100, 0).await.unwrap();
    assert_eq!(scenarios.total, 1);
    assert_eq!(scenarios.items[0].title, "first");
    // Pages: one at a time, the total every time.
    let second = store.list(None, 1, 1).await.unwrap();
    assert_eq!((second.items.len(), second.total), (1, 2));
    assert_eq!(second.items[0].id, a.id);

    let got = store.get(a.id).await.unwrap().expect("saved item");
    assert_eq!(got.body, body);
    assert_eq!(got.kind, Kind::Scenario);
    assert_eq!(got.created_ms, a.created_ms);
    assert!(store.get(b.id + 1000).await.unwrap().is_none());

    assert!(store.delete(a.id).await.unwrap());
    assert!(!store.delete(a.id).await.unwrap());
    assert!(store.get(a.id).await.unwrap().is_none());

    assert_eq!(store.delete_all().await.unwrap(), 1);
    assert!(store.list(None, 100, 0).await.unwrap().items.is_empty());
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
async fn deleting_one_item_or_one_journal_day_leaves_no_trace_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let wal = path.with_extension("db-wal");
    let store = Store::open_sqlite_file(&path).await.unwrap();
    let in_files = |marker: &str| file_contains(&path, marker) || file_contains(&wal, marker);
    let gone_item = "item-to-delete-2718281828";
    let kept_item = "item-to-keep-1414213562";
    let id = store
        .save(Kind::Scenario, gone_item, &json!({ "note": gone_item }))
        .await
        .unwrap();
    store
        .save(Kind::Scenario, kept_item, &json!({}))
        .await
        .unwrap();
    let gone_note = "journal-day-to-delete-1618033988";
    for (day, note) in [(4, gone_note), (5, "journal-day-to-keep")] {
        let row = JournalRow {
            day,
            contacts: Some(1),
            request: None,
            met_someone: None,
            you_contacted: None,
            mood: None,
            note: note.into(),
            updated_ms: 0,
        };
        store.put_journal_entry(&row).await.unwrap();
    }
    assert!(in_files(gone_item) && in_files(gone_note), "stored before");
    assert!(store.delete(id.id).await.unwrap());
    assert!(store.delete_journal_entry(4).await.unwrap());
    assert!(
        !in_files(gone_item),
        "the deleted item is gone from the files"
    );
    assert!(
        !in_files(gone_note),
        "the deleted day is gone from the files"
    );
    assert!(in_files(kept_item), "the other item stays");
    assert_eq!(store.journal_entries().await.unwrap().len(), 1);
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
    assert!(again.list(None, 100, 0).await.unwrap().items.is_empty());
}

fn file_contains(p: &std::path::Path, marker: &str) -> bool {
    std::fs::read(p)
        .map(|bytes| bytes.windows(marker.len()).any(|w| w == marker.as_bytes()))
        .unwrap_or(false)
}

#[tokio::test]
async fn a_single_delete_is_scrubbed_from_the_wal_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let store = Store::open_sqlite_file(&path).await.unwrap();
    let marker = "only-this-one-2718281828";
    let keep = store
        .save(Kind::Scenario, "keep", &json!({"x": 1}))
        .await
        .unwrap();
    let gone = store
        .save(Kind::Scenario, "gone", &json!({ "secret": marker }))
        .await
        .unwrap();
    let wal = path.with_extension("db-wal");
    assert!(file_contains(&path, marker) || file_contains(&wal, marker));
    assert!(store.delete(gone.id).await.unwrap());
    assert!(!file_contains(&path, marker), "not in the database file");
    assert!(!file_contains(&wal, marker), "not in the WAL");
    assert!(store.get(keep.id).await.unwrap().is_some());
}

#[tokio::test]
async fn the_wal_stays_small_under_many_saves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let store = Store::open_sqlite_file(&path).await.unwrap();
    let wal = path.with_extension("db-wal");
    let mut largest = 0;
    for i in 0..2000 {
        store
            .save(
                Kind::Scenario,
                "s",
                &json!({ "i": i, "pad": "x".repeat(40) }),
            )
            .await
            .unwrap();
        largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
    }
    // Before the fix 8,000 such saves made a 111 MB WAL.
    let limit = walkaway_store::WAL_LIMIT_BYTES as u64 + (1 << 20);
    assert!(largest <= limit, "WAL reached {largest} bytes");
    assert_eq!(store.list(None, 10, 0).await.unwrap().total, 2000);
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_is_yours_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data/walkaway");
    let path = folder.join("walkaway.db");
    let store = Store::open_sqlite_file(&path).await.unwrap();
    store
        .save(Kind::Scenario, "s", &json!({"x": 1}))
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700, "a folder it created");
    assert_eq!(mode(&path), 0o600);
    let wal = path.with_extension("db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    // An existing file readable by others is narrowed.
    let other = dir.path().join("old.db");
    std::fs::write(&other, b"").unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open_sqlite_file(&other).await.unwrap();
    assert_eq!(mode(&other), 0o600);
}
