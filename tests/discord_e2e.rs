//! The real `hexhelp serve` binary against a loopback Discord
//! (`tests/support/`): gateway over WebSocket, REST over HTTP (as an API
//! proxy) or TLS (as discord.com). Every assertion is about requests the
//! fake received; every wait is bounded.

#![recursion_limit = "256"]

mod support;

use std::path::PathBuf;
use std::time::Duration;

use hexhelp::bot::Store;
use hexhelp::codes::hex;
use hexhelp::{Engine, messages};
use poise::serenity_prelude as serenity;
use serde_json::{Value, json};
use support::fake::{RateLimit, Snapshot};
use support::payloads::{self as p, Msg};
use support::{BotProcess, FakeDiscord, Launch};

const WAIT: Duration = Duration::from_secs(15);

/// A bot connected to a fresh fake Discord, with its own database in a
/// temporary directory.
struct Harness {
    fake: FakeDiscord,
    dir: tempfile::TempDir,
    bot: Option<BotProcess>,
}

impl Harness {
    /// Waits until the bot has sent a DELETE for `path`.
    async fn wait_for_delete(&self, what: &str, path: &str) {
        self.fake
            .wait_for(what, WAIT, |s| {
                s.requests
                    .iter()
                    .any(|r| r.is("DELETE", path))
                    .then_some(())
            })
            .await;
    }

    /// `enabled`: channels enabled in the database before the bot starts.
    async fn start(enabled: &[u64]) -> Harness {
        let mut h = Harness::new(enabled).await;
        let launch = Launch::proxy(&h.fake, h.dir.path(), &h.db());
        h.launch(launch).await;
        h
    }

    /// Stops the bot with SIGTERM (it must exit cleanly) and starts a new
    /// process on the same database against a fresh gateway session.
    async fn restart(mut self) -> Harness {
        let status = self.bot.as_mut().unwrap().terminate(WAIT);
        assert!(status.success(), "exit status {status:?}");
        self.bot = None;
        let mut h = Harness {
            fake: FakeDiscord::start(support::TOKEN).await,
            dir: self.dir,
            bot: None,
        };
        let launch = Launch::proxy(&h.fake, h.dir.path(), &h.db());
        h.launch(launch).await;
        h
    }

    async fn new(enabled: &[u64]) -> Harness {
        let fake = FakeDiscord::start(support::TOKEN).await;
        let dir = tempfile::tempdir().unwrap();
        let h = Harness {
            fake,
            dir,
            bot: None,
        };
        let store = Store::open(&h.db()).unwrap();
        for &c in enabled {
            store.add_channel(p::GUILD, c).unwrap();
        }
        h
    }

    async fn launch(&mut self, launch: Launch) {
        self.bot = Some(BotProcess::start(launch));
        self.fake.ready().await;
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("hexhelp.db")
    }

    fn store(&self) -> Store {
        Store::open(&self.db()).unwrap()
    }

    /// Waits for the `n`th POST (counting from 1) to a channel.
    async fn nth_post(&self, channel: u64, n: usize) -> Value {
        let path = format!("/api/v10/channels/{channel}/messages");
        self.fake
            .wait_for(&format!("post #{n} to channel {channel}"), WAIT, |s| {
                s.posts_to(&path).get(n - 1).map(|r| r.body.clone())
            })
            .await
    }

    fn posts(&self, channel: u64) -> usize {
        self.fake
            .snapshot()
            .posts_to(&format!("/api/v10/channels/{channel}/messages"))
            .len()
    }

    /// Waits for the callback to interaction `payload`.
    async fn callback(&self, payload: &Value) -> Value {
        let path = format!(
            "/api/v10/interactions/{}/{}/callback",
            payload["id"].as_str().unwrap(),
            payload["token"].as_str().unwrap()
        );
        let what = format!(
            "callback to {}",
            payload["data"]["name"]
                .as_str()
                .or(payload["data"]["custom_id"].as_str())
                .unwrap_or("?")
        );
        self.fake
            .wait_for(&what, WAIT, |s| {
                s.posts_to(&path).first().map(|r| r.body.clone())
            })
            .await
    }

    /// Requests made for interaction `payload`'s token (follow-ups).
    fn webhook_requests(&self, payload: &Value) -> Vec<support::fake::Recorded> {
        let token = payload["token"].as_str().unwrap();
        self.fake
            .snapshot()
            .requests
            .into_iter()
            .filter(|r| r.path.contains(token) && r.path.starts_with("/api/v10/webhooks/"))
            .collect()
    }
}

fn engine() -> Engine {
    Engine::bundled().unwrap()
}

/// Fix titles of the "Fixes, in the order to try them" field.
fn fix_titles(embed: &Value) -> Vec<String> {
    let field = embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == messages::FIXES_IN_ORDER)
        .expect("a fixes field");
    field["value"]
        .as_str()
        .unwrap()
        .lines()
        .map(|l| {
            let rest = l.split_once(". ").unwrap().1;
            rest.split(" · *").next().unwrap().to_string()
        })
        .collect()
}

fn custom_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .flat_map(|r| r["components"].as_array().cloned().unwrap_or_default())
                .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[track_caller]
fn assert_no_mentions(body: &Value) {
    let am = &body["allowed_mentions"];
    assert_eq!(am["parse"], json!([]), "allowed_mentions: {am}");
    assert!(am["users"].as_array().is_none_or(|u| u.is_empty()), "{am}");
    assert!(am["roles"].as_array().is_none_or(|r| r.is_empty()), "{am}");
    assert_ne!(am["replied_user"], json!(true), "{am}");
}

/// serenity drops gateway events it cannot deserialize without a word, so
/// every kind of payload the fake sends must deserialize into serenity's
/// own models first.
#[test]
fn fake_payloads_deserialize_into_serenity_models() {
    use serenity::{GuildChannel, Interaction, Message, Ready};
    let de = |what: &str, v: Value| -> Result<(), String> {
        let r = match what {
            "ready" => serde_json::from_value::<Ready>(v).map(drop),
            "guild" => serde_json::from_value::<serenity::Guild>(v).map(drop),
            "message" => serde_json::from_value::<Message>(v).map(drop),
            "channel" => serde_json::from_value::<GuildChannel>(v).map(drop),
            "interaction" => serde_json::from_value::<Interaction>(v).map(drop),
            "update" => serde_json::from_value::<serenity::MessageUpdateEvent>(v).map(drop),
            "reaction" => serde_json::from_value::<serenity::Reaction>(v).map(drop),
            _ => unreachable!(),
        };
        r.map_err(|e| format!("{what}: {e}"))
    };
    let asked = p::message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    let mut reply = Msg::new(p::HELP, p::OTHER, "<@1180000000000000001>");
    reply.reply_to = Some(asked.clone());
    reply.mentions = vec![p::BOT];
    let webhook = Msg {
        webhook: true,
        ..Msg::new(p::HELP, p::WEBHOOK, "status")
    };
    let answer = p::bot_answer(p::HELP, &["hexhelp:dismiss:1"]);
    let checks = vec![
        de("ready", p::ready("abc", "ws://127.0.0.1:1")),
        de("guild", p::guild_create()),
        de("message", asked.clone()),
        de("message", p::message(&reply)),
        de("message", p::message(&webhook)),
        de("message", answer.clone()),
        de(
            "message",
            p::bot_command_answer(p::HELP, p::OTHER, &["hexhelp:dismiss:1"]),
        ),
        de("reaction", p::reaction_add(&asked, p::ASKER, "\u{1F50E}")),
        de(
            "update",
            p::edited(&Msg::new(p::HELP, p::ASKER, "x"), "0x80070002"),
        ),
        de("channel", p::channel_by_id(p::THREAD).unwrap()),
        de("channel", p::channel_by_id(p::POST).unwrap()),
        de("channel", p::channel_by_id(p::FORUM).unwrap()),
        de(
            "interaction",
            p::slash(
                "error",
                json!([{"type": 3, "name": "code", "value": "0x80070002"}]),
                None,
                p::ASKER,
                p::VIEW_SEND,
                p::HELP,
            ),
        ),
        de(
            "interaction",
            p::channels_command("add", p::CHAT, p::MODERATOR, p::MANAGE_GUILD),
        ),
        de(
            "interaction",
            p::settings_command(
                json!([{"type": 10, "name": "threshold", "value": 0.5}]),
                p::MODERATOR,
                p::MANAGE_GUILD,
            ),
        ),
        de("interaction", p::autocomplete("0x8007")),
        de("interaction", p::context_menu(&asked, p::OTHER)),
        de(
            "interaction",
            p::button(
                "hexhelp:next:wu-missing-files:2",
                &answer,
                p::OTHER,
                p::VIEW_SEND,
            ),
        ),
    ];
    let failures: Vec<String> = checks.into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    // And the kinds come out as the bot expects.
    let i: Interaction = serde_json::from_value(p::autocomplete("0x8007")).unwrap();
    assert!(matches!(i, Interaction::Autocomplete(_)));
    let i: Interaction =
        serde_json::from_value(p::button("hexhelp:dismiss:1", &answer, p::OTHER, 0)).unwrap();
    assert!(matches!(i, Interaction::Component(_)));
    let m: Message = serde_json::from_value(p::message(&webhook)).unwrap();
    assert!(m.webhook_id.is_some());
    // What the button checks read from the message they are on.
    let m: Message = serde_json::from_value(answer).unwrap();
    assert_eq!(m.referenced_message.unwrap().author.id.get(), p::ASKER);
    let m: Message = serde_json::from_value(p::bot_command_answer(p::HELP, p::OTHER, &[])).unwrap();
    assert!(matches!(
        m.interaction_metadata.as_deref(),
        Some(serenity::MessageInteractionMetadata::Command(c)) if c.user.id.get() == p::OTHER
    ));
}

