//! The one-line JSON record `ask --jsonl` writes per message, the format
//! the evaluation scripts read.

use serde::{Deserialize, Serialize};

use crate::answer::Answer;

/// One input line: `{"id": …, "text": …}`; the id is echoed exactly as
/// written (its raw JSON token: `12345678901234567890` and `1e3` stay so).
#[derive(Debug, Deserialize)]
pub struct Request {
    #[serde(default)]
    pub id: Option<Box<serde_json::value::RawValue>>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub id: Option<&'a serde_json::value::RawValue>,
    pub reply: bool,
    pub codes: Vec<String>,
    pub matches: Vec<MatchRecord<'a>>,
}

#[derive(Debug, Serialize)]
pub struct MatchRecord<'a> {
    pub id: &'a str,
    pub codes: Vec<String>,
    pub title: &'a str,
    pub score: f32,
}

pub fn record<'a>(id: Option<&'a serde_json::value::RawValue>, answer: &'a Answer) -> Record<'a> {
    Record {
        id,
        reply: answer.reply,
        codes: answer.codes.iter().map(|c| c.decoded.hex.clone()).collect(),
        matches: answer
            .matches
            .iter()
            .map(|m| MatchRecord {
                id: &m.entry.id,
                codes: m.entry.hex_codes(),
                title: &m.entry.title,
                score: (m.confidence * 1000.0).round() / 1000.0,
            })
            .collect(),
    }
}
