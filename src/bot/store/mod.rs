//! The bot's shared state: each server's settings, the feedback people
//! give on fixes, and what the bot answered where (cooldowns, answered
//! messages and claimed interactions, with their expiry).
//!
//! One interface over two databases: an SQLite file (the default, one
//! process) or PostgreSQL (`postgres://…`, shared by every process of a
//! sharded bot). Every query is written once, with `$1`-style parameters
//! and SQL both accept; [`Backend`] runs it on either.
//!
//! - [`migrations`]: the schema changes (one list, the same on both, with
//!   a per-dialect text only where the two differ), applied at open under
//!   a lock so that two processes starting at once migrate once, and the
//!   check at open (every table there, a probe write).
//! - [`sqlite`], [`postgres`]: the two backends.
//! - [`settings`], [`answers`], [`feedback`]: the queries, by what they
//!   keep.
//!
//! To add a table: a new [`migrations::Migration`] at the end of
//! [`migrations::MIGRATIONS`] (and its name in [`migrations::TABLES`]),
//! then a file here with an `impl Store` block that calls
//! [`Store::execute`] and [`Store::query`].

pub mod answers;
pub mod feedback;
pub mod migrations;
pub mod postgres;
pub mod settings;
pub mod sqlite;
mod value;

use std::path::Path;

use crate::error::Error;

pub use answers::{ANSWERED_KEEP_MS, Claim, INTERACTION_KEEP_MS, Memory};
pub use feedback::{Feedback, Tally};
pub use migrations::{MIGRATIONS, Migration, TABLES, schema_version};
pub use value::Value;

/// Which database a store is on; queries that must differ match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What a database must do for the store: run one statement with
/// parameters, read rows, run a script without parameters.
pub trait Backend: Send + std::fmt::Debug {
    fn dialect(&self) -> Dialect;
    /// Runs one statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, Error>;
    /// Runs one query; its rows, each as its columns in order.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, Error>;
    /// Runs statements separated by `;`, without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), Error>;
}

/// The open store.
#[derive(Debug)]
pub struct Store {
    db: Box<dyn Backend>,
    /// The file, or the URL without its password, for messages.
    target: String,
}

/// Does `--db` name a PostgreSQL server rather than an SQLite file?
pub fn is_postgres_url(target: &str) -> bool {
    let lower = target.get(..13).unwrap_or(target).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A Discord id as the databases keep it: 64-bit signed integers, and
/// Discord ids fit in 63 bits; the cast keeps every bit either way.
pub fn id(v: u64) -> Value {
    Value::Int(v as i64)
}

/// A time or count as a signed integer, capped.
pub fn int(v: u64) -> Value {
    Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

impl Store {
    /// Opens the PostgreSQL database at a `postgres://` URL, or else the
    /// SQLite file at `target` (created with its folder when missing),
    /// and brings its schema up to date.
    pub fn connect(target: &str) -> Result<Store, Error> {
        if is_postgres_url(target) {
            Store::open_postgres(target)
        } else {
            Store::open(target)
        }
    }

    /// Opens (creating it and its folder when missing) the SQLite file at
    /// `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, Error> {
        let path = path.as_ref();
        let db = sqlite::Sqlite::open(path)?;
        Store::init(Box::new(db), path.display().to_string())
    }

    /// An SQLite store that lives in memory only (for tests and dry runs).
    pub fn in_memory() -> Result<Store, Error> {
        Store::init(Box::new(sqlite::Sqlite::in_memory()?), ":memory:".into())
    }

    /// Connects to PostgreSQL at `url` and brings the schema (in the
    /// connection's current schema) up to date.
    pub fn open_postgres(url: &str) -> Result<Store, Error> {
        let db = postgres::Postgres::connect(url)?;
        Store::init(Box::new(db), postgres::redact(url))
    }

    fn init(db: Box<dyn Backend>, target: String) -> Result<Store, Error> {
        let mut store = Store { db, target };
        store.migrate(MIGRATIONS.len())?;
        store.check()?;
        Ok(store)
    }

    /// The file, or the server's URL without its password.
    pub fn path(&self) -> &str {
        &self.target
    }

    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// Runs one statement (`$1`, `$2`… for `params`); rows changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, Error> {
        self.db.execute(sql, params)
    }

    /// Runs one query (`$1`, `$2`… for `params`); its rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, Error> {
        self.db.query(sql, params)
    }

    fn begin_sql(&self) -> &'static str {
        match self.dialect() {
            // Take the write lock now: a deferred transaction that reads
            // first can fail to upgrade when another process writes.
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled
    /// back otherwise.
    pub fn transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.db.batch(self.begin_sql())?;
        match f(self) {
            Ok(v) => {
                self.db.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                // The error that matters is the first one.
                let _ = self.db.batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests;
