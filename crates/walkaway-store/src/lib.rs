//! Saved scenarios and forecasts of walkaway.
//!
//! Two concerns: saved items (this file) and the separation journal
//! (`journal`). One table, `saved`: an id, a kind (`scenario` or `forecast`), a title,
//! the JSON body and the creation time. SQLite is the default (one file in
//! the user's data folder); PostgreSQL works with the same code and the same
//! schema (its own migration folder, because the two dialects differ in
//! identity columns and JSON types).
//!
//! Durability: SQLite runs in WAL mode with `synchronous = FULL`, so a save
//! has reached the disk when [`Store::save`] returns; `secure_delete` zeroes
//! freed pages, and [`Store::delete_all`] checkpoints and vacuums, so
//! "delete all my data" leaves nothing of the old rows in the files.
//! PostgreSQL commits are durable with its default `synchronous_commit`.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::types::Json;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{url}` is not supported: {allowed}")]
    UnsupportedUrl { url: String, allowed: &'static str },
    #[error("kind `{kind}` is not allowed: use `scenario` or `forecast`")]
    InvalidKind { kind: String },
    #[error("cannot create the database file or its folder {path}: {source}")]
    DataFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// What a saved item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Scenario,
    Forecast,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::Forecast => "forecast",
        }
    }

    pub fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "scenario" => Ok(Kind::Scenario),
            "forecast" => Ok(Kind::Forecast),
            _ => Err(StoreError::InvalidKind {
                kind: text.to_string(),
            }),
        }
    }
}

/// A saved item without its body (for listings).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    /// Milliseconds since the Unix epoch (UTC).
    pub created_ms: i64,
}

/// One page of a listing, and the number of items in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub items: Vec<Summary>,
    pub total: u64,
}

/// A saved item with its JSON body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saved {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    pub created_ms: i64,
    pub body: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    kind: String,
    title: String,
    created_ms: i64,
}

#[derive(sqlx::FromRow)]
struct SavedRow {
    id: i64,
    kind: String,
    title: String,
    created_ms: i64,
    body: Json<serde_json::Value>,
}

impl SummaryRow {
    fn into_summary(self) -> Result<Summary, StoreError> {
        Ok(Summary {
            id: self.id,
            kind: Kind::parse(&self.kind)?,
            title: self.title,
            created_ms: self.created_ms,
        })
    }
}

impl SavedRow {
    fn into_saved(self) -> Result<Saved, StoreError> {
        Ok(Saved {
            id: self.id,
            kind: Kind::parse(&self.kind)?,
            title: self.title,
            created_ms: self.created_ms,
            body: self.body.0,
        })
    }
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same query text on whichever database is open (the queries use
/// `$1` placeholders, which both SQLite and PostgreSQL accept).
macro_rules! on_pool {
    ($self:expr, $pool:ident => $body:expr) => {
        match &$self.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

// After the macro, which it uses.
mod journal;
pub use journal::{JOURNAL_LIMIT, JournalRow};

/// The store of saved items; cheap to clone (a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    description: String,
    /// Saves since the last truncating checkpoint (SQLite only).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Most items one listing returns.
pub const LIST_LIMIT: i64 = 10_000;
/// The WAL is truncated to at most this many bytes after a checkpoint.
pub const WAL_LIMIT_BYTES: i64 = 4 << 20;
/// A truncating checkpoint runs after this many saves.
const CHECKPOINT_EVERY: u64 = 200;

impl Store {
    /// Opens `sqlite:PATH` / `sqlite://PATH` (created if missing) or
    /// `postgres://…` / `postgresql://…`, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() || path == ":memory:" {
                return Err(StoreError::UnsupportedUrl {
                    url: url.to_string(),
                    allowed: "a SQLite file path (in-memory databases would lose your saves)",
                });
            }
            return Self::open_sqlite_file(Path::new(path)).await;
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::open_postgres(url).await;
        }
        Err(StoreError::UnsupportedUrl {
            url: url.to_string(),
            allowed: "sqlite:PATH, sqlite://PATH, postgres://… or postgresql://…",
        })
    }

    /// Opens (creating if needed) a SQLite database file and migrates it.
    pub async fn open_sqlite_file(path: &Path) -> Result<Self, StoreError> {
        private_files(path).map_err(|source| StoreError::DataFolder {
            path: path.display().to_string(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("secure_delete", "ON")
            // After each checkpoint the WAL is cut back to this size, so
            // it cannot keep the high-water mark of a burst of saves.
            .pragma("journal_size_limit", WAL_LIMIT_BYTES.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self {
            pool: Pool::Sqlite(pool),
            description: format!("SQLite file {}", path.display()),
            writes: Default::default(),
        })
    }

    async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let options = sqlx::postgres::PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self {
            pool: Pool::Postgres(pool),
            description: "PostgreSQL".to_string(),
            writes: Default::default(),
        })
    }

    /// Where the data lives, for log lines (never includes a password).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Saves an item; returns its id once the row is durable.
    pub async fn save(
        &self,
        kind: Kind,
        title: &str,
        body: &serde_json::Value,
    ) -> Result<Summary, StoreError> {
        let created_ms = now_ms();
        let id: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO saved (kind, title, body, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(kind.as_str())
            .bind(title)
            .bind(Json(body))
            .bind(created_ms)
            .fetch_one(pool)
            .await?
        });
        let writes = self
            .writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if (writes + 1).is_multiple_of(CHECKPOINT_EVERY) {
            self.checkpoint().await?;
        }
        Ok(Summary {
            id,
            kind,
            title: title.to_string(),
            created_ms,
        })
    }

    /// Copies the WAL into the database file and truncates it to zero
    /// bytes (SQLite; nothing to do on PostgreSQL). A reader in the middle
    /// of a query can keep part of it; the next checkpoint finishes the job.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        if let Pool::Sqlite(pool) = &self.pool {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Saved items, newest first, optionally of one kind: `limit` of them
    /// (at most [`LIST_LIMIT`]) after skipping `offset`, and how many there
    /// are in all.
    pub async fn list(
        &self,
        kind: Option<Kind>,
        limit: i64,
        offset: i64,
    ) -> Result<Page, StoreError> {
        let kind = kind.map(Kind::as_str);
        let limit = limit.clamp(0, LIST_LIMIT);
        let offset = offset.max(0);
        let (rows, total): (Vec<SummaryRow>, i64) = on_pool!(self, pool => {
            let rows = sqlx::query_as(
                "SELECT id, kind, title, created_ms FROM saved \
                 WHERE ($1 IS NULL OR kind = $1) ORDER BY created_ms DESC, id DESC LIMIT $2 OFFSET $3",
            )
            .bind(kind)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
            let total: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM saved WHERE ($1 IS NULL OR kind = $1)",
            )
            .bind(kind)
            .fetch_one(pool)
            .await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(SummaryRow::into_summary)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            total: total.max(0) as u64,
        })
    }

