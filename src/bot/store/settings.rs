//! Server settings and enabled channels.

use std::time::Duration;

use super::{Store, Value, id, int};
use crate::bot::settings::GuildSettings;
use crate::error::Error;

impl Store {
    /// A server's settings (the defaults when it never changed any).
    pub fn settings(&mut self, guild: u64) -> Result<GuildSettings, Error> {
        let mut s = GuildSettings::default();
        let rows = self.query(
            "SELECT threshold, cooldown_secs, thread_starter_only, member_limit, channel_limit, react, react_threshold, reaction FROM guild_settings WHERE guild_id = $1",
            &[id(guild)],
        )?;
        if let Some(r) = rows.first() {
            if let Some(t) = r[0].real() {
                s.threshold = t as f32;
            }
            if let Some(c) = r[1].count() {
                s.cooldown = Duration::from_secs(c);
            }
            s.thread_starter_only = r[2].boolean().unwrap_or(false);
            if let Some(n) = r[3].int() {
                s.member_limit = u32::try_from(n).unwrap_or(0);
            }
            if let Some(n) = r[4].int() {
                s.channel_limit = u32::try_from(n).unwrap_or(0);
            }
            if let Some(on) = r[5].boolean() {
                s.react = on;
            }
            if let Some(t) = r[6].real() {
                s.react_threshold = t as f32;
            }
            if let Some(reaction) = r[7].text() {
                s.reaction = reaction.to_string();
            }
        }
        let channels = self.query(
            "SELECT channel_id FROM enabled_channels WHERE guild_id = $1",
            &[id(guild)],
        )?;
        s.channels.extend(channels.iter().filter_map(|r| r[0].id()));
        Ok(s)
    }

    /// Sets one column of a server's settings row (made when missing).
    fn set_column(&mut self, guild: u64, column: &str, value: Value) -> Result<(), Error> {
        // `column` is one of the names below, never from input.
        let sql = format!(
            "INSERT INTO guild_settings (guild_id, {column}) VALUES ($1, $2)
             ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column}"
        );
        self.execute(&sql, &[id(guild), value])?;
        Ok(())
    }

    pub fn set_threshold(&mut self, guild: u64, threshold: f32) -> Result<(), Error> {
        self.set_column(guild, "threshold", f64::from(threshold).into())
    }

    pub fn set_cooldown(&mut self, guild: u64, cooldown: Duration) -> Result<(), Error> {
        self.set_column(guild, "cooldown_secs", int(cooldown.as_secs()))
    }

    pub fn set_thread_starter_only(&mut self, guild: u64, on: bool) -> Result<(), Error> {
        self.set_column(guild, "thread_starter_only", on.into())
    }

    /// Answers a minute for one member, and in one channel (0: no limit).
    pub fn set_limits(
        &mut self,
        guild: u64,
        member: Option<u32>,
        channel: Option<u32>,
    ) -> Result<(), Error> {
        if let Some(n) = member {
            self.set_column(guild, "member_limit", i64::from(n).into())?;
        }
        if let Some(n) = channel {
            self.set_column(guild, "channel_limit", i64::from(n).into())?;
        }
        Ok(())
    }

    /// The middle ground: on or off, its threshold, its reaction.
    pub fn set_react(
        &mut self,
        guild: u64,
        on: Option<bool>,
        threshold: Option<f32>,
        reaction: Option<&str>,
    ) -> Result<(), Error> {
        if let Some(on) = on {
            self.set_column(guild, "react", on.into())?;
        }
        if let Some(t) = threshold {
            self.set_column(guild, "react_threshold", f64::from(t).into())?;
        }
        if let Some(r) = reaction {
            self.set_column(guild, "reaction", r.into())?;
        }
        Ok(())
    }

    /// Enables `channel`; `false` when it already was.
    pub fn add_channel(&mut self, guild: u64, channel: u64) -> Result<bool, Error> {
        let n = self.execute(
            "INSERT INTO enabled_channels (guild_id, channel_id) VALUES ($1, $2)
             ON CONFLICT (guild_id, channel_id) DO NOTHING",
            &[id(guild), id(channel)],
        )?;
        Ok(n == 1)
    }

    /// Disables `channel`; `false` when it wasn't enabled.
    pub fn remove_channel(&mut self, guild: u64, channel: u64) -> Result<bool, Error> {
        let n = self.execute(
            "DELETE FROM enabled_channels WHERE guild_id = $1 AND channel_id = $2",
            &[id(guild), id(channel)],
        )?;
        Ok(n == 1)
    }
}
