//! Attachments end to end: the real `hexhelp serve` against the loopback
//! Discord (`tests/support/`), with the attached files served by a small
//! local HTTP server. A message with a setupact.log and one with a crash
//! dump get answers naming the code read from the file.

#![recursion_limit = "256"]

mod support;

use std::time::Duration;

use hexhelp::bot::Store;
use serde_json::{Value, json};
use support::payloads::{self as p, Msg};
use support::{BotProcess, FakeDiscord, Launch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WAIT: Duration = Duration::from_secs(20);

const SETUPACT: &str = "\
2024-03-01 10:00:05, Error                 SP     Operation failed: Apply WIM file X, index 1 to C:\\$WINDOWS.~BT\\NewOS. Error: 0x80070570[gle=0x00000570]
2024-03-01 10:00:05, Error                 SP     ExecuteOperations: Main operation execution failed. Error: 0x8007000D
2024-03-01 10:00:05, Error                 SP     ExecuteOperations: Failed execution phase Safe OS. Error: 0x8007000D
";

fn dump() -> Vec<u8> {
    let mut b = vec![0u8; 0x2000];
    b[..8].copy_from_slice(b"PAGEDU64");
    b[0x0C..0x10].copy_from_slice(&22631u32.to_le_bytes());
    b[0x30..0x34].copy_from_slice(&0x8664u32.to_le_bytes());
    b[0x38..0x3C].copy_from_slice(&0xEFu32.to_le_bytes());
    b
}

/// Serves `files` over plain HTTP at `/files/NAME`; returns the base URL.
async fn serve(files: Vec<(&'static str, Vec<u8>)>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let files = files.clone();
            tokio::spawn(async move {
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 16 * 1024 {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&req);
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let body = files
                    .iter()
                    .find(|(name, _)| path == format!("/files/{name}"))
                    .map(|(_, b)| b.clone());
                let head = match &body {
                    Some(b) => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                        b.len()
                    ),
                    None => {
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_string()
                    }
                };
                let _ = sock.write_all(head.as_bytes()).await;
                if let Some(b) = body {
                    let _ = sock.write_all(&b).await;
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    base
}

fn with_attachment(mut msg: Value, base: &str, name: &str, size: usize) -> Value {
    let url = format!("{base}/files/{name}");
    msg["attachments"] = json!([{
        "id": p::snowflake().to_string(),
        "filename": name,
        "size": size,
        "url": url,
        "proxy_url": url,
        // Discord's guess is never trusted: the bytes decide.
        "content_type": "image/png",
    }]);
    msg
}

async fn nth_post(fake: &FakeDiscord, channel: u64, n: usize) -> Value {
    let path = format!("/api/v10/channels/{channel}/messages");
    fake.wait_for(&format!("post #{n} to channel {channel}"), WAIT, |s| {
        s.posts_to(&path).get(n - 1).map(|r| r.body.clone())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attached_log_and_dump_get_answers_naming_their_codes() {
    let base = serve(vec![
        ("setupact.log", SETUPACT.as_bytes().to_vec()),
        ("041224-01.dmp", dump()),
    ])
    .await;
    let fake = FakeDiscord::start(support::TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hexhelp.db");
    Store::open(&db)
        .unwrap()
        .add_channel(p::GUILD, p::HELP)
        .unwrap();
    let _bot = BotProcess::start(Launch::proxy(&fake, dir.path(), &db));
    fake.ready().await;

    let log_msg = Msg::new(
        p::HELP,
        p::ASKER,
        "my upgrade to 24H2 keeps rolling back, log attached",
    );
    fake.dispatch(
        "MESSAGE_CREATE",
        with_attachment(p::message(&log_msg), &base, "setupact.log", SETUPACT.len()),
    );
    let b = nth_post(&fake, p::HELP, 1).await;
    let content = b["content"].as_str().unwrap_or_default();
    assert!(
        content.starts_with("From your setupact.log: setup failed with 0x8007000D"),
        "{b}"
    );
    assert!(content.contains("root cause 0x80070570"), "{b}");
    // The main code leads the answer (title or first field).
    let embed = &b["embeds"][0];
    let lead = format!("{} {}", embed["title"], embed["fields"][0]["name"]);
    assert!(lead.contains("0x8007000D"), "{b}");

    let dump_msg = Msg::new(p::HELP, p::ASKER, "blue screen every morning");
    fake.dispatch(
        "MESSAGE_CREATE",
        with_attachment(p::message(&dump_msg), &base, "041224-01.dmp", 0x2000),
    );
    let b = nth_post(&fake, p::HELP, 2).await;
    let content = b["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("bug check 0x000000EF (CRITICAL_PROCESS_DIED)"),
        "{b}"
    );
    assert!(
        b["embeds"][0].to_string().contains("0x000000EF")
            || b["embeds"][0].to_string().contains("CRITICAL_PROCESS_DIED"),
        "{b}"
    );
}