    /// One item with its body, if it exists.
    pub async fn get(&self, id: i64) -> Result<Option<Saved>, StoreError> {
        let row: Option<SavedRow> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, kind, title, created_ms, body FROM saved WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(SavedRow::into_saved).transpose()
    }

    /// Deletes one item; true if it existed. On SQLite nothing of it stays
    /// readable: secure_delete zeroes its bytes in the page, and the
    /// truncating checkpoint moves that page into the database file and
    /// empties the WAL, which still held the page as it was before.
    pub async fn delete(&self, id: i64) -> Result<bool, StoreError> {
        self.delete_leaving_no_trace("DELETE FROM saved WHERE id = $1", id)
            .await
    }

    /// Runs `delete` (a DELETE with one parameter, `$1` = `key`) and, if it
    /// removed a row, the checkpoint that leaves none of it readable (see
    /// [`Store::delete`]); true if it removed any. Every deletion of one
    /// thing of yours goes through here, so none can forget the checkpoint.
    pub(crate) async fn delete_leaving_no_trace(
        &self,
        delete: &'static str,
        key: i64,
    ) -> Result<bool, StoreError> {
        let affected = on_pool!(self, pool => {
            sqlx::query(delete)
                .bind(key)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if affected > 0 {
            self.checkpoint().await?;
        }
        Ok(affected > 0)
    }

    /// Deletes every saved item and the whole journal, and leaves no trace
    /// of them in the database files; returns how many saved items and
    /// journal days were deleted.
    pub async fn delete_all(&self) -> Result<u64, StoreError> {
        // Every table of yours, in one transaction.
        macro_rules! delete_everything {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await?;
                let saved = sqlx::query("DELETE FROM saved")
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let days = sqlx::query("DELETE FROM journal_entries")
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query("DELETE FROM journal_meta")
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                saved + days
            }};
        }
        match &self.pool {
            Pool::Sqlite(pool) => {
                let n = delete_everything!(pool);
                // secure_delete zeroed the freed pages; the checkpoint copies
                // them into the main file and truncates the WAL (which still
                // held the old pages), and VACUUM rebuilds the file without
                // free pages.
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(pool)
                    .await?;
                sqlx::query("VACUUM").execute(pool).await?;
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(pool)
                    .await?;
                Ok(n)
            }
            Pool::Postgres(pool) => {
                let n = delete_everything!(pool);
                // VACUUM marks the dead rows' space free for reuse; the
                // server's own files are beyond what an app can scrub.
                sqlx::query("VACUUM saved, journal_entries, journal_meta")
                    .execute(pool)
                    .await?;
                Ok(n)
            }
        }
    }

    /// SQLite's own consistency check: "ok", or what is wrong (PostgreSQL
    /// keeps its files consistent itself: always "ok").
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(pool)
                    .await?;
                Ok(lines.join("; "))
            }
            Pool::Postgres(_) => Ok("ok".into()),
        }
    }

    /// Whether the database answers (for the health check).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

/// Creates the folders `path` needs (readable by you alone: 0700) and the
/// database file (0600; SQLite gives its -wal and -shm files the same
/// mode). An existing file is narrowed to 0600, and so is walkaway's own
/// default data folder; other existing folders are left as they are.
fn private_files(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        let mut folders = std::fs::DirBuilder::new();
        folders.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folders, 0o700);
        folders.create(parent)?;
        #[cfg(unix)]
        if path == default_sqlite_path() {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    Ok(())
}

/// The per-user default database file: `$XDG_DATA_HOME/walkaway/walkaway.db`,
/// else `$HOME/.local/share/walkaway/walkaway.db`, else `./walkaway.db`.
pub fn default_sqlite_path() -> std::path::PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| std::path::PathBuf::from(h).join(".local").join("share"))
        });
    match base {
        Some(b) => b.join("walkaway").join("walkaway.db"),
        None => std::path::PathBuf::from("walkaway.db"),
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
