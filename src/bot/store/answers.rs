//! What the bot said where: answered messages (kept a day), the entries
//! shown per channel (kept for the cooldown), and interactions claimed by
//! the process answering them. A message or interaction is claimed with
//! one insert that only one process can make, before the reply is sent.

use std::time::Duration;

use super::{Store, id, int};
use crate::error::Error;

/// How long an answered message is remembered (replays after a resume or a
/// restart, late edits).
pub const ANSWERED_KEEP_MS: u64 = 24 * 60 * 60 * 1000;

/// How long a claimed interaction is remembered: Discord takes a response
/// to an interaction for 15 minutes.
pub const INTERACTION_KEEP_MS: u64 = 15 * 60 * 1000;

/// What the bot said, as the store keeps it for the policy's memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    /// Messages already answered.
    pub answered: Vec<u64>,
    /// `(channel, key, shown at)`, times in milliseconds since the Unix
    /// epoch.
    pub shown: Vec<(u64, String, u64)>,
}

/// What a process claims before it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// A message the bot replies to or reacts on (kept a day).
    Message(u64),
    /// A slash command, context-menu command or button press.
    Interaction(u64),
}

impl Store {
    /// Claims `what` at `at_ms`: `true` for the one caller, across every
    /// process on this database, that claims it first; `false` for every
    /// later one until the claim expires.
    pub fn claim(&mut self, what: Claim, at_ms: u64) -> Result<bool, Error> {
        let n = match what {
            Claim::Message(m) => self.execute(
                "INSERT INTO answered (message_id, expires) VALUES ($1, $2)
                 ON CONFLICT (message_id) DO NOTHING",
                &[id(m), int(at_ms.saturating_add(ANSWERED_KEEP_MS))],
            )?,
            Claim::Interaction(i) => {
                self.execute("DELETE FROM claimed WHERE expires <= $1", &[int(at_ms)])?;
                self.execute(
                    "INSERT INTO claimed (kind, id, expires) VALUES ('interaction', $1, $2)
                     ON CONFLICT (kind, id) DO NOTHING",
                    &[id(i), int(at_ms.saturating_add(INTERACTION_KEEP_MS))],
                )?
            }
        };
        Ok(n == 1)
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
        let cooldown_ms = u64::try_from(cooldown.as_millis()).unwrap_or(u64::MAX);
        self.transaction(|s| {
            if let Some(m) = message {
                s.execute(
                    "INSERT INTO answered (message_id, expires) VALUES ($1, $2)
                     ON CONFLICT (message_id) DO UPDATE SET expires = excluded.expires",
                    &[id(m), int(at_ms.saturating_add(ANSWERED_KEEP_MS))],
                )?;
            }
            if !cooldown.is_zero() {
                for k in keys {
                    s.execute(
                        "INSERT INTO shown (channel_id, key, at, expires) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (channel_id, key) DO UPDATE SET at = excluded.at, expires = excluded.expires",
                        &[
                            id(channel),
                            k.as_str().into(),
                            int(at_ms),
                            int(at_ms.saturating_add(cooldown_ms)),
                        ],
                    )?;
                }
            }
            s.prune(at_ms)
        })
    }

    fn prune(&mut self, now_ms: u64) -> Result<(), Error> {
        self.execute("DELETE FROM answered WHERE expires <= $1", &[int(now_ms)])?;
        self.execute("DELETE FROM shown WHERE expires <= $1", &[int(now_ms)])?;
        Ok(())
    }

    /// What was answered and shown and has not expired at `now_ms`
    /// (expired rows are deleted first).
    pub fn memory(&mut self, now_ms: u64) -> Result<Memory, Error> {
        self.prune(now_ms)?;
        let mut out = Memory::default();
        let rows = self.query(
            "SELECT message_id FROM answered ORDER BY expires, message_id",
            &[],
        )?;
        out.answered = rows.iter().filter_map(|r| r[0].id()).collect();
        let rows = self.query(
            "SELECT channel_id, key, at FROM shown ORDER BY at, channel_id, key",
            &[],
        )?;
        for r in rows {
            if let (Some(c), Some(k), Some(at)) = (r[0].id(), r[1].text(), r[2].count()) {
                out.shown.push((c, k.to_string(), at));
            }
        }
        Ok(out)
    }
}
