//! Two `hexhelp serve` processes, shards 0 and 1 of 2, on one PostgreSQL
//! database, against the loopback Discord: settings changed through one are
//! in force in the other, feedback is counted once, and no message or
//! interaction is answered twice, also across a kill and a restart.
//! Skipped (one line) without `HEXHELP_TEST_PG`.

#![recursion_limit = "256"]

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hexhelp::bot::Store;
use serde_json::{Value, json};
use support::fake::Snapshot;
use support::payloads::{self as p, Msg};
use support::{BotProcess, FakeDiscord, Launch};

const WAIT: Duration = Duration::from_secs(20);

/// A second guild, on shard 0 (the first, `p::GUILD`, is on shard 1).
const GUILD2: u64 = p::GUILD + (1 << 22);
const HELP2: u64 = p::HELP + 1_000_000;
const CHAT2: u64 = p::CHAT + 1_000_000;

fn to_guild2() -> Vec<(u64, u64)> {
    vec![(p::GUILD, GUILD2), (p::HELP, HELP2), (p::CHAT, CHAT2)]
}

/// A fresh schema on the server named by `HEXHELP_TEST_PG`, dropped at the end.
struct Schema {
    admin: String,
    name: String,
    url: String,
}

impl Schema {
    fn new() -> Option<Schema> {
        let admin = std::env::var("HEXHELP_TEST_PG")
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let name = format!("shards_e2e_{}", std::process::id());
        admin_sql(
            &admin,
            format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        )
        .unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-csearch_path%3D{name}");
        Some(Schema { admin, name, url })
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = admin_sql(
            &self.admin,
            format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

/// Runs `sql` on the server; on a thread of its own, since the sync client
/// cannot run inside the test's async runtime.
fn admin_sql(url: &str, sql: String) -> Result<(), postgres::Error> {
    let url = url.to_string();
    std::thread::spawn(move || {
        postgres::Client::connect(&url, postgres::NoTls)?.batch_execute(&sql)
    })
    .join()
    .unwrap()
}

fn start(fake: &FakeDiscord, dir: &std::path::Path, url: &str, shard: u32) -> BotProcess {
    let mut launch = Launch::proxy(fake, dir, &PathBuf::from(url));
    launch.args.extend([
        "--shards".into(),
        format!("{shard}-{shard}"),
        "--shard-total".into(),
        "2".into(),
    ]);
    BotProcess::start(launch)
}

/// Waits until both shards are connected and both processes registered
/// their commands (`puts` registrations in all so far).
async fn both_ready(fake: &FakeDiscord, puts: usize) {
    let path = format!("/api/v10/applications/{}/commands", p::APP);
    fake.wait_for("both shards connected", WAIT, |s| {
        (s.requests.iter().filter(|r| r.is("PUT", &path)).count() >= puts).then_some(())
    })
    .await;
    let deadline = Instant::now() + WAIT;
    while fake.connected_shards() != [0, 1] {
        assert!(
            Instant::now() < deadline,
            "shards: {:?}",
            fake.connected_shards()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Replies and reactions the bot made to message `id` in `channel`.
fn answers(s: &Snapshot, channel: u64, id: u64) -> usize {
    let post = format!("/api/v10/channels/{channel}/messages");
    let react = format!("/api/v10/channels/{channel}/messages/{id}/reactions/");
    s.requests
        .iter()
        .filter(|r| {
            (r.is("POST", &post)
                && r.body["message_reference"]["message_id"] == json!(id.to_string()))
                || (r.method == "PUT" && r.path.starts_with(&react))
        })
        .count()
}

fn callbacks(s: &Snapshot, interaction: &Value) -> usize {
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        interaction["id"].as_str().unwrap(),
        interaction["token"].as_str().unwrap()
    );
    s.posts_to(&path).len()
}

/// The answer posted to message `id` in `channel`.
async fn answer_to(fake: &FakeDiscord, channel: u64, id: u64) -> Value {
    let post = format!("/api/v10/channels/{channel}/messages");
    fake.wait_for(&format!("the answer to {id}"), WAIT, |s| {
        s.requests
            .iter()
            .find(|r| {
                r.is("POST", &post)
                    && r.body["message_reference"]["message_id"] == json!(id.to_string())
            })
            .map(|r| r.body.clone())
    })
    .await
}

/// The answer as Discord would send it back in a button's payload.
fn as_message(body: &Value, channel: u64, guild: u64) -> Value {
    let mut m = p::bot_message(p::snowflake(), channel, body);
    m["guild_id"] = json!(guild.to_string());
    m
}

fn send(fake: &FakeDiscord, m: &Msg<'_>, guild2: bool) -> u64 {
    let mut v = p::message(m);
    if guild2 {
        v = p::remap(&v, &to_guild2());
    }
    fake.dispatch("MESSAGE_CREATE", v);
    m.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_postgres_and_answer_once() {
    let Some(schema) = Schema::new() else {
        let _ = writeln!(
            std::io::stderr(),
            "HEXHELP_TEST_PG is not set: the two-process PostgreSQL test is skipped"
        );
        return;
    };
    let fake = FakeDiscord::start(support::TOKEN).await;
    fake.set_shard_total(2);
    fake.add_guild(p::remap(&p::guild_create(), &to_guild2()));
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = Store::open_postgres(&schema.url).unwrap();
        s.add_channel(p::GUILD, p::HELP).unwrap();
        s.add_channel(GUILD2, HELP2).unwrap();
        // No cooldown: every code message gets its own answer.
        s.set_cooldown(p::GUILD, Duration::ZERO).unwrap();
        s.set_cooldown(GUILD2, Duration::ZERO).unwrap();
    }
    let a = start(&fake, dir.path(), &schema.url, 0);
    let mut b = start(&fake, dir.path(), &schema.url, 1);
    both_ready(&fake, 2).await;

    // Each guild's message reaches its shard's process, and is answered once.
    let m1 = send(
        &fake,
        &Msg::new(p::HELP, p::ASKER, "0x80070002 again"),
        false,
    );
    let m2 = send(&fake, &Msg::new(HELP2, p::ASKER, "0x80070002 again"), true);
    let answer1 = answer_to(&fake, p::HELP, m1).await;
    let answer2 = answer_to(&fake, HELP2, m2).await;

    // The same message delivered to both processes: one answer.
    let twice = Msg::new(p::HELP, p::OTHER, "0x80070005 when saving");
    let v = p::message(&twice);
    fake.dispatch("MESSAGE_CREATE", v.clone());
    fake.dispatch_on_shard(0, "MESSAGE_CREATE", v);
    answer_to(&fake, p::HELP, twice.id).await;

    // A setting changed through one process is in force in the other:
    // process A (shard 0) reads guild 1's settings, B enables a channel,
    // and A answers there within 5 s.
    let seen = Msg::new(p::HELP, p::OTHER, "0x80070003 on boot");
    fake.dispatch_on_shard(0, "MESSAGE_CREATE", p::message(&seen));
    answer_to(&fake, p::HELP, seen.id).await;
    let add = fake.interaction(p::channels_command(
        "add",
        p::CHAT,
        p::MODERATOR,
        p::MANAGE_GUILD,
    ));
    let path = format!(
        "/api/v10/interactions/{}/{}/callback",
        add["id"].as_str().unwrap(),
        add["token"].as_str().unwrap()
    );
    fake.wait_for("the channel add callback", WAIT, |s| {
        (!s.posts_to(&path).is_empty()).then_some(())
    })
    .await;
    let changed = Instant::now();
    let chat = format!("/api/v10/channels/{}/messages", p::CHAT);
    loop {
        let probe = Msg::new(p::CHAT, p::ASKER, "0x80070002 in chat");
        fake.dispatch_on_shard(0, "MESSAGE_CREATE", p::message(&probe));
        tokio::time::sleep(Duration::from_millis(250)).await;
        if !fake.snapshot().posts_to(&chat).is_empty() {
            break;
        }
        assert!(
            changed.elapsed() < Duration::from_secs(5),
            "process A still ignores the channel B enabled"
        );
    }

    // Feedback: one press delivered to both processes is answered and
    // counted once; the same member pressing again still counts once; a
    // vote in the other guild, through the other process, counts too.
    let fixed = answer1["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["custom_id"].as_str())
        .find(|id| id.starts_with("hexhelp:fixed:"))
        .unwrap()
        .to_string();
    let entry = fixed
        .trim_start_matches("hexhelp:fixed:")
        .rsplit_once(':')
        .unwrap()
        .0
        .to_string();
    // Both presses are on the one answer message.
    let on1 = as_message(&answer1, p::HELP, p::GUILD);
    let press = p::button(&fixed, &on1, p::ASKER, p::VIEW_SEND);
    fake.interaction(press.clone());
    fake.dispatch_on_shard(0, "INTERACTION_CREATE", press.clone());
    let again = p::button(&fixed, &on1, p::ASKER, p::VIEW_SEND);
    fake.interaction(again.clone());
    let other = p::remap(
        &p::button(
            &fixed,
            &as_message(&answer2, p::HELP, p::GUILD),
            p::ASKER,
            p::VIEW_SEND,
        ),
        &to_guild2(),
    );
    fake.interaction(other.clone());
    for i in [&press, &again, &other] {
        fake.wait_for("a feedback callback", WAIT, |s| {
            (callbacks(s, i) > 0).then_some(())
        })
        .await;
    }

    // Killed mid-run: messages in flight to B, then B is killed, a new B
    // starts, and everything is delivered again (as a replay would).
    let flying: Vec<Msg<'_>> = (0..3)
        .map(|_| Msg::new(p::HELP, p::ASKER, "0x80070020 while copying"))
        .collect();
    for m in &flying {
        fake.dispatch("MESSAGE_CREATE", p::message(m));
    }
    b.signal(libc::SIGKILL);
    b.wait(WAIT);
    drop(b);
    let b2 = start(&fake, dir.path(), &schema.url, 1);
    both_ready(&fake, 3).await;
    for m in &flying {
        fake.dispatch("MESSAGE_CREATE", p::message(m));
    }
    fake.dispatch(
        "MESSAGE_CREATE",
        p::message(&Msg {
            id: m1,
            ..Msg::new(p::HELP, p::ASKER, "0x80070002 again")
        }),
    );
    fake.interaction(press.clone());
    let after = send(
        &fake,
        &Msg::new(p::HELP, p::ASKER, "0x80070002 after the restart"),
        false,
    );
    answer_to(&fake, p::HELP, after).await;
    // Late duplicates would arrive within moments; then count.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let snap = fake.snapshot();
    for (channel, id) in [
        (p::HELP, m1),
        (HELP2, m2),
        (p::HELP, twice.id),
        (p::HELP, seen.id),
        (p::HELP, after),
    ] {
        assert_eq!(answers(&snap, channel, id), 1, "message {id} in {channel}");
    }
    // B may have claimed one and died before posting: at most once.
    for m in &flying {
        assert!(
            answers(&snap, p::HELP, m.id) <= 1,
            "message {} sent across the kill",
            m.id
        );
    }
    for i in [&press, &again, &other] {
        assert_eq!(callbacks(&snap, i), 1, "interaction {}", i["id"]);
    }
    let tally = Store::open_postgres(&schema.url)
        .unwrap()
        .feedback(&entry)
        .unwrap();
    assert_eq!(tally[&1].fixed, 2, "{tally:?}");
    assert_eq!(tally[&1].no_help, 0);
    drop((a, b2));
}
