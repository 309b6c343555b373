//! Every sentence hexhelp shows to people, in one place, so wording stays
//! consistent and can be reviewed (or translated) without reading code.

pub const NOTHING_FOUND: &str = "I couldn't find an error code or a problem I know in that. Paste the exact error code (like 0x80070002) or describe what fails and what Windows shows.";
pub const UNSURE: &str = "I'm not sure this is your problem; here is my best guess.";
pub const ALSO_POSSIBLE: &str = "Also possible:";
pub const LIKELY_CAUSES: &str = "Likely causes";
pub const FIXES_IN_ORDER: &str = "Fixes, in the order to try them";
pub const IF_NOTHING_WORKED: &str = "If nothing worked:";
pub const ADMIN: &str = "admin";
pub const UNNAMED_CODE: &str = "a code I have no name for";
pub const NO_ENTRY: &str = "No specific guide for this code yet.";
pub const DEFAULT_ASK_FOR: &str = "Post the full error code, your Windows version and build (run `winver`), and everything you already tried.";

pub fn did_you_mean(typed: &str, suggested: &str) -> String {
    format!("`{typed}` isn't a code I know. Did you mean {suggested}?")
}

/// What a person sees when something went wrong on our side; the cause
/// goes to the log only.
pub const INTERNAL_ERROR: &str = "Something went wrong on my side. The moderators can find the details in the bot's log.";
pub const KB_BROKEN: &str = "The knowledge base has problems, so I kept the one already in use:";
