//! The databases the suite runs on: an SQLite file in a temporary folder,
//! or a fresh schema on the PostgreSQL server named by `HEXHELP_TEST_PG`
//! (dropped at the end).

use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::bot::store::{Dialect, Store, postgres, sqlite};

/// What a test needs of its database.
pub trait TestDb: Sync {
    fn dialect(&self) -> Dialect;
    /// Opens the store (migrating it).
    fn open(&self) -> Store;
    /// The store without migrating, for tests of the migrations.
    fn open_raw(&self) -> Store;
    /// Sets the schema version by hand.
    fn force_version(&self, v: i64);
    fn shown(&self) -> String;
}

pub struct SqliteDb {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl SqliteDb {
    pub fn new() -> SqliteDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("hexhelp.db");
        SqliteDb { _dir: dir, path }
    }
}

impl TestDb for SqliteDb {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn open(&self) -> Store {
        Store::open(&self.path).unwrap()
    }

    fn open_raw(&self) -> Store {
        Store {
            db: Box::new(sqlite::Sqlite::open(&self.path).unwrap()),
            target: self.shown(),
        }
    }

    fn force_version(&self, v: i64) {
        let mut s = self.open_raw();
        s.db.batch(&format!("PRAGMA user_version = {v}")).unwrap();
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }
}

pub struct PgDb {
    admin: String,
    schema: String,
    url: String,
}

static SKIPPED: Once = Once::new();
static COUNT: AtomicU32 = AtomicU32::new(0);

impl PgDb {
    /// A fresh schema, or `None` (said once) without `HEXHELP_TEST_PG`.
    pub fn new(test: &str) -> Option<PgDb> {
        let Some(admin) = std::env::var("HEXHELP_TEST_PG")
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            SKIPPED.call_once(|| {
                // Past the test harness's capture, so that it shows.
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "HEXHELP_TEST_PG is not set: the PostgreSQL store tests are skipped"
                );
            });
            return None;
        };
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let short: String = test.chars().take(30).collect();
        let schema = format!("t{}_{n}_{short}", std::process::id());
        let mut client = ::postgres::Client::connect(&admin, ::postgres::NoTls)
            .expect("connect to HEXHELP_TEST_PG");
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-csearch_path%3D{schema}");
        Some(PgDb { admin, schema, url })
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = ::postgres::Client::connect(&self.admin, ::postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

impl TestDb for PgDb {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn open(&self) -> Store {
        Store::open_postgres(&self.url).unwrap()
    }

    fn open_raw(&self) -> Store {
        Store {
            db: Box::new(postgres::Postgres::connect(&self.url).unwrap()),
            target: self.shown(),
        }
    }

    fn force_version(&self, v: i64) {
        let mut s = self.open_raw();
        s.db.batch(&format!(
            "CREATE TABLE IF NOT EXISTS hexhelp_schema (version BIGINT NOT NULL);
             DELETE FROM hexhelp_schema; INSERT INTO hexhelp_schema VALUES ({v})"
        ))
        .unwrap();
    }

    fn shown(&self) -> String {
        postgres::redact(&self.url)
    }
}
