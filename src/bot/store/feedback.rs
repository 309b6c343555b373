//! The verdicts people give on fixes, one per person, message, entry and
//! fix: a second click replaces the first, from whichever process.

use std::collections::BTreeMap;

use super::{Store, id, int};
use crate::error::Error;

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

impl Store {
    /// Records a verdict; a person's second click on the same message and
    /// fix replaces the first.
    pub fn record_feedback(&mut self, f: &Feedback) -> Result<(), Error> {
        self.execute(
            "INSERT INTO feedback (message_id, user_id, guild_id, entry, fix, helped, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (message_id, user_id, entry, fix)
             DO UPDATE SET helped = excluded.helped, at = excluded.at, guild_id = excluded.guild_id",
            &[
                id(f.message),
                id(f.user),
                f.guild.map(id).unwrap_or(super::Value::Null),
                f.entry.as_str().into(),
                int(f.fix as u64),
                f.helped.into(),
                int(f.at),
            ],
        )?;
        Ok(())
    }

    /// Votes per fix of `entry`, by fix number.
    pub fn feedback(&mut self, entry: &str) -> Result<BTreeMap<usize, Tally>, Error> {
        let mut out: BTreeMap<usize, Tally> = BTreeMap::new();
        let rows = self.query(
            "SELECT fix, helped, COUNT(*) FROM feedback WHERE entry = $1 GROUP BY fix, helped ORDER BY fix",
            &[entry.into()],
        )?;
        for r in rows {
            let (Some(fix), Some(helped), Some(n)) = (r[0].count(), r[1].boolean(), r[2].count())
            else {
                continue;
            };
            let t = out.entry(fix as usize).or_default();
            if helped {
                t.fixed += n;
            } else {
                t.no_help += n;
            }
        }
        Ok(out)
    }
}
