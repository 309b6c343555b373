//! The outcome buttons as counts: "That fixed it", "Didn't help", and
//! "Next fix", which passes over the fix the message showed.

use hexhelp::bot::Action;
use hexhelp::bot::store::{Outcome, Verdict};
use hexhelp::error::Error;
use poise::serenity_prelude::ComponentInteraction;
use tracing::warn;

use super::events::now_ms;
use super::state::Bot;

/// Counts `verdict` on fix `fix` of `entry` from whoever pressed the
/// button under the message of `c`.
pub fn record(
    bot: &Bot,
    c: &ComponentInteraction,
    entry: &str,
    fix: usize,
    verdict: Verdict,
) -> Result<bool, Error> {
    bot.record_outcome(&Outcome {
        message: c.message.id.get(),
        member: c.user.id.get(),
        guild: c.guild_id.map(|g| g.get()),
        entry: entry.to_string(),
        fix,
        verdict,
        at_ms: now_ms(),
    })
}

/// The fix a message with these buttons shows: the one its "That fixed
/// it" names, for `entry`.
fn shown_on(custom_ids: &[String], entry: &str) -> Option<usize> {
    custom_ids.iter().find_map(|id| match Action::decode(id) {
        Some(Action::Fixed { entry: e, fix }) if e == entry => Some(fix),
        _ => None,
    })
}

/// "Next fix" to `next` passes over the fix the message showed; counted,
/// failures logged (the next fix is shown either way).
pub fn passed_over(
    bot: &Bot,
    c: &ComponentInteraction,
    custom_ids: &[String],
    entry: &str,
    next: usize,
) {
    let Some(shown) = shown_on(custom_ids, entry).filter(|&f| f != next) else {
        return;
    };
    if let Err(e) = record(bot, c, entry, shown, Verdict::Passed) {
        warn!(entry, fix = shown, "cannot count a passed-over fix: {e}");
    }
}