// ---- 1. identify and commands --------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identify_carries_the_intents_and_commands_are_registered() {
    let h = Harness::start(&[]).await;
    let snap = h.fake.snapshot();
    let identify = &snap.gateway.identifies[0];
    // GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | MESSAGE_CONTENT.
    assert_eq!(
        identify["intents"],
        json!(1 | (1 << 9) | (1 << 10) | (1 << 15)),
        "{identify}"
    );
    assert_eq!(identify["shard"], json!([0, 1]));
    // The gateway URL came from /gateway/bot (the fake's /gateway names a
    // port nobody listens on).
    assert!(
        snap.requests
            .iter()
            .any(|r| r.is("GET", "/api/v10/gateway/bot"))
    );
    assert!(
        snap.requests
            .iter()
            .all(|r| r.auth.as_deref() == Some(&*format!("Bot {}", support::TOKEN)))
    );

    let put = snap
        .requests
        .iter()
        .find(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .unwrap();
    let commands = put.body.as_array().unwrap();
    let by_name = |n: &str| {
        commands
            .iter()
            .find(|c| c["name"] == n)
            .unwrap_or_else(|| panic!("no command {n}: {commands:?}"))
    };
    let error = by_name("error");
    assert!(
        error["type"].is_null() || error["type"] == 1,
        "a slash command: {error}"
    );
    let code = error["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "code")
        .unwrap();
    assert_eq!(code["autocomplete"], true);
    assert_eq!(code["required"], true);
    let public = error["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "public")
        .unwrap();
    assert_eq!(public["type"], 5);
    assert!(
        by_name("ask")["options"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "public")
    );
    assert_eq!(by_name("Diagnose with hexhelp")["type"], 3);
    let admin = by_name("hexhelp");
    assert_eq!(
        admin["default_member_permissions"], "32",
        "hidden from members without Manage Server"
    );
    let subs: Vec<&str> = admin["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(subs, ["channels", "settings", "stats", "reload"]);
    let channels = &admin["options"][0];
    assert_eq!(channels["type"], 2, "a subcommand group");
    let channel_subs: Vec<&str> = channels["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(channel_subs, ["add", "remove", "list"]);

    // Heartbeats are sent and acknowledged (the connection stays up).
    h.fake
        .wait_for("a heartbeat", Duration::from_secs(10), |s| {
            (s.gateway.heartbeats >= 1).then_some(())
        })
        .await;
    assert_eq!(h.fake.snapshot().gateway.connections, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_message_content_the_intent_is_not_requested() {
    let mut h = Harness::new(&[]).await;
    let mut launch = Launch::proxy(&h.fake, h.dir.path(), &h.db());
    launch.args.push("--no-message-content".into());
    h.launch(launch).await;
    let snap = h.fake.snapshot();
    assert_eq!(
        snap.gateway.identifies[0]["intents"],
        json!(1 | (1 << 9) | (1 << 10))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_content_intent_stops_the_bot_with_a_clear_sentence() {
    let h = Harness::new(&[]).await;
    h.fake.rules(|r| r.refuse_message_content = true);
    let mut bot = BotProcess::start(Launch::proxy(&h.fake, h.dir.path(), &h.db()));
    let status = bot.wait(WAIT);
    assert_eq!(status.code(), Some(2));
    assert!(
        bot.stderr().contains(messages::INTENT_DISALLOWED),
        "{}",
        bot.stderr()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_explicit_shard_range_is_identified() {
    let mut h = Harness::new(&[]).await;
    let mut launch = Launch::proxy(&h.fake, h.dir.path(), &h.db());
    launch.args.extend([
        "--shards".into(),
        "1-1".into(),
        "--shard-total".into(),
        "2".into(),
    ]);
    h.launch(launch).await;
    assert_eq!(
        h.fake.snapshot().gateway.identifies[0]["shard"],
        json!([1, 2])
    );
}

// ---- 2. passive answers --------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_in_an_enabled_channel_gets_exactly_one_answer() {
    let h = Harness::start(&[p::HELP]).await;
    let asked = Msg::new(
        p::HELP,
        p::ASKER,
        "Windows Update fails with 0x80070002 every night",
    );
    h.fake.message(&asked);
    let body = h.nth_post(p::HELP, 1).await;

    assert_no_mentions(&body);
    assert_eq!(
        body["message_reference"]["message_id"],
        json!(asked.id.to_string())
    );
    let embed = &body["embeds"][0];
    assert!(
        embed["title"].as_str().unwrap().starts_with("0x80070002"),
        "{embed}"
    );
    let e = engine();
    // The Windows Update entry for the code, since the message says so.
    let entry = e
        .kb()
        .entries_for_code(0x8007_0002)
        .find(|x| x.area == "windows-update")
        .unwrap();
    let want: Vec<String> = entry.fixes.iter().map(|f| f.title.clone()).collect();
    assert_eq!(
        fix_titles(embed),
        want,
        "fixes in the knowledge base's order"
    );
    let ids = custom_ids(&body);
    assert_eq!(
        ids,
        [
            format!("hexhelp:next:{}:2", entry.id),
            format!("hexhelp:fixed:{}:1", entry.id),
            format!("hexhelp:nohelp:{}:1", entry.id),
            format!("hexhelp:dismiss:{}", p::ASKER),
        ]
    );

    // Now everything that must stay unanswered.
    h.fake.dispatch("MESSAGE_CREATE", p::message(&asked)); // the same message again
    h.fake.message(&Msg::new(
        p::HELP,
        p::OTHER,
        "thanks everyone, it works now",
    ));
    h.fake.message(&Msg::new(
        p::HELP,
        p::OTHER_BOT,
        "Bot alert: 0x80070005 on build agent",
    ));
    h.fake.message(&Msg {
        webhook: true,
        ..Msg::new(p::HELP, p::WEBHOOK, "CI failed with 0x80070005")
    });
    h.fake
        .message(&Msg::new(p::CHAT, p::ASKER, "also seeing 0x80070005 here"));
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "same here, 0x80070002 too")); // cooldown
    h.fake.message(&Msg::new(
        p::HELP,
        p::OTHER,
        "> 0x80070005\nthat fixed it for me, thanks",
    ));
    // A sentinel that must be answered: once it is, the others were read.
    h.fake.message(&Msg::new(
        p::HELP,
        p::ASKER,
        "and activation says 0xC004F074",
    ));
    let sentinel = h.nth_post(p::HELP, 2).await;
    assert_title(&sentinel, "0xC004F074");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        h.posts(p::HELP),
        2,
        "only the first message and the sentinel were answered"
    );
    assert_eq!(h.posts(p::CHAT), 0, "disabled channel");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn threads_forum_posts_mentions_and_edits() {
    let h = Harness::start(&[p::HELP, p::FORUM]).await;
    // A thread under an enabled channel (known from GUILD_CREATE).
    h.fake.message(&Msg::new(
        p::THREAD,
        p::ASKER,
        "still 0x80070002 after the reset",
    ));
    let b = h.nth_post(p::THREAD, 1).await;
    assert_title(&b, "0x80070002");
    // A forum post created after READY: the bot looks it up.
    h.fake
        .message(&Msg::new(p::POST, p::ASKER, "activation fails 0xC004F074"));
    h.nth_post(p::POST, 1).await;
    assert!(
        h.fake
            .snapshot()
            .requests
            .iter()
            .any(|r| r.is("GET", &format!("/api/v10/channels/{}", p::POST)))
    );

    // A mention in a channel the bot doesn't read on its own.
    let mut m = Msg::new(
        p::CHAT,
        p::OTHER,
        "<@1180000000000000001> what is 0x80070005?",
    );
    m.mentions = vec![p::BOT];
    h.fake.message(&m);
    let b = h.nth_post(p::CHAT, 1).await;
    assert_no_mentions(&b);
    assert_title(&b, "0x80070005");
    // A mention under someone's message diagnoses that message.
    let original = h.fake.message(&Msg::new(
        p::CHAT,
        p::ASKER,
        "my store apps won't update, error 0x80073CF9",
    ));
    let mut m = Msg::new(p::CHAT, p::OTHER, "<@1180000000000000001>");
    m.reply_to = Some(original);
    m.mentions = vec![p::BOT];
    h.fake.message(&m);
    let b = h.nth_post(p::CHAT, 2).await;
    assert_title(&b, "0x80073CF9");

    // An edit that adds a code to an unanswered message gets the answer.
    let chatter = Msg::new(
        p::HELP,
        p::ASKER,
        "update keeps failing, one sec I'll get the code",
    );
    h.fake.message(&chatter);
    h.fake.dispatch(
        "MESSAGE_UPDATE",
        p::edited(&chatter, "update keeps failing: 0x80070422"),
    );
    let b = h.nth_post(p::HELP, 1).await;
    assert_title(&b, "0x80070422");
    assert_eq!(
        b["message_reference"]["message_id"],
        json!(chatter.id.to_string())
    );
    // Other edits don't: the answered one again, and one without a code.
    h.fake.dispatch(
        "MESSAGE_UPDATE",
        p::edited(&chatter, "update keeps failing: 0x80070422 and 0x8024402C"),
    );
    let quiet = Msg::new(p::HELP, p::OTHER, "hello");
    h.fake.message(&quiet);
    h.fake
        .dispatch("MESSAGE_UPDATE", p::edited(&quiet, "hello everyone"));
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "sentinel: 0x800F0922"));
    h.nth_post(p::HELP, 2).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.posts(p::HELP), 2);

    // Thread starter only: in help threads, only the person who started it.
    let i = h.fake.interaction(p::settings_command(
        json!([{"type": 5, "name": "thread_starter_only", "value": true}]),
        p::MODERATOR,
        p::MANAGE_GUILD,
    ));
    h.callback(&i).await;
    h.fake
        .message(&Msg::new(p::THREAD, p::OTHER, "I get 0x80070005 too"));
    h.fake
        .message(&Msg::new(p::THREAD, p::ASKER, "now it says 0x80070422"));
    let b = h.nth_post(p::THREAD, 2).await;
    assert_title(&b, "0x80070422");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.posts(p::THREAD), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_permissions_are_not_retried_in_a_loop() {
    let h = Harness::start(&[p::LOCKED, p::HELP]).await;
    h.fake.rules(|r| {
        r.forbidden.insert(p::LOCKED);
    });
    h.fake.message(&Msg::new(p::LOCKED, p::ASKER, "0x80070002"));
    h.nth_post(p::LOCKED, 1).await;
    // Once the bot has had a round trip to take in the 403, more messages
    // there get no attempt at all.
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "sentinel 0x80070005"));
    h.nth_post(p::HELP, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    h.fake.message(&Msg::new(p::LOCKED, p::OTHER, "0xC004F074"));
    h.fake.message(&Msg::new(p::LOCKED, p::OTHER, "0x80070422"));
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "sentinel 0x80070002"));
    h.nth_post(p::HELP, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.posts(p::LOCKED), 1, "one attempt, then quiet");
    let log = h.bot.as_ref().unwrap().stderr();
    assert_eq!(
        log.matches("missing permissions").count(),
        1,
        "logged once:\n{log}"
    );
}

// ---- 3. interactions -------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_autocomplete_and_the_context_menu() {
    let h = Harness::start(&[]).await;
    // /error, ephemeral by default.
    let i = h.fake.interaction(p::slash(
        "error",
        json!([{"type": 3, "name": "code", "value": "0x80070002"}]),
        None,
        p::ASKER,
        p::VIEW_SEND,
        p::HELP,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["type"], 4);
    assert_eq!(cb["data"]["flags"], 64, "ephemeral: {cb}");
    assert_no_mentions(&cb["data"]);
    assert_title(&cb["data"], "0x80070002");
    let entry_id = engine()
        .kb()
        .entry_for_code(0x8007_0002)
        .unwrap()
        .id
        .clone();
    assert!(custom_ids(&cb["data"]).contains(&format!("hexhelp:next:{entry_id}:2")));
    assert!(
        !custom_ids(&cb["data"])
            .iter()
            .any(|c| c.starts_with("hexhelp:dismiss:")),
        "ephemeral: no dismiss"
    );

    // /error public:true.
    let i = h.fake.interaction(p::slash(
        "error",
        json!([{"type": 3, "name": "code", "value": "ERROR_ACCESS_DENIED"}, {"type": 5, "name": "public", "value": true}]),
        None,
        p::ASKER,
        p::VIEW_SEND,
        p::HELP,
    ));
    let cb = h.callback(&i).await;
    assert_ne!(cb["data"]["flags"], 64, "public: {cb}");
    assert_title(&cb["data"], "0x80070005");
    assert!(custom_ids(&cb["data"]).contains(&format!("hexhelp:dismiss:{}", p::ASKER)));

    // /ask.
    let e = engine();
    let text = &e.kb().entries[0].symptoms[0];
    let i = h.fake.interaction(p::slash(
        "ask",
        json!([{"type": 3, "name": "text", "value": text}]),
        None,
        p::OTHER,
        p::VIEW_SEND,
        p::HELP,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["flags"], 64);
    assert_eq!(
        cb["data"]["embeds"][0]["footer"]["text"],
        format!("hexhelp · {}", engine().kb().entries[0].id)
    );
    // /ask with nothing recognisable: a friendly sentence.
    let i = h.fake.interaction(p::slash(
        "ask",
        json!([{"type": 3, "name": "text", "value": "hello there"}]),
        None,
        p::OTHER,
        p::VIEW_SEND,
        p::HELP,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["content"], messages::NOTHING_FOUND);
    assert_eq!(cb["data"]["flags"], 64);

    // Autocomplete.
    let i = h.fake.interaction(p::autocomplete("0x8007000"));
    let cb = h.callback(&i).await;
    assert_eq!(cb["type"], 8);
    let choices = cb["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25, "{cb}");
    assert!(choices.iter().any(|c| c["value"] == "0x80070002"), "{cb}");
    for c in choices {
        assert!(c["name"].as_str().unwrap().chars().count() <= 100);
    }
    let i = h.fake.interaction(p::autocomplete(""));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["choices"].as_array().unwrap().len(), 25);

    // The context menu on someone's message.
    let target = p::message(&Msg::new(
        p::CHAT,
        p::ASKER,
        "> old quote 0x80070002\nnow I get 0xC004F074",
    ));
    let i = h.fake.interaction(p::context_menu(&target, p::OTHER));
    let cb = h.callback(&i).await;
    assert_eq!(cb["type"], 4);
    assert_eq!(cb["data"]["flags"], 64);
    assert!(
        cb["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("0xC004F074"),
        "quotes skipped: {cb}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buttons_work_after_any_restart() {
    let h = Harness::start(&[]).await;
    let e = engine();
    // The Windows Update entry for the code, since the message says so.
    let entry = e
        .kb()
        .entries_for_code(0x8007_0002)
        .find(|x| x.area == "windows-update")
        .unwrap();
    let answer = p::bot_answer(
        p::HELP,
        &[
            &format!("hexhelp:next:{}:2", entry.id),
            &format!("hexhelp:next:{}:{}", entry.id, entry.fixes.len() + 1),
            &format!("hexhelp:fixed:{}:1", entry.id),
            &format!("hexhelp:nohelp:{}:1", entry.id),
            &format!("hexhelp:dismiss:{}", p::ASKER),
        ],
    );
    // Next fix: fix 2, ephemeral, with its own buttons.
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:next:{}:2", entry.id),
        &answer,
        p::OTHER,
        p::VIEW_SEND,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["flags"], 64);
    let title = cb["data"]["embeds"][0]["title"].as_str().unwrap();
    assert_eq!(
        title,
        messages::fix_of(2, entry.fixes.len(), &entry.fixes[1].title)
    );
    assert_eq!(
        custom_ids(&cb["data"]),
        [
            format!("hexhelp:next:{}:3", entry.id),
            format!("hexhelp:fixed:{}:2", entry.id),
            format!("hexhelp:nohelp:{}:2", entry.id)
        ]
    );
    // Past the last fix: what to post.
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:next:{}:{}", entry.id, entry.fixes.len() + 1),
        &answer,
        p::OTHER,
        p::VIEW_SEND,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["embeds"][0]["title"], messages::NO_MORE_FIXES);

    // Feedback is recorded per entry and fix.
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:fixed:{}:1", entry.id),
        &answer,
        p::ASKER,
        p::VIEW_SEND,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["content"], messages::THANKS_FIXED);
    assert_eq!(cb["data"]["flags"], 64);
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:nohelp:{}:1", entry.id),
        &answer,
        p::OTHER,
        p::VIEW_SEND,
    ));
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::THANKS_NO_HELP
    );
    let tally = h.store().feedback(&entry.id).unwrap();
    assert_eq!(tally[&1].fixed, 1);
    assert_eq!(tally[&1].no_help, 1);

    // Dismiss: refused for someone else, done for the asker and moderators.
    // Through the interaction (no channel permission needed)...
    let original = |i: &Value| {
        format!(
            "/api/v10/webhooks/{}/{}/messages/@original",
            p::APP,
            i["token"].as_str().unwrap()
        )
    };
    // ...or, when that fails, through the channel.
    let in_channel = |m: &Value| {
        format!(
            "/api/v10/channels/{}/messages/{}",
            p::HELP,
            m["id"].as_str().unwrap()
        )
    };
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:dismiss:{}", p::ASKER),
        &answer,
        p::OTHER,
        p::VIEW_SEND,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["content"], messages::DISMISS_DENIED);
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:dismiss:{}", p::ASKER),
        &answer,
        p::ASKER,
        p::VIEW_SEND,
    ));
    assert_eq!(h.callback(&i).await["type"], 6);
    let path = original(&i);
    h.wait_for_delete("the answer deleted", &path).await;
    let other = p::bot_answer(p::HELP, &[&format!("hexhelp:dismiss:{}", p::ASKER)]);
    h.fake.rules(|r| r.fail_original_delete = true);
    let i = h.fake.interaction(p::button(
        &format!("hexhelp:dismiss:{}", p::ASKER),
        &other,
        p::MODERATOR,
        p::VIEW_SEND | p::MANAGE_MESSAGES,
    ));
    assert_eq!(h.callback(&i).await["type"], 6);
    let path = in_channel(&other);
    h.wait_for_delete("the moderator's delete", &path).await;
    let snap: Snapshot = h.fake.snapshot();
    assert_eq!(
        snap.requests
            .iter()
            .filter(|r| r.method == "DELETE" && r.status < 300)
            .count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_managers_change_settings() {
    let h = Harness::start(&[]).await;
    // A member without Manage Server (the command is hidden from them, but
    // a crafted interaction must still be refused).
    let i = h.fake.interaction(p::channels_command(
        "add",
        p::CHAT,
        p::OTHER,
        p::VIEW_SEND | p::MANAGE_MESSAGES,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["content"], messages::NOT_ALLOWED);
    assert_eq!(cb["data"]["flags"], 64);
    let i = h.fake.interaction(p::settings_command(
        json!([{"type": 4, "name": "cooldown", "value": 0}]),
        p::OTHER,
        p::VIEW_SEND,
    ));
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::NOT_ALLOWED
    );
    let s = h.store().settings(p::GUILD).unwrap();
    assert!(s.channels.is_empty());
    assert_eq!(s.cooldown, hexhelp::bot::settings::DEFAULT_COOLDOWN);

    // A moderator with Manage Server.
    let i = h.fake.interaction(p::channels_command(
        "add",
        p::CHAT,
        p::MODERATOR,
        p::VIEW_SEND | p::MANAGE_GUILD,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["content"], messages::channel_added(p::CHAT));
    assert_no_mentions(&cb["data"]);
    let i = h.fake.interaction(p::settings_command(
        json!([{"type": 10, "name": "threshold", "value": 0.5}, {"type": 4, "name": "cooldown", "value": 0}, {"type": 5, "name": "thread_starter_only", "value": true}]),
        p::MODERATOR,
        p::MANAGE_GUILD,
    ));
    let cb = h.callback(&i).await;
    assert!(
        cb["data"]["content"]
            .as_str()
            .unwrap()
            .starts_with(&messages::settings_summary(0.5, 0, true)),
        "{cb}"
    );
    let s = h.store().settings(p::GUILD).unwrap();
    assert_eq!(s.channels, [p::CHAT].into());
    assert!((s.threshold - 0.5).abs() < 1e-6);
    assert_eq!(s.cooldown, Duration::ZERO);
    assert!(s.thread_starter_only);
    let i = h.fake.interaction(p::slash("hexhelp", json!([{"type": 2, "name": "channels", "options": [{"type": 1, "name": "list", "options": []}]}]), None, p::MODERATOR, p::MANAGE_GUILD, p::HELP));
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::channel_list(&[p::CHAT])
    );

    // The change applies at once, cooldown 0 included.
    h.fake.message(&Msg::new(p::CHAT, p::ASKER, "0x80070002"));
    h.nth_post(p::CHAT, 1).await;
    h.fake
        .message(&Msg::new(p::CHAT, p::OTHER, "0x80070002 as well"));
    h.nth_post(p::CHAT, 2).await;

    // Reload without --knowledge: deferred, then a follow-up that says so.
    let i = h.fake.interaction(p::slash(
        "hexhelp",
        json!([{"type": 1, "name": "reload", "options": []}]),
        None,
        p::MODERATOR,
        p::MANAGE_GUILD,
        p::HELP,
    ));
    let cb = h.callback(&i).await;
    assert_eq!(cb["type"], 5, "deferred: {cb}");
    assert_eq!(cb["data"]["flags"], 64);
    let followup = h
        .fake
        .wait_for("the reload follow-up", WAIT, |_| {
            h.webhook_requests(&i).into_iter().next()
        })
        .await;
    assert_eq!(followup.body["content"], messages::NO_KNOWLEDGE_DIR);
    assert_no_mentions(&followup.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_swaps_the_knowledge_base_and_keeps_it_when_broken() {
    let mut h = Harness::new(&[]).await;
    // A knowledge directory the test can break.
    let kb = h.dir.path().join("knowledge");
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        &kb,
    );
    let mut launch = Launch::proxy(&h.fake, h.dir.path(), &h.db());
    launch
        .args
        .extend(["--knowledge".into(), kb.display().to_string()]);
    h.launch(launch).await;
    let reload = || {
        p::slash(
            "hexhelp",
            json!([{"type": 1, "name": "reload", "options": []}]),
            None,
            p::MODERATOR,
            p::MANAGE_GUILD,
            p::HELP,
        )
    };

    let i = h.fake.interaction(reload());
    h.callback(&i).await;
    let e = engine();
    let ok = h
        .fake
        .wait_for("reloaded", WAIT, |_| {
            h.webhook_requests(&i).into_iter().next()
        })
        .await;
    assert_eq!(
        ok.body["content"],
        messages::reloaded(e.kb().entries.len(), e.kb().code_count())
    );

    // Break one entry: the reload is refused with the problems, and the
    // knowledge base in use keeps answering.
    let broken = kb.join("windows-update").join("wu-missing-files.toml");
    std::fs::write(
        &broken,
        "id = \"wu-missing-files\"\ncodes = [\"0x80070002\"]\ntitle = 5\n",
    )
    .unwrap();
    let i = h.fake.interaction(reload());
    h.callback(&i).await;
    let refused = h
        .fake
        .wait_for("refused", WAIT, |_| {
            h.webhook_requests(&i).into_iter().next()
        })
        .await;
    let embed = &refused.body["embeds"][0];
    assert_eq!(embed["title"], messages::KB_BROKEN);
    assert!(
        embed["description"]
            .as_str()
            .unwrap()
            .contains("wu-missing-files.toml"),
        "{embed}"
    );
    let i = h.fake.interaction(p::slash(
        "error",
        json!([{"type": 3, "name": "code", "value": "0x80070002"}]),
        None,
        p::ASKER,
        p::VIEW_SEND,
        p::HELP,
    ));
    let cb = h.callback(&i).await;
    assert!(custom_ids(&cb["data"]).contains(&"hexhelp:next:wu-missing-files:2".to_string()));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

// ---- 4. resume and restarts -------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_connection_is_resumed() {
    let h = Harness::start(&[p::HELP]).await;
    h.fake.message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    h.nth_post(p::HELP, 1).await;
    let session = h.fake.snapshot().gateway.session_id.clone().unwrap();

    // Discord closes the connection (4000: unknown error, reconnect).
    let seq_before = h.fake.snapshot().gateway.seq;
    h.fake.close_gateway(4000);
    // What is said while the bot is away is replayed after the resume.
    h.fake
        .message(&Msg::new(p::HELP, p::ASKER, "meanwhile: 0xC004F074"));
    let resume = h
        .fake
        .wait_for("a resume", WAIT, |s| s.gateway.resumes.first().cloned())
        .await;
    assert_eq!(resume["session_id"], json!(session));
    assert_eq!(resume["seq"], json!(seq_before));
    h.nth_post(p::HELP, 2).await;
    h.fake
        .message(&Msg::new(p::HELP, p::ASKER, "and now 0x80070005"));
    h.nth_post(p::HELP, 3).await;

    // A connection that just drops (no close frame) is resumed too.
    h.fake.drop_gateway();
    h.fake
        .wait_for("a second resume", Duration::from_secs(20), |s| {
            (s.gateway.resumes.len() >= 2).then_some(())
        })
        .await;
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "after the drop: 0x80070422"));
    h.nth_post(p::HELP, 4).await;
    assert_eq!(
        h.fake.snapshot().gateway.identifies.len(),
        1,
        "resumed, never identified again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_survive_a_restart() {
    let h = Harness::start(&[]).await;
    let i = h.fake.interaction(p::channels_command(
        "add",
        p::HELP,
        p::MODERATOR,
        p::MANAGE_GUILD,
    ));
    h.callback(&i).await;
    let i = h.fake.interaction(p::settings_command(
        json!([{"type": 4, "name": "cooldown", "value": 0}]),
        p::MODERATOR,
        p::MANAGE_GUILD,
    ));
    h.callback(&i).await;

    // SIGTERM, then a new process on the same database, a fresh gateway
    // session.
    let h = h.restart().await;
    h.fake.message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    h.nth_post(p::HELP, 1).await;
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "0x80070002 here too"));
    h.nth_post(p::HELP, 2).await; // cooldown 0 survived as well
}

