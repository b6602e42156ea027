//! The separation journal's entries, in the same database as the saved
//! items: one row per day, written, edited and deleted one at a time, and
//! removed with everything else by [`Store::delete_all`]. The rows hold
//! plain values; walkaway-core's `journal` module checks them before they
//! are written.

use serde::Serialize;

use crate::{Pool, Store, StoreError, now_ms};

/// One day of the journal as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JournalRow {
    /// Days since you walked away.
    pub day: i64,
    pub contacts: Option<i64>,
    /// `none`, `declined` or `accepted`.
    pub request: Option<String>,
    /// `yes`, `not_sure` or `no`.
    pub met_someone: Option<String>,
    pub you_contacted: Option<bool>,
    pub mood: Option<i64>,
    pub note: String,
    pub updated_ms: i64,
}

/// Most days one journal holds (a few years of daily entries).
pub const JOURNAL_LIMIT: i64 = 5000;

const LEFT_ON: &str = "left_on";

impl Store {
    /// Every entry, by day.
    pub async fn journal_entries(&self) -> Result<Vec<JournalRow>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT day, contacts, request, met_someone, you_contacted, mood, note, updated_ms \
                 FROM journal_entries ORDER BY day LIMIT $1",
            )
            .bind(JOURNAL_LIMIT)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Writes the entry of `row.day`, replacing what that day held; returns
    /// the row as stored (with its update time) once it is durable.
    pub async fn put_journal_entry(&self, row: &JournalRow) -> Result<JournalRow, StoreError> {
        let mut row = row.clone();
        row.updated_ms = now_ms();
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO journal_entries \
                 (day, contacts, request, met_someone, you_contacted, mood, note, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (day) DO UPDATE SET contacts = excluded.contacts, \
                 request = excluded.request, met_someone = excluded.met_someone, \
                 you_contacted = excluded.you_contacted, mood = excluded.mood, \
                 note = excluded.note, updated_ms = excluded.updated_ms",
            )
            .bind(row.day)
            .bind(row.contacts)
            .bind(row.request.as_deref())
            .bind(row.met_someone.as_deref())
            .bind(row.you_contacted)
            .bind(row.mood)
            .bind(&row.note)
            .bind(row.updated_ms)
            .execute(pool)
            .await?;
        });
        Ok(row)
    }

    /// Deletes the entry of one day, leaving nothing of it readable (as
    /// [`Store::delete`]); true if there was one.
    pub async fn delete_journal_entry(&self, day: i64) -> Result<bool, StoreError> {
        self.delete_leaving_no_trace("DELETE FROM journal_entries WHERE day = $1", day)
            .await
    }

    /// The date you left (YYYY-MM-DD), if you gave it.
    pub async fn journal_left_on(&self) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT value FROM journal_meta WHERE key = $1")
                .bind(LEFT_ON)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Sets (or, with `None`, forgets) the date you left.
    pub async fn set_journal_left_on(&self, date: Option<&str>) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            match date {
                Some(d) => {
                    sqlx::query(
                        "INSERT INTO journal_meta (key, value) VALUES ($1, $2) \
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(LEFT_ON)
                    .bind(d)
                    .execute(pool)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM journal_meta WHERE key = $1")
                        .bind(LEFT_ON)
                        .execute(pool)
                        .await?;
                }
            }
        });
        Ok(())
    }
}
