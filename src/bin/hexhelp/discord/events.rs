//! Gateway events: new and edited messages (passive answers and mentions)
//! and button presses. Each handler reads the event into the library's
//! plain inputs, asks the library, and sends what it says.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use hexhelp::bot::ids::{self, OnMessage};
use hexhelp::bot::limits::Limited;
use hexhelp::bot::policy::{self, Outcome, Reply, Skip};
use hexhelp::bot::settings::{GuildSettings, is_moderator};
use hexhelp::bot::store::Verdict;
use hexhelp::bot::{Action, Incoming, Place, Trigger};
use hexhelp::render::discord;
use hexhelp::{Mode, messages};
use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, FullEvent, GuildId, Interaction, Message,
    MessageId, MessageReference, MessageType, ReactionType, User,
};
use tracing::{debug, info, warn};

use super::commands::{Data, Error};
use super::reply;
use super::state::{Bot, ChannelKind};

pub async fn handle(ctx: &Context, event: &FullEvent, bot: &Data) -> Result<(), Error> {
    // A stopping bot answers nothing more (its replacement may be up).
    if bot.stopping() {
        return Ok(());
    }
    match event {
        FullEvent::Message { new_message } => {
            let m = new_message;
            let seen = Seen {
                id: m.id,
                channel: m.channel_id,
                guild: m.guild_id,
                author: &m.author,
                webhook: m.webhook_id.is_some(),
                kind: m.kind,
                content: &m.content,
                referenced: m.referenced_message.as_deref().map(|r| r.content.as_str()),
                attachments: &m.attachments,
            };
            on_message(ctx, bot, seen, false).await;
        }
        FullEvent::MessageUpdate { event, .. } => {
            // Only edits that carry the text (not embed previews) count.
            if let (Some(author), Some(content)) = (&event.author, &event.content) {
                let seen = Seen {
                    id: event.id,
                    channel: event.channel_id,
                    guild: event.guild_id,
                    author,
                    webhook: matches!(event.webhook_id, Some(Some(_))),
                    kind: event.kind.unwrap_or(MessageType::Regular),
                    content,
                    referenced: None,
                    attachments: &[],
                };
                on_message(ctx, bot, seen, true).await;
            }
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(c),
        } => on_button(ctx, bot, c).await,
        FullEvent::ReactionAdd { add_reaction } => on_reaction(ctx, bot, add_reaction).await,
        FullEvent::ThreadCreate { thread } | FullEvent::ThreadUpdate { new: thread, .. } => {
            bot.remember_channel(
                thread.id.get(),
                ChannelKind::Thread {
                    parent: thread.parent_id.map(|p| p.get()),
                    owner: thread.owner_id.map(|o| o.get()),
                },
            );
        }
        FullEvent::Resume { .. } => tracing::info!("gateway session resumed"),
        _ => {}
    }
    Ok(())
}

/// A new or edited message, whatever event it came in.
struct Seen<'a> {
    id: MessageId,
    channel: ChannelId,
    guild: Option<GuildId>,
    author: &'a User,
    webhook: bool,
    kind: MessageType,
    content: &'a str,
    /// The text of the message this one replies to.
    referenced: Option<&'a str>,
    attachments: &'a [serenity::Attachment],
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Mentions the bot in its text (`<@id>`); reply pings don't count, so a
/// "thanks!" under an answer stays unanswered.
fn mentions(content: &str, me: u64) -> bool {
    me != 0 && (content.contains(&format!("<@{me}>")) || content.contains(&format!("<@!{me}>")))
}

