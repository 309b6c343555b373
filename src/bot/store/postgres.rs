//! The PostgreSQL backend, for a bot whose shards run in several
//! processes on one database. The `postgres` client drives its own small
//! async runtime and so must not be called from inside the bot's: it lives
//! on a thread of its own, and each call hands it one statement and waits
//! for the answer. Statements are prepared once and kept; a lost
//! connection is opened again on the next call.

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread::JoinHandle;

use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls, Row, Statement};

use super::{Backend, Dialect, Value};
use crate::error::Error;

/// Prepared statements kept per connection (the store has a few dozen).
const MAX_PREPARED: usize = 256;

enum Job {
    Execute(String, Vec<Value>),
    Query(String, Vec<Value>),
    Batch(String),
}

enum Done {
    Count(u64),
    Rows(Vec<Vec<Value>>),
    Ok,
}

pub struct Postgres {
    jobs: Option<mpsc::Sender<Job>>,
    done: mpsc::Receiver<Result<Done, postgres::Error>>,
    worker: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Postgres")
    }
}

/// `url` without its password or parameters, for logs and messages.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let rest = rest.split('?').next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or("")),
        None => authority.to_string(),
    };
    format!("{scheme}://{host}{path}")
}

impl Postgres {
    /// Connects to `url` (libpq's URL form: user, host, port, database,
    /// and parameters such as `options=-csearch_path%3Dname`).
    pub fn connect(url: &str) -> Result<Postgres, Error> {
        let shown = redact(url);
        let failed = |source: postgres::Error| Error::Database {
            path: shown.clone(),
            source: Box::new(source),
        };
        let config: Config = url.parse().map_err(failed)?;
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (reply, done) = mpsc::channel();
        let (ready_tx, ready) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("hexhelp-postgres".into())
            .spawn(move || match config.connect(NoTls) {
                Ok(client) => {
                    let _ = ready_tx.send(Ok(()));
                    serve(config, client, inbox, reply);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })?;
        match ready.recv() {
            Ok(Ok(())) => Ok(Postgres {
                jobs: Some(jobs),
                done,
                worker: Some(worker),
            }),
            Ok(Err(e)) => Err(failed(e)),
            Err(_) => Err(Error::Io(std::io::Error::other(
                "the PostgreSQL thread ended at start",
            ))),
        }
    }

    fn run(&mut self, job: Job) -> Result<Done, Error> {
        let gone = || Error::Io(std::io::Error::other("the PostgreSQL thread has ended"));
        self.jobs
            .as_ref()
            .ok_or_else(gone)?
            .send(job)
            .map_err(|_| gone())?;
        Ok(self.done.recv().map_err(|_| gone())??)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // Closing the channel ends the thread, which closes the connection.
        self.jobs = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// The worker: one job at a time, in order.
fn serve(
    config: Config,
    mut client: Client,
    inbox: mpsc::Receiver<Job>,
    reply: mpsc::Sender<Result<Done, postgres::Error>>,
) {
    let mut prepared: HashMap<String, Statement> = HashMap::new();
    for job in inbox {
        if client.is_closed() {
            prepared.clear();
            match config.connect(NoTls) {
                Ok(c) => client = c,
                Err(e) => {
                    if reply.send(Err(e)).is_err() {
                        return;
                    }
                    continue;
                }
            }
        }
        let out = match job {
            Job::Batch(sql) => {
                // A schema change can change what a kept statement means.
                if !matches!(sql.as_str(), "BEGIN" | "COMMIT" | "ROLLBACK") {
                    prepared.clear();
                }
                client.batch_execute(&sql).map(|()| Done::Ok)
            }
            Job::Execute(sql, params) => statement(&mut client, &mut prepared, &sql)
                .and_then(|st| {
                    let values = bind(&st, &params);
                    client.execute(&st, &refs(&values))
                })
                .map(Done::Count),
            Job::Query(sql, params) => statement(&mut client, &mut prepared, &sql)
                .and_then(|st| {
                    let values = bind(&st, &params);
                    client.query(&st, &refs(&values))
                })
                .map(|rows| Done::Rows(rows.iter().map(read_row).collect())),
        };
        if reply.send(out).is_err() {
            return;
        }
    }
}

fn statement(
    client: &mut Client,
    prepared: &mut HashMap<String, Statement>,
    sql: &str,
) -> Result<Statement, postgres::Error> {
    if let Some(st) = prepared.get(sql) {
        return Ok(st.clone());
    }
    let st = client.prepare(sql)?;
    if prepared.len() >= MAX_PREPARED {
        prepared.clear();
    }
    prepared.insert(sql.to_string(), st.clone());
    Ok(st)
}

type Param = Box<dyn ToSql + Sync + Send>;

/// Each value as the Rust type the server expects for that parameter (an
/// `INT8` column wants an `i64`, a `FLOAT8` an `f64`, and so on).
fn bind(st: &Statement, params: &[Value]) -> Vec<Param> {
    params
        .iter()
        .zip(st.params())
        .map(|(v, ty)| param(v, ty))
        .collect()
}

fn param(v: &Value, ty: &Type) -> Param {
    let int = |i: i64| -> Param {
        match *ty {
            Type::INT4 => Box::new(i32::try_from(i).unwrap_or(i32::MAX)),
            Type::INT2 => Box::new(i16::try_from(i).unwrap_or(i16::MAX)),
            Type::BOOL => Box::new(i != 0),
            Type::FLOAT8 => Box::new(i as f64),
            _ => Box::new(i),
        }
    };
    match v {
        Value::Int(i) => int(*i),
        Value::Bool(b) if *ty == Type::BOOL => Box::new(*b),
        Value::Bool(b) => int(i64::from(*b)),
        Value::Real(f) if *ty == Type::FLOAT4 => Box::new(*f as f32),
        Value::Real(f) => Box::new(*f),
        Value::Text(s) => Box::new(s.clone()),
        Value::Null => match *ty {
            Type::INT4 => Box::new(None::<i32>),
            Type::INT2 => Box::new(None::<i16>),
            Type::BOOL => Box::new(None::<bool>),
            Type::FLOAT8 => Box::new(None::<f64>),
            Type::FLOAT4 => Box::new(None::<f32>),
            Type::TEXT | Type::VARCHAR | Type::NAME => Box::new(None::<String>),
            _ => Box::new(None::<i64>),
        },
    }
}

fn refs(values: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| v.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

fn read_row(row: &Row) -> Vec<Value> {
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            let v: Option<Value> = match *ty {
                Type::INT8 => row
                    .try_get::<_, Option<i64>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Int),
                Type::INT4 => row
                    .try_get::<_, Option<i32>>(i)
                    .ok()
                    .flatten()
                    .map(|n| Value::Int(n.into())),
                Type::INT2 => row
                    .try_get::<_, Option<i16>>(i)
                    .ok()
                    .flatten()
                    .map(|n| Value::Int(n.into())),
                Type::BOOL => row
                    .try_get::<_, Option<bool>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Bool),
                Type::FLOAT8 => row
                    .try_get::<_, Option<f64>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Real),
                Type::FLOAT4 => row
                    .try_get::<_, Option<f32>>(i)
                    .ok()
                    .flatten()
                    .map(|f| Value::Real(f.into())),
                _ => row
                    .try_get::<_, Option<String>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Text),
            };
            v.unwrap_or(Value::Null)
        })
        .collect()
}

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, Error> {
        match self.run(Job::Execute(sql.to_string(), params.to_vec()))? {
            Done::Count(n) => Ok(n),
            _ => Ok(0),
        }
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, Error> {
        match self.run(Job::Query(sql.to_string(), params.to_vec()))? {
            Done::Rows(rows) => Ok(rows),
            _ => Ok(Vec::new()),
        }
    }

    fn batch(&mut self, sql: &str) -> Result<(), Error> {
        self.run(Job::Batch(sql.to_string())).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redact("postgres://bot:s3cret@db.example:5432/hexhelp?sslmode=disable&password=x"),
            "postgres://bot@db.example:5432/hexhelp"
        );
        assert_eq!(
            redact("postgresql://localhost/h"),
            "postgresql://localhost/h"
        );
    }
}
