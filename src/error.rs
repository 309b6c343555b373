//! Errors: what a person is told ([`UserError`]) is kept apart from what
//! the log records ([`Error`]), so internal details never reach a chat.

use std::fmt;

use crate::kb::Problems;

/// Internal errors, with their causes, for logs and the terminal.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the knowledge base has {n} problem(s):\n{problems}", n = .0.len(), problems = .0)]
    Knowledge(Problems),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("bad input line {line}: {message}")]
    Input { line: usize, message: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("cannot open the settings database {path}: {source}")]
    Database {
        path: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "settings database {path} was written by a newer hexhelp (schema version {found}; this one knows up to {known})"
    )]
    SchemaTooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the settings database {path} cannot be written ({source}): check that the file and its folder are writable and the disk is not full, or pass another file with --db"
    )]
    NotWritable {
        path: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "the settings database {path} is damaged: it says it is up to date but has no table {tables}; move it away to start with a new one"
    )]
    MissingTables { path: String, tables: String },
    #[error("settings database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("settings database (PostgreSQL): {0}")]
    Postgres(#[from] postgres::Error),
}

impl From<Problems> for Error {
    fn from(p: Problems) -> Error {
        Error::Knowledge(p)
    }
}

/// A sentence fit to show the person who asked, ephemeral where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

impl Error {
    /// What to tell a person about this error; the details stay in the log.
    pub fn to_user(&self) -> UserError {
        match self {
            Error::Input { .. } => UserError("I couldn't read that input.".into()),
            _ => UserError(crate::messages::INTERNAL_ERROR.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_never_sees_internal_detail() {
        let e = Error::Read {
            path: "/secret/path".into(),
            source: std::io::Error::other("disk on fire"),
        };
        let u = e.to_user().to_string();
        assert!(!u.contains("/secret/path"));
        assert!(!u.contains("disk on fire"));
        assert!(e.to_string().contains("disk on fire"));
    }
}