async fn on_message(ctx: &Context, bot: &Arc<Bot>, m: Seen<'_>, edit: bool) {
    let me = bot.me();
    let Some(guild) = m.guild else { return };
    let settings = match bot.settings(guild.get()) {
        Ok(s) => s,
        Err(e) => {
            warn!("cannot read settings of guild {guild}: {e}");
            return;
        }
    };
    let mentions_me = mentions(m.content, me);
    let channel = m.channel.get();
    // Most servers enable no channel: no lookups for their chatter.
    if !mentions_me && settings.channels.is_empty() {
        return;
    }
    let place =
        if mentions_me || (settings.channels.contains(&channel) && !settings.thread_starter_only) {
            Place {
                guild: Some(guild.get()),
                channel,
                parent: None,
                thread_owner: None,
            }
        } else {
            place_of(ctx, bot, guild, m.channel).await
        };
    let incoming = Incoming {
        id: m.id.get(),
        author: m.author.id.get(),
        author_is_bot: m.author.bot || m.author.system,
        webhook: m.webhook,
        system: !matches!(m.kind, MessageType::Regular | MessageType::InlineReply),
        mentions_me,
        edit,
        place,
        content: m.content,
    };
    let trigger = match policy::trigger(&incoming, me, &settings) {
        Ok(t) => t,
        Err(skip) => {
            debug!(message = %m.id, ?skip, "not answering");
            return;
        }
    };
    if bot.is_forbidden(channel) {
        return;
    }
    let engine = bot.engine();
    let mut text = policy::text_to_read(m.content, trigger, me);
    let mode = match trigger {
        Trigger::Passive => Mode::Passive,
        Trigger::Mention => Mode::Explicit,
    };
    let readings = super::attach::read_all(m.attachments, &engine).await;
    let mut answer = engine.answer_with_attachments_at(&text, &readings, mode, settings.threshold);
    // "@hexhelp" under someone's message: read that message.
    if trigger == Trigger::Mention
        && answer.is_empty()
        && let Some(referenced) = m.referenced
    {
        text = policy::text_to_read(referenced, Trigger::Passive, me);
        answer = engine.answer_with(&text, mode, settings.threshold);
    }
    let outcome = Outcome::of(&answer, trigger, &settings);
    let verdict = {
        let mut p = bot
            .policy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let v = p.decide(&incoming, trigger, &outcome, &settings, now_ms());
        if v == Ok(Reply::Offer) {
            p.offer_text(m.id.get(), &text);
        }
        v
    };
    let reply = match verdict {
        Ok(r) => r,
        Err(Skip::Limit(limited)) => {
            log_limit(limited, guild.get(), channel, m.author.id.get(), &settings);
            return;
        }
        Err(skip) => {
            debug!(message = %m.id, ?skip, "not answering");
            return;
        }
    };
    if bot.stopping() {
        return;
    }
    let remembered: &[String] = match reply {
        Reply::Answer => &outcome.keys,
        _ => &[],
    };
    if reply != Reply::Offer {
        bot.remember_answer(Some(m.id.get()), channel, remembered, settings.cooldown);
    }
    match reply {
        Reply::Answer => {
            let intro = super::attach::intro(&readings, &engine);
            let to = ReplyTo {
                channel: m.channel,
                message: m.id,
                asker: m.author.id.get(),
                guild,
            };
            send_answer(ctx, bot, &answer, to, intro).await;
        }
        Reply::Offer => react(ctx, m.channel, m.id, &settings.reaction).await,
        Reply::NothingFound => {
            bot.count_answer(Some(guild.get()), &answer, false);
            react(ctx, m.channel, m.id, messages::REACT_NOTHING_FOUND).await
        }
        Reply::SeeAbove => react(ctx, m.channel, m.id, messages::REACT_SEE_ABOVE).await,
    }
    debug!(message = %m.id, ?trigger, ?reply, "answered");
}

/// A flood limit held a message back: logged once per limit and minute.
fn log_limit(limited: Limited, guild: u64, channel: u64, member: u64, s: &GuildSettings) {
    match limited {
        Limited::Member { first: true } => info!(
            guild,
            member,
            limit = s.member_limit,
            "member rate limit reached: no more answers for this member this minute"
        ),
        Limited::Channel { first: true } => info!(
            guild,
            channel,
            limit = s.channel_limit,
            "channel rate limit reached: no more answers in this channel this minute"
        ),
        _ => debug!(guild, channel, member, "rate limited"),
    }
}

/// Adds `emoji` (Unicode) to a message; failures go to the log.
async fn react(ctx: &Context, channel: ChannelId, message: MessageId, emoji: &str) {
    let r = ReactionType::Unicode(emoji.to_string());
    if let Err(e) = ctx.http.create_reaction(channel, message, &r).await {
        warn!(%channel, %message, "cannot add the reaction: {e}");
    }
}

/// The message an answer replies to, and who asked.
struct ReplyTo {
    channel: ChannelId,
    message: MessageId,
    asker: u64,
    guild: GuildId,
}

/// Posts `answer` as a reply to `to.message`, with its buttons; `intro`
/// (what was read from attachments) goes above it.
async fn send_answer(
    ctx: &Context,
    bot: &Bot,
    answer: &hexhelp::Answer,
    to: ReplyTo,
    intro: Option<String>,
) {
    let ReplyTo {
        channel,
        message,
        asker,
        guild,
    } = to;
    let mut answer = answer.clone();
    bot.adapt(&bot.engine(), &mut answer, Some(guild.get()));
    let answer = &answer;
    let found = discord::answer(answer);
    bot.count_answer(Some(guild.get()), answer, found.is_some());
    let mut msg = CreateMessage::new()
        .reference_message(MessageReference::from((channel, message)).fail_if_not_exists(false))
        .allowed_mentions(reply::no_mentions());
    if let Some(i) = &intro {
        msg = msg.content(i.clone());
    }
    match found {
        Some(e) => {
            msg = msg
                .embed(reply::embed(&e))
                .components(reply::answer_buttons(answer, Some(asker)));
        }
        None => {
            msg = msg.content(match intro {
                Some(i) => format!("{i}\n{}", messages::NOTHING_FOUND),
                None => messages::NOTHING_FOUND.to_string(),
            })
        }
    }
    match channel.send_message(&ctx.http, msg).await {
        Ok(_) => {}
        Err(e) if is_forbidden(&e) => bot.forbid(channel.get(), Some(guild.get()), "send messages"),
        // Discord took the message (a 2xx) but its reply did not parse.
        Err(serenity::Error::Json(e)) => warn!(
            %channel,
            %message,
            "the answer was posted, but Discord's reply could not be read: {e}"
        ),
        Err(e) => warn!(%channel, %message, "cannot send the answer: {e}"),
    }
}

