//! The schema, as changes in order, and the check at open.
//!
//! Migration `i` brings a database from version `i` to `i + 1`. Never
//! edit a released migration: add a new one. Write new ones with types
//! both databases read the same way (`BIGINT`, `DOUBLE PRECISION`,
//! `BOOLEAN`, `TEXT`) and [`Migration::both`]; the first four predate
//! PostgreSQL and keep their SQLite text as released.
//!
//! Each step runs in one transaction that first takes a lock (SQLite's
//! write lock, a PostgreSQL advisory lock) and reads the version again, so
//! two processes starting at once on one database migrate it once.

use super::{Dialect, Store, Value};
use crate::error::Error;

/// One schema change, in each database's SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

impl Migration {
    /// The same text on both.
    pub const fn both(sql: &'static str) -> Migration {
        Migration {
            sqlite: sql,
            postgres: sql,
        }
    }

    pub fn text(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => self.sqlite,
            Dialect::Postgres => self.postgres,
        }
    }
}

pub const MIGRATIONS: &[Migration] = &[
    // 1: server settings and enabled channels.
    Migration {
        sqlite: "CREATE TABLE guild_settings (
            guild_id INTEGER PRIMARY KEY,
            threshold REAL,
            cooldown_secs INTEGER,
            thread_starter_only INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE enabled_channels (
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            PRIMARY KEY (guild_id, channel_id)
        );",
        postgres: "CREATE TABLE guild_settings (
            guild_id BIGINT PRIMARY KEY,
            threshold DOUBLE PRECISION,
            cooldown_secs BIGINT,
            thread_starter_only BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE TABLE enabled_channels (
            guild_id BIGINT NOT NULL,
            channel_id BIGINT NOT NULL,
            PRIMARY KEY (guild_id, channel_id)
        );",
    },
    // 2: feedback per entry and fix, one vote per person per message.
    Migration {
        sqlite: "CREATE TABLE feedback (
            message_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            guild_id INTEGER,
            entry TEXT NOT NULL,
            fix INTEGER NOT NULL,
            helped INTEGER NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (message_id, user_id, entry, fix)
        );
        CREATE INDEX feedback_by_fix ON feedback (entry, fix);",
        postgres: "CREATE TABLE feedback (
            message_id BIGINT NOT NULL,
            user_id BIGINT NOT NULL,
            guild_id BIGINT,
            entry TEXT NOT NULL,
            fix BIGINT NOT NULL,
            helped BOOLEAN NOT NULL,
            at BIGINT NOT NULL,
            PRIMARY KEY (message_id, user_id, entry, fix)
        );
        CREATE INDEX feedback_by_fix ON feedback (entry, fix);",
    },
    // 3: what the bot said where, so a restart keeps the cooldowns and
    // never answers a message twice; each row says when it expires.
    Migration {
        sqlite: "CREATE TABLE answered (
            message_id INTEGER PRIMARY KEY,
            expires INTEGER NOT NULL
        );
        CREATE INDEX answered_by_expiry ON answered (expires);
        CREATE TABLE shown (
            channel_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            at INTEGER NOT NULL,
            expires INTEGER NOT NULL,
            PRIMARY KEY (channel_id, key)
        );
        CREATE INDEX shown_by_expiry ON shown (expires);",
        postgres: "CREATE TABLE answered (
            message_id BIGINT PRIMARY KEY,
            expires BIGINT NOT NULL
        );
        CREATE INDEX answered_by_expiry ON answered (expires);
        CREATE TABLE shown (
            channel_id BIGINT NOT NULL,
            key TEXT NOT NULL,
            at BIGINT NOT NULL,
            expires BIGINT NOT NULL,
            PRIMARY KEY (channel_id, key)
        );
        CREATE INDEX shown_by_expiry ON shown (expires);",
    },
    // 4: flood limits and the middle ground (a reaction offering the answer).
    Migration {
        sqlite: "ALTER TABLE guild_settings ADD COLUMN member_limit INTEGER;
        ALTER TABLE guild_settings ADD COLUMN channel_limit INTEGER;
        ALTER TABLE guild_settings ADD COLUMN react INTEGER;
        ALTER TABLE guild_settings ADD COLUMN react_threshold REAL;
        ALTER TABLE guild_settings ADD COLUMN reaction TEXT;",
        postgres: "ALTER TABLE guild_settings ADD COLUMN member_limit BIGINT;
        ALTER TABLE guild_settings ADD COLUMN channel_limit BIGINT;
        ALTER TABLE guild_settings ADD COLUMN react BOOLEAN;
        ALTER TABLE guild_settings ADD COLUMN react_threshold DOUBLE PRECISION;
        ALTER TABLE guild_settings ADD COLUMN reaction TEXT;",
    },
    // 5: interactions claimed by the process that answers them, so that
    // no two processes answer one.
    Migration::both(
        "CREATE TABLE claimed (
            kind TEXT NOT NULL,
            id BIGINT NOT NULL,
            expires BIGINT NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE INDEX claimed_by_expiry ON claimed (expires);",
    ),
];