// ---- 5. rate limits -----------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_and_the_answer_still_arrives() {
    let mut h = Harness::new(&[p::HELP]).await;
    let launch = Launch::tls(&h.fake, h.dir.path(), &h.db());
    h.launch(launch).await;
    let path = format!("/api/v10/channels/{}/messages", p::HELP);
    h.fake.rules(|r| {
        r.rate_limits.push(RateLimit {
            method: "POST".into(),
            path: path.clone(),
            times: 1,
            retry_after: 0.8,
        })
    });
    h.fake.message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    let posts = h
        .fake
        .wait_for("the retried answer", WAIT, |s| {
            let posts: Vec<_> = s.posts_to(&path).into_iter().cloned().collect();
            (posts.len() >= 2).then_some(posts)
        })
        .await;
    assert_eq!(posts[0].status, 429);
    assert_eq!(posts[1].status, 200);
    assert!(
        posts[1].body["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("0x80070002")
    );
    let waited = posts[1].at.duration_since(posts[0].at);
    assert!(
        waited >= Duration::from_millis(700),
        "retried after {waited:?}, before retry_after"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.posts(p::HELP), 2, "one answer, retried once");
}

// ---- starting -------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_required_checked_and_never_logged() {
    let fake = FakeDiscord::start(support::TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hexhelp.db");

    // Missing: a clear sentence, at once.
    let mut launch = Launch::proxy(&fake, dir.path(), &db);
    launch.token = None;
    let mut bot = BotProcess::start(launch);
    let status = bot.wait(WAIT);
    assert_eq!(status.code(), Some(2));
    assert!(
        bot.stderr().contains(messages::NO_TOKEN),
        "{}",
        bot.stderr()
    );

    // Rejected by Discord.
    let mut launch = Launch::proxy(&fake, dir.path(), &db);
    launch.token = Some("MTE4.not-the-right-token.xyz".into());
    let mut bot = BotProcess::start(launch);
    let status = bot.wait(WAIT);
    assert_eq!(status.code(), Some(2));
    assert!(
        bot.stderr().contains(messages::TOKEN_REJECTED),
        "{}",
        bot.stderr()
    );
    assert!(!bot.stderr().contains("not-the-right-token"));

    // Accepted, with every log level on: the token appears nowhere.
    let mut launch = Launch::proxy(&fake, dir.path(), &db);
    launch.log = "trace".into();
    let mut bot = BotProcess::start(launch);
    fake.ready().await;
    Store::open(&db)
        .unwrap()
        .add_channel(p::GUILD, p::HELP)
        .unwrap();
    let i = fake.interaction(p::slash(
        "error",
        json!([{"type": 3, "name": "code", "value": hex(0x8007_0002)}]),
        None,
        p::ASKER,
        p::VIEW_SEND,
        p::HELP,
    ));
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        i["id"].as_str().unwrap(),
        i["token"].as_str().unwrap()
    );
    fake.wait_for("an answer", WAIT, |s| s.posts_to(&path).first().map(|_| ()))
        .await;
    bot.terminate(WAIT);
    let log = bot.stderr();
    assert!(log.len() > 1000, "trace logs were written");
    let secret = support::TOKEN.split('.').nth(2).unwrap();
    assert!(!log.contains(secret), "the token leaked into the log");
}

