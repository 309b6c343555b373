//! Attachments of messages and commands: at most
//! [`attach::MAX_ATTACHMENTS`] per message, each downloaded at once (the
//! URLs expire) with a size cap while streaming, then read off the event
//! loop, two at a time. The type comes from the bytes, never from the
//! name or the content type Discord reports.

use std::sync::{Arc, OnceLock};

use hexhelp::Engine;
use hexhelp::attach::{self, FileKind, Problem, Readers, Reading, ocr::Ocr};
use poise::serenity_prelude as serenity;
use tokio::sync::Semaphore;
use tracing::{info, warn};

/// Parsing at most this many attachments at a time.
const PARALLEL: usize = 2;

struct Shared {
    client: reqwest::Client,
    permits: Semaphore,
    ocr: Ocr,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| Shared {
        client: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_default(),
        permits: Semaphore::new(PARALLEL),
        ocr: Ocr::detect(),
    })
}

/// Whether screenshots can be read (said once when the bot starts).
pub fn ocr_available() -> bool {
    shared().ocr.available()
}

/// Downloads and reads the first attachments, in order.
pub async fn read_all(list: &[serenity::Attachment], engine: &Arc<Engine>) -> Vec<Reading> {
    let mut out = Vec::new();
    for a in list.iter().take(attach::MAX_ATTACHMENTS) {
        out.push(read_one(a, engine).await);
    }
    out
}

async fn read_one(a: &serenity::Attachment, engine: &Arc<Engine>) -> Reading {
    let name = a.filename.clone();
    let named = |problem| Reading {
        name: attach::display_name(&name),
        ..Reading::problem(FileKind::Unknown, problem)
    };
    if a.size as usize > attach::MAX_ATTACHMENT_BYTES {
        return named(Problem::TooLarge);
    }
    let bytes = match download(&a.url).await {
        Ok(Some(b)) => b,
        Ok(None) => return named(Problem::TooLarge),
        Err(e) => {
            warn!(attachment = %a.id, "cannot download the attachment: {e}");
            return named(Problem::Unreadable);
        }
    };
    let Ok(_permit) = shared().permits.acquire().await else {
        return named(Problem::Unreadable);
    };
    let engine = engine.clone();
    let file_name = name.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let kb = engine.kb();
        let known = |c: u32| kb.has_code(c);
        let readers = Readers {
            tables: engine.tables(),
            known: &known,
            ocr: &shared().ocr,
        };
        attach::read_bytes(&bytes, &file_name, &readers)
    })
    .await;
    match reading {
        Ok(r) => {
            info!(kind = ?r.kind, main = ?r.main, "read an attachment");
            r
        }
        Err(e) => {
            warn!("reading an attachment failed: {e}");
            named(Problem::Unreadable)
        }
    }
}

/// The body, or None when it passes the cap (the download stops there).
async fn download(url: &str) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut resp = shared().client.get(url).send().await?.error_for_status()?;
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > attach::MAX_ATTACHMENT_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// What was read, one line per attachment, to go above the answer.
pub fn intro(readings: &[Reading], engine: &Engine) -> Option<String> {
    if readings.is_empty() {
        return None;
    }
    let lines: Vec<String> = readings
        .iter()
        .map(|r| hexhelp::messages::attach::describe(r, engine.tables()))
        .collect();
    let mut text = lines.join("\n");
    if text.len() > 1900 {
        let mut cut = 1900;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    Some(text)
}
