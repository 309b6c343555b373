//! The one-line JSON record `ask --jsonl` writes per message, the format
//! the evaluation scripts read.

use serde::{Deserialize, Serialize};

use crate::answer::Answer;

/// One input line: `{"id": …, "text": …}`; the id is echoed as given.
#[derive(Debug, Deserialize)]
pub struct Request {
    #[serde(default)]
    pub id: serde_json::Value,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub id: &'a serde_json::Value,
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

pub fn record<'a>(id: &'a serde_json::Value, answer: &'a Answer) -> Record<'a> {
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