/// The first embed's title starts with `prefix` (the answer's code).
#[track_caller]
fn assert_title(post: &serde_json::Value, prefix: &str) {
    let title = post["embeds"][0]["title"].as_str().unwrap_or_default();
    assert!(
        title.starts_with(prefix),
        "title {title:?} should start with {prefix}: {post}"
    );
}

// ---- faults under hostile input (issue 11) ----------------------------------

/// `%F0%9F%94%8E` back to "🔎".
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The reactions the bot added to `message` in `channel`, decoded.
fn reactions_on(snap: &Snapshot, channel: u64, message: u64) -> Vec<String> {
    let prefix = format!("/api/v10/channels/{channel}/messages/{message}/reactions/");
    snap.requests
        .iter()
        .filter(|r| r.method == "PUT" && r.path.starts_with(&prefix) && r.path.ends_with("/@me"))
        .map(|r| {
            percent_decode(
                r.path[prefix.len()..]
                    .strip_suffix("/@me")
                    .unwrap_or_default(),
            )
        })
        .collect()
}

impl Harness {
    async fn wait_for_reaction(&self, channel: u64, message: u64) -> String {
        self.fake
            .wait_for(&format!("a reaction on {message}"), WAIT, |s| {
                reactions_on(s, channel, message).into_iter().next()
            })
            .await
    }

