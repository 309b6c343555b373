//! The bot's SQLite file: each server's settings, the feedback people
//! give on fixes, and what the bot answered where (cooldowns and answered
//! messages, with their expiry). Checked at open: every table present and a
//! probe write. Created on first start; the schema version lives in
//! `PRAGMA user_version` and [`MIGRATIONS`] bring older files up to date.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::bot::settings::GuildSettings;
use crate::error::Error;

mod outcomes;
pub use outcomes::{DAYS_KEPT, Outcome, Verdict};

/// Schema changes in order; migration `i` brings a file from version `i`
/// to version `i + 1`. Never edit a released migration: add a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: server settings and enabled channels.
    "CREATE TABLE guild_settings (
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
    // 2: feedback per entry and fix, one vote per person per message.
    "CREATE TABLE feedback (
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
    // 3: what the bot said where, so a restart keeps the cooldowns and
    // never answers a message twice; each row says when it expires.
    "CREATE TABLE answered (
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
    // 4: flood limits and the middle ground (a reaction offering the answer).
    "ALTER TABLE guild_settings ADD COLUMN member_limit INTEGER;
    ALTER TABLE guild_settings ADD COLUMN channel_limit INTEGER;
    ALTER TABLE guild_settings ADD COLUMN react INTEGER;
    ALTER TABLE guild_settings ADD COLUMN react_threshold REAL;
    ALTER TABLE guild_settings ADD COLUMN reaction TEXT;",
    // 5: outcomes as counts per server, entry and fix; one vote per member,
    // answer and fix, kept only until the answer expires; servers that do
    // not share; answers per server, day, code and entry. The verdicts of
    // `feedback` become counts, and its member ids go.
    "CREATE TABLE outcome_votes (
        message_id BIGINT NOT NULL,
        member_id BIGINT NOT NULL,
        entry TEXT NOT NULL,
        fix BIGINT NOT NULL,
        verdict BIGINT NOT NULL,
        expires BIGINT NOT NULL,
        PRIMARY KEY (message_id, member_id, entry, fix)
    );
    CREATE INDEX outcome_votes_by_expiry ON outcome_votes (expires);
    CREATE TABLE outcome_counts (
        guild_id BIGINT NOT NULL,
        entry TEXT NOT NULL,
        fix BIGINT NOT NULL,
        fixed BIGINT NOT NULL DEFAULT 0,
        no_help BIGINT NOT NULL DEFAULT 0,
        passed BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (guild_id, entry, fix)
    );
    CREATE TABLE outcome_optout (
        guild_id BIGINT PRIMARY KEY
    );
    CREATE TABLE answer_days (
        guild_id BIGINT NOT NULL,
        day BIGINT NOT NULL,
        code BIGINT NOT NULL,
        entry TEXT NOT NULL,
        answered BOOLEAN NOT NULL,
        n BIGINT NOT NULL,
        PRIMARY KEY (guild_id, day, code, entry, answered)
    );
    INSERT INTO outcome_counts (guild_id, entry, fix, fixed, no_help, passed)
        SELECT COALESCE(guild_id, 0), entry, fix,
               SUM(CASE WHEN helped THEN 1 ELSE 0 END),
               SUM(CASE WHEN helped THEN 0 ELSE 1 END), 0
        FROM feedback GROUP BY COALESCE(guild_id, 0), entry, fix;
    DELETE FROM feedback;",
];

/// The tables this hexhelp reads and writes; a file at the current
/// version without one of them is refused at start.
pub const TABLES: &[&str] = &[
    "guild_settings",
    "enabled_channels",
    "feedback",
    "answered",
    "shown",
    "outcome_votes",
    "outcome_counts",
    "outcome_optout",
    "answer_days",
];

/// How long an answered message is remembered (replays after a resume or a
/// restart, late edits).
pub const ANSWERED_KEEP_MS: u64 = 24 * 60 * 60 * 1000;

/// What the bot said, as the store keeps it for the policy's memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    /// Messages already answered.
    pub answered: Vec<u64>,
    /// `(channel, key, shown at)`, times in milliseconds since the Unix
    /// epoch.
    pub shown: Vec<(u64, String, u64)>,
}

