//! # hexhelp
//!
//! A help bot for Windows problems: it finds error codes in a message,
//! says what they are, recognises problems described in words, and answers
//! with likely causes and fixes in the order to try them.
//!
//! # Layout
//!
//! The library holds everything that can be tested without Discord; it
//! never imports serenity or poise. A message flows one way:
//!
//! 1. facts out of the message: [`codes`] finds and decodes error codes
//!    (hex, bare hex, decimal HRESULTs, stop codes written as codes or in
//!    words, symbolic names, installer exit codes) with the tables in
//!    `knowledge/codes/`; [`situation`] reads the Windows version, the
//!    area or product, named third-party tools, fixes already tried and
//!    causes ruled out, with the words in `knowledge/facts/`; [`attach`]
//!    reads attachments (upgrade and servicing logs, crash dumps,
//!    screenshots by OCR, zip files of logs);
//! 2. candidate entries: [`kb`] is the curated knowledge base
//!    (`knowledge/*/*.toml`, loaded and validated with `path:line`
//!    problems), where a code may have one entry per context;
//!    [`matching`] reads a post as a helper does (title, description;
//!    logs and templates set aside) and ranks entries by their symptoms
//!    with BM25F, plain BM25 kept beside it as the reference;
//! 3. ranking and the answer: [`answer`]'s [`Engine`](answer::Engine)
//!    picks the entry whose context the message points at
//!    (`answer::context`, weights fitted on labelled posts), or the most
//!    specific ladder for a code without one, and orders its fixes for this
//!    person (`answer::plan`: a named tool first, tried fixes set aside,
//!    other versions left out, ruled-out causes last) into one
//!    [`Answer`](answer::Answer); `answer::outcomes` reorders an entry's
//!    fixes within a risk tier by what people reported ("That fixed it",
//!    "Didn't help", "Next fix"), the knowledge base's order as the prior;
//! 4. rendering: [`render`] shows the answer as terminal text, JSON lines
//!    and Discord embed data within Discord's limits.
//!
//! Around them: [`bot`] holds the Discord bot's decisions without Discord
//! (whether and how a message gets an answer, flood limits, button ids and
//! their checks, server settings, autocomplete, the SQLite store with
//! outcome and answer counts, and the `kb outcomes` and `/hexhelp stats`
//! reports built from them);
//! [`eval`] scores labelled messages and real posts (with the BM25
//! baseline side by side); [`synthetic`] makes knowledge bases and hostile
//! messages for benchmarks; [`messages`] holds every user-visible
//! sentence; [`error`] the internal errors and the sentences users see
//! instead.
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
