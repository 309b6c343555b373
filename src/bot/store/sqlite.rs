//! The SQLite backend: one file (or memory), for a bot in one process.
//! Queries are written with `$1` parameters; SQLite reads `$1` as a named
//! parameter numbered by first appearance, so they are rewritten to `?1`.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

use super::{Backend, Dialect, Value};
use crate::error::Error;

pub struct Sqlite {
    conn: Connection,
}

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sqlite")
    }
}

impl Sqlite {
    /// Opens (creating it and its folder when missing) the file at `path`.
    pub fn open(path: &Path) -> Result<Sqlite, Error> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|source| Error::Read {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| Error::Database {
            path: path.display().to_string(),
            source: Box::new(source),
        })?;
        Sqlite::init(conn)
    }

    pub fn in_memory() -> Result<Sqlite, Error> {
        Sqlite::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Sqlite, Error> {
        // Another process writing waits up to this long, not fails at once.
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(Sqlite { conn })
    }
}

/// `$1` → `?1`: the same numbered parameters in SQLite's spelling.
fn numbered(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    for (i, c) in sql.char_indices() {
        if c == '$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
        })
    }
}

fn read(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
    }
}

impl Backend for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, Error> {
        let mut stmt = self.conn.prepare_cached(&numbered(sql))?;
        let n = stmt.execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, Error> {
        let mut stmt = self.conn.prepare_cached(&numbered(sql))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(read(row.get_ref(i)?));
            }
            out.push(values);
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), Error> {
        Ok(self.conn.execute_batch(sql)?)
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn parameters_keep_their_numbers() {
        assert_eq!(
            numbered("UPDATE t SET a = $2 WHERE id = $1 AND b = '$x'"),
            "UPDATE t SET a = ?2 WHERE id = ?1 AND b = '$x'"
        );
    }
}