    fn log(&self) -> String {
        self.bot.as_ref().unwrap().stderr()
    }

    async fn settings(&self, options: Value) -> Value {
        let i = self
            .fake
            .interaction(p::settings_command(options, p::MODERATOR, p::MANAGE_GUILD));
        self.callback(&i).await
    }
}

fn mention<'a>(channel: u64, author: u64, content: &'a str) -> Msg<'a> {
    let mut m = Msg::new(channel, author, content);
    m.mentions = vec![p::BOT];
    m
}

// Item 5: floods.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_are_held_to_the_limits_and_mentions_react_quietly() {
    let h = Harness::start(&[p::HELP]).await;
    let cb = h
        .settings(json!([
            {"type": 4, "name": "member_limit", "value": 3},
            {"type": 4, "name": "channel_limit", "value": 4},
        ]))
        .await;
    assert!(
        cb["data"]["content"]
            .as_str()
            .unwrap()
            .contains(&messages::limits_summary(3, 4)),
        "{cb}"
    );
    let s = h.store().settings(p::GUILD).unwrap();
    assert_eq!((s.member_limit, s.channel_limit), (3, 4));

    // One member mentioning the bot in a channel it doesn't read.
    let hi = mention(p::CHAT, p::ASKER, "<@1180000000000000001> hi");
    h.fake.message(&hi);
    assert_eq!(
        h.wait_for_reaction(p::CHAT, hi.id).await,
        messages::REACT_NOTHING_FOUND,
        "nothing found: a reaction"
    );
    h.fake.message(&mention(
        p::CHAT,
        p::ASKER,
        "<@1180000000000000001> 0x80070002",
    ));
    assert_title(&h.nth_post(p::CHAT, 1).await, "0x80070002");
    // The same answer again within the cooldown: a pointer, not a repeat.
    let again = mention(p::CHAT, p::ASKER, "<@1180000000000000001> 0x80070002 ??");
    h.fake.message(&again);
    assert_eq!(
        h.wait_for_reaction(p::CHAT, again.id).await,
        messages::REACT_SEE_ABOVE
    );
    // Past the member's limit: nothing at all.
    let flood: Vec<Msg<'_>> = ["0x80070005", "0xC004F074", "hi", "0x80070422"]
        .iter()
        .map(|c| mention(p::CHAT, p::ASKER, c))
        .collect();
    let flood: Vec<Msg<'_>> = flood
        .into_iter()
        .map(|mut m| {
            m.content = Box::leak(format!("<@1180000000000000001> {}", m.content).into_boxed_str());
            m
        })
        .collect();
    for m in &flood {
        h.fake.message(m);
    }
    h.fake.message(&mention(
        p::CHAT,
        p::OTHER,
        "<@1180000000000000001> 0x800F0922",
    ));
    assert_title(&h.nth_post(p::CHAT, 2).await, "0x800F0922");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.posts(p::CHAT), 2, "the flood got no answers");
    let snap = h.fake.snapshot();
    for m in &flood {
        assert!(
            reactions_on(&snap, p::CHAT, m.id).is_empty(),
            "no reactions either"
        );
    }

    // Many members, many codes in one channel: at most the channel's limit.
    let codes = [
        "0x80070002",
        "0x80070005",
        "0xC004F074",
        "0x80070422",
        "0x800F0922",
        "0x80073CF9",
    ];
    for (i, c) in codes.iter().enumerate() {
        h.fake
            .message(&Msg::new(p::HELP, 1_180_000_000_000_002_000 + i as u64, c));
    }
    h.fake
        .message(&Msg::new(p::THREAD, p::OTHER, "sentinel 0x80070002"));
    h.nth_post(p::THREAD, 1).await;
    h.nth_post(p::HELP, 4).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.posts(p::HELP), 4, "the channel's limit");
    let log = h.log();
    assert_eq!(
        log.matches("member rate limit").count(),
        1,
        "logged once:\n{log}"
    );
    assert_eq!(
        log.matches("channel rate limit").count(),
        1,
        "logged once:\n{log}"
    );
}

