//! # hexhelp
//!
//! A help bot for Windows problems: it finds error codes in a message,
//! says what they are, recognises problems described in words, and answers
//! with likely causes and fixes in the order to try them.
//!
//! # Layout
//!
//! The library holds everything that can be tested without Discord; it
//! never imports serenity or poise.
//!
//! - [`codes`]: finding error codes in free text (hex, bare hex, decimal
//!   HRESULTs, stop codes, symbolic names) and decoding them with the code
//!   tables in `knowledge/codes/`.
//! - [`kb`]: the curated knowledge base (`knowledge/*/*.toml`): loading,
//!   validation with `path:line` problems, the model of entries and fixes.
//! - [`matching`]: fuzzy symptom matching: text normalisation and an
//!   inverted index with typo repair.
//! - [`answer`]: the [`Engine`](answer::Engine) that turns a message into
//!   one [`Answer`](answer::Answer).
//! - [`render`]: the answer as terminal text, JSON lines and Discord embed
//!   data (plain structs within Discord's limits).
//! - [`bot`]: the Discord bot's decisions without Discord: whether a
//!   message gets an answer, button ids, server settings, and the SQLite
//!   store for settings and feedback.
//! - [`eval`]: scoring labelled messages, as the evaluation script does.
//! - [`synthetic`]: generated knowledge bases for benchmarks.
//! - [`attach`]: reading attachments: upgrade and servicing logs, crash
//!   dumps, screenshots (OCR) and zip files of logs.
//! - [`messages`]: every user-visible sentence.
//! - [`error`]: internal errors and the sentences users see instead.
//!
//! The binary (`src/bin/hexhelp/`) holds the command line and the Discord
//! layer, which only translates events into calls on [`answer::Engine`] and
//! answers into messages.

pub mod answer;
pub mod attach;
pub mod bot;
pub mod codes;
pub mod error;
pub mod eval;
pub mod kb;
pub mod matching;
pub mod messages;
pub mod render;
pub mod situation;
pub mod synthetic;

pub use answer::{Answer, Engine, Mode};
