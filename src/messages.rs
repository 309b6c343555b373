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
pub const INTERNAL_ERROR: &str =
    "Something went wrong on my side. The moderators can find the details in the bot's log.";
pub const KB_BROKEN: &str = "The knowledge base has problems, so I kept the one already in use:";

// ---- Discord ----------------------------------------------------------

pub const TRY_FIRST: &str = "Try first:";
pub const NOT_A_KNOWN_CODE: &str = "Not a code I know";
pub const BUTTON_NEXT: &str = "Next fix";
pub const BUTTON_FIXED: &str = "That fixed it";
pub const BUTTON_NO_HELP: &str = "Didn't help";
pub const BUTTON_DISMISS: &str = "Dismiss";
pub const THANKS_FIXED: &str =
    "Glad that fixed it, thanks for telling me! It helps me put the best fixes first.";
pub const THANKS_NO_HELP: &str =
    "Thanks, noted. Try the next fix, or post the details below so people here can help.";
pub const NO_MORE_FIXES: &str = "That was the last fix I know for this.";
pub const DISMISS_DENIED: &str =
    "Only the person who asked or a moderator can dismiss this answer.";
pub const BUTTON_UNKNOWN: &str =
    "I don't know that answer any more (my knowledge was updated). Ask me again, please.";
pub const NOT_ALLOWED: &str = "You need the Manage Server permission to change my settings.";
pub const SERVER_ONLY: &str = "This only works in a server.";
pub const BAD_INPUT: &str = "I couldn't read that input.";
pub const NOTHING_TO_READ: &str = "That message has no text I can read.";
pub const NO_CHANNELS: &str = "I don't read any channel on my own here yet. Add one with `/hexhelp channels add`; people can still use `/error`, `/ask` and mention me anywhere.";
pub const BAD_THRESHOLD: &str = "The threshold must be a number between 0 and 1.";
pub const BAD_COOLDOWN: &str = "The cooldown must be between 0 and 1440 minutes.";
pub const NO_KNOWLEDGE_DIR: &str =
    "I was started without `--knowledge DIR`, so there is nothing to reload from.";

pub fn fixes_for(code: &str) -> String {
    format!("Fixes for {code}")
}

pub fn several_codes(n: usize) -> String {
    format!("{n} error codes in your message")
}

pub fn and_more(n: usize) -> String {
    format!("And {n} more")
}

pub fn fix_of(n: usize, total: usize, title: &str) -> String {
    format!("Fix {n} of {total}: {title}")
}

pub fn channel_added(channel: u64) -> String {
    format!(
        "I'll now answer on my own in <#{channel}>, and in the threads and forum posts under it."
    )
}

pub fn channel_already(channel: u64) -> String {
    format!("<#{channel}> was already on my list.")
}

pub fn channel_removed(channel: u64) -> String {
    format!(
        "I'll no longer answer on my own in <#{channel}>. Mentions and commands still work there."
    )
}

pub fn channel_not_listed(channel: u64) -> String {
    format!("<#{channel}> wasn't on my list.")
}

pub fn channel_list(channels: &[u64]) -> String {
    let list: Vec<String> = channels.iter().map(|c| format!("• <#{c}>")).collect();
    format!(
        "I answer on my own in these channels (and the threads under them):\n{}",
        list.join("\n")
    )
}

pub fn settings_summary(
    threshold: f32,
    cooldown_minutes: u64,
    thread_starter_only: bool,
) -> String {
    format!(
        "Settings for this server:\n• threshold: {threshold:.2} (how sure I must be to answer a described problem on my own)\n• cooldown: {cooldown_minutes} min (I don't repeat the same answer in a channel within this time)\n• thread starter only: {} (in help threads, answer only the person who started the thread)",
        if thread_starter_only { "on" } else { "off" }
    )
}

/// The body of the "knowledge base has problems" reply: a first line
/// naming the files at fault (shared-fix files first: entries depend on
/// them), then one bullet per problem, within `max` characters.
pub fn kb_broken_details(problems: &crate::kb::Problems, max: usize) -> String {
    let mut files: Vec<&str> = Vec::new();
    for p in problems.iter() {
        if !files.contains(&p.path.as_str()) {
            files.push(&p.path);
        }
    }
    let rank = |f: &str| {
        let f = f.replace('\\', "/");
        if f.contains("/fixes/") || f.starts_with("fixes/") {
            0
        } else if f.ends_with("ladders.toml") || f.ends_with("vocabulary.toml") {
            1
        } else {
            2
        }
    };
    files.sort_by_key(|f| rank(f)); // stable: file order within a rank
    let shown: Vec<String> = files.iter().take(3).map(|f| format!("`{f}`")).collect();
    let mut head = if files.len() == 1 {
        format!("Fix this file: {}", shown.join(", "))
    } else {
        format!("Fix these files, first one first: {}", shown.join(", "))
    };
    if files.len() > 3 {
        head.push_str(&format!(" and {} more", files.len() - 3));
    }
    let mut text = head;
    for p in problems.iter() {
        text.push_str(&format!("\n• {p}"));
    }
    crate::render::discord::truncate(&text, max)
}

