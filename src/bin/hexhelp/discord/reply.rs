//! Library data as Discord builders: embeds, the buttons under an answer,
//! and allowed mentions, which are empty on everything the bot sends.

use hexhelp::bot::Action;
use hexhelp::messages;
use hexhelp::render::discord::Embed;
use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter,
};

/// Nobody is pinged by anything the bot sends: no @everyone, no roles, no
/// users, not even the author of the message it replies to.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

pub fn embed(e: &Embed) -> CreateEmbed {
    let mut out = CreateEmbed::new().title(&e.title).colour(e.color);
    if !e.description.is_empty() {
        out = out.description(&e.description);
    }
    for f in &e.fields {
        out = out.field(&f.name, &f.value, f.inline);
    }
    if let Some(footer) = &e.footer {
        out = out.footer(CreateEmbedFooter::new(footer));
    }
    out
}

fn button(action: Action, label: &str, style: ButtonStyle) -> Option<CreateButton> {
    Some(
        CreateButton::new(action.encode()?)
            .label(label)
            .style(style),
    )
}

/// The buttons under fix `fix` (from 1) of `key` (an entry id or
/// `@family`), which has `total` fixes: the next fix (number `next`, in the
/// order outcomes adapted; `total + 1` after the last), "that fixed it",
/// "didn't help", and "dismiss" when `dismiss_for` names the asker (public
/// answers only; ephemeral ones close on their own).
pub fn buttons(
    key: &str,
    fix: usize,
    next: usize,
    total: usize,
    dismiss_for: Option<u64>,
) -> Vec<CreateActionRow> {
    let mut row = Vec::new();
    if fix >= 1 && fix <= total {
        row.extend(button(
            Action::Next {
                entry: key.to_string(),
                fix: next,
            },
            messages::BUTTON_NEXT,
            ButtonStyle::Primary,
        ));
        row.extend(button(
            Action::Fixed {
                entry: key.to_string(),
                fix,
            },
            messages::BUTTON_FIXED,
            ButtonStyle::Success,
        ));
        row.extend(button(
            Action::NoHelp {
                entry: key.to_string(),
                fix,
            },
            messages::BUTTON_NO_HELP,
            ButtonStyle::Secondary,
        ));
    }
    if let Some(asker) = dismiss_for {
        row.extend(button(
            Action::Dismiss { asker },
            messages::BUTTON_DISMISS,
            ButtonStyle::Secondary,
        ));
    }
    if row.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(row)]
    }
}

/// Buttons for a whole answer: those of its subject's first fix.
pub fn answer_buttons(answer: &hexhelp::Answer, dismiss_for: Option<u64>) -> Vec<CreateActionRow> {
    match hexhelp::render::discord::subject(answer) {
        Some((key, total)) => buttons(
            &key,
            hexhelp::render::discord::shown_fix(answer),
            hexhelp::render::discord::next_fix(answer),
            total,
            dismiss_for,
        ),
        None => buttons("", 0, 0, 0, dismiss_for),
    }
}
