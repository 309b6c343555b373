//! The store suite: every behaviour, on SQLite always and on PostgreSQL
//! when `HEXHELP_TEST_PG` holds the URL of a server where tests may create
//! schemas (each test gets a fresh one, so they run in parallel).

mod db;
mod suite;

use db::{PgDb, SqliteDb};

/// Runs each named test of [`suite`] once per database.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::suite::$name(&super::SqliteDb::new());
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(db) = super::PgDb::new(stringify!($name)) {
                    super::suite::$name(&db);
                }
            })*
        }
    };
}

on_both!(
    created_on_first_open_with_current_schema,
    settings_survive_reopening,
    feedback_per_entry_and_fix,
    older_databases_are_migrated_and_keep_their_data,
    databases_from_a_newer_hexhelp_are_refused,
    a_database_at_the_current_version_without_its_tables_is_refused,
    answers_and_cooldowns_survive_reopening_until_they_expire,
    limits_and_the_middle_ground_survive_reopening,
    a_claim_is_won_by_one_connection_only,
    processes_starting_at_once_migrate_once,
    settings_and_feedback_are_shared_between_connections,
);

#[test]
fn in_memory_store_works() {
    let mut s = super::Store::in_memory().unwrap();
    s.set_threshold(1, 0.2).unwrap();
    assert!((s.settings(1).unwrap().threshold - 0.2).abs() < 1e-6);
}

#[cfg(unix)]
#[test]
fn a_file_that_takes_no_write_is_refused_at_open() {
    use crate::error::Error;
    let db = SqliteDb::new();
    let path = db.path.clone();
    super::Store::open(&path).unwrap();
    // SQLite cannot create its journal next to the file (a link to a
    // folder that doesn't exist): reads work, every write fails, also
    // for root, who ignores file modes.
    let journal = path.with_file_name("hexhelp.db-journal");
    std::os::unix::fs::symlink("/nonexistent-hexhelp/journal", &journal).unwrap();
    let err = super::Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotWritable { .. }), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    std::fs::remove_file(&journal).unwrap();
    super::Store::open(&path).unwrap();
}

#[test]
fn postgres_urls_are_told_from_paths() {
    assert!(super::is_postgres_url("postgres://h/db"));
    assert!(super::is_postgres_url("PostgreSQL://h/db"));
    assert!(!super::is_postgres_url("postgres.db"));
    assert!(!super::is_postgres_url("state/hexhelp.db"));
}
