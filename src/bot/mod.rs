//! The Discord bot's decisions, as plain functions and data over plain
//! inputs (ids as `u64`, times as [`Instant`](std::time::Instant)), so they
//! are tested without Discord. The binary's Discord layer only translates
//! events into these calls and their results into messages.
//!
//! - [`complete`]: autocomplete choices for `/error` (codes, names,
//!   titles), matching typed words with [`fuzzy`] (any order, prefixes,
//!   typos).
//! - [`policy`]: whether and how a message gets an answer (who wrote it,
//!   where, quotes, edits, one reply per message, the per-channel cooldown,
//!   flood limits, the middle ground of offering an unsure answer with a
//!   reaction).
//! - [`ids`]: the custom ids of the buttons under an answer; everything a
//!   button needs is in its id, so buttons keep working after a restart.
//! - [`limits`]: per-member and per-channel flood limits.
//! - [`settings`]: a server's settings (enabled channels, threshold,
//!   cooldown, thread-starter-only) and the moderator permission check.
//! - [`reports`]: the maintainers' outcomes report and the moderators'
//!   `/hexhelp stats`, built from the store's counts as plain data.
//! - [`store`]: the SQLite file that keeps settings, feedback, cooldowns
//!   and answered messages across restarts, with versioned schema
//!   migrations and a check at open.

pub mod complete;
pub mod fuzzy;
pub mod ids;
pub mod limits;
pub mod policy;
pub mod reports;
pub mod settings;
pub mod store;

pub use ids::Action;
pub use policy::{Incoming, Place, Policy, Skip, Trigger};
pub use settings::GuildSettings;
pub use store::Store;