/// The schema version this hexhelp writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// One person's verdict on one fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// The message the buttons were on.
    pub message: u64,
    pub user: u64,
    pub guild: Option<u64>,
    /// Entry id, or `@<family>` for a family ladder.
    pub entry: String,
    /// Counting from 1.
    pub fix: usize,
    pub helped: bool,
    /// Seconds since the Unix epoch.
    pub at: u64,
}

/// Votes on one fix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub fixed: u64,
    pub no_help: u64,
}

/// The open settings file.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: String,
}

// SQLite keeps 64-bit signed integers; Discord ids fit in 63 bits, and the
// cast keeps every bit either way.
fn to_sql(id: u64) -> i64 {
    id as i64
}

fn from_sql(v: i64) -> u64 {
    v as u64
}

impl Store {
    /// Opens (creating it and its folder when missing) the file at `path`
    /// and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, Error> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|source| Error::Read {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| Error::Database {
            path: shown.clone(),
            source,
        })?;
        Store::init(conn, shown)
    }

    /// A store that lives in memory only (for tests and dry runs).
    pub fn in_memory() -> Result<Store, Error> {
        Store::init(Connection::open_in_memory()?, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Store, Error> {
        conn.busy_timeout(Duration::from_secs(5))?;
        let mut store = Store { conn, path };
        store.migrate(MIGRATIONS.len())?;
        store.check()?;
        Ok(store)
    }

    /// Every table is there, and the file takes a write: a probe row in a
    /// transaction that is rolled back. A read-only file, a full disk or a
    /// journal that cannot be created fail here, at start, and not on the
    /// first setting or feedback.
    fn check(&mut self) -> Result<(), Error> {
        let mut missing = Vec::new();
        for table in TABLES {
            let n: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )?;
            if n == 0 {
                missing.push(table.to_string());
            }
        }
        if !missing.is_empty() {
            return Err(Error::MissingTables {
                path: self.path.clone(),
                tables: missing.join(", "),
            });
        }
        let not_writable = |source| Error::NotWritable {
            path: self.path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(not_writable)?;
        tx.execute(
            "INSERT OR REPLACE INTO answered (message_id, expires) VALUES (0, 0)",
            [],
        )
        .map_err(not_writable)?;
        tx.rollback().map_err(not_writable)?;
        Ok(())
    }

    /// Applies migrations up to version `target`, each in its own
    /// transaction together with the new `user_version`.
    fn migrate(&mut self, target: usize) -> Result<(), Error> {
        let path = self.path.clone();
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|source| Error::Database { path, source })?;
        if found > schema_version() || found < 0 {
            return Err(Error::SchemaTooNew {
                path: self.path.clone(),
                found,
                known: schema_version(),
            });
        }
        for (i, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .take(target)
            .skip(found as usize)
        {
            let not_writable = |source| Error::NotWritable {
                path: self.path.clone(),
                source,
            };
            let tx = self.conn.transaction().map_err(not_writable)?;
            tx.execute_batch(sql).map_err(not_writable)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(not_writable)?;
            tx.commit().map_err(not_writable)?;
        }
        Ok(())
    }

    /// The schema version of the open file.
    pub fn version(&self) -> Result<i64, Error> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// A server's settings (the defaults when it never changed any).
    pub fn settings(&self, guild: u64) -> Result<GuildSettings, Error> {
        let mut s = GuildSettings::default();
        type Row = (
            (Option<f64>, Option<i64>, bool),
            (
                Option<i64>,
                Option<i64>,
                Option<bool>,
                Option<f64>,
                Option<String>,
            ),
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT threshold, cooldown_secs, thread_starter_only, member_limit, channel_limit, react, react_threshold, reaction FROM guild_settings WHERE guild_id = ?1",
                [to_sql(guild)],
                |r| {
                    Ok((
                        (r.get(0)?, r.get(1)?, r.get(2)?),
                        (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?),
                    ))
                },
            )
            .optional()?;
        if let Some(((threshold, cooldown, starter_only), more)) = row {
            let (member_limit, channel_limit, react, react_threshold, reaction) = more;
            if let Some(n) = member_limit {
                s.member_limit = u32::try_from(n).unwrap_or(0);
            }
            if let Some(n) = channel_limit {
                s.channel_limit = u32::try_from(n).unwrap_or(0);
            }
            if let Some(on) = react {
                s.react = on;
            }
            if let Some(t) = react_threshold {
                s.react_threshold = t as f32;
            }
            if let Some(r) = reaction {
                s.reaction = r;
            }
            if let Some(t) = threshold {
                s.threshold = t as f32;
            }
            if let Some(c) = cooldown {
                s.cooldown = Duration::from_secs(c.max(0) as u64);
            }
            s.thread_starter_only = starter_only;
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT channel_id FROM enabled_channels WHERE guild_id = ?1")?;
        for c in stmt.query_map([to_sql(guild)], |r| r.get::<_, i64>(0))? {
            s.channels.insert(from_sql(c?));
        }
        Ok(s)
    }

    fn ensure_guild(&self, guild: u64) -> Result<(), Error> {
        self.conn.execute(
            "INSERT OR IGNORE INTO guild_settings (guild_id) VALUES (?1)",
            [to_sql(guild)],
        )?;
        Ok(())
    }

    pub fn set_threshold(&self, guild: u64, threshold: f32) -> Result<(), Error> {
        self.ensure_guild(guild)?;
        self.conn.execute(
            "UPDATE guild_settings SET threshold = ?2 WHERE guild_id = ?1",
            params![to_sql(guild), f64::from(threshold)],
        )?;
        Ok(())
    }

    pub fn set_cooldown(&self, guild: u64, cooldown: Duration) -> Result<(), Error> {
        self.ensure_guild(guild)?;
        let secs = i64::try_from(cooldown.as_secs()).unwrap_or(i64::MAX);
        self.conn.execute(
            "UPDATE guild_settings SET cooldown_secs = ?2 WHERE guild_id = ?1",
            params![to_sql(guild), secs],
        )?;
        Ok(())
    }

    pub fn set_thread_starter_only(&self, guild: u64, on: bool) -> Result<(), Error> {
        self.ensure_guild(guild)?;
        self.conn.execute(
            "UPDATE guild_settings SET thread_starter_only = ?2 WHERE guild_id = ?1",
            params![to_sql(guild), on],
        )?;
        Ok(())
    }

    /// Answers a minute for one member, and in one channel (0: no limit).
    pub fn set_limits(
        &self,
        guild: u64,
        member: Option<u32>,
        channel: Option<u32>,
    ) -> Result<(), Error> {
        self.ensure_guild(guild)?;
        if let Some(n) = member {
            self.conn.execute(
                "UPDATE guild_settings SET member_limit = ?2 WHERE guild_id = ?1",
                params![to_sql(guild), i64::from(n)],
            )?;
        }
        if let Some(n) = channel {
            self.conn.execute(
                "UPDATE guild_settings SET channel_limit = ?2 WHERE guild_id = ?1",
                params![to_sql(guild), i64::from(n)],
            )?;
        }
        Ok(())
    }

    /// The middle ground: on or off, its threshold, its reaction.
    pub fn set_react(
        &self,
        guild: u64,
        on: Option<bool>,
        threshold: Option<f32>,
        reaction: Option<&str>,
    ) -> Result<(), Error> {
        self.ensure_guild(guild)?;
        if let Some(on) = on {
            self.conn.execute(
                "UPDATE guild_settings SET react = ?2 WHERE guild_id = ?1",
                params![to_sql(guild), on],
            )?;
        }
        if let Some(t) = threshold {
            self.conn.execute(
                "UPDATE guild_settings SET react_threshold = ?2 WHERE guild_id = ?1",
                params![to_sql(guild), f64::from(t)],
            )?;
        }
        if let Some(r) = reaction {
            self.conn.execute(
                "UPDATE guild_settings SET reaction = ?2 WHERE guild_id = ?1",
                params![to_sql(guild), r],
            )?;
        }
        Ok(())
    }

    /// Remembers that `message` was answered and `keys` were shown in
    /// `channel` at `at_ms`; the cooldown rows expire after `cooldown`,
    /// the message after [`ANSWERED_KEEP_MS`]. Expired rows are pruned.
    pub fn remember_answer(
        &mut self,
        message: Option<u64>,
        channel: u64,
        keys: &[String],
        at_ms: u64,
        cooldown: Duration,
    ) -> Result<(), Error> {
        let ms = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let cooldown_ms = u64::try_from(cooldown.as_millis()).unwrap_or(u64::MAX);
        let tx = self.conn.transaction()?;
        if let Some(m) = message {
            tx.execute(
                "INSERT OR REPLACE INTO answered (message_id, expires) VALUES (?1, ?2)",
                params![to_sql(m), ms(at_ms.saturating_add(ANSWERED_KEEP_MS))],
            )?;
        }
        if !cooldown.is_zero() {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO shown (channel_id, key, at, expires) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for k in keys {
                stmt.execute(params![
                    to_sql(channel),
                    k,
                    ms(at_ms),
                    ms(at_ms.saturating_add(cooldown_ms))
                ])?;
            }
        }
        tx.execute("DELETE FROM answered WHERE expires <= ?1", [ms(at_ms)])?;
        tx.execute("DELETE FROM shown WHERE expires <= ?1", [ms(at_ms)])?;
        tx.commit()?;
        Ok(())
    }

    /// What was answered and shown and has not expired at `now_ms`
    /// (expired rows are deleted first).
    pub fn memory(&self, now_ms: u64) -> Result<Memory, Error> {
        let now = i64::try_from(now_ms).unwrap_or(i64::MAX);
        self.conn
            .execute("DELETE FROM answered WHERE expires <= ?1", [now])?;
        self.conn
            .execute("DELETE FROM shown WHERE expires <= ?1", [now])?;
        self.forget_votes(now_ms)?;
        let mut out = Memory::default();
        let mut stmt = self
            .conn
            .prepare("SELECT message_id FROM answered ORDER BY expires")?;
        for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
            out.answered.push(from_sql(id?));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT channel_id, key, at FROM shown ORDER BY at")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (c, k, at) = row?;
            out.shown.push((from_sql(c), k, at.max(0) as u64));
        }
        Ok(out)
    }

    /// Enables `channel`; `false` when it already was.
    pub fn add_channel(&self, guild: u64, channel: u64) -> Result<bool, Error> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO enabled_channels (guild_id, channel_id) VALUES (?1, ?2)",
            [to_sql(guild), to_sql(channel)],
        )?;
        Ok(n == 1)
    }

    /// Disables `channel`; `false` when it wasn't enabled.
    pub fn remove_channel(&self, guild: u64, channel: u64) -> Result<bool, Error> {
        let n = self.conn.execute(
            "DELETE FROM enabled_channels WHERE guild_id = ?1 AND channel_id = ?2",
            [to_sql(guild), to_sql(channel)],
        )?;
        Ok(n == 1)
    }

    /// Records a verdict as an outcome (see [`Store::record_outcome`]); a
    /// person's second click on the same message and fix replaces the
    /// first.
    pub fn record_feedback(&self, f: &Feedback) -> Result<(), Error> {
        self.record_outcome(&Outcome {
            message: f.message,
            member: f.user,
            guild: f.guild,
            entry: f.entry.clone(),
            fix: f.fix,
            verdict: if f.helped {
                Verdict::Fixed
            } else {
                Verdict::NoHelp
            },
            at_ms: f.at.saturating_mul(1000),
        })?;
        Ok(())
    }

    /// Votes per fix of `entry` from every server, by fix number.
    pub fn feedback(&self, entry: &str) -> Result<BTreeMap<usize, Tally>, Error> {
        let mut out: BTreeMap<usize, Tally> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT fix, SUM(fixed), SUM(no_help) FROM outcome_counts WHERE entry = ?1
             GROUP BY fix HAVING SUM(fixed) + SUM(no_help) > 0 ORDER BY fix",
        )?;
        let rows = stmt.query_map([entry], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (fix, fixed, no_help) = row?;
            out.insert(
                fix.max(0) as usize,
                Tally {
                    fixed: fixed.max(0) as u64,
                    no_help: no_help.max(0) as u64,
                },
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("hexhelp.db");
        (dir, path)
    }

    #[test]
    fn created_on_first_open_with_current_schema() {
        let (_dir, path) = temp();
        assert!(!path.exists());
        let store = Store::open(&path).unwrap();
        assert!(path.exists());
        assert_eq!(store.version().unwrap(), schema_version());
        assert_eq!(store.settings(1).unwrap(), GuildSettings::default());
    }

    #[test]
    fn settings_survive_reopening() {
        let (_dir, path) = temp();
        {
            let s = Store::open(&path).unwrap();
            assert!(s.add_channel(1, 100).unwrap());
            assert!(!s.add_channel(1, 100).unwrap());
            assert!(s.add_channel(1, 101).unwrap());
            assert!(s.add_channel(2, 200).unwrap());
            assert!(s.remove_channel(1, 101).unwrap());
            assert!(!s.remove_channel(1, 999).unwrap());
            s.set_threshold(1, 0.6).unwrap();
            s.set_cooldown(1, Duration::from_secs(120)).unwrap();
            s.set_thread_starter_only(1, true).unwrap();
            s.set_cooldown(2, Duration::ZERO).unwrap();
            // Ids above 2^63 keep every bit.
            s.add_channel(u64::MAX, u64::MAX - 1).unwrap();
        }
        let s = Store::open(&path).unwrap();
        let one = s.settings(1).unwrap();
        assert_eq!(one.channels, [100].into());
        assert!((one.threshold - 0.6).abs() < 1e-6);
        assert_eq!(one.cooldown, Duration::from_secs(120));
        assert!(one.thread_starter_only);
        let two = s.settings(2).unwrap();
        assert_eq!(two.channels, [200].into());
        assert_eq!(two.cooldown, Duration::ZERO);
        assert_eq!(two.threshold, GuildSettings::default().threshold);
        assert!(!two.thread_starter_only);
        assert_eq!(
            s.settings(u64::MAX).unwrap().channels,
            [u64::MAX - 1].into()
        );
        assert_eq!(s.settings(3).unwrap(), GuildSettings::default());
    }

    #[test]
    fn feedback_per_entry_and_fix() {
        let (_dir, path) = temp();
        let fb = |message, user, fix, helped| Feedback {
            message,
            user,
            guild: Some(1),
            entry: "wu-missing-files".into(),
            fix,
            helped,
            at: 1_700_000_000,
        };
        {
            let s = Store::open(&path).unwrap();
            s.record_feedback(&fb(10, 1, 1, false)).unwrap();
            s.record_feedback(&fb(10, 2, 1, false)).unwrap();
            s.record_feedback(&fb(10, 3, 2, true)).unwrap();
            // Person 1 changes their mind about fix 1 on the same message.
            s.record_feedback(&fb(10, 1, 1, true)).unwrap();
            s.record_feedback(&Feedback {
                entry: "@win32".into(),
                guild: None,
                ..fb(11, 1, 1, true)
            })
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let t = s.feedback("wu-missing-files").unwrap();
        assert_eq!(
            t[&1],
            Tally {
                fixed: 1,
                no_help: 1
            }
        );
        assert_eq!(
            t[&2],
            Tally {
                fixed: 1,
                no_help: 0
            }
        );
        assert_eq!(t.len(), 2);
        assert_eq!(s.feedback("@win32").unwrap()[&1].fixed, 1);
        assert!(s.feedback("nothing").unwrap().is_empty());
    }

    #[test]
    fn older_files_are_migrated_and_keep_their_data() {
        let (_dir, path) = temp();
        {
            // A file as the first released schema left it.
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let conn = Connection::open(&path).unwrap();
            let mut s = Store {
                conn,
                path: path.display().to_string(),
            };
            s.migrate(1).unwrap();
            assert_eq!(s.version().unwrap(), 1);
            s.add_channel(5, 50).unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.version().unwrap(), schema_version());
        assert_eq!(s.settings(5).unwrap().channels, [50].into());
        s.record_feedback(&Feedback {
            message: 1,
            user: 1,
            guild: Some(5),
            entry: "x".into(),
            fix: 1,
            helped: true,
            at: 0,
        })
        .unwrap();
    }

    #[test]
    fn files_from_a_newer_hexhelp_are_refused() {
        let (_dir, path) = temp();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, Error::SchemaTooNew { found: 99, .. }),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_takes_no_write_is_refused_at_open() {
        let (_dir, path) = temp();
        Store::open(&path).unwrap();
        // SQLite cannot create its journal next to the file (a link to a
        // folder that doesn't exist): reads work, every write fails, also
        // for root, who ignores file modes.
        let journal = path.with_file_name("hexhelp.db-journal");
        std::os::unix::fs::symlink("/nonexistent-hexhelp/journal", &journal).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, Error::NotWritable { .. }), "{err}");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        std::fs::remove_file(&journal).unwrap();
        Store::open(&path).unwrap();
    }

    #[test]
    fn a_file_at_the_current_version_without_its_tables_is_refused() {
        let (_dir, path) = temp();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", schema_version())
                .unwrap();
        }
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, Error::MissingTables { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains("guild_settings"), "{text}");
    }

    #[test]
    fn answers_and_cooldowns_survive_reopening_until_they_expire() {
        let (_dir, path) = temp();
        let minute = Duration::from_secs(60);
        {
            let mut s = Store::open(&path).unwrap();
            s.remember_answer(Some(10), 50, &["a".into(), "b".into()], 1_000, minute)
                .unwrap();
            s.remember_answer(None, 51, &["c".into()], 2_000, minute)
                .unwrap();
            // Cooldown off: nothing to keep for the channel.
            s.remember_answer(Some(11), 52, &["d".into()], 3_000, Duration::ZERO)
                .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let m = s.memory(30_000).unwrap();
        assert_eq!(m.answered, [10, 11]);
        assert_eq!(
            m.shown,
            [
                (50, "a".to_string(), 1_000),
                (50, "b".to_string(), 1_000),
                (51, "c".to_string(), 2_000)
            ]
        );
        // Past the cooldown the rows are pruned; answered messages last a day.
        let m = s.memory(61_500).unwrap();
        assert_eq!(m.shown, [(51, "c".to_string(), 2_000)]);
        assert_eq!(m.answered, [10, 11]);
        let m = s.memory(ANSWERED_KEEP_MS + 3_001).unwrap();
        assert!(m.answered.is_empty() && m.shown.is_empty(), "{m:?}");
        let rows: i64 = s
            .conn
            .query_row("SELECT COUNT(*) FROM answered", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0, "expired rows are deleted");
    }

    #[test]
    fn limits_and_the_middle_ground_survive_reopening() {
        let (_dir, path) = temp();
        {
            let s = Store::open(&path).unwrap();
            s.set_limits(1, Some(2), Some(0)).unwrap();
            s.set_react(1, Some(false), Some(0.2), Some("\u{2753}"))
                .unwrap();
            s.set_limits(2, None, Some(7)).unwrap();
        }
        let s = Store::open(&path).unwrap();
        let one = s.settings(1).unwrap();
        assert_eq!((one.member_limit, one.channel_limit), (2, 0));
        assert!(!one.react);
        assert!((one.react_threshold - 0.2).abs() < 1e-6);
        assert_eq!(one.reaction, "\u{2753}");
        let two = s.settings(2).unwrap();
        let d = GuildSettings::default();
        assert_eq!((two.member_limit, two.channel_limit), (d.member_limit, 7));
        assert_eq!(two.reaction, d.reaction);
        assert!(two.react);
    }

    #[test]
    fn in_memory_store_works() {
        let s = Store::in_memory().unwrap();
        s.set_threshold(1, 0.2).unwrap();
        assert!((s.settings(1).unwrap().threshold - 0.2).abs() < 1e-6);
    }
}