pub fn reloaded(entries: usize, codes: usize) -> String {
    format!("Knowledge base reloaded: {entries} entries, {codes} codes.")
}

// ---- Starting the bot (shown to the operator) -------------------------

pub const NO_TOKEN: &str = "No Discord bot token: set DISCORD_TOKEN or pass --token-file FILE.";
pub const TOKEN_REJECTED: &str = "Discord rejected the bot token: check that it is the bot token from the Developer Portal (Bot → Reset Token) and that it wasn't reset since.";
pub const INTENT_DISALLOWED: &str = "Discord refused the Message Content intent: enable it on the Developer Portal (Bot → Privileged Gateway Intents), or start with --no-message-content.";

// ---- what the answer knows about the person's situation

pub fn already_tried(titles: &[String]) -> String {
    format!(
        "You already tried: {}. Starting from the next step.",
        titles.join("; ")
    )
}

pub fn tool_cause(tool: &str) -> String {
    format!("You mention {tool}, which is known to break this:")
}

pub fn ruled_out(topic: &str) -> String {
    format!("later, since you ruled out {topic}")
}

pub fn version_note(name: &str, supported: bool) -> String {
    if supported {
        format!("For {name}.")
    } else {
        format!(
            "For {name}, which no longer gets security updates: steps written for Windows 10 and 11 are left out, and some fixes may not exist there."
        )
    }
}

pub fn version_mismatch(name: &str) -> String {
    format!("This guide is written for other Windows versions than {name}; some steps may differ.")
}

pub fn other_version_left_out(n: usize) -> String {
    if n == 1 {
        "1 fix for other Windows versions left out.".to_string()
    } else {
        format!("{n} fixes for other Windows versions left out.")
    }
}

pub fn instead(area: &str, title: &str) -> String {
    format!("If this is about {area} instead: {title}")
}

pub fn explain_match(phrase: &str, field: &str, words: &str, confidence: f32) -> String {
    format!(
        "matched \"{phrase}\" ({field} {words}), confidence {:.0}%",
        confidence * 100.0
    )
}

/// Why a fix comes earlier than the guide lists it: `fixed` of `of`
/// people it was reported on said it fixed their problem.
pub fn moved_up(title: &str, fixed: u64, of: u64) -> String {
    match of {
        0 => format!("Moved up: {title} (people here often skipped the fixes before it)"),
        1 => format!("Moved up: {title}, which fixed it for {fixed} of 1 person"),
        _ => format!("Moved up: {title}, which fixed it for {fixed} of {of} people"),
    }
}

pub const FAMILY_LADDER_NOTE: &str =
    "No guide for this exact code yet; general steps for its kind:";

// ---- Faults under hostile input (issue 11) and the middle ground ---------

pub const FEEDBACK_NOT_SAVED: &str =
    "Sorry, I couldn't save that just now. Please try the button again in a while.";

/// The reaction on a mention that found nothing (instead of a message).
pub const REACT_NOTHING_FOUND: &str = "\u{1F937}";

/// The reaction on a mention whose answer was just posted in the channel.
pub const REACT_SEE_ABOVE: &str = "\u{1F446}";

pub const BAD_LIMIT: &str = "A limit must be between 0 (no limit) and 120 answers a minute.";
pub const BAD_REACTION: &str = "The reaction must be one emoji, like \u{1F50E}.";

/// The flood limits and the middle ground, after [`settings_summary`].
pub fn limits_summary(member_limit: u32, channel_limit: u32) -> String {
    let show = |n: u32| {
        if n == 0 {
            "no limit".to_string()
        } else {
            format!("{n} a minute")
        }
    };
    format!(
        "• member limit: {} (answers for one person)\n• channel limit: {} (answers in one channel or thread)",
        show(member_limit),
        show(channel_limit)
    )
}

pub fn react_summary(on: bool, threshold: f32, reaction: &str) -> String {
    if on {
        format!(
            "• unsure answers: offered with {reaction} from {threshold:.2} up (the author adds {reaction} to get the answer)"
        )
    } else {
        "• unsure answers: not offered".to_string()
    }
}

// ---- Attachments --------------------------------------------------------

pub mod attach;

// ---- Outcomes and stats ---------------------------------------------------

pub mod reports;
