//! A server's settings and who may change them.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::answer::DEFAULT_THRESHOLD;
use crate::bot::limits::{DEFAULT_CHANNEL_LIMIT, DEFAULT_MEMBER_LIMIT, MAX_LIMIT};

/// Below the passive threshold and from this confidence up, the bot offers
/// its answer with a reaction instead of posting it.
pub const DEFAULT_REACT_THRESHOLD: f32 = crate::answer::DEFAULT_REACT_THRESHOLD;

/// The reaction that offers an answer (the author adds the same to get it).
pub const DEFAULT_REACTION: &str = "\u{1F50E}";

/// The same entry is not answered twice in one channel or thread within
/// this time, unless a moderator sets another cooldown.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(10 * 60);

/// The longest cooldown a moderator can set (one day).
pub const MAX_COOLDOWN: Duration = Duration::from_secs(24 * 60 * 60);

/// Discord permission bits the bot checks or needs, as the API sends them.
pub mod permissions {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;

    /// What the bot asks for when invited: see its channels, send (also in
    /// threads), embed its answers, reply to messages, and react (offers
    /// and quiet answers to mentions).
    pub const INVITE: u64 = VIEW_CHANNEL
        | ADD_REACTIONS
        | SEND_MESSAGES
        | SEND_MESSAGES_IN_THREADS
        | EMBED_LINKS
        | READ_MESSAGE_HISTORY;
}

/// The link that adds the bot to a server, with its slash commands and the
/// permissions it needs.
pub fn invite_url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}&scope=bot+applications.commands&permissions={}",
        permissions::INVITE
    )
}

/// May change the bot's settings: Manage Server (or Administrator).
pub fn can_manage(perms: u64) -> bool {
    perms & (permissions::ADMINISTRATOR | permissions::MANAGE_GUILD) != 0
}

/// May dismiss anyone's answer: Manage Messages or Manage Server (or
/// Administrator).
pub fn is_moderator(perms: u64) -> bool {
    perms & (permissions::ADMINISTRATOR | permissions::MANAGE_GUILD | permissions::MANAGE_MESSAGES)
        != 0
}

/// One server's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct GuildSettings {
    /// Channels the bot reads on its own, with the threads and forum posts
    /// under them.
    pub channels: BTreeSet<u64>,
    /// The confidence a symptom match needs for a passive answer.
    pub threshold: f32,
    /// How long the same entry stays quiet in a channel or thread.
    pub cooldown: Duration,
    /// In threads under enabled channels, answer only the thread starter.
    pub thread_starter_only: bool,
    /// Answers a minute for one member (0: no limit).
    pub member_limit: u32,
    /// Answers a minute in one channel or thread (0: no limit).
    pub channel_limit: u32,
    /// Offer unsure answers with a reaction (the middle ground).
    pub react: bool,
    /// The confidence from which an unsure answer is offered.
    pub react_threshold: f32,
    /// The reaction that offers an answer.
    pub reaction: String,
}

impl Default for GuildSettings {
    fn default() -> GuildSettings {
        GuildSettings {
            channels: BTreeSet::new(),
            threshold: DEFAULT_THRESHOLD,
            cooldown: DEFAULT_COOLDOWN,
            thread_starter_only: false,
            member_limit: DEFAULT_MEMBER_LIMIT,
            channel_limit: DEFAULT_CHANNEL_LIMIT,
            react: true,
            react_threshold: DEFAULT_REACT_THRESHOLD,
            reaction: DEFAULT_REACTION.to_string(),
        }
    }
}

impl GuildSettings {
    /// Is `channel` enabled, or is it a thread or forum post whose parent
    /// is?
    pub fn is_enabled(&self, channel: u64, parent: Option<u64>) -> bool {
        self.channels.contains(&channel) || parent.is_some_and(|p| self.channels.contains(&p))
    }
}

/// A threshold a moderator may set: between 0 and 1.
pub fn valid_threshold(t: f64) -> Option<f32> {
    (t.is_finite() && (0.0..=1.0).contains(&t)).then_some(t as f32)
}

