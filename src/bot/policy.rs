//! Should this message be answered?
//!
//! Two steps around the engine: [`trigger`] decides from who wrote the
//! message and where whether to read it at all (cheap, before answering);
//! [`Policy::decide`] then looks at what the answer would be and at what
//! was already said: at most one reply per message, edits only when they
//! add a code to a message that got no answer, the same entry not repeated
//! in a channel or thread within the cooldown (mentions included), and the
//! flood limits per member and per channel. It says what to do
//! ([`Reply`]): post the answer, offer it with a reaction (the middle
//! ground, see [`middle_ground`]), or react quietly to a mention.
//!
//! Times are wall-clock milliseconds since the Unix epoch, so that what the
//! policy remembers can be kept in the store across restarts
//! ([`Policy::restore`]).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use crate::answer::Answer;
use crate::bot::limits::{Limited, Limits};
use crate::bot::settings::{GuildSettings, MAX_COOLDOWN};
use crate::bot::store::Memory;
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
    /// A flood limit refused; `first` is the first refusal in its window.
    Limit(Limited),
}

/// What to do with a message that gets a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Post the answer.
    Answer,
    /// Post nothing; add the server's reaction to the message. When its
    /// author adds the same reaction, the answer is posted.
    Offer,
    /// A mention that found nothing: a reaction, not a message.
    NothingFound,
    /// A mention whose answer was shown in this channel within the
    /// cooldown: a reaction pointing at it, not the answer again.
    SeeAbove,
}

/// What a passive answer's confidence earns, between the server's two
/// thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passive {
    Reply,
    Offer,
    Quiet,
}

/// The middle ground: at or above `reply_threshold` the bot answers on its
/// own; from `react_threshold` up to it, it offers the answer with a
/// reaction (when the server has that on); below, it stays quiet.
pub fn middle_ground(
    confidence: f32,
    reply_threshold: f32,
    react_threshold: f32,
    react_on: bool,
) -> Passive {
    if !confidence.is_finite() {
        return Passive::Quiet;
    }
    if confidence >= reply_threshold {
        Passive::Reply
    } else if react_on && confidence >= react_threshold {
        Passive::Offer
    } else {
        Passive::Quiet
    }
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
    /// A passive answer not sure enough to post, but enough to offer.
    pub offer: bool,
    /// What the answer would show, for the cooldown: see [`cooldown_keys`].
    pub keys: Vec<String>,
}

