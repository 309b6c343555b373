//! `/hexhelp stats`: the moderators' figures for their server (answers,
//! top codes and entries, "didn't help", questions left unanswered), and
//! whether the server shares its fix outcomes with others.

use hexhelp::bot::reports::{self, Stats};
use hexhelp::messages;
use poise::CreateReply;

use super::commands::{Ctx, Error, manager_guild};
use super::reply;

/// How many codes and entries each list shows.
const TOP: usize = 5;

/// How this server's answers went: the last 7 and 30 days
#[poise::command(slash_command)]
pub async fn stats(
    ctx: Ctx<'_>,
    #[description = "Share which fixes worked here with other servers (default on); your own answers use them either way"]
    share_outcomes: Option<bool>,
) -> Result<(), Error> {
    let Some(guild) = manager_guild(ctx).await else {
        return Ok(());
    };
    let today = reports::day_of(super::events::now_ms() / 1000);
    let (days, outcomes, shares) = ctx.data().with_store(|s| {
        if let Some(on) = share_outcomes {
            s.set_share_outcomes(guild, on)?;
        }
        Ok((
            s.day_rows(Some(guild), today - 29)?,
            s.outcome_rows(Some(guild))?,
            s.shares_outcomes(guild)?,
        ))
    })?;
    let figures = Stats::build(today, &days, &outcomes, TOP);
    let engine = ctx.data().engine();
    let title = |key: &str| {
        hexhelp::render::discord::fixes_of(engine.kb(), key).map(|(t, _, _)| t.to_string())
    };
    let text = format!(
        "{}\n{}",
        messages::reports::sharing(shares),
        messages::reports::stats(&figures, &title)
    );
    let r = CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(reply::no_mentions());
    ctx.send(r).await?;
    Ok(())
}