/// The tables this hexhelp reads and writes; a database at the current
/// version without one of them is refused at start.
pub const TABLES: &[&str] = &[
    "guild_settings",
    "enabled_channels",
    "feedback",
    "answered",
    "shown",
    "claimed",
];

/// The schema version this hexhelp writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Where PostgreSQL keeps the version (SQLite: `PRAGMA user_version`).
const PG_VERSION_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS hexhelp_schema (version BIGINT NOT NULL)";

/// The advisory lock's first key ("hxhp"); the second is the schema's.
const PG_LOCK: &str = "SELECT pg_advisory_xact_lock(1752721520, hashtext(current_schema()))";

impl Store {
    /// The schema version of the open database.
    pub fn version(&mut self) -> Result<i64, Error> {
        let rows = match self.dialect() {
            Dialect::Sqlite => self.query("PRAGMA user_version", &[])?,
            Dialect::Postgres => {
                let exists = self.query(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'hexhelp_schema'",
                    &[],
                )?;
                if exists.first().and_then(|r| r[0].int()) == Some(0) {
                    return Ok(0);
                }
                self.query("SELECT version FROM hexhelp_schema", &[])?
            }
        };
        Ok(rows.first().and_then(|r| r[0].int()).unwrap_or(0))
    }

    fn not_writable(&self, e: Error) -> Error {
        Error::NotWritable {
            path: self.path().to_string(),
            source: Box::new(e),
        }
    }

    /// Applies migrations up to version `target`, each in its own locked
    /// transaction together with the new version.
    pub(crate) fn migrate(&mut self, target: usize) -> Result<(), Error> {
        loop {
            let dialect = self.dialect();
            let step = self.transaction(|s| {
                if dialect == Dialect::Postgres {
                    s.query(PG_LOCK, &[])?;
                    s.execute(PG_VERSION_TABLE, &[])?;
                }
                let found = s.version()?;
                if found > schema_version() || found < 0 {
                    return Err(Error::SchemaTooNew {
                        path: s.path().to_string(),
                        found,
                        known: schema_version(),
                    });
                }
                let found = found as usize;
                if found >= target {
                    return Ok(false);
                }
                let apply = |s: &mut Store| -> Result<(), Error> {
                    s.db.batch(MIGRATIONS[found].text(dialect))?;
                    s.set_version(found as i64 + 1)
                };
                apply(s).map_err(|e| s.not_writable(e))?;
                Ok(true)
            });
            match step {
                Ok(true) => continue,
                Ok(false) => return Ok(()),
                Err(e @ (Error::SchemaTooNew { .. } | Error::NotWritable { .. })) => return Err(e),
                Err(e) => return Err(self.not_writable(e)),
            }
        }
    }

    fn set_version(&mut self, v: i64) -> Result<(), Error> {
        match self.dialect() {
            Dialect::Sqlite => self.db.batch(&format!("PRAGMA user_version = {v}")),
            Dialect::Postgres => {
                self.execute("DELETE FROM hexhelp_schema", &[])?;
                self.execute(
                    "INSERT INTO hexhelp_schema (version) VALUES ($1)",
                    &[Value::Int(v)],
                )?;
                Ok(())
            }
        }
    }

    /// Every table is there, and the database takes a write: a probe row
    /// in a transaction that is rolled back. A read-only file, a full disk
    /// or a role without write rights fail here, at start, and not on the
    /// first setting or feedback.
    pub(crate) fn check(&mut self) -> Result<(), Error> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
            Dialect::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        let present: Vec<String> = self
            .query(sql, &[])?
            .into_iter()
            .filter_map(|r| r[0].text().map(str::to_string))
            .collect();
        let missing: Vec<&str> = TABLES
            .iter()
            .copied()
            .filter(|t| !present.iter().any(|p| p == t))
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingTables {
                path: self.path().to_string(),
                tables: missing.join(", "),
            });
        }
        let begin = self.begin_sql();
        let probe = self.db.batch(begin).and_then(|()| {
            self.execute(
                "INSERT INTO answered (message_id, expires) VALUES (0, 0) ON CONFLICT (message_id) DO NOTHING",
                &[],
            )
        });
        let _ = self.db.batch("ROLLBACK");
        probe.map_err(|e| self.not_writable(e))?;
        Ok(())
    }
}
