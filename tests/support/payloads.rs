//! Discord JSON as the real API and gateway send it: users, members,
//! channels, messages, READY, GUILD_CREATE and interactions, with every
//! field Discord includes. serenity drops gateway events it cannot
//! deserialize without a word, so `tests/discord_e2e.rs` checks each kind
//! against serenity's own models before any test relies on it.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

pub const APP: u64 = 1_180_000_000_000_000_001;
pub const BOT: u64 = APP;
pub const GUILD: u64 = 1_180_000_000_000_000_100;
/// Enabled for passive answers in most tests.
pub const HELP: u64 = 1_180_000_000_000_000_200;
/// Never enabled unless a test says so.
pub const CHAT: u64 = 1_180_000_000_000_000_201;
/// A forum channel.
pub const FORUM: u64 = 1_180_000_000_000_000_202;
/// A channel where the bot lacks Send Messages (the fake answers 403).
pub const LOCKED: u64 = 1_180_000_000_000_000_203;
/// A thread under HELP started by ASKER, known from GUILD_CREATE.
pub const THREAD: u64 = 1_180_000_000_000_000_300;
/// A forum post under FORUM started by ASKER, created after READY: the
/// bot has to look it up.
pub const POST: u64 = 1_180_000_000_000_000_301;
pub const ASKER: u64 = 1_180_000_000_000_001_000;
pub const OTHER: u64 = 1_180_000_000_000_001_001;
pub const MODERATOR: u64 = 1_180_000_000_000_001_002;
pub const OTHER_BOT: u64 = 1_180_000_000_000_001_003;
pub const WEBHOOK: u64 = 1_180_000_000_000_001_100;

/// Permission bits.
pub const VIEW_SEND: u64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 38);
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const EVERYTHING: u64 = (1 << 50) - 1;

const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// A fresh snowflake made now (edits of messages the bot never saw only
/// count while the message is young).
pub fn snowflake() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    ((ms - DISCORD_EPOCH_MS) << 22) | (COUNTER.fetch_add(1, Ordering::Relaxed) & 0x3F_FFFF)
}

pub fn now_iso() -> String {
    // Discord's format: 2024-05-01T12:34:56.789000+00:00.
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, dd) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    let mut u = json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": if bot { Value::Null } else { json!(name) },
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "primary_guild": null,
        "collectibles": null,
        "clan": null,
    });
    if bot {
        u["bot"] = json!(true);
    }
    u
}

pub fn name_of(id: u64) -> &'static str {
    match id {
        ASKER => "asker",
        OTHER => "someone",
        MODERATOR => "moderator",
        OTHER_BOT => "otherbot",
        BOT => "hexhelp",
        _ => "person",
    }
}

pub fn user_of(id: u64) -> Value {
    user(id, name_of(id), id == OTHER_BOT || id == BOT)
}

/// A guild member as embedded in a message (no `user`).
pub fn partial_member() -> Value {
    json!({
        "roles": [],
        "premium_since": null,
        "pending": false,
        "nick": null,
        "mute": false,
        "joined_at": "2024-03-01T10:00:00.000000+00:00",
        "flags": 0,
        "deaf": false,
        "communication_disabled_until": null,
        "banner": null,
        "avatar": null,
    })
}

/// A guild member as sent with an interaction: with the user and the
/// permissions Discord computed for them in the channel.
pub fn interaction_member(user_id: u64, permissions: u64) -> Value {
    let mut m = partial_member();
    m["user"] = user_of(user_id);
    m["permissions"] = json!(permissions.to_string());
    m["unusual_dm_activity_until"] = Value::Null;
    m
}

pub fn text_channel(id: u64, name: &str, position: u64) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": GUILD.to_string(),
        "name": name,
        "position": position,
        "parent_id": null,
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "permission_overwrites": [],
        "flags": 0,
        "icon_emoji": null,
        "theme_color": null,
    })
}

pub fn forum_channel(id: u64, name: &str, position: u64) -> Value {
    let mut c = text_channel(id, name, position);
    c["type"] = json!(15);
    c["available_tags"] = json!([]);
    c["default_reaction_emoji"] = Value::Null;
    c["default_thread_rate_limit_per_user"] = json!(0);
    c["default_sort_order"] = Value::Null;
    c["default_forum_layout"] = json!(0);
    c["template"] = json!("");
    c
}

/// A public thread (or forum post, when `parent` is a forum).
pub fn thread(id: u64, parent: u64, owner: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "type": 11,
        "guild_id": GUILD.to_string(),
        "parent_id": parent.to_string(),
        "owner_id": owner.to_string(),
        "name": name,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "message_count": 1,
        "member_count": 1,
        "total_message_sent": 1,
        "flags": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": false,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2024-03-01T10:00:00.000000+00:00",
            "locked": false,
            "create_timestamp": "2024-03-01T10:00:00.000000+00:00",
            "invitable": true,
        },
    })
}