impl Outcome {
    pub fn of(answer: &Answer, trigger: Trigger, settings: &GuildSettings) -> Outcome {
        let (reply, offer) = match trigger {
            Trigger::Passive if answer.reply && !answer.is_empty() => (true, false),
            // A passive answer below the threshold carries no matches, only
            // the best one's confidence; answers held back for another
            // reason (off topic, say) are not offered either.
            Trigger::Passive => (
                false,
                !answer.reply
                    && answer.codes.is_empty()
                    && answer.confidence > 0.0
                    && middle_ground(
                        answer.confidence,
                        settings.threshold,
                        settings.react_threshold,
                        settings.react,
                    ) == Passive::Offer,
            ),
            Trigger::Mention => (!answer.is_empty(), false),
        };
        Outcome {
            has_code: !answer.codes.is_empty(),
            reply,
            offer,
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
    /// When each key was last shown in each channel (ms).
    last_shown: HashMap<(u64, String), u64>,
    limits: Limits,
    offers: HashMap<u64, Offer>,
    offer_order: VecDeque<u64>,
}

/// An answer offered with a reaction, waiting for its author's reaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub channel: u64,
    pub author: u64,
    /// The text the engine read (at most [`OFFER_TEXT_MAX`] bytes).
    pub text: String,
    pub at_ms: u64,
}

/// How long an offer stands.
pub const OFFER_KEEP_MS: u64 = 60 * 60 * 1000;

/// The text kept per offer.
pub const OFFER_TEXT_MAX: usize = 8_000;

/// Offers kept at most (the oldest are dropped).
const OFFER_CAPACITY: usize = 10_000;

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
            limits: Limits::default(),
            offers: HashMap::new(),
            offer_order: VecDeque::new(),
        }
    }

    /// Takes in what the store kept from before a restart.
    pub fn restore(&mut self, memory: &Memory) {
        for &id in &memory.answered {
            self.remember(
                id,
                Seen {
                    answered: true,
                    had_code: true,
                },
            );
        }
        for (channel, key, at) in &memory.shown {
            self.last_shown.insert((*channel, key.clone()), *at);
        }
    }

    /// Decides whether and how `msg` gets `outcome` as its answer, and if
    /// so remembers it as answered right away, so that a second event for
    /// the same message (an edit, a replay after a resume) gets no second
    /// reply. `now_ms` is the wall clock in milliseconds since the Unix
    /// epoch.
    pub fn decide(
        &mut self,
        msg: &Incoming<'_>,
        trigger: Trigger,
        outcome: &Outcome,
        settings: &GuildSettings,
        now_ms: u64,
    ) -> Result<Reply, Skip> {
        let seen = self.seen.get(&msg.id).copied();
        if seen.is_some_and(|s| s.answered) || self.offers.contains_key(&msg.id) {
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
        let unanswered = Seen {
            answered: false,
            had_code: outcome.has_code,
        };
        let channel = msg.place.channel;
        let reply = if outcome.reply {
            if self.cooling_down(channel, &outcome.keys, settings.cooldown, now_ms) {
                match trigger {
                    Trigger::Passive => {
                        self.remember(msg.id, unanswered);
                        return Err(Skip::Cooldown);
                    }
                    Trigger::Mention => Reply::SeeAbove,
                }
            } else {
                Reply::Answer
            }
        } else if trigger == Trigger::Mention {
            Reply::NothingFound
        } else if outcome.offer
            && !self.cooling_down(channel, &outcome.keys, settings.cooldown, now_ms)
        {
            Reply::Offer
        } else {
            self.remember(msg.id, unanswered);
            return Err(Skip::NothingToSay);
        };
        if let Err(limited) = self.limits.admit(
            msg.place.guild.unwrap_or(0),
            msg.author,
            channel,
            settings.member_limit,
            settings.channel_limit,
            now_ms,
        ) {
            self.remember(msg.id, unanswered);
            return Err(Skip::Limit(limited));
        }
        match reply {
            Reply::Offer => {
                self.remember(msg.id, unanswered);
                self.offer(
                    msg.id,
                    Offer {
                        channel,
                        author: msg.author,
                        text: String::new(),
                        at_ms: now_ms,
                    },
                );
            }
            _ => {
                self.remember(
                    msg.id,
                    Seen {
                        answered: true,
                        had_code: outcome.has_code,
                    },
                );
            }
        }
        if reply == Reply::Answer {
            self.shown(channel, &outcome.keys, now_ms);
        }
        Ok(reply)
    }

    /// Keeps the text of an offer made by [`Policy::decide`] (capped).
    pub fn offer_text(&mut self, message: u64, text: &str) {
        if let Some(o) = self.offers.get_mut(&message) {
            let mut end = text.len().min(OFFER_TEXT_MAX);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            o.text = text[..end].to_string();
        }
    }

    fn offer(&mut self, message: u64, offer: Offer) {
        if self.offers.insert(message, offer).is_none() {
            self.offer_order.push_back(message);
            while self.offer_order.len() > OFFER_CAPACITY {
                if let Some(old) = self.offer_order.pop_front() {
                    self.offers.remove(&old);
                }
            }
        }
    }

    /// Someone added `reaction` to `message`: when it is the author of an
    /// offered answer adding the server's reaction while the offer stands,
    /// the offer is taken (and the message counts as answered). The flood
    /// limits apply as to any answer.
    pub fn accept(
        &mut self,
        message: u64,
        guild: u64,
        user: u64,
        reaction: &str,
        settings: &GuildSettings,
        now_ms: u64,
    ) -> Result<Offer, Skip> {
        let Some(o) = self.offers.get(&message) else {
            return Err(Skip::NothingToSay);
        };
        if o.author != user || reaction != settings.reaction || !settings.react {
            return Err(Skip::NothingToSay);
        }
        if now_ms.saturating_sub(o.at_ms) > OFFER_KEEP_MS {
            self.offers.remove(&message);
            return Err(Skip::NothingToSay);
        }
        self.limits
            .admit(
                guild,
                user,
                o.channel,
                settings.member_limit,
                settings.channel_limit,
                now_ms,
            )
            .map_err(Skip::Limit)?;
        let o = self.offers.remove(&message).ok_or(Skip::NothingToSay)?;
        self.remember(
            message,
            Seen {
                answered: true,
                had_code: false,
            },
        );
        Ok(o)
    }

    /// Was every key shown in `channel` within `cooldown`?
    fn cooling_down(&self, channel: u64, keys: &[String], cooldown: Duration, now_ms: u64) -> bool {
        let cooldown_ms = u64::try_from(cooldown.as_millis()).unwrap_or(u64::MAX);
        cooldown_ms != 0
            && !keys.is_empty()
            && keys.iter().all(|k| {
                self.last_shown
                    .get(&(channel, k.clone()))
                    .is_some_and(|&t| now_ms.saturating_sub(t) < cooldown_ms)
            })
    }

    /// Remembers that `keys` were shown in `channel` at `now_ms` (also for
    /// answers given on request, so a passive repeat stays quiet).
    pub fn shown(&mut self, channel: u64, keys: &[String], now_ms: u64) {
        if self.last_shown.len() > 10_000 {
            let max = MAX_COOLDOWN.as_millis() as u64;
            self.last_shown
                .retain(|_, &mut t| now_ms.saturating_sub(t) < max);
        }
        for k in keys {
            self.last_shown.insert((channel, k.clone()), now_ms);
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
            offer: false,
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
        want: Result<Reply, Skip>,
    }

    fn step(
        id: u64,
        channel: u64,
        outcome: Outcome,
        at_secs: u64,
        want: Result<Reply, Skip>,
    ) -> Step {
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
        // Message ids are made "now" so that edits are inside the window.
        let start_ms = snowflake_ms(1 << 40);
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
                start_ms + s.at_secs * 1000,
            );
            assert_eq!(got, s.want, "step {i} (message {})", s.id);
        }
    }

    #[test]
    fn one_reply_per_message_and_cooldown_per_channel() {
        run(
            vec![
                step(1, HELP, coded(&["wu-missing-files"]), 0, Ok(Reply::Answer)),
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
                step(
                    3,
                    THREAD,
                    coded(&["wu-missing-files"]),
                    61,
                    Ok(Reply::Answer),
                ),
                // A different entry in the first channel.
                step(4, HELP, coded(&["wu-access-denied"]), 62, Ok(Reply::Answer)),
                // Two codes, one of them new: answered.
                step(
                    5,
                    HELP,
                    coded(&["wu-missing-files", "act-key-invalid"]),
                    63,
                    Ok(Reply::Answer),
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
                step(
                    7,
                    HELP,
                    coded(&["wu-missing-files"]),
                    63 + 600,
                    Ok(Reply::Answer),
                ),
                step(8, HELP, chatter(), 700, Err(Skip::NothingToSay)),
            ],
            &settings(),
        );
    }

    #[test]
    fn cooldown_zero_is_off_and_mentions_keep_it() {
        let off = GuildSettings {
            cooldown: Duration::ZERO,
            ..settings()
        };
        run(
            vec![
                step(1, HELP, coded(&["a"]), 0, Ok(Reply::Answer)),
                step(2, HELP, coded(&["a"]), 1, Ok(Reply::Answer)),
            ],
            &off,
        );
        run(
            vec![
                step(1, HELP, coded(&["a"]), 0, Ok(Reply::Answer)),
                // A mention of what was just shown gets a pointer to it,
                // not the answer again.
                Step {
                    trigger: Trigger::Mention,
                    ..step(2, HELP, coded(&["a"]), 1, Ok(Reply::SeeAbove))
                },
                Step {
                    trigger: Trigger::Mention,
                    ..step(3, HELP, coded(&["b"]), 2, Ok(Reply::Answer))
                },
                // The mention's answer counts for the cooldown too.
                step(4, HELP, coded(&["b"]), 3, Err(Skip::Cooldown)),
                // A mention that finds nothing: a reaction, not a message.
                Step {
                    trigger: Trigger::Mention,
                    ..step(5, HELP, Outcome::default(), 4, Ok(Reply::NothingFound))
                },
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
                edit(1, coded(&["a"]), 5, Ok(Reply::Answer)),
                // Edited again: already answered.
                edit(1, coded(&["b"]), 6, Err(Skip::AlreadyAnswered)),
                // Answered at once; a later edit gets nothing new.
                step(2, HELP, coded(&["c"]), 10, Ok(Reply::Answer)),
                edit(2, coded(&["c"]), 11, Err(Skip::AlreadyAnswered)),
                // An edit that adds no code.
                step(3, HELP, chatter(), 20, Err(Skip::NothingToSay)),
                edit(3, chatter(), 21, Err(Skip::Edit)),
                edit(
                    3,
                    Outcome {
                        has_code: false,
                        reply: true,
                        offer: false,
                        keys: vec!["d".into()],
                    },
                    22,
                    Err(Skip::Edit),
                ),
                // A code held back by the cooldown; editing it doesn't add one.
                step(4, HELP, coded(&["a"]), 30, Err(Skip::Cooldown)),
                edit(4, coded(&["a"]), 31, Err(Skip::Edit)),
                // A message from before the bot started, edited to add a code.
                edit(5, coded(&["e"]), 40, Ok(Reply::Answer)),
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
        let got = p.decide(&m, Trigger::Passive, &coded(&["a"]), &settings(), now_ms);
        assert_eq!(got, Err(Skip::OldEdit));
    }

    #[test]
    fn memory_is_bounded() {
        let mut p = Policy::with_capacity(3);
        let unlimited = GuildSettings {
            member_limit: 0,
            channel_limit: 0,
            ..settings()
        };
        for id in 1..=5 {
            let mut m = msg("");
            m.id = id;
            let key = format!("k{id}");
            p.decide(&m, Trigger::Mention, &coded(&[&key]), &unlimited, 0)
                .unwrap();
        }
        assert_eq!(p.remembered(), 3);
        assert!(!p.answered(1));
        assert!(p.answered(5));
    }

    #[test]
    fn floods_are_held_to_the_limits_mentions_included() {
        let limited = GuildSettings {
            member_limit: 2,
            channel_limit: 3,
            cooldown: Duration::ZERO,
            ..settings()
        };
        let mut p = Policy::default();
        let mut decide = |id: u64, author: u64, trigger: Trigger, outcome: Outcome, at_ms: u64| {
            let mut m = msg("");
            m.id = id;
            m.author = author;
            m.mentions_me = trigger == Trigger::Mention;
            p.decide(&m, trigger, &outcome, &limited, at_ms)
        };
        // One member mentioning the bot over and over.
        assert_eq!(
            decide(1, ASKER, Trigger::Mention, Outcome::default(), 0),
            Ok(Reply::NothingFound)
        );
        assert_eq!(
            decide(2, ASKER, Trigger::Mention, coded(&["a"]), 1),
            Ok(Reply::Answer)
        );
        assert_eq!(
            decide(3, ASKER, Trigger::Mention, coded(&["b"]), 2),
            Err(Skip::Limit(Limited::Member { first: true }))
        );
        assert_eq!(
            decide(4, ASKER, Trigger::Mention, Outcome::default(), 3),
            Err(Skip::Limit(Limited::Member { first: false }))
        );
        // Others in the same channel, up to the channel's limit.
        assert_eq!(
            decide(5, 8, Trigger::Passive, coded(&["c"]), 4),
            Ok(Reply::Answer)
        );
        assert_eq!(
            decide(6, 9, Trigger::Passive, coded(&["d"]), 5),
            Err(Skip::Limit(Limited::Channel { first: true }))
        );
        // A refused message is not answered later by a replay.
        assert_eq!(
            decide(3, ASKER, Trigger::Mention, coded(&["b"]), 60_000),
            Ok(Reply::Answer)
        );
    }

    fn matched(confidence: f32) -> Answer {
        let kb = crate::kb::KnowledgeBase::bundled().unwrap();
        let engine = crate::Engine::new(kb);
        let e = &engine.kb().entries[0];
        let mut a = engine.answer_with(&e.symptoms[0], crate::Mode::Explicit, 0.0);
        assert!(
            !a.matches.is_empty() && a.codes.is_empty(),
            "a symptom match"
        );
        a.confidence = confidence;
        a.reply = false;
        a
    }

    #[test]
    fn the_middle_ground_lies_between_the_two_thresholds() {
        let cases: &[(f32, f32, f32, bool, Passive)] = &[
            (0.9, 0.5, 0.15, true, Passive::Reply),
            (0.5, 0.5, 0.15, true, Passive::Reply),
            (0.3, 0.5, 0.15, true, Passive::Offer),
            (0.15, 0.5, 0.15, true, Passive::Offer),
            (0.1, 0.5, 0.15, true, Passive::Quiet),
            (0.3, 0.5, 0.15, false, Passive::Quiet),
            (0.9, 0.5, 0.15, false, Passive::Reply),
            (f32::NAN, 0.5, 0.15, true, Passive::Quiet),
        ];
        for &(c, reply, react, on, want) in cases {
            assert_eq!(
                middle_ground(c, reply, react, on),
                want,
                "{c} {reply} {react} {on}"
            );
        }
        let s = GuildSettings {
            threshold: 0.5,
            ..settings()
        };
        let mut passive = matched(0.3);
        passive.matches.clear();
        let unsure = Outcome::of(&passive, Trigger::Passive, &s);
        assert!(unsure.offer && !unsure.reply, "{unsure:?}");
        let off = GuildSettings {
            react: false,
            ..s.clone()
        };
        assert!(!Outcome::of(&matched(0.3), Trigger::Passive, &off).offer);
        assert!(!Outcome::of(&matched(0.05), Trigger::Passive, &s).offer);
        // Sure answers are posted; a mention is never offered.
        let mut sure = matched(0.9);
        sure.reply = true;
        let o = Outcome::of(&sure, Trigger::Passive, &s);
        assert!(o.reply && !o.offer);
        assert!(!Outcome::of(&matched(0.3), Trigger::Mention, &s).offer);
    }

    #[test]
    fn an_offer_is_taken_by_its_author_with_the_same_reaction() {
        let s = settings();
        let mut p = Policy::default();
        let offered = Outcome {
            has_code: false,
            reply: false,
            offer: true,
            keys: vec!["x".into()],
        };
        let m = msg("");
        assert_eq!(
            p.decide(&m, Trigger::Passive, &offered, &s, 1_000),
            Ok(Reply::Offer)
        );
        p.offer_text(m.id, "my store apps won't update");
        // The same event again: no second reaction.
        assert_eq!(
            p.decide(&m, Trigger::Passive, &offered, &s, 1_001),
            Err(Skip::AlreadyAnswered)
        );
        let r = s.reaction.clone();
        assert!(
            p.accept(m.id, GUILD, 99, &r, &s, 2_000).is_err(),
            "someone else"
        );
        assert!(
            p.accept(m.id, GUILD, ASKER, "\u{1F44D}", &s, 2_000)
                .is_err(),
            "another reaction"
        );
        let o = p.accept(m.id, GUILD, ASKER, &r, &s, 3_000).unwrap();
        assert_eq!(o.text, "my store apps won't update");
        assert_eq!((o.channel, o.author), (HELP, ASKER));
        assert!(p.answered(m.id));
        assert!(
            p.accept(m.id, GUILD, ASKER, &r, &s, 3_001).is_err(),
            "taken once"
        );
        // An old offer lapses; offers are off when the server says so.
        let mut m2 = msg("");
        m2.id = 43;
        p.decide(&m2, Trigger::Passive, &offered, &s, 0).unwrap();
        assert!(
            p.accept(43, GUILD, ASKER, &r, &s, OFFER_KEEP_MS + 1)
                .is_err()
        );
        let off = GuildSettings {
            react: false,
            ..settings()
        };
        let mut m3 = msg("");
        m3.id = 44;
        p.decide(&m3, Trigger::Passive, &offered, &s, 0).unwrap();
        assert!(p.accept(44, GUILD, ASKER, &r, &off, 1).is_err());
        // Offer texts are capped.
        p.offer_text(44, &"é".repeat(OFFER_TEXT_MAX));
        assert!(p.accept(44, GUILD, ASKER, &r, &s, 2).unwrap().text.len() <= OFFER_TEXT_MAX);
    }

    #[test]
    fn a_restored_memory_keeps_cooldowns_and_answered_messages() {
        let s = settings();
        let mut p = Policy::default();
        p.restore(&Memory {
            answered: vec![42],
            shown: vec![(HELP, "wu-missing-files".into(), 10_000)],
        });
        let m = msg("");
        assert_eq!(
            p.decide(&m, Trigger::Passive, &coded(&["z"]), &s, 20_000),
            Err(Skip::AlreadyAnswered)
        );
        let mut other = msg("");
        other.id = 43;
        assert_eq!(
            p.decide(
                &other,
                Trigger::Passive,
                &coded(&["wu-missing-files"]),
                &s,
                20_000
            ),
            Err(Skip::Cooldown)
        );
        let mut later = msg("");
        later.id = 44;
        let after = 10_000 + s.cooldown.as_millis() as u64;
        assert_eq!(
            p.decide(
                &later,
                Trigger::Passive,
                &coded(&["wu-missing-files"]),
                &s,
                after
            ),
            Ok(Reply::Answer)
        );
    }

    #[test]
    fn snowflake_time() {
        // The example from Discord's documentation.
        assert_eq!(snowflake_ms(175_928_847_299_117_063), 1_462_015_105_796);
    }
}