// Item 9: cooldowns and answered messages survive a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cooldowns_and_answered_messages_survive_a_restart() {
    let h = Harness::start(&[p::HELP]).await;
    let asked = h
        .fake
        .message(&Msg::new(p::HELP, p::ASKER, "0x80070002 again"));
    h.nth_post(p::HELP, 1).await;
    let h = h.restart().await;
    // The answered message once more (a replay) and the same code from
    // someone else within the cooldown: both quiet.
    h.fake.dispatch("MESSAGE_CREATE", asked);
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "I get 0x80070002 too"));
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "sentinel: 0x80070005"));
    assert_title(&h.nth_post(p::HELP, 1).await, "0x80070005");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.posts(p::HELP), 1, "the cooldown was kept");
}

// Item 7: button ids are checked against the message they are on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_button_ids_are_refused() {
    let h = Harness::start(&[]).await;
    let e = engine();
    let entry = e.kb().entry_for_code(0x8007_0002).unwrap();
    let n = entry.fixes.len();
    let asked = p::message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    let fixed1 = format!("hexhelp:fixed:{}:1", entry.id);
    let answer = p::bot_reply(&asked, &[&fixed1, &format!("hexhelp:dismiss:{}", p::ASKER)]);
    let press =
        |id: &str, user: u64, on: &Value| h.fake.interaction(p::button(id, on, user, p::VIEW_SEND));

    // Someone else writes their own id into the dismiss button: not a
    // button on that message.
    let forged_dismiss = format!("hexhelp:dismiss:{}", p::OTHER);
    let i = press(&forged_dismiss, p::OTHER, &answer);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::BUTTON_UNKNOWN
    );
    // Even on a message carrying that id, the asker is read from the
    // message the answer replies to.
    let carrying = p::bot_reply(&asked, &[&forged_dismiss]);
    let i = press(&forged_dismiss, p::OTHER, &carrying);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::DISMISS_DENIED
    );
    // Feedback for ids that are not on the message, an unknown entry, a
    // fix past the last: refused and not stored.
    let forged = [
        "hexhelp:fixed:no-such-entry:1".to_string(),
        format!("hexhelp:nohelp:{}:{}", entry.id, n + 1),
        format!("hexhelp:fixed:{}:2", entry.id),
        format!("hexhelp:next:{}:{}", entry.id, n + 5),
    ];
    let mut ids: Vec<&str> = forged.iter().map(String::as_str).collect();
    ids.push(&fixed1);
    let loaded = p::bot_reply(&asked, &ids);
    for id in &forged[..2] {
        let i = press(id, p::OTHER, &loaded);
        assert_eq!(
            h.callback(&i).await["data"]["content"],
            messages::BUTTON_UNKNOWN,
            "{id}"
        );
    }
    let i = press(&forged[2], p::OTHER, &answer);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::BUTTON_UNKNOWN,
        "not on the message"
    );
    let i = press(&forged[3], p::OTHER, &loaded);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::BUTTON_UNKNOWN
    );
    // A real button still works, and the asker may dismiss.
    let i = press(&fixed1, p::ASKER, &answer);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::THANKS_FIXED
    );
    let store = h.store();
    assert!(store.feedback("no-such-entry").unwrap().is_empty());
    let tally = store.feedback(&entry.id).unwrap();
    assert_eq!(tally.keys().copied().collect::<Vec<_>>(), [1], "{tally:?}");
    assert_eq!(tally[&1].fixed, 1);
    // Without the replied-to message in the payload, the bot reads it.
    let asked_msg = Msg::new(p::HELP, p::OTHER, "0x80070005");
    let asked_by_other = h.fake.message(&asked_msg);
    let dismiss_other = format!("hexhelp:dismiss:{}", p::OTHER);
    let mut bare = p::bot_reply(&asked_by_other, &[&dismiss_other]);
    bare.as_object_mut().unwrap().remove("referenced_message");
    let i = press(&dismiss_other, p::ASKER, &bare);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::DISMISS_DENIED
    );
    let i = press(&dismiss_other, p::OTHER, &bare);
    assert_eq!(h.callback(&i).await["type"], 6);
    assert!(
        h.fake.snapshot().requests.iter().any(|r| r.is(
            "GET",
            &format!("/api/v10/channels/{}/messages/{}", p::HELP, asked_msg.id)
        )),
        "the replied-to message was read"
    );
    h.wait_for_delete(
        "the bare answer deleted",
        &format!(
            "/api/v10/webhooks/{}/{}/messages/@original",
            p::APP,
            i["token"].as_str().unwrap()
        ),
    )
    .await;
    // The answer to a slash command belongs to whoever ran the command.
    let public = p::bot_command_answer(
        p::HELP,
        p::OTHER,
        &[&format!("hexhelp:dismiss:{}", p::OTHER)],
    );
    let i = press(&format!("hexhelp:dismiss:{}", p::OTHER), p::ASKER, &public);
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::DISMISS_DENIED
    );
    let i = press(&format!("hexhelp:dismiss:{}", p::OTHER), p::OTHER, &public);
    assert_eq!(h.callback(&i).await["type"], 6);
    h.wait_for_delete(
        "the command answer deleted",
        &format!(
            "/api/v10/webhooks/{}/{}/messages/@original",
            p::APP,
            i["token"].as_str().unwrap()
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let deletes = h
        .fake
        .snapshot()
        .requests
        .iter()
        .filter(|r| r.method == "DELETE")
        .count();
    assert_eq!(deletes, 2, "only the rightful dismisses deleted anything");
}

// Item 8: a signal stops the bot in every state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_stops_the_bot_while_the_gateway_is_unreachable() {
    let mut h = Harness::start(&[p::HELP]).await;
    h.fake.rules(|r| r.gateway_down = true);
    h.fake.drop_gateway();
    // The shard has failed to reconnect and waits in serenity's queue for
    // its next attempt: no shard runner is running (the state in which a
    // plain `shutdown_all` does nothing).
    h.bot.as_ref().unwrap().wait_for_log_count(
        "Re-queueing start of shard",
        1,
        Duration::from_secs(40),
    );
    let status = h.bot.as_mut().unwrap().terminate(Duration::from_secs(8));
    assert!(status.success(), "{status:?}");
    let log = h.log();
    assert!(log.contains("shutting down"), "{log}");
    h.bot = None;

    // A second signal ends a shutdown at once.
    let mut h = Harness::new(&[p::HELP]).await;
    let launch = Launch::proxy(&h.fake, h.dir.path(), &h.db());
    h.launch(launch).await;
    h.fake.rules(|r| r.gateway_down = true);
    h.fake.drop_gateway();
    let bot = h.bot.as_mut().unwrap();
    bot.wait_for_log_count("Re-queueing start of shard", 1, Duration::from_secs(40));
    bot.signal(libc::SIGTERM);
    bot.signal(libc::SIGINT);
    bot.wait(Duration::from_secs(8));
    // Once stopped, nothing more is answered or sent.
    h.fake.rules(|r| r.gateway_down = false);
    let before = h.fake.snapshot().requests.len();
    h.fake.message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(h.fake.snapshot().requests.len(), before);
}