/// Every channel the fake knows, for GUILD_CREATE and GET /channels/{id}.
pub fn channel_by_id(id: u64) -> Option<Value> {
    Some(match id {
        HELP => text_channel(HELP, "help", 0),
        CHAT => text_channel(CHAT, "general", 1),
        FORUM => forum_channel(FORUM, "windows-help", 2),
        LOCKED => text_channel(LOCKED, "announcements", 3),
        THREAD => thread(THREAD, HELP, ASKER, "update fails"),
        POST => thread(POST, FORUM, ASKER, "activation error after new motherboard"),
        _ => return None,
    })
}

pub struct Msg<'a> {
    pub id: u64,
    pub channel: u64,
    pub author: u64,
    pub content: &'a str,
    pub webhook: bool,
    /// The message this one replies to.
    pub reply_to: Option<Value>,
    /// Users mentioned (ids).
    pub mentions: Vec<u64>,
}

impl<'a> Msg<'a> {
    pub fn new(channel: u64, author: u64, content: &'a str) -> Msg<'a> {
        Msg {
            id: snowflake(),
            channel,
            author,
            content,
            webhook: false,
            reply_to: None,
            mentions: Vec::new(),
        }
    }
}

/// A message as MESSAGE_CREATE carries it.
pub fn message(m: &Msg<'_>) -> Value {
    let mut v = json!({
        "type": if m.reply_to.is_some() { 19 } else { 0 },
        "tts": false,
        "timestamp": now_iso(),
        "pinned": false,
        "nonce": m.id.to_string(),
        "mentions": m.mentions.iter().map(|&u| {
            let mut u2 = user_of(u);
            u2["member"] = partial_member();
            u2
        }).collect::<Vec<_>>(),
        "mention_roles": [],
        "mention_everyone": false,
        "id": m.id.to_string(),
        "flags": 0,
        "embeds": [],
        "edited_timestamp": null,
        "content": m.content,
        "components": [],
        "channel_id": m.channel.to_string(),
        "channel_type": if m.channel == THREAD || m.channel == POST { 11 } else { 0 },
        "author": user_of(m.author),
        "attachments": [],
        "guild_id": GUILD.to_string(),
    });
    if m.webhook {
        v["webhook_id"] = json!(WEBHOOK.to_string());
        v["author"] = user(WEBHOOK, "Status Feed", true);
        v["author"]["discriminator"] = json!("0000");
    } else {
        v["member"] = partial_member();
    }
    if let Some(r) = &m.reply_to {
        v["message_reference"] = json!({
            "type": 0,
            "channel_id": r["channel_id"],
            "message_id": r["id"],
            "guild_id": GUILD.to_string(),
        });
        v["referenced_message"] = r.clone();
    }
    v
}

/// A message as MESSAGE_UPDATE carries it: the whole message, edited.
pub fn edited(original: &Msg<'_>, new_content: &str) -> Value {
    let mut v = message(&Msg {
        id: original.id,
        channel: original.channel,
        author: original.author,
        content: new_content,
        webhook: original.webhook,
        reply_to: None,
        mentions: original.mentions.clone(),
    });
    v["edited_timestamp"] = json!(now_iso());
    v
}

/// A message the bot sent, as the REST API returns it.
pub fn bot_message(id: u64, channel: u64, body: &Value) -> Value {
    let mut v = json!({
        "type": if body.get("message_reference").is_some() { 19 } else { 0 },
        "tts": false,
        "timestamp": now_iso(),
        "pinned": false,
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": false,
        "id": id.to_string(),
        "flags": body.get("flags").cloned().unwrap_or(json!(0)),
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "edited_timestamp": null,
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "channel_id": channel.to_string(),
        "author": user_of(BOT),
        "attachments": [],
    });
    if let Some(r) = body.get("message_reference") {
        v["message_reference"] = json!({
            "type": 0,
            "channel_id": channel.to_string(),
            "message_id": r["message_id"],
            "guild_id": GUILD.to_string(),
        });
    }
    v
}

/// MESSAGE_REACTION_ADD: `user` adds the Unicode `emoji` to `message`.
pub fn reaction_add(message: &Value, user: u64, emoji: &str) -> Value {
    let mut member = partial_member();
    member["user"] = user_of(user);
    json!({
        "user_id": user.to_string(),
        "type": 0,
        "message_id": message["id"],
        "message_author_id": message["author"]["id"],
        "member": member,
        "emoji": {"name": emoji, "id": null},
        "channel_id": message["channel_id"],
        "burst": false,
        "burst_colors": [],
        "guild_id": GUILD.to_string(),
    })
}

/// The bot's answer to `asked` (a message), with buttons on it.
pub fn bot_reply(asked: &Value, custom_ids: &[&str]) -> Value {
    let channel: u64 = asked["channel_id"].as_str().unwrap().parse().unwrap();
    let mut m = bot_answer_to(channel, custom_ids);
    m["type"] = json!(19);
    m["message_reference"] = json!({
        "type": 0,
        "channel_id": asked["channel_id"],
        "message_id": asked["id"],
        "guild_id": GUILD.to_string(),
    });
    m["referenced_message"] = asked.clone();
    m
}

/// The bot's public answer to `user`'s slash command, with buttons on it.
pub fn bot_command_answer(channel: u64, user: u64, custom_ids: &[&str]) -> Value {
    let mut m = bot_answer_to(channel, custom_ids);
    m["type"] = json!(20);
    m["webhook_id"] = json!(APP.to_string());
    m["application_id"] = json!(APP.to_string());
    m["interaction"] = json!({
        "id": snowflake().to_string(),
        "type": 2,
        "name": "error",
        "user": user_of(user),
    });
    m["interaction_metadata"] = json!({
        "id": snowflake().to_string(),
        "type": 2,
        "user": user_of(user),
        "authorizing_integration_owners": {"0": GUILD.to_string()},
        "name": "error",
        "command_type": 1,
    });
    m
}

/// An answer of the bot's with buttons on it, replying to a message of
/// ASKER's, for button presses.
pub fn bot_answer(channel: u64, custom_ids: &[&str]) -> Value {
    bot_reply(
        &message(&Msg::new(
            channel,
            ASKER,
            "Windows Update fails with 0x80070002",
        )),
        custom_ids,
    )
}

fn bot_answer_to(channel: u64, custom_ids: &[&str]) -> Value {
    let buttons: Vec<Value> = custom_ids
        .iter()
        .map(|id| json!({"type": 2, "style": 2, "label": "button", "custom_id": id}))
        .collect();
    let body = json!({
        "embeds": [{"type": "rich", "title": "0x80070002 · ERROR_FILE_NOT_FOUND", "color": 3900150}],
        "components": [{"type": 1, "components": buttons}],
    });
    let mut m = bot_message(snowflake(), channel, &body);
    m["guild_id"] = json!(GUILD.to_string());
    m
}

pub fn ready(session_id: &str, resume_url: &str) -> Value {
    json!({
        "v": 10,
        "user_settings": {},
        "user": {
            "verified": true,
            "username": "hexhelp",
            "mfa_enabled": false,
            "id": BOT.to_string(),
            "global_name": null,
            "flags": 0,
            "email": null,
            "discriminator": "0",
            "bot": true,
            "avatar": null,
        },
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "relationships": [],
        "private_channels": [],
        "presences": [],
        "guilds": [{"unavailable": true, "id": GUILD.to_string()}],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["rotterdam", "frankfurt"],
        "auth": {},
        "application": {"id": APP.to_string(), "flags": 8_954_880},
        "_trace": ["[\"gateway-prd-test\",{\"micros\":1}]"],
        "shard": [0, 1],
    })
}

fn role_everyone() -> Value {
    json!({
        "id": GUILD.to_string(),
        "name": "@everyone",
        "description": null,
        "permissions": VIEW_SEND.to_string(),
        "position": 0,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "managed": false,
        "mentionable": false,
        "icon": null,
        "unicode_emoji": null,
        "flags": 0,
    })
}

pub fn guild_create() -> Value {
    let mut bot_member = partial_member();
    bot_member["user"] = user_of(BOT);
    json!({
        "id": GUILD.to_string(),
        "name": "Windows Helpers",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": MODERATOR.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [role_everyone()],
        "emojis": [],
        "features": ["COMMUNITY", "NEWS"],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": CHAT.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "nsfw": false,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
        "hub_type": null,
        "latest_onboarding_question_id": null,
        "home_header": null,
        "inventory_settings": null,
        "embedded_activities": [],
        "activity_instances": [],
        "application_command_counts": {},
        "lazy": true,
        "joined_at": "2024-03-01T10:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": 4,
        "voice_states": [],
        "members": [bot_member],
        "channels": [
            channel_by_id(HELP).unwrap(),
            channel_by_id(CHAT).unwrap(),
            channel_by_id(FORUM).unwrap(),
            channel_by_id(LOCKED).unwrap(),
        ],
        "threads": [channel_by_id(THREAD).unwrap()],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "version": 1_700_000_000_000u64,
    })
}

/// The part of an interaction that is the same for every kind.
fn interaction_base(kind: u8, user_id: u64, permissions: u64, channel: u64) -> Value {
    let mut ch = channel_by_id(channel).unwrap_or_else(|| text_channel(channel, "somewhere", 9));
    ch["permissions"] = json!(permissions.to_string());
    json!({
        "version": 1,
        "type": kind,
        "token": format!("aW50ZXJhY3Rpb246{}", snowflake()),
        "member": interaction_member(user_id, permissions),
        "locale": "en-US",
        "id": snowflake().to_string(),
        "guild_locale": "en-US",
        "guild_id": GUILD.to_string(),
        "guild": {"locale": "en-US", "id": GUILD.to_string(), "features": ["COMMUNITY", "NEWS"]},
        "entitlements": [],
        "entitlement_sku_ids": [],
        "context": 0,
        "channel_id": channel.to_string(),
        "channel": ch,
        "authorizing_integration_owners": {"0": GUILD.to_string()},
        "application_id": APP.to_string(),
        "app_permissions": VIEW_SEND.to_string(),
        "attachment_size_limit": 10_485_760,
    })
}

/// The command id Discord gave each command when they were registered.
pub fn command_id(name: &str) -> String {
    let n: u64 = name.bytes().map(u64::from).sum();
    (1_190_000_000_000_000_000 + n).to_string()
}

/// A slash command: `options` as Discord sends them (`[{type, name, value}]`,
/// or nested for subcommands); `resolved` for channel options.
pub fn slash(
    name: &str,
    options: Value,
    resolved: Option<Value>,
    user_id: u64,
    permissions: u64,
    channel: u64,
) -> Value {
    let mut v = interaction_base(2, user_id, permissions, channel);
    v["data"] = json!({"type": 1, "name": name, "id": command_id(name), "options": options});
    if let Some(r) = resolved {
        v["data"]["resolved"] = r;
    }
    v
}

/// `/hexhelp channels <sub> channel:<id>` with its resolved channel.
pub fn channels_command(sub: &str, channel: u64, user_id: u64, permissions: u64) -> Value {
    let mut resolved_channel = channel_by_id(channel).unwrap();
    resolved_channel["permissions"] = json!(EVERYTHING.to_string());
    let options = json!([{
        "type": 2,
        "name": "channels",
        "options": [{"type": 1, "name": sub, "options": [{"type": 7, "name": "channel", "value": channel.to_string()}]}],
    }]);
    let resolved = json!({"channels": {channel.to_string(): resolved_channel}});
    slash(
        "hexhelp",
        options,
        Some(resolved),
        user_id,
        permissions,
        HELP,
    )
}

/// `/hexhelp settings` with the given options (`[{type, name, value}]`).
pub fn settings_command(options: Value, user_id: u64, permissions: u64) -> Value {
    slash(
        "hexhelp",
        json!([{"type": 1, "name": "settings", "options": options}]),
        None,
        user_id,
        permissions,
        HELP,
    )
}

/// Typing into `/error code:`.
pub fn autocomplete(partial: &str) -> Value {
    let mut v = interaction_base(4, ASKER, VIEW_SEND, HELP);
    v["data"] = json!({
        "type": 1,
        "name": "error",
        "id": command_id("error"),
        "options": [{"type": 3, "name": "code", "value": partial, "focused": true}],
    });
    v
}

/// "Diagnose with hexhelp" on `target` (a message object).
pub fn context_menu(target: &Value, user_id: u64) -> Value {
    let mut v = interaction_base(2, user_id, VIEW_SEND, HELP);
    let id = target["id"].as_str().unwrap().to_string();
    v["data"] = json!({
        "type": 3,
        "name": "Diagnose with hexhelp",
        "id": command_id("Diagnose with hexhelp"),
        "target_id": id,
        "resolved": {"messages": {id.clone(): target}},
    });
    v
}

/// A button press on `message`.
pub fn button(custom_id: &str, message: &Value, user_id: u64, permissions: u64) -> Value {
    let channel: u64 = message["channel_id"].as_str().unwrap().parse().unwrap();
    let mut v = interaction_base(3, user_id, permissions, channel);
    v["data"] = json!({"custom_id": custom_id, "component_type": 2});
    v["message"] = message.clone();
    v
}

/// `v` with each id in `map` replaced by its pair (Discord's JSON writes
/// ids as strings), to move a payload to another guild and channels.
pub fn remap(v: &Value, map: &[(u64, u64)]) -> Value {
    let mut text = v.to_string();
    for (from, to) in map {
        text = text.replace(&format!("\"{from}\""), &format!("\"{to}\""));
    }
    serde_json::from_str(&text).unwrap()
}
