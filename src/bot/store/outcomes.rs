//! Outcomes and answer counts: what people reported about each fix, per
//! server, entry and fix, and how many answers (and unanswered questions)
//! there were per server, day, code and entry. Counts, not people: a
//! member's id is kept only in `outcome_votes`, so that one member counts
//! once per answer and fix, and only until the answer's memory expires;
//! no message text is kept anywhere.
//!
//! Servers that opt out of sharing (`outcome_optout`) keep their own
//! counts, which still order their own answers, but are left out of what
//! other servers and the maintainers' report see.

use rusqlite::{OptionalExtension, params, params_from_iter};

use super::{ANSWERED_KEEP_MS, Store, to_sql};
use crate::answer::outcomes::FixCounts;
use crate::bot::reports::{DayRow, OutcomeRow};
use crate::error::Error;

/// The guild id kept for direct messages, which have none.
const NO_GUILD: i64 = 0;

/// How long the per-day answer counts are kept.
pub const DAYS_KEPT: i64 = 400;

/// What a member said about a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Fixed,
    NoHelp,
    /// Passed over with "Next fix".
    Passed,
}

impl Verdict {
    fn column(self) -> &'static str {
        match self {
            Verdict::Fixed => "fixed",
            Verdict::NoHelp => "no_help",
            Verdict::Passed => "passed",
        }
    }

    fn code(self) -> i64 {
        match self {
            Verdict::Fixed => 1,
            Verdict::NoHelp => 2,
            Verdict::Passed => 3,
        }
    }

    fn from_code(c: i64) -> Option<Verdict> {
        match c {
            1 => Some(Verdict::Fixed),
            2 => Some(Verdict::NoHelp),
            3 => Some(Verdict::Passed),
            _ => None,
        }
    }
}

/// One member's report on one fix under one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The message the buttons were on.
    pub message: u64,
    pub member: u64,
    pub guild: Option<u64>,
    /// Entry id, or `@<ladder key>`.
    pub entry: String,
    /// From 1.
    pub fix: usize,
    pub verdict: Verdict,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
}

fn guild_sql(g: Option<u64>) -> i64 {
    g.map_or(NO_GUILD, to_sql)
}

/// The rows one server sees of its own (`Some`), or those of every server
/// that shares (`None`): the condition, with its parameter as number `n`.
fn scope(guild: Option<u64>, n: usize) -> (String, Vec<i64>) {
    match guild {
        Some(g) => (format!("guild_id = ?{n}"), vec![to_sql(g)]),
        None => (
            "guild_id NOT IN (SELECT guild_id FROM outcome_optout)".to_string(),
            Vec::new(),
        ),
    }
}

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn counts_of(fixed: i64, no_help: i64, passed: i64) -> FixCounts {
    FixCounts {
        fixed: fixed.max(0) as u64,
        no_help: no_help.max(0) as u64,
        passed: passed.max(0) as u64,
    }
}