// Item 14: a posted answer whose reply cannot be read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_posted_answer_whose_reply_cannot_be_read_is_logged_as_posted() {
    let h = Harness::start(&[p::HELP]).await;
    h.fake.rules(|r| r.garbled_post_reply = true);
    h.fake.message(&Msg::new(p::HELP, p::ASKER, "0x80070002"));
    h.nth_post(p::HELP, 1).await;
    let log = h
        .bot
        .as_ref()
        .unwrap()
        .wait_for_log("posted, but Discord's reply could not be read", WAIT);
    assert!(!log.contains("cannot send the answer"), "{log}");
}

// Item 6: the database is checked at start; a failed write is not thanked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_database_is_refused_at_start_and_never_reported_saved() {
    let mut h = Harness::start(&[]).await;
    let journal = h.dir.path().join("hexhelp.db-journal");
    std::os::unix::fs::symlink("/nonexistent-hexhelp/journal", &journal).unwrap();
    let e = engine();
    let entry = e.kb().entry_for_code(0x8007_0002).unwrap();
    let id = format!("hexhelp:fixed:{}:1", entry.id);
    let answer = p::bot_answer(p::HELP, &[&id]);
    let i = h
        .fake
        .interaction(p::button(&id, &answer, p::ASKER, p::VIEW_SEND));
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::FEEDBACK_NOT_SAVED
    );
    h.bot.as_mut().unwrap().terminate(WAIT);
    h.bot = None;

    let mut bot = BotProcess::start(Launch::proxy(&h.fake, h.dir.path(), &h.db()));
    let status = bot.wait(WAIT);
    assert_eq!(status.code(), Some(2));
    let log = bot.stderr();
    assert!(log.contains(&h.db().display().to_string()), "{log}");
    assert!(log.contains("cannot be written"), "{log}");
    std::fs::remove_file(&journal).unwrap();
}

/// A described problem whose match lies between the react threshold and
/// the passive one: offered with a reaction.
fn unsure_text(e: &Engine) -> String {
    let t = hexhelp::answer::DEFAULT_THRESHOLD;
    let react = hexhelp::bot::settings::DEFAULT_REACT_THRESHOLD;
    for entry in &e.kb().entries {
        for s in &entry.symptoms {
            let words: Vec<&str> = s.split_whitespace().collect();
            for n in 1..=words.len() {
                let text = words[..n].join(" ");
                let a = e.answer_with(&text, hexhelp::Mode::Passive, t);
                if a.codes.is_empty()
                    && a.suggestions.is_empty()
                    && !a.reply
                    && a.confidence >= react
                    && a.confidence < t
                {
                    return text;
                }
            }
        }
    }
    panic!("no text with an unsure match in the bundled knowledge base");
}

