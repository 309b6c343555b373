//! Should this message be answered?
//!
//! Two steps around the engine: [`trigger`] decides from who wrote the
//! message and where whether to read it at all (cheap, before answering);
//! [`Policy::decide`] then looks at what the answer would be and at what
//! was already said: at most one reply per message, edits only when they
//! add a code to a message that got no answer, and the same entry not
//! repeated in a channel or thread within the cooldown.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::answer::Answer;
use crate::bot::settings::{GuildSettings, MAX_COOLDOWN};
use crate::codes::hex;

/// Where a message was posted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// `None` in direct messages.
    pub guild: Option<u64>,
    pub channel: u64,
    /// The channel a thread or forum post is under.
    pub parent: Option<u64>,
    /// Who started the thread, when `channel` is a thread or forum post.
    pub thread_owner: Option<u64>,
}

/// A message, as the policy needs to see it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub id: u64,
    pub author: u64,
    pub author_is_bot: bool,
    /// Sent through a webhook (integrations, bridges, other bots).
    pub webhook: bool,
    /// A system message (joins, pins, boosts), not something a person wrote.
    pub system: bool,
    /// The message mentions the bot itself.
    pub mentions_me: bool,
    /// This is an edit of an earlier message.
    pub edit: bool,
    pub place: Place,
    pub content: &'a str,
}

/// Why the bot reads a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Posted in an enabled channel: answer only when sure.
    Passive,
    /// Someone mentioned the bot: answer, marked as a guess when unsure.
    Mention,
}

/// Why a message gets no answer (for the log, never shown to people).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    Myself,
    Bot,
    Webhook,
    System,
    DirectMessage,
    NotEnabled,
    NotThreadStarter,
    AlreadyAnswered,
    /// An edit that doesn't add a code to an unanswered message.
    Edit,
    /// An edit of a message older than [`EDIT_WINDOW`] that the bot never saw.
    OldEdit,
    NothingToSay,
    Cooldown,
}

/// Edits of messages the bot has not seen (sent before it started) count
/// only while the message is this young.
pub const EDIT_WINDOW: Duration = Duration::from_secs(30 * 60);

/// Milliseconds since the Unix epoch at which Discord's snowflakes start.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// When a Discord id (a snowflake) was made, in milliseconds since the Unix
/// epoch.
pub fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// Does the bot read this message, and why? Decided before answering.
pub fn trigger(msg: &Incoming<'_>, me: u64, settings: &GuildSettings) -> Result<Trigger, Skip> {
    if msg.author == me {
        return Err(Skip::Myself);
    }
    if msg.webhook {
        return Err(Skip::Webhook);
    }
    if msg.author_is_bot {
        return Err(Skip::Bot);
    }
    if msg.system {
        return Err(Skip::System);
    }
    if msg.place.guild.is_none() {
        return Err(Skip::DirectMessage);
    }
    if msg.mentions_me {
        return Ok(Trigger::Mention);
    }
    if !settings.is_enabled(msg.place.channel, msg.place.parent) {
        return Err(Skip::NotEnabled);
    }
    if settings.thread_starter_only
        && let Some(owner) = msg.place.thread_owner
        && owner != msg.author
    {
        return Err(Skip::NotThreadStarter);
    }
    Ok(Trigger::Passive)
}