/// A cooldown a moderator may set, in minutes: 0 (off) up to a day.
pub fn valid_cooldown_minutes(m: i64) -> Option<Duration> {
    let d = Duration::from_secs(u64::try_from(m).ok()?.checked_mul(60)?);
    (d <= MAX_COOLDOWN).then_some(d)
}

/// A rate limit a moderator may set: 0 (off) up to [`MAX_LIMIT`] a minute.
pub fn valid_limit(n: i64) -> Option<u32> {
    u32::try_from(n).ok().filter(|&n| n <= MAX_LIMIT)
}

/// A reaction a moderator may set: one Unicode emoji (a few code points,
/// as flags and skin tones need), no letters, digits, spaces or custom
/// emoji markup.
pub fn valid_reaction(s: &str) -> Option<String> {
    let s = s.trim();
    let n = s.chars().count();
    let ok = (1..=8).contains(&n)
        && s.chars()
            .all(|c| !c.is_ascii() || c == '#' || c == '*' || c.is_ascii_digit() && n > 1)
        && !s.is_ascii();
    ok.then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_checks() {
        let cases: &[(u64, bool, bool)] = &[
            (0, false, false),
            (permissions::MANAGE_GUILD, true, true),
            (permissions::ADMINISTRATOR, true, true),
            (permissions::MANAGE_MESSAGES, false, true),
            (permissions::MANAGE_CHANNELS, false, false),
            (u64::MAX, true, true),
        ];
        for &(perms, manage, moderator) in cases {
            assert_eq!(can_manage(perms), manage, "can_manage({perms:#x})");
            assert_eq!(is_moderator(perms), moderator, "is_moderator({perms:#x})");
        }
    }

    #[test]
    fn the_invite_asks_for_exactly_what_the_bot_needs() {
        assert_eq!(permissions::INVITE, 274_877_992_000);
        assert_eq!(
            invite_url(42),
            "https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands&permissions=274877992000"
        );
    }

    #[test]
    fn enabled_channels_include_threads_under_them() {
        let s = GuildSettings {
            channels: [10, 20].into(),
            ..GuildSettings::default()
        };
        let cases: &[(u64, Option<u64>, bool)] = &[
            (10, None, true),
            (11, None, false),
            (99, Some(20), true),
            (99, Some(21), false),
            (20, Some(5), true),
        ];
        for &(channel, parent, want) in cases {
            assert_eq!(
                s.is_enabled(channel, parent),
                want,
                "channel {channel} parent {parent:?}"
            );
        }
    }

    #[test]
    fn settings_are_validated() {
        assert_eq!(valid_threshold(0.5), Some(0.5));
        assert_eq!(valid_threshold(0.0), Some(0.0));
        assert_eq!(valid_threshold(1.0), Some(1.0));
        assert_eq!(valid_threshold(1.5), None);
        assert_eq!(valid_threshold(-0.1), None);
        assert_eq!(valid_threshold(f64::NAN), None);
        assert_eq!(valid_cooldown_minutes(0), Some(Duration::ZERO));
        assert_eq!(valid_cooldown_minutes(10), Some(DEFAULT_COOLDOWN));
        assert_eq!(valid_cooldown_minutes(24 * 60), Some(MAX_COOLDOWN));
        assert_eq!(valid_cooldown_minutes(24 * 60 + 1), None);
        assert_eq!(valid_cooldown_minutes(-1), None);
        assert_eq!(valid_cooldown_minutes(i64::MAX), None);
        assert_eq!(valid_limit(0), Some(0));
        assert_eq!(valid_limit(5), Some(5));
        assert_eq!(valid_limit(i64::from(MAX_LIMIT) + 1), None);
        assert_eq!(valid_limit(-1), None);
        assert_eq!(valid_reaction("\u{1F50E}").as_deref(), Some("\u{1F50E}"));
        assert_eq!(valid_reaction(" \u{2753} ").as_deref(), Some("\u{2753}"));
        for bad in [
            "",
            "a",
            "ok",
            "<:custom:123>",
            "\u{1F50E} \u{1F50E}",
            "1",
            &"\u{1F50E}".repeat(9),
        ] {
            assert_eq!(valid_reaction(bad), None, "{bad:?}");
        }
    }
}