/// A reaction added: the author of a message whose answer was offered
/// asks for it with the same reaction.
async fn on_reaction(ctx: &Context, bot: &Arc<Bot>, r: &serenity::Reaction) {
    let (Some(guild), Some(user)) = (r.guild_id, r.user_id) else {
        return;
    };
    let ReactionType::Unicode(emoji) = &r.emoji else {
        return;
    };
    if user.get() == bot.me() {
        return;
    }
    let settings = match bot.settings(guild.get()) {
        Ok(s) => s,
        Err(e) => {
            warn!("cannot read settings of guild {guild}: {e}");
            return;
        }
    };
    let taken = bot
        .policy
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .accept(
            r.message_id.get(),
            guild.get(),
            user.get(),
            emoji,
            &settings,
            now_ms(),
        );
    let offer = match taken {
        Ok(o) => o,
        Err(Skip::Limit(limited)) => {
            log_limit(
                limited,
                guild.get(),
                r.channel_id.get(),
                user.get(),
                &settings,
            );
            return;
        }
        Err(_) => return,
    };
    let answer = bot
        .engine()
        .answer_with(&offer.text, Mode::Explicit, settings.threshold);
    let keys = policy::cooldown_keys(&answer);
    bot.policy
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .shown(offer.channel, &keys, now_ms());
    bot.remember_answer(
        Some(r.message_id.get()),
        offer.channel,
        &keys,
        settings.cooldown,
    );
    let to = ReplyTo {
        channel: r.channel_id,
        message: r.message_id,
        asker: user.get(),
        guild,
    };
    send_answer(ctx, bot, &answer, to, None).await;
}

/// Whether `channel` is a thread, and under which channel, by whom: from
/// what the bot remembers, the cache, or one REST call.
async fn place_of(ctx: &Context, bot: &Bot, guild: GuildId, channel: ChannelId) -> Place {
    let mut place = Place {
        guild: Some(guild.get()),
        channel: channel.get(),
        parent: None,
        thread_owner: None,
    };
    let kind = match bot.channel_kind(channel.get()) {
        Some(k) => k,
        None => {
            let cached = ctx.cache.guild(guild).and_then(|g| {
                if g.channels.contains_key(&channel) {
                    return Some(ChannelKind::Plain);
                }
                g.threads
                    .iter()
                    .find(|t| t.id == channel)
                    .map(|t| ChannelKind::Thread {
                        parent: t.parent_id.map(|p| p.get()),
                        owner: t.owner_id.map(|o| o.get()),
                    })
            });
            let kind = match cached {
                Some(k) => k,
                None => match ctx.http.get_channel(channel).await {
                    Ok(serenity::Channel::Guild(c)) if c.thread_metadata.is_some() => {
                        ChannelKind::Thread {
                            parent: c.parent_id.map(|p| p.get()),
                            owner: c.owner_id.map(|o| o.get()),
                        }
                    }
                    Ok(_) => ChannelKind::Plain,
                    Err(e) => {
                        debug!(%channel, "cannot look up the channel: {e}");
                        return place;
                    }
                },
            };
            bot.remember_channel(channel.get(), kind);
            kind
        }
    };
    if let ChannelKind::Thread { parent, owner } = kind {
        place.parent = parent;
        place.thread_owner = owner;
    }
    place
}

pub fn is_forbidden(e: &serenity::Error) -> bool {
    matches!(e, serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 403)
}

fn ephemeral_text(text: &str) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(reply::no_mentions()),
    )
}

/// Who asked for the answer `m` is: the author of the message it replies
/// to, or whoever ran the slash command that made it.
fn asker_of(m: &Message) -> Option<u64> {
    if let Some(r) = &m.referenced_message {
        return Some(r.author.id.get());
    }
    if let Some(meta) = &m.interaction_metadata
        && let serenity::MessageInteractionMetadata::Command(c) = meta.as_ref()
    {
        return Some(c.user.id.get());
    }
    #[allow(deprecated)]
    m.interaction.as_ref().map(|i| i.user.id.get())
}

