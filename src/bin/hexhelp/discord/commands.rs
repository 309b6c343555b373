//! Slash commands, the message context-menu command, and the framework
//! options around them. Answers are ephemeral unless `public` is set;
//! moderator commands are hidden from members without Manage Server and
//! checked again here against the permissions Discord sends with the
//! interaction.

use std::sync::Arc;

use hexhelp::bot::complete;
use hexhelp::bot::policy::{self, Trigger, cooldown_keys};
use hexhelp::bot::settings::{
    can_manage, valid_cooldown_minutes, valid_limit, valid_reaction, valid_threshold,
};
use hexhelp::render::discord::{self, Embed, colour, truncate};
use hexhelp::{Mode, messages};
use poise::serenity_prelude as serenity;
use poise::{CreateReply, FrameworkError};
use tracing::{error, warn};

use super::reply;
use super::state::Bot;
use super::stats::stats;

pub type Data = Arc<Bot>;
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Ctx<'a> = poise::Context<'a, Data, Error>;

pub fn options() -> poise::FrameworkOptions<Data, Error> {
    poise::FrameworkOptions {
        commands: vec![error_code(), ask(), diagnose(), hexhelp()],
        on_error: |e| Box::pin(on_error(e)),
        event_handler: |ctx, event, _framework, data| {
            Box::pin(super::events::handle(ctx, event, data))
        },
        allowed_mentions: Some(reply::no_mentions()),
        // No owners to look up: nothing here is for the bot's owner only.
        initialize_owners: false,
        prefix_options: poise::PrefixFrameworkOptions {
            prefix: None,
            mention_as_prefix: false,
            ..Default::default()
        },
        ..Default::default()
    }
}

async fn on_error(e: FrameworkError<'_, Data, Error>) {
    match e {
        FrameworkError::Command { error, ctx, .. } => {
            error!(command = %ctx.command().qualified_name, "command failed: {error}");
            say(ctx, messages::INTERNAL_ERROR).await;
        }
        FrameworkError::ArgumentParse { error, ctx, .. } => {
            warn!(command = %ctx.command().qualified_name, "cannot read the arguments: {error}");
            say(ctx, messages::BAD_INPUT).await;
        }
        FrameworkError::GuildOnly { ctx, .. } => say(ctx, messages::SERVER_ONLY).await,
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                error!("while handling an error: {e}");
            }
        }
    }
}

/// A short ephemeral sentence; failures go to the log only.
async fn say(ctx: Ctx<'_>, text: &str) {
    let r = CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(reply::no_mentions());
    if let Err(e) = ctx.send(r).await {
        warn!("cannot reply: {e}");
    }
}

fn threshold_of(ctx: Ctx<'_>) -> f32 {
    ctx.guild_id()
        .and_then(|g| ctx.data().settings(g.get()).ok())
        .map_or(hexhelp::answer::DEFAULT_THRESHOLD, |s| s.threshold)
}