impl Store {
    /// Counts `o`: a member's first report on a fix under an answer adds
    /// one; a changed mind moves their one vote; the same report again
    /// changes nothing (`false`). Expired votes are dropped first.
    pub fn record_outcome(&self, o: &Outcome) -> Result<bool, Error> {
        let fix = o.fix as i64;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "DELETE FROM outcome_votes WHERE expires <= ?1",
            [ms(o.at_ms)],
        )?;
        let before: Option<i64> = tx
            .query_row(
                "SELECT verdict FROM outcome_votes WHERE message_id = ?1 AND member_id = ?2 AND entry = ?3 AND fix = ?4",
                params![to_sql(o.message), to_sql(o.member), o.entry, fix],
                |r| r.get(0),
            )
            .optional()?;
        let before = before.and_then(Verdict::from_code);
        if before == Some(o.verdict) {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO outcome_votes (message_id, member_id, entry, fix, verdict, expires)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (message_id, member_id, entry, fix) DO UPDATE SET verdict = excluded.verdict",
            params![
                to_sql(o.message),
                to_sql(o.member),
                o.entry,
                fix,
                o.verdict.code(),
                ms(o.at_ms.saturating_add(ANSWERED_KEEP_MS))
            ],
        )?;
        let guild = guild_sql(o.guild);
        tx.execute(
            "INSERT INTO outcome_counts (guild_id, entry, fix, fixed, no_help, passed)
             VALUES (?1, ?2, ?3, 0, 0, 0) ON CONFLICT (guild_id, entry, fix) DO NOTHING",
            params![guild, o.entry, fix],
        )?;
        let col = o.verdict.column();
        let sql = match before {
            Some(b) => format!(
                "UPDATE outcome_counts SET {col} = {col} + 1,
                 {old} = CASE WHEN {old} > 0 THEN {old} - 1 ELSE 0 END
                 WHERE guild_id = ?1 AND entry = ?2 AND fix = ?3",
                old = b.column()
            ),
            None => format!(
                "UPDATE outcome_counts SET {col} = {col} + 1 WHERE guild_id = ?1 AND entry = ?2 AND fix = ?3"
            ),
        };
        tx.execute(&sql, params![guild, o.entry, fix])?;
        tx.commit()?;
        Ok(true)
    }

    /// Drops the votes (member ids) whose answer has expired by `now_ms`.
    pub fn forget_votes(&self, now_ms: u64) -> Result<usize, Error> {
        Ok(self.conn.execute(
            "DELETE FROM outcome_votes WHERE expires <= ?1",
            [ms(now_ms)],
        )?)
    }

    /// What the answers in `guild` go by for `entry`'s `fixes` fixes (by
    /// place, from 0): the counts of every sharing server and its own.
    pub fn outcome_counts(
        &self,
        guild: Option<u64>,
        entry: &str,
        fixes: usize,
    ) -> Result<Vec<FixCounts>, Error> {
        let mut out = vec![FixCounts::default(); fixes];
        let mut stmt = self.conn.prepare_cached(
            "SELECT fix, SUM(fixed), SUM(no_help), SUM(passed) FROM outcome_counts
             WHERE entry = ?1 AND (guild_id = ?2 OR guild_id NOT IN (SELECT guild_id FROM outcome_optout))
             GROUP BY fix",
        )?;
        let rows = stmt.query_map(params![entry, guild_sql(guild)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                counts_of(r.get(1)?, r.get(2)?, r.get(3)?),
            ))
        })?;
        for row in rows {
            let (fix, c) = row?;
            if let Some(slot) = usize::try_from(fix - 1).ok().and_then(|i| out.get_mut(i)) {
                *slot = c;
            }
        }
        Ok(out)
    }

    /// Every entry's counts: one server's own (`Some`), or the shared
    /// ones of every server that did not opt out (`None`).
    pub fn outcome_rows(&self, guild: Option<u64>) -> Result<Vec<OutcomeRow>, Error> {
        let (filter, args) = scope(guild, 1);
        let sql = format!(
            "SELECT entry, fix, SUM(fixed), SUM(no_help), SUM(passed) FROM outcome_counts
             WHERE {filter} GROUP BY entry, fix ORDER BY entry, fix"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(OutcomeRow {
                entry: r.get(0)?,
                fix: r.get::<_, i64>(1)?.max(0) as usize,
                counts: counts_of(r.get(2)?, r.get(3)?, r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Does `guild` share its outcomes with other servers (the default)?
    pub fn shares_outcomes(&self, guild: u64) -> Result<bool, Error> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM outcome_optout WHERE guild_id = ?1",
            [to_sql(guild)],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }

    pub fn set_share_outcomes(&self, guild: u64, share: bool) -> Result<(), Error> {
        let sql = if share {
            "DELETE FROM outcome_optout WHERE guild_id = ?1"
        } else {
            "INSERT INTO outcome_optout (guild_id) VALUES (?1) ON CONFLICT (guild_id) DO NOTHING"
        };
        self.conn.execute(sql, [to_sql(guild)])?;
        Ok(())
    }

    /// Counts one answer (`entry` is the entry or `@ladder` it led with)
    /// or one question with no answer (`entry` `None`, `answered` false) on
    /// day `day`; rows older than [`DAYS_KEPT`] days are dropped.
    pub fn count_answer(
        &self,
        guild: Option<u64>,
        day: i64,
        code: Option<u32>,
        entry: Option<&str>,
        answered: bool,
    ) -> Result<(), Error> {
        let code = code.map_or(-1, i64::from);
        self.conn.execute(
            "INSERT INTO answer_days (guild_id, day, code, entry, answered, n)
             VALUES (?1, ?2, ?3, ?4, ?5, 1)
             ON CONFLICT (guild_id, day, code, entry, answered) DO UPDATE SET n = answer_days.n + 1",
            params![guild_sql(guild), day, code, entry.unwrap_or(""), answered],
        )?;
        self.conn.execute(
            "DELETE FROM answer_days WHERE day < ?1",
            [day.saturating_sub(DAYS_KEPT)],
        )?;
        Ok(())
    }

    /// The per-day counts from day `since` on: one server's (`Some`), or
    /// those of every server that did not opt out (`None`).
    pub fn day_rows(&self, guild: Option<u64>, since: i64) -> Result<Vec<DayRow>, Error> {
        let (filter, guild_arg) = scope(guild, 2);
        let mut args = vec![since];
        args.extend(guild_arg);
        let sql = format!(
            "SELECT day, code, entry, answered, SUM(n) FROM answer_days
             WHERE day >= ?1 AND {filter} GROUP BY day, code, entry, answered ORDER BY day"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            let code: i64 = r.get(1)?;
            let entry: String = r.get(2)?;
            Ok(DayRow {
                day: r.get(0)?,
                code: u32::try_from(code).ok(),
                entry: (!entry.is_empty()).then_some(entry),
                answered: r.get(3)?,
                count: r.get::<_, i64>(4)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests;