/// The text the engine reads: quoted lines (`> `, and everything after
/// `>>> `) left out, and for a mention the mention of the bot itself.
pub fn text_to_read(content: &str, trigger: Trigger, me: u64) -> String {
    let mut out = String::with_capacity(content.len());
    for line in content.lines() {
        if line.starts_with(">>> ") || line == ">>>" {
            break;
        }
        if line.starts_with("> ") || line == ">" {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    if trigger == Trigger::Mention {
        for form in [format!("<@{me}>"), format!("<@!{me}>")] {
            out = out.replace(&form, " ");
        }
        out = out.trim().to_string();
    }
    out
}

/// What the answer to a message would be, as the policy needs to see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The message contains at least one error code.
    pub has_code: bool,
    /// There is something to say: a passive answer is sure enough, a
    /// mention found anything at all.
    pub reply: bool,
    /// What the answer would show, for the cooldown: see [`cooldown_keys`].
    pub keys: Vec<String>,
}

impl Outcome {
    pub fn of(answer: &Answer, trigger: Trigger) -> Outcome {
        Outcome {
            has_code: !answer.codes.is_empty(),
            reply: match trigger {
                Trigger::Passive => answer.reply && !answer.is_empty(),
                Trigger::Mention => true,
            },
            keys: cooldown_keys(answer),
        }
    }
}

/// What an answer shows, for the cooldown: the entry of each code (or the
/// code itself when it has no entry), or the best match when there is no
/// code.
pub fn cooldown_keys(answer: &Answer) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for c in &answer.codes {
        let key = match &c.entry {
            Some(id) => id.clone(),
            None => format!("code:{}", hex(c.decoded.code)),
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    if keys.is_empty()
        && let Some(m) = answer.matches.first()
    {
        keys.push(m.entry.id.clone());
    }
    keys
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    answered: bool,
    had_code: bool,
}

/// What the bot remembers between messages: which messages it saw and
/// answered, and when it last showed each entry in each channel. Memory is
/// bounded: the oldest messages are forgotten first.
#[derive(Debug)]
pub struct Policy {
    seen: HashMap<u64, Seen>,
    order: VecDeque<u64>,
    capacity: usize,
    last_shown: HashMap<(u64, String), Instant>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy::with_capacity(50_000)
    }
}

impl Policy {
    /// Remembers at most `capacity` messages.
    pub fn with_capacity(capacity: usize) -> Policy {
        Policy {
            seen: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            last_shown: HashMap::new(),
        }
    }

    /// Decides whether `msg` gets `outcome` as its answer, and if so
    /// remembers it as answered right away, so that a second event for the
    /// same message (an edit, a replay after a resume) gets no second reply.
    /// `now_ms` is the wall clock in milliseconds since the Unix epoch (for
    /// the age of edited messages).
    pub fn decide(
        &mut self,
        msg: &Incoming<'_>,
        trigger: Trigger,
        outcome: &Outcome,
        settings: &GuildSettings,
        now: Instant,
        now_ms: u64,
    ) -> Result<(), Skip> {
        let seen = self.seen.get(&msg.id).copied();
        if seen.is_some_and(|s| s.answered) {
            return Err(Skip::AlreadyAnswered);
        }
        if msg.edit {
            if !outcome.has_code || seen.is_some_and(|s| s.had_code) {
                return Err(Skip::Edit);
            }
            if seen.is_none()
                && now_ms.saturating_sub(snowflake_ms(msg.id)) > EDIT_WINDOW.as_millis() as u64
            {
                return Err(Skip::OldEdit);
            }
        }
        if !outcome.reply {
            self.remember(
                msg.id,
                Seen {
                    answered: false,
                    had_code: outcome.has_code,
                },
            );
            return Err(Skip::NothingToSay);
        }
        if trigger == Trigger::Passive
            && self.cooling_down(msg.place.channel, &outcome.keys, settings.cooldown, now)
        {
            self.remember(
                msg.id,
                Seen {
                    answered: false,
                    had_code: outcome.has_code,
                },
            );
            return Err(Skip::Cooldown);
        }
        self.remember(
            msg.id,
            Seen {
                answered: true,
                had_code: outcome.has_code,
            },
        );
        self.shown(msg.place.channel, &outcome.keys, now);
        Ok(())
    }

    /// Was every key shown in `channel` within `cooldown`?
    fn cooling_down(
        &self,
        channel: u64,
        keys: &[String],
        cooldown: Duration,
        now: Instant,
    ) -> bool {
        !cooldown.is_zero()
            && !keys.is_empty()
            && keys.iter().all(|k| {
                self.last_shown
                    .get(&(channel, k.clone()))
                    .is_some_and(|&t| now.saturating_duration_since(t) < cooldown)
            })
    }

    /// Remembers that `keys` were shown in `channel` at `now` (also for
    /// answers given on request, so a passive repeat stays quiet).
    pub fn shown(&mut self, channel: u64, keys: &[String], now: Instant) {
        if self.last_shown.len() > 10_000 {
            self.last_shown
                .retain(|_, &mut t| now.saturating_duration_since(t) < MAX_COOLDOWN);
        }
        for k in keys {
            self.last_shown.insert((channel, k.clone()), now);
        }
    }

    /// Has `message` been answered?
    pub fn answered(&self, message: u64) -> bool {
        self.seen.get(&message).is_some_and(|s| s.answered)
    }

    /// How many messages are remembered.
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }

    fn remember(&mut self, id: u64, seen: Seen) {
        if self.seen.insert(id, seen).is_none() {
            self.order.push_back(id);
            while self.order.len() > self.capacity {
                if let Some(old) = self.order.pop_front() {
                    self.seen.remove(&old);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: u64 = 1000;
    const GUILD: u64 = 1;
    const HELP: u64 = 50;
    const CHAT: u64 = 60;
    const THREAD: u64 = 70;
    const ASKER: u64 = 7;

    fn settings() -> GuildSettings {
        GuildSettings {
            channels: [HELP].into(),
            ..GuildSettings::default()
        }
    }

    fn msg(content: &str) -> Incoming<'_> {
        Incoming {
            id: 42,
            author: ASKER,
            author_is_bot: false,
            webhook: false,
            system: false,
            mentions_me: false,
            edit: false,
            place: Place {
                guild: Some(GUILD),
                channel: HELP,
                parent: None,
                thread_owner: None,
            },
            content,
        }
    }

    fn in_thread(mut m: Incoming<'_>, owner: u64) -> Incoming<'_> {
        m.place.channel = THREAD;
        m.place.parent = Some(HELP);
        m.place.thread_owner = Some(owner);
        m
    }

    #[test]
    fn who_and_where_is_read() {
        let plain = settings();
        let starter_only = GuildSettings {
            thread_starter_only: true,
            ..settings()
        };
        let base = msg("0x80070002");
        let cases: Vec<(&str, Incoming<'_>, &GuildSettings, Result<Trigger, Skip>)> = vec![
            ("enabled channel", base, &plain, Ok(Trigger::Passive)),
            (
                "itself",
                Incoming {
                    author: ME,
                    author_is_bot: true,
                    ..base
                },
                &plain,
                Err(Skip::Myself),
            ),
            (
                "other bot",
                Incoming {
                    author_is_bot: true,
                    ..base
                },
                &plain,
                Err(Skip::Bot),
            ),
            (
                "bot mentioning me",
                Incoming {
                    author_is_bot: true,
                    mentions_me: true,
                    ..base
                },
                &plain,
                Err(Skip::Bot),
            ),
            (
                "webhook",
                Incoming {
                    webhook: true,
                    ..base
                },
                &plain,
                Err(Skip::Webhook),
            ),
            (
                "system message",
                Incoming {
                    system: true,
                    ..base
                },
                &plain,
                Err(Skip::System),
            ),
            (
                "direct message",
                Incoming {
                    place: Place {
                        guild: None,
                        ..base.place
                    },
                    mentions_me: true,
                    ..base
                },
                &plain,
                Err(Skip::DirectMessage),
            ),
            (
                "disabled channel",
                Incoming {
                    place: Place {
                        channel: CHAT,
                        ..base.place
                    },
                    ..base
                },
                &plain,
                Err(Skip::NotEnabled),
            ),
            (
                "mention in a disabled channel",
                Incoming {
                    place: Place {
                        channel: CHAT,
                        ..base.place
                    },
                    mentions_me: true,
                    ..base
                },
                &plain,
                Ok(Trigger::Mention),
            ),
            (
                "thread under enabled channel",
                in_thread(base, 99),
                &plain,
                Ok(Trigger::Passive),
            ),
            (
                "thread, starter only, starter",
                in_thread(base, ASKER),
                &starter_only,
                Ok(Trigger::Passive),
            ),
            (
                "thread, starter only, someone else",
                in_thread(base, 99),
                &starter_only,
                Err(Skip::NotThreadStarter),
            ),
            (
                "thread, starter only, someone else mentions me",
                Incoming {
                    mentions_me: true,
                    ..in_thread(base, 99)
                },
                &starter_only,
                Ok(Trigger::Mention),
            ),
            (
                "channel itself, starter only",
                base,
                &starter_only,
                Ok(Trigger::Passive),
            ),
            (
                "thread under disabled channel",
                Incoming {
                    place: Place {
                        parent: Some(CHAT),
                        ..in_thread(base, ASKER).place
                    },
                    ..base
                },
                &plain,
                Err(Skip::NotEnabled),
            ),
        ];
        for (name, m, s, want) in cases {
            assert_eq!(trigger(&m, ME, s), want, "{name}");
        }
    }

    #[test]
    fn quoted_lines_and_own_mention_are_not_read() {
        let cases: &[(&str, Trigger, &str)] = &[
            ("plain 0x80070002", Trigger::Passive, "plain 0x80070002"),
            (
                "> 0x80070002\nthanks, that worked",
                Trigger::Passive,
                "thanks, that worked",
            ),
            (
                "look:\n>>> 0x80070002\nmore quoted",
                Trigger::Passive,
                "look:",
            ),
            (">not a quote 0x1", Trigger::Passive, ">not a quote 0x1"),
            (">\n> quoted\nmine", Trigger::Passive, "mine"),
            (
                "<@1000> what is 0x80070005",
                Trigger::Mention,
                "what is 0x80070005",
            ),
            ("<@!1000> help", Trigger::Mention, "help"),
            ("<@1000> <@2000> help", Trigger::Mention, "<@2000> help"),
            ("<@1000> help", Trigger::Passive, "<@1000> help"),
        ];
        for &(input, trig, want) in cases {
            assert_eq!(text_to_read(input, trig, ME), want, "{input:?}");
        }
    }

    fn coded(keys: &[&str]) -> Outcome {
        Outcome {
            has_code: true,
            reply: true,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn chatter() -> Outcome {
        Outcome::default()
    }

    /// One step of a table: a message (id, channel, edit?), its outcome,
    /// seconds since the start, and what the policy says.
    struct Step {
        id: u64,
        channel: u64,
        edit: bool,
        outcome: Outcome,
        at_secs: u64,
        trigger: Trigger,
        want: Result<(), Skip>,
    }

    fn step(id: u64, channel: u64, outcome: Outcome, at_secs: u64, want: Result<(), Skip>) -> Step {
        Step {
            id,
            channel,
            edit: false,
            outcome,
            at_secs,
            trigger: Trigger::Passive,
            want,
        }
    }

    fn run(steps: Vec<Step>, settings: &GuildSettings) {
        let start = Instant::now();
        // Message ids are made "now" so that edits are inside the window.
        let now_ms = snowflake_ms(1 << 40);
        let mut p = Policy::default();
        for (i, s) in steps.into_iter().enumerate() {
            let mut m = msg("");
            m.id = (1 << 40) + s.id;
            m.edit = s.edit;
            m.place.channel = s.channel;
            let got = p.decide(
                &m,
                s.trigger,
                &s.outcome,
                settings,
                start + Duration::from_secs(s.at_secs),
                now_ms,
            );
            assert_eq!(got, s.want, "step {i} (message {})", s.id);
        }
    }

    #[test]
    fn one_reply_per_message_and_cooldown_per_channel() {
        run(
            vec![
                step(1, HELP, coded(&["wu-missing-files"]), 0, Ok(())),
                // The same event again (a replay after a resume).
                step(
                    1,
                    HELP,
                    coded(&["wu-missing-files"]),
                    1,
                    Err(Skip::AlreadyAnswered),
                ),
                // Someone else, same entry, same channel, within 10 minutes.
                step(
                    2,
                    HELP,
                    coded(&["wu-missing-files"]),
                    60,
                    Err(Skip::Cooldown),
                ),
                // Same entry in another channel (or thread).
                step(3, THREAD, coded(&["wu-missing-files"]), 61, Ok(())),
                // A different entry in the first channel.
                step(4, HELP, coded(&["wu-access-denied"]), 62, Ok(())),
                // Two codes, one of them new: answered.
                step(
                    5,
                    HELP,
                    coded(&["wu-missing-files", "act-key-invalid"]),
                    63,
                    Ok(()),
                ),
                // Both shown recently: quiet.
                step(
                    6,
                    HELP,
                    coded(&["act-key-invalid", "wu-missing-files"]),
                    64,
                    Err(Skip::Cooldown),
                ),
                // After the cooldown the entry is shown again.
                step(7, HELP, coded(&["wu-missing-files"]), 63 + 600, Ok(())),
                step(8, HELP, chatter(), 700, Err(Skip::NothingToSay)),
            ],
            &settings(),
        );
    }

    #[test]
    fn cooldown_zero_is_off_and_mentions_ignore_it() {
        let off = GuildSettings {
            cooldown: Duration::ZERO,
            ..settings()
        };
        run(
            vec![
                step(1, HELP, coded(&["a"]), 0, Ok(())),
                step(2, HELP, coded(&["a"]), 1, Ok(())),
            ],
            &off,
        );
        run(
            vec![
                step(1, HELP, coded(&["a"]), 0, Ok(())),
                Step {
                    trigger: Trigger::Mention,
                    ..step(2, HELP, coded(&["a"]), 1, Ok(()))
                },
                // The mention's answer counts for the cooldown too.
                step(3, HELP, coded(&["a"]), 2, Err(Skip::Cooldown)),
            ],
            &settings(),
        );
    }

    #[test]
    fn edits_answer_only_when_they_add_a_code() {
        let edit = |id, outcome, at, want| Step {
            edit: true,
            ..step(id, HELP, outcome, at, want)
        };
        run(
            vec![
                // Chatter, then edited to add a code: answered.
                step(1, HELP, chatter(), 0, Err(Skip::NothingToSay)),
                edit(1, coded(&["a"]), 5, Ok(())),
                // Edited again: already answered.
                edit(1, coded(&["b"]), 6, Err(Skip::AlreadyAnswered)),
                // Answered at once; a later edit gets nothing new.
                step(2, HELP, coded(&["c"]), 10, Ok(())),
                edit(2, coded(&["c"]), 11, Err(Skip::AlreadyAnswered)),
                // An edit that adds no code.
                step(3, HELP, chatter(), 20, Err(Skip::NothingToSay)),
                edit(3, chatter(), 21, Err(Skip::Edit)),
                edit(
                    3,
                    Outcome {
                        has_code: false,
                        reply: true,
                        keys: vec!["d".into()],
                    },
                    22,
                    Err(Skip::Edit),
                ),
                // A code held back by the cooldown; editing it doesn't add one.
                step(4, HELP, coded(&["a"]), 30, Err(Skip::Cooldown)),
                edit(4, coded(&["a"]), 31, Err(Skip::Edit)),
                // A message from before the bot started, edited to add a code.
                edit(5, coded(&["e"]), 40, Ok(())),
            ],
            &settings(),
        );
    }

    #[test]
    fn old_unseen_messages_are_not_answered_on_edit() {
        let mut p = Policy::default();
        let mut m = msg("");
        m.edit = true;
        m.id = 1 << 40;
        let now_ms = snowflake_ms(m.id) + EDIT_WINDOW.as_millis() as u64 + 1;
        let got = p.decide(
            &m,
            Trigger::Passive,
            &coded(&["a"]),
            &settings(),
            Instant::now(),
            now_ms,
        );
        assert_eq!(got, Err(Skip::OldEdit));
    }

    #[test]
    fn memory_is_bounded() {
        let mut p = Policy::with_capacity(3);
        let now = Instant::now();
        for id in 1..=5 {
            let mut m = msg("");
            m.id = id;
            p.decide(&m, Trigger::Mention, &coded(&["a"]), &settings(), now, 0)
                .unwrap();
        }
        assert_eq!(p.remembered(), 3);
        assert!(!p.answered(1));
        assert!(p.answered(5));
    }

    #[test]
    fn snowflake_time() {
        // The example from Discord's documentation.
        assert_eq!(snowflake_ms(175_928_847_299_117_063), 1_462_015_105_796);
    }
}