/// Answers `text` as an explicit question: the embed and its buttons, or
/// a sentence when there is nothing to say. Attached files are read first
/// (their codes lead) and what was read goes above the embed.
async fn answer_with_files(
    ctx: Ctx<'_>,
    text: &str,
    files: &[serenity::Attachment],
    public: bool,
) -> Result<(), Error> {
    let engine = ctx.data().engine();
    if !files.is_empty() {
        ctx.defer_or_broadcast().await?;
    }
    let readings = super::attach::read_all(files, &engine).await;
    let intro = super::attach::intro(&readings, &engine);
    let mut answer =
        engine.answer_with_attachments_at(text, &readings, Mode::Explicit, threshold_of(ctx));
    let guild = ctx.guild_id().map(|g| g.get());
    ctx.data().adapt(&engine, &mut answer, guild);
    let found = discord::answer(&answer);
    ctx.data().count_answer(guild, &answer, found.is_some());
    let Some(e) = found else {
        let text = match intro {
            Some(i) => format!("{i}\n{}", messages::NOTHING_FOUND),
            None => messages::NOTHING_FOUND.to_string(),
        };
        say(ctx, &text).await;
        return Ok(());
    };
    let asker = ctx.author().id.get();
    let mut r = CreateReply::default();
    if let Some(i) = intro {
        r = r.content(i);
    }
    let r = r
        .embed(reply::embed(&e))
        .components(reply::answer_buttons(&answer, public.then_some(asker)))
        .ephemeral(!public)
        .allowed_mentions(reply::no_mentions());
    ctx.send(r).await?;
    if public {
        // A public answer counts for the channel's cooldown.
        let keys = cooldown_keys(&answer);
        let channel = ctx.channel_id().get();
        ctx.data()
            .policy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .shown(channel, &keys, super::events::now_ms());
        let cooldown = ctx
            .guild_id()
            .and_then(|g| ctx.data().settings(g.get()).ok())
            .map_or(hexhelp::bot::settings::DEFAULT_COOLDOWN, |s| s.cooldown);
        ctx.data().remember_answer(None, channel, &keys, cooldown);
    }
    Ok(())
}

async fn complete_code(ctx: Ctx<'_>, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let engine = ctx.data().engine();
    complete::choices(&engine, partial, complete::MAX_CHOICES)
        .into_iter()
        .map(|c| serenity::AutocompleteChoice::new(c.name, c.value))
        .collect()
}

/// Explain a Windows error code and list the fixes in the order to try them
#[poise::command(slash_command, rename = "error")]
async fn error_code(
    ctx: Ctx<'_>,
    #[description = "The code, like 0x80070002, or its name, like ERROR_FILE_NOT_FOUND"]
    #[autocomplete = "complete_code"]
    #[max_length = 200]
    code: String,
    #[description = "Show the answer to everyone here (default: only you)"] public: Option<bool>,
    #[description = "A log, crash dump, screenshot or zip of logs"] file: Option<
        serenity::Attachment,
    >,
) -> Result<(), Error> {
    let files: Vec<_> = file.into_iter().collect();
    answer_with_files(ctx, &code, &files, public.unwrap_or(false)).await
}

/// Describe a Windows problem in your own words and get likely causes and fixes
#[poise::command(slash_command)]
async fn ask(
    ctx: Ctx<'_>,
    #[description = "What fails and what Windows shows, e.g. \"updates stuck at 0% and then fail\""]
    #[max_length = 2000]
    text: String,
    #[description = "Show the answer to everyone here (default: only you)"] public: Option<bool>,
    #[description = "A log, crash dump, screenshot or zip of logs"] file: Option<
        serenity::Attachment,
    >,
) -> Result<(), Error> {
    let files: Vec<_> = file.into_iter().collect();
    answer_with_files(ctx, &text, &files, public.unwrap_or(false)).await
}

/// Diagnose the error codes and problem in this message
#[poise::command(context_menu_command = "Diagnose with hexhelp")]
async fn diagnose(ctx: Ctx<'_>, message: serenity::Message) -> Result<(), Error> {
    let text = policy::text_to_read(&message.content, Trigger::Passive, ctx.data().me());
    if text.trim().is_empty() && message.attachments.is_empty() {
        say(ctx, messages::NOTHING_TO_READ).await;
        return Ok(());
    }
    answer_with_files(ctx, &text, &message.attachments, false).await
}

/// The member's permissions as Discord computed them for this interaction.
fn member_permissions(ctx: Ctx<'_>) -> u64 {
    match ctx {
        poise::Context::Application(a) => a
            .interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .map_or(0, |p| p.bits()),
        poise::Context::Prefix(_) => 0,
    }
}