// Issue 10: the middle ground.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsure_answer_is_offered_with_a_reaction() {
    let h = Harness::start(&[p::HELP]).await;
    let e = engine();
    let text = unsure_text(&e);
    let emoji = hexhelp::bot::settings::DEFAULT_REACTION;
    let asked = h.fake.message(&Msg::new(p::HELP, p::ASKER, &text));
    let id: u64 = asked["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(h.wait_for_reaction(p::HELP, id).await, emoji);
    assert_eq!(h.posts(p::HELP), 0, "an offer posts nothing");
    // Someone else's reaction, or another one, doesn't take the offer.
    h.fake.reaction(&asked, p::OTHER, emoji);
    h.fake.reaction(&asked, p::ASKER, "\u{1F44D}");
    h.fake.reaction(&asked, p::ASKER, emoji);
    let b = h.nth_post(p::HELP, 1).await;
    assert_eq!(b["message_reference"]["message_id"], asked["id"]);
    let want = e.answer_with(
        &text,
        hexhelp::Mode::Explicit,
        hexhelp::answer::DEFAULT_THRESHOLD,
    );
    assert_eq!(
        b["embeds"][0]["footer"]["text"],
        format!("hexhelp · {}", want.matches[0].entry.id),
        "{b}"
    );
    assert_no_mentions(&b);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.posts(p::HELP), 1);

    // Moderators can switch it off.
    h.settings(json!([{"type": 5, "name": "react", "value": false}]))
        .await;
    assert!(!h.store().settings(p::GUILD).unwrap().react);
    let quiet = h.fake.message(&Msg::new(p::HELP, p::OTHER, &text));
    h.fake
        .message(&Msg::new(p::HELP, p::OTHER, "sentinel 0x80070005"));
    h.nth_post(p::HELP, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let qid: u64 = quiet["id"].as_str().unwrap().parse().unwrap();
    assert!(reactions_on(&h.fake.snapshot(), p::HELP, qid).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixes_that_worked_move_up_and_moderators_see_the_counts() {
    use hexhelp::answer::outcomes::MIN_REPORTS;
    let h = Harness::start(&[]).await;
    let e = engine();
    // An entry whose first three fixes share a risk, answered by its code,
    // whose plan shows them in the entry's order.
    let (entry, code) = e
        .kb()
        .entries
        .iter()
        .filter(|x| x.fixes.len() >= 3 && x.fixes[..3].iter().all(|f| f.risk == x.fixes[0].risk))
        .filter(|x| {
            x.fixes
                .iter()
                .all(|f| f.versions.is_empty() && f.after.is_empty())
        })
        .find_map(|x| {
            let code = *x.codes.first()?;
            let a = e.answer(&hex(code), hexhelp::Mode::Explicit);
            let numbers: Vec<Option<usize>> = a.plan.fixes.iter().map(|p| p.number).collect();
            (a.matches.first().is_some_and(|m| m.entry.id == x.id)
                && numbers.starts_with(&[Some(1), Some(2), Some(3)]))
            .then(|| (x.clone(), code))
        })
        .expect("an entry to reorder");
    let error_command = || {
        p::slash(
            "error",
            json!([{"type": 3, "name": "code", "value": hex(code)}]),
            None,
            p::ASKER,
            p::VIEW_SEND,
            p::HELP,
        )
    };
    let fixed3 = format!("hexhelp:fixed:{}:3", entry.id);
    let next1 = format!("hexhelp:next:{}:2", entry.id);
    // Before any outcome: the entry's order.
    let cb = h.callback(&h.fake.interaction(error_command())).await;
    assert!(
        custom_ids(&cb["data"]).contains(&format!("hexhelp:fixed:{}:1", entry.id)),
        "{cb}"
    );
    // "That fixed it" on fix 3 under as many answers as it takes; the same
    // member pressing twice on one answer counts once.
    for n in 0..MIN_REPORTS {
        let answer = p::bot_answer(p::HELP, &[&next1, &fixed3]);
        let presses = if n == 0 { 2 } else { 1 };
        for _ in 0..presses {
            let i = h
                .fake
                .interaction(p::button(&fixed3, &answer, p::OTHER, p::VIEW_SEND));
            assert_eq!(
                h.callback(&i).await["data"]["content"],
                messages::THANKS_FIXED
            );
        }
    }
    let counts = h
        .store()
        .outcome_counts(Some(p::GUILD), &entry.id, entry.fixes.len())
        .unwrap();
    assert_eq!(counts[2].fixed, MIN_REPORTS);
    // "Next fix" on a message showing fix 1 passes fix 1 over.
    let answer = p::bot_answer(p::HELP, &[&next1, &format!("hexhelp:fixed:{}:1", entry.id)]);
    let i = h
        .fake
        .interaction(p::button(&next1, &answer, p::OTHER, p::VIEW_SEND));
    let cb = h.callback(&i).await;
    assert_eq!(
        cb["data"]["embeds"][0]["title"],
        messages::fix_of(2, entry.fixes.len(), &entry.fixes[1].title)
    );
    let counts = h
        .store()
        .outcome_counts(Some(p::GUILD), &entry.id, entry.fixes.len())
        .unwrap();
    assert_eq!(counts[0].passed, 1);

    // The next answer leads with fix 3 and says why; its Next fix goes on
    // with fix 1.
    let cb = h.callback(&h.fake.interaction(error_command())).await;
    let ids = custom_ids(&cb["data"]);
    assert!(ids.contains(&fixed3), "{ids:?}");
    assert!(
        ids.contains(&format!("hexhelp:next:{}:1", entry.id)),
        "{ids:?}"
    );
    let embed = &cb["data"]["embeds"][0];
    let titles = fix_titles(embed);
    assert_eq!(titles[0], entry.fixes[2].title, "{titles:?}");
    let why = messages::moved_up(&entry.fixes[2].title, MIN_REPORTS, MIN_REPORTS);
    assert!(embed.to_string().contains(&why), "{embed}");

    // A question with nothing found counts as unanswered.
    let i = h.fake.interaction(p::slash(
        "ask",
        json!([{"type": 3, "name": "text", "value": "hello there"}]),
        None,
        p::OTHER,
        p::VIEW_SEND,
        p::HELP,
    ));
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::NOTHING_FOUND
    );

    // /hexhelp stats: managers only, ephemeral, with the counts.
    let stats = |options: Value, user, perms| {
        p::slash(
            "hexhelp",
            json!([{"type": 1, "name": "stats", "options": options}]),
            None,
            user,
            perms,
            p::HELP,
        )
    };
    let i = h.fake.interaction(stats(json!([]), p::OTHER, p::VIEW_SEND));
    assert_eq!(
        h.callback(&i).await["data"]["content"],
        messages::NOT_ALLOWED
    );
    let i = h
        .fake
        .interaction(stats(json!([]), p::MODERATOR, p::MANAGE_GUILD));
    let cb = h.callback(&i).await;
    assert_eq!(cb["data"]["flags"], 64);
    let text = cb["data"]["content"].as_str().unwrap();
    assert!(
        text.contains("**Answers:** 2 in the last 7 days, 2 in the last 30."),
        "{text}"
    );
    assert!(
        text.contains("1 in the last 7 days, 1 in the last 30."),
        "{text}"
    );
    assert!(text.contains(&format!("{} ×2", hex(code))), "{text}");
    assert!(
        text.contains(&format!("{} (`{}`) — 2", entry.title, entry.id)),
        "{text}"
    );
    assert!(text.starts_with(messages::reports::sharing(true)), "{text}");
    assert_no_mentions(&cb["data"]);
    // Opting out of sharing.
    let i = h.fake.interaction(stats(
        json!([{"type": 5, "name": "share_outcomes", "value": false}]),
        p::MODERATOR,
        p::MANAGE_GUILD,
    ));
    let text = h.callback(&i).await["data"]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.starts_with(messages::reports::sharing(false)),
        "{text}"
    );
    assert!(!h.store().shares_outcomes(p::GUILD).unwrap());
}
