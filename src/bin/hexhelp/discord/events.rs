//! Gateway events: new and edited messages (passive answers and mentions)
//! and button presses. Each handler reads the event into the library's
//! plain inputs, asks the library, and sends what it says.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use hexhelp::bot::policy::{self, Outcome};
use hexhelp::bot::settings::is_moderator;
use hexhelp::bot::store::Feedback;
use hexhelp::bot::{Action, Incoming, Place, Trigger};
use hexhelp::render::discord;
use hexhelp::{Mode, messages};
use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, FullEvent, GuildId, Interaction, MessageId,
    MessageReference, MessageType, User,
};
use tracing::{debug, warn};

use super::commands::{Data, Error};
use super::reply;
use super::state::{Bot, ChannelKind};

pub async fn handle(ctx: &Context, event: &FullEvent, bot: &Data) -> Result<(), Error> {
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

fn now_ms() -> u64 {
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
    let outcome = Outcome::of(&answer, trigger);
    let verdict = {
        let mut p = bot
            .policy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        p.decide(
            &incoming,
            trigger,
            &outcome,
            &settings,
            Instant::now(),
            now_ms(),
        )
    };
    if let Err(skip) = verdict {
        debug!(message = %m.id, ?skip, "not answering");
        return;
    }
    let mut msg = CreateMessage::new()
        .reference_message(MessageReference::from((m.channel, m.id)).fail_if_not_exists(false))
        .allowed_mentions(reply::no_mentions());
    let intro = super::attach::intro(&readings, &engine);
    if let Some(i) = &intro {
        msg = msg.content(i.clone());
    }
    match discord::answer(&answer) {
        Some(e) => {
            msg = msg
                .embed(reply::embed(&e))
                .components(reply::answer_buttons(&answer, Some(m.author.id.get())));
        }
        None => {
            msg = msg.content(match intro {
                Some(i) => format!("{i}\n{}", messages::NOTHING_FOUND),
                None => messages::NOTHING_FOUND.to_string(),
            })
        }
    }
    if let Err(e) = m.channel.send_message(&ctx.http, msg).await {
        if is_forbidden(&e) {
            bot.forbid(channel, Some(guild.get()), "send messages");
        } else {
            warn!(channel, message = %m.id, "cannot send the answer: {e}");
        }
    } else {
        debug!(message = %m.id, ?trigger, "answered");
    }
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

async fn on_button(ctx: &Context, bot: &Arc<Bot>, c: &ComponentInteraction) {
    // Other bots' buttons (or ids from a future version) are not ours.
    let Some(action) = Action::decode(&c.data.custom_id) else {
        return;
    };
    let response = match &action {
        Action::Next { entry, fix } => {
            let engine = bot.engine();
            match discord::fix(engine.kb(), entry, *fix) {
                Some(e) => {
                    let total = discord::fixes_of(engine.kb(), entry)
                        .map_or(0, |(_, fixes, _)| fixes.len());
                    CreateInteractionResponse::Message(
                        CreateInteractionResponseMessage::new()
                            .embed(reply::embed(&e))
                            .components(reply::buttons(entry, *fix, total, None))
                            .ephemeral(true)
                            .allowed_mentions(reply::no_mentions()),
                    )
                }
                None => ephemeral_text(messages::BUTTON_UNKNOWN),
            }
        }
        Action::Fixed { entry, fix } | Action::NoHelp { entry, fix } => {
            let helped = matches!(action, Action::Fixed { .. });
            let feedback = Feedback {
                message: c.message.id.get(),
                user: c.user.id.get(),
                guild: c.guild_id.map(|g| g.get()),
                entry: entry.clone(),
                fix: *fix,
                helped,
                at: now_ms() / 1000,
            };
            if let Err(e) = bot.with_store(|s| s.record_feedback(&feedback)) {
                warn!("cannot record feedback: {e}");
            }
            ephemeral_text(if helped {
                messages::THANKS_FIXED
            } else {
                messages::THANKS_NO_HELP
            })
        }
        Action::Dismiss { asker } => {
            let perms = c
                .member
                .as_ref()
                .and_then(|m| m.permissions)
                .map_or(0, |p| p.bits());
            if c.user.id.get() != *asker && !is_moderator(perms) {
                ephemeral_text(messages::DISMISS_DENIED)
            } else {
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
        }
    };
    if let Err(e) = c.create_response(&ctx.http, response).await {
        warn!(custom_id = %c.data.custom_id, "cannot answer the button: {e}");
    }
}