/// The guild, when the member may change settings; otherwise says why not.
pub async fn manager_guild(ctx: Ctx<'_>) -> Option<u64> {
    let Some(guild) = ctx.guild_id() else {
        say(ctx, messages::SERVER_ONLY).await;
        return None;
    };
    if !can_manage(member_permissions(ctx)) {
        warn!(user = %ctx.author().id, %guild, command = %ctx.command().qualified_name, "refused: no Manage Server");
        say(ctx, messages::NOT_ALLOWED).await;
        return None;
    }
    Some(guild.get())
}

/// Moderators: where and how hexhelp answers in this server
#[poise::command(
    slash_command,
    rename = "hexhelp",
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    subcommands("channels", "settings", "stats", "reload"),
    subcommand_required
)]
async fn hexhelp(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Channels where I answer on my own
#[poise::command(
    slash_command,
    subcommands("channels_add", "channels_remove", "channels_list"),
    subcommand_required
)]
async fn channels(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Answer on my own in a channel, and in the threads and forum posts under it
#[poise::command(slash_command, rename = "add")]
async fn channels_add(
    ctx: Ctx<'_>,
    #[description = "A text channel, forum or thread"]
    #[channel_types("Text", "News", "Forum", "PublicThread", "PrivateThread", "NewsThread")]
    channel: serenity::PartialChannel,
) -> Result<(), Error> {
    let Some(guild) = manager_guild(ctx).await else {
        return Ok(());
    };
    let id = channel.id.get();
    let added = ctx
        .data()
        .change_settings(guild, |s| s.add_channel(guild, id))?;
    say(
        ctx,
        &if added {
            messages::channel_added(id)
        } else {
            messages::channel_already(id)
        },
    )
    .await;
    Ok(())
}

/// Stop answering on my own in a channel
#[poise::command(slash_command, rename = "remove")]
async fn channels_remove(
    ctx: Ctx<'_>,
    #[description = "A channel I answer in"] channel: serenity::PartialChannel,
) -> Result<(), Error> {
    let Some(guild) = manager_guild(ctx).await else {
        return Ok(());
    };
    let id = channel.id.get();
    let removed = ctx
        .data()
        .change_settings(guild, |s| s.remove_channel(guild, id))?;
    say(
        ctx,
        &if removed {
            messages::channel_removed(id)
        } else {
            messages::channel_not_listed(id)
        },
    )
    .await;
    Ok(())
}

/// List the channels where I answer on my own
#[poise::command(slash_command, rename = "list")]
async fn channels_list(ctx: Ctx<'_>) -> Result<(), Error> {
    let Some(guild) = manager_guild(ctx).await else {
        return Ok(());
    };
    let s = ctx.data().settings(guild)?;
    let list: Vec<u64> = s.channels.iter().copied().collect();
    let text = if list.is_empty() {
        messages::NO_CHANNELS.to_string()
    } else {
        messages::channel_list(&list)
    };
    say(ctx, &truncate(&text, 2000)).await;
    Ok(())
}

/// Show or change how sure I must be, the cooldown, and who I answer in threads
// One parameter per option of the slash command, as poise declares them.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command)]
async fn settings(
    ctx: Ctx<'_>,
    #[description = "How sure I must be to answer a described problem on my own, from 0 to 1"]
    #[min = 0]
    #[max = 1]
    threshold: Option<f64>,
    #[description = "Minutes before I repeat the same answer in a channel, 0 to 1440 (default 10)"]
    #[min = 0]
    #[max = 1440]
    cooldown: Option<i64>,
    #[description = "In help threads, answer only the person who started the thread"]
    thread_starter_only: Option<bool>,
    #[description = "Answers a minute for one person, 0 for no limit (default 5)"]
    #[min = 0]
    #[max = 120]
    member_limit: Option<i64>,
    #[description = "Answers a minute in one channel or thread, 0 for no limit (default 20)"]
    #[min = 0]
    #[max = 120]
    channel_limit: Option<i64>,
    #[description = "Offer answers I'm unsure of with a reaction the author can click (default on)"]
    react: Option<bool>,
    #[description = "How sure I must be to offer an answer with a reaction, from 0 to 1 (default 0.3)"]
    #[min = 0]
    #[max = 1]
    react_threshold: Option<f64>,
    #[description = "The reaction that offers an answer (default 🔎)"]
    #[max_length = 32]
    reaction: Option<String>,
) -> Result<(), Error> {
    let Some(guild) = manager_guild(ctx).await else {
        return Ok(());
    };
    let threshold = match threshold.map(valid_threshold) {
        Some(None) => {
            say(ctx, messages::BAD_THRESHOLD).await;
            return Ok(());
        }
        other => other.flatten(),
    };
    let cooldown = match cooldown.map(valid_cooldown_minutes) {
        Some(None) => {
            say(ctx, messages::BAD_COOLDOWN).await;
            return Ok(());
        }
        other => other.flatten(),
    };
    let mut limits = [None, None];
    for (slot, given) in limits.iter_mut().zip([member_limit, channel_limit]) {
        match given.map(valid_limit) {
            Some(None) => {
                say(ctx, messages::BAD_LIMIT).await;
                return Ok(());
            }
            other => *slot = other.flatten(),
        }
    }
    let react_threshold = match react_threshold.map(valid_threshold) {
        Some(None) => {
            say(ctx, messages::BAD_THRESHOLD).await;
            return Ok(());
        }
        other => other.flatten(),
    };
    let reaction = match reaction.as_deref().map(valid_reaction) {
        Some(None) => {
            say(ctx, messages::BAD_REACTION).await;
            return Ok(());
        }
        other => other.flatten(),
    };
    let s = ctx.data().change_settings(guild, |store| {
        store.set_limits(guild, limits[0], limits[1])?;
        store.set_react(guild, react, react_threshold, reaction.as_deref())?;
        if let Some(t) = threshold {
            store.set_threshold(guild, t)?;
        }
        if let Some(c) = cooldown {
            store.set_cooldown(guild, c)?;
        }
        if let Some(on) = thread_starter_only {
            store.set_thread_starter_only(guild, on)?;
        }
        store.settings(guild)
    })?;
    let summary = format!(
        "{}\n{}\n{}",
        messages::settings_summary(
            s.threshold,
            s.cooldown.as_secs() / 60,
            s.thread_starter_only,
        ),
        messages::limits_summary(s.member_limit, s.channel_limit),
        messages::react_summary(s.react, s.react_threshold, &s.reaction),
    );
    say(ctx, &summary).await;
    Ok(())
}

/// Reload the knowledge base from disk (a broken one keeps the one in use)
#[poise::command(slash_command)]
async fn reload(ctx: Ctx<'_>) -> Result<(), Error> {
    if manager_guild(ctx).await.is_none() {
        return Ok(());
    }
    ctx.defer_ephemeral().await?;
    let bot = ctx.data().clone();
    let result = tokio::task::spawn_blocking(move || bot.reload()).await?;
    let reply = match result {
        Ok(Some(engine)) => CreateReply::default().content(messages::reloaded(
            engine.kb().entries.len(),
            engine.kb().code_count(),
        )),
        Ok(None) => CreateReply::default().content(messages::NO_KNOWLEDGE_DIR),
        Err(problems) => {
            warn!("reload refused, {} problem(s):\n{problems}", problems.len());
            let e = Embed {
                title: messages::KB_BROKEN.to_string(),
                description: messages::kb_broken_details(&problems, 4000),
                color: colour::GUESS,
                fields: Vec::new(),
                footer: None,
            };
            CreateReply::default().embed(reply::embed(&truncate_embed(e)))
        }
    };
    ctx.send(reply.ephemeral(true).allowed_mentions(reply::no_mentions()))
        .await?;
    Ok(())
}

/// The title of the broken-knowledge embed fits its limit too.
fn truncate_embed(mut e: Embed) -> Embed {
    e.title = truncate(&e.title, discord::limits::TITLE);
    e
}