fn custom_ids_on(m: &Message) -> Vec<String> {
    m.components
        .iter()
        .flat_map(|row| row.components.iter())
        .filter_map(|c| match c {
            serenity::ActionRowComponent::Button(b) => match &b.data {
                serenity::ButtonKind::NonLink { custom_id, .. } => Some(custom_id.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

async fn on_button(ctx: &Context, bot: &Arc<Bot>, c: &ComponentInteraction) {
    // Other bots' buttons (or ids from a future version) are not ours.
    let Some(action) = Action::decode(&c.data.custom_id) else {
        return;
    };
    let perms = c
        .member
        .as_ref()
        .and_then(|m| m.permissions)
        .map_or(0, |p| p.bits());
    let ids_here = custom_ids_on(&c.message);
    let mut asker = asker_of(&c.message);
    // Discord may leave the replied-to message out of the payload: then
    // one REST call reads its author.
    if asker.is_none()
        && matches!(action, Action::Dismiss { .. })
        && let Some(r) = &c.message.message_reference
        && let Some(id) = r.message_id
    {
        match ctx.http.get_message(r.channel_id, id).await {
            Ok(m) => asker = Some(m.author.id.get()),
            Err(e) => debug!(message = %id, "cannot read the message the answer replies to: {e}"),
        }
    }
    let on = OnMessage {
        by_me: c.message.author.id.get() == bot.me(),
        custom_ids: &ids_here,
        asker,
    };
    let engine = bot.engine();
    let checked = ids::check(
        &action,
        &c.data.custom_id,
        &on,
        c.user.id.get(),
        is_moderator(perms),
        |key| discord::fixes_of(engine.kb(), key).map(|(_, fixes, _)| fixes.len()),
    );
    if let Err(refused) = checked {
        warn!(custom_id = %c.data.custom_id, user = %c.user.id, ?refused, "button refused");
        let text = match refused {
            ids::Refused::NotTheAsker => messages::DISMISS_DENIED,
            _ => messages::BUTTON_UNKNOWN,
        };
        if let Err(e) = c.create_response(&ctx.http, ephemeral_text(text)).await {
            warn!(custom_id = %c.data.custom_id, "cannot answer the button: {e}");
        }
        return;
    }
    let response = match &action {
        Action::Next { entry, fix } => match discord::fix(engine.kb(), entry, *fix) {
            Some(e) => {
                super::outcomes::passed_over(bot, c, &ids_here, entry, *fix);
                let total =
                    discord::fixes_of(engine.kb(), entry).map_or(0, |(_, fixes, _)| fixes.len());
                let next = bot
                    .order(&engine, c.guild_id.map(|g| g.get()), entry)
                    .next_after(*fix);
                CreateInteractionResponse::Message(
                    CreateInteractionResponseMessage::new()
                        .embed(reply::embed(&e))
                        .components(reply::buttons(entry, *fix, next, total, None))
                        .ephemeral(true)
                        .allowed_mentions(reply::no_mentions()),
                )
            }
            None => ephemeral_text(messages::BUTTON_UNKNOWN),
        },
        Action::Fixed { entry, fix } | Action::NoHelp { entry, fix } => {
            let helped = matches!(action, Action::Fixed { .. });
            let verdict = if helped {
                Verdict::Fixed
            } else {
                Verdict::NoHelp
            };
            match super::outcomes::record(bot, c, entry, *fix, verdict) {
                Ok(_) => ephemeral_text(if helped {
                    messages::THANKS_FIXED
                } else {
                    messages::THANKS_NO_HELP
                }),
                Err(e) => {
                    warn!("cannot record feedback: {e}");
                    ephemeral_text(messages::FEEDBACK_NOT_SAVED)
                }
            }
        }
        Action::Dismiss { .. } => {
            if let Err(e) = c
                .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                .await
            {
                warn!("cannot acknowledge the dismiss button: {e}");
                return;
            }
            // After a deferred update the interaction's "original
            // response" is the message the button is on: deleting it
            // needs no channel permission. The channel route is the
            // fallback.
            if let Err(e) = c.delete_response(&ctx.http).await {
                debug!("cannot delete through the interaction: {e}");
                if let Err(e) = ctx
                    .http
                    .delete_message(c.channel_id, c.message.id, None)
                    .await
                {
                    warn!(channel = %c.channel_id, "cannot delete the dismissed answer: {e}");
                }
            }
            return;
        }
    };
    if let Err(e) = c.create_response(&ctx.http, response).await {
        warn!(custom_id = %c.data.custom_id, "cannot answer the button: {e}");
    }
}
