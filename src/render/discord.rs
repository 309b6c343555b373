//! The answer as Discord embed data: plain structs, no Discord library, so
//! the layout and Discord's size limits are tested here. The bot layer
//! copies them field by field into Discord's own builders.
//!
//! One code: the code and its name, the entry's one-line explanation,
//! likely causes, the fixes numbered in the order to try them (titles with
//! admin and risk markers) and the steps of the first fix in full. Several
//! codes: one combined embed, at most [`MAX_FULL`] codes in full, then
//! "and N more". A code without an entry: the decode and its family's
//! ladder. A described problem below the threshold: marked as a guess.

use serde::Serialize;

use crate::answer::{Answer, CodeAnswer, Match, Reason};
use crate::codes::hex;
use crate::kb::{Fix, KnowledgeBase, Risk};
use crate::messages;
use crate::render::{bullets, numbered_steps};

/// Discord's limits on an embed, in characters.
pub mod limits {
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    /// Title, description, field names and values and footer together.
    pub const TOTAL: usize = 6000;
}

/// Codes shown in full in one reply; the rest are listed by name.
pub const MAX_FULL: usize = 3;

/// Other matches listed under "Also possible".
const MAX_OTHERS: usize = 4;

/// Embed colours.
pub mod colour {
    /// A sure answer.
    pub const ANSWER: u32 = 0x3B82F6;
    /// A guess (explicit question below the threshold).
    pub const GUESS: u32 = 0xF59E0B;
    /// A code without an entry: decode and family ladder.
    pub const LADDER: u32 = 0x64748B;
    /// One fix (the "Next fix" button).
    pub const FIX: u32 = 0x22C55E;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Embed {
    pub title: String,
    pub description: String,
    pub color: u32,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
}

impl Embed {
    /// Characters Discord counts towards [`limits::TOTAL`].
    pub fn total_len(&self) -> usize {
        len(&self.title)
            + len(&self.description)
            + self
                .fields
                .iter()
                .map(|f| len(&f.name) + len(&f.value))
                .sum::<usize>()
            + self.footer.as_deref().map_or(0, len)
    }

    /// Every way this embed breaks Discord's limits (none when it fits).
    pub fn limit_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        let mut check = |what: &str, s: &str, max: usize, may_be_empty: bool| {
            let n = len(s);
            if n > max {
                p.push(format!("{what}: {n} characters, limit {max}"));
            }
            if !may_be_empty && s.trim().is_empty() {
                p.push(format!("{what} is empty"));
            }
        };
        check("title", &self.title, limits::TITLE, false);
        check("description", &self.description, limits::DESCRIPTION, true);
        for (i, f) in self.fields.iter().enumerate() {
            check(
                &format!("field {i} name"),
                &f.name,
                limits::FIELD_NAME,
                false,
            );
            check(
                &format!("field {i} value"),
                &f.value,
                limits::FIELD_VALUE,
                false,
            );
        }
        if let Some(footer) = &self.footer {
            check("footer", footer, limits::FOOTER, false);
        }
        if self.fields.len() > limits::FIELDS {
            p.push(format!(
                "{} fields, limit {}",
                self.fields.len(),
                limits::FIELDS
            ));
        }
        if self.total_len() > limits::TOTAL {
            p.push(format!(
                "{} characters in all, limit {}",
                self.total_len(),
                limits::TOTAL
            ));
        }
        p
    }
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to at most `max` characters: whole lines while they fit, then
/// `…`; a single line too long is cut inside.
pub fn truncate(s: &str, max: usize) -> String {
    if len(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for line in s.lines() {
        let extra = len(line) + usize::from(used > 0);
        // Room for "\n…" after the lines kept.
        if used + extra + 2 > max {
            break;
        }
        if used > 0 {
            out.push('\n');
        }
        out.push_str(line);
        used += extra;
    }
    if used == 0 {
        let mut cut: String = s.chars().take(max - 1).collect();
        cut.push('…');
        return cut;
    }
    out.push_str("\n…");
    out
}

/// A field as built, with whether it may be shortened first when the
/// embed is too long (the fix list and the first fix's steps go last).
struct Draft {
    field: Field,
    keep: bool,
}

fn draft(name: impl Into<String>, value: impl Into<String>, keep: bool) -> Option<Draft> {
    let value = value.into();
    (!value.trim().is_empty()).then(|| Draft {
        field: Field {
            name: name.into(),
            value,
            inline: false,
        },
        keep,
    })
}

/// Puts an embed together within every limit: each part cut to its own
/// limit, at most 25 fields, then the longest fields shortened (those that
/// may go first, first) until the whole fits in 6,000 characters.
fn assemble(
    title: &str,
    description: &str,
    color: u32,
    drafts: Vec<Option<Draft>>,
    footer: Option<String>,
) -> Embed {
    let mut drafts: Vec<Draft> = drafts.into_iter().flatten().take(limits::FIELDS).collect();
    for d in &mut drafts {
        d.field.name = truncate(&d.field.name, limits::FIELD_NAME);
        d.field.value = truncate(&d.field.value, limits::FIELD_VALUE);
    }
    let mut embed = Embed {
        title: truncate(title, limits::TITLE),
        description: truncate(description, limits::DESCRIPTION),
        color,
        fields: Vec::new(),
        footer: footer.map(|f| truncate(&f, limits::FOOTER)),
    };
    let fixed = embed.total_len();
    let field_len = |ds: &[Draft]| {
        ds.iter()
            .map(|d| len(&d.field.name) + len(&d.field.value))
            .sum::<usize>()
    };
    // The description gives way first when it is long, down to 1,000.
    let over = (fixed + field_len(&drafts)).saturating_sub(limits::TOTAL);
    if over > 0 {
        let d_len = len(&embed.description);
        let target = d_len.saturating_sub(over).max(1000.min(d_len));
        embed.description = truncate(&embed.description, target);
    }
    loop {
        let total = embed.total_len() + field_len(&drafts);
        if total <= limits::TOTAL {
            break;
        }
        let over = total - limits::TOTAL;
        // The longest field among those that may go first, else any.
        let pick = |keep: bool| {
            drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| d.keep == keep && len(&d.field.value) > 2)
                .max_by_key(|(_, d)| len(&d.field.value))
                .map(|(i, _)| i)
        };
        match pick(false).or_else(|| pick(true)) {
            Some(i) => {
                let v = &drafts[i].field.value;
                let target = len(v).saturating_sub(over).max(2);
                let shorter = truncate(v, target);
                // A field cut to almost nothing says nothing: drop it.
                if len(&shorter) >= len(v) || target < 40 {
                    drafts.remove(i);
                } else {
                    drafts[i].field.value = shorter;
                }
            }
            None => {
                if drafts.pop().is_none() {
                    embed.description = truncate(
                        &embed.description,
                        limits::TOTAL.saturating_sub(fixed - len(&embed.description)),
                    );
                    break;
                }
            }
        }
    }
    embed.fields = drafts.into_iter().map(|d| d.field).collect();
    embed
}

/// `admin` and the risk when it isn't safe, for a fix's line.
fn markers(f: &Fix) -> String {
    let mut m: Vec<&str> = Vec::new();
    if f.admin {
        m.push(messages::ADMIN);
    }
    match f.risk {
        Risk::Safe => {}
        Risk::Moderate => m.push("moderate risk"),
        Risk::Destructive => m.push("⚠️ destructive"),
    }
    if m.is_empty() {
        String::new()
    } else {
        format!(" · *{}*", m.join(" · "))
    }
}

/// The fixes as a numbered list of titles with their markers.
pub fn fix_titles(fixes: &[Fix]) -> String {
    fixes
        .iter()
        .enumerate()
        .map(|(i, f)| format!("{}. {}{}", i + 1, f.title, markers(f)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The code and its name, e.g. `0x80070002 · ERROR_FILE_NOT_FOUND`.
pub fn code_line(c: &CodeAnswer) -> String {
    let name = c
        .decoded
        .meanings
        .first()
        .map_or(messages::UNNAMED_CODE, |m| m.name.as_str());
    format!("{} · {}", c.decoded.hex, name)
}

/// What the code is, in plain words: the first meaning's summary, the
/// facility, the upgrade extend code.
fn decode_lines(c: &CodeAnswer) -> String {
    let d = &c.decoded;
    let mut lines: Vec<String> = Vec::new();
    if let Some(m) = d.meanings.first() {
        let summary = if m.summary.is_empty() {
            m.name.clone()
        } else {
            m.summary.clone()
        };
        lines.push(format!("{}: {}", m.family.label(), summary));
    }
    if let Some((num, name)) = &d.facility {
        lines.push(format!("facility {name} ({num})"));
    }
    if let Some(ext) = &d.ext {
        lines.push(ext.to_string());
    }
    lines.join("\n")
}

fn suggestions(answer: &Answer) -> Vec<String> {
    answer
        .suggestions
        .iter()
        .map(|s| messages::did_you_mean(&s.typed, &hex(s.suggested)))
        .collect()
}

fn others_field(answer: &Answer, skip: usize) -> Option<Draft> {
    let lines: Vec<String> = answer
        .matches
        .iter()
        .skip(skip)
        .filter(|m| matches!(m.reason, Reason::Symptom(_)))
        .take(MAX_OTHERS)
        .map(|m| {
            let codes: Vec<String> = m.entry.codes.iter().take(3).map(|&c| hex(c)).collect();
            if codes.is_empty() {
                format!("• {}", m.entry.title)
            } else {
                format!("• {} ({})", m.entry.title, codes.join(", "))
            }
        })
        .collect();
    draft(messages::ALSO_POSSIBLE, lines.join("\n"), false)
}

fn first_fix_field(fixes: &[Fix]) -> Option<Draft> {
    let f = fixes.first()?;
    draft(
        format!("{} {}", messages::TRY_FIRST, f.title),
        numbered_steps(&f.steps),
        true,
    )
}

fn ask_field(ask_for: Option<&str>) -> Option<Draft> {
    draft(
        messages::IF_NOTHING_WORKED,
        ask_for.unwrap_or(messages::DEFAULT_ASK_FOR),
        false,
    )
}

/// The embed for an answer; `None` when there is nothing to say.
pub fn answer(answer: &Answer) -> Option<Embed> {
    if answer.is_empty() {
        return None;
    }
    let mut intro = suggestions(answer);
    if answer.unsure {
        intro.push(messages::UNSURE.to_string());
    }
    Some(match answer.codes.len() {
        0 => match answer.matches.first() {
            Some(m) => entry_embed(answer, m, None, intro),
            None => assemble(
                messages::NOT_A_KNOWN_CODE,
                &intro.join("\n"),
                colour::GUESS,
                Vec::new(),
                None,
            ),
        },
        1 => single_code(answer, &answer.codes[0], intro),
        _ => several_codes(answer, intro),
    })
}

fn entry_of<'a>(answer: &'a Answer, c: &CodeAnswer) -> Option<&'a Match> {
    let id = c.entry.as_deref()?;
    answer.matches.iter().find(|m| m.entry.id == id)
}

fn single_code(answer: &Answer, c: &CodeAnswer, intro: Vec<String>) -> Embed {
    match entry_of(answer, c) {
        Some(m) => entry_embed(answer, m, Some(c), intro),
        None => ladder_embed(answer, c, intro),
    }
}

/// One entry in full: the code (when there is one) and its name as the
/// title, the entry's title and explanation, causes, fixes, first fix.
fn entry_embed(
    answer: &Answer,
    m: &Match,
    code: Option<&CodeAnswer>,
    mut intro: Vec<String>,
) -> Embed {
    let e = &m.entry;
    let title = match code {
        Some(c) => code_line(c),
        None => e.title.clone(),
    };
    if code.is_some() {
        intro.push(format!("**{}**", e.title));
    }
    intro.push(e.summary.clone());
    // The plan belongs to the leading entry; others keep their own order.
    let leading = answer
        .matches
        .first()
        .is_some_and(|f| std::sync::Arc::ptr_eq(&f.entry, &m.entry));
    let fixes: Vec<Fix> = if leading {
        intro.extend(situation_lines(answer));
        answer.plan.iter().cloned().collect()
    } else {
        e.fixes.clone()
    };
    let mut causes = e.causes.clone();
    if leading && let Some(t) = &answer.plan.tool {
        causes.insert(0, format!("{} {}", messages::tool_cause(&t.name), t.cause));
    }
    let color = if answer.unsure {
        colour::GUESS
    } else {
        colour::ANSWER
    };
    let fields = vec![
        draft(messages::LIKELY_CAUSES, bullets(&causes), false),
        draft(messages::FIXES_IN_ORDER, fix_titles(&fixes), true),
        first_fix_field(&fixes),
        ask_field(e.ask_for.as_deref()),
        others_field(answer, 1),
        alternatives_field(answer),
    ];
    assemble(
        &title,
        &intro.join("\n"),
        color,
        fields,
        Some(format!("hexhelp · {}", e.id)),
    )
}

/// The lines about the person's situation: their version, what they
/// already tried.
fn situation_lines(answer: &Answer) -> Vec<String> {
    let plan = &answer.plan;
    let mut lines = Vec::new();
    if let Some(v) = &plan.version {
        if plan.version_mismatch {
            lines.push(format!("⚠️ {}", messages::version_mismatch(&v.name)));
        } else if !v.supported {
            lines.push(format!("⚠️ {}", messages::version_note(&v.name, false)));
        }
    }
    if !plan.tried.is_empty() {
        lines.push(format!("*{}*", messages::already_tried(&plan.tried)));
    }
    for p in plan.fixes.iter().filter(|p| p.moved.is_some()).take(2) {
        if let Some(m) = p.moved {
            lines.push(format!(
                "📈 {}",
                messages::moved_up(&p.fix.title, m.fixed, m.of)
            ));
        }
    }
    lines
}

/// "If this is about the Store instead: ..." for the codes' other entries.
fn alternatives_field(answer: &Answer) -> Option<Draft> {
    let lines: Vec<String> = answer
        .codes
        .iter()
        .flat_map(|c| c.alternatives.iter())
        .take(MAX_OTHERS)
        .map(|a| format!("• {}", messages::instead(&a.area, &a.title)))
        .collect();
    draft(messages::ALSO_POSSIBLE, lines.join("\n"), false)
}

/// A code without an entry: what it is, and its ladder's general fixes.
fn ladder_embed(answer: &Answer, c: &CodeAnswer, mut intro: Vec<String>) -> Embed {
    intro.push(decode_lines(c));
    let mut fields = Vec::new();
    let mut footer = None;
    match &c.ladder {
        Some(l) => {
            intro.push(format!("{} {}", messages::NO_ENTRY, l.title));
            if let Some(s) = &l.summary {
                intro.push(s.clone());
            }
            intro.extend(situation_lines(answer));
            let fixes: Vec<Fix> = answer.plan.iter().cloned().collect();
            fields.push(draft(messages::FIXES_IN_ORDER, fix_titles(&fixes), true));
            fields.push(first_fix_field(&fixes));
            footer = Some(format!("hexhelp · {}", l.key()));
        }
        None => intro.push(messages::NO_ENTRY.to_string()),
    }
    fields.push(ask_field(None));
    assemble(
        &code_line(c),
        &intro.join("\n"),
        colour::LADDER,
        fields,
        footer,
    )
}

/// Several codes: each of the first [`MAX_FULL`] with its explanation,
/// causes and fixes; the first one's first fix in full; the rest by name.
fn several_codes(answer: &Answer, intro: Vec<String>) -> Embed {
    let mut fields = Vec::new();
    for c in answer.codes.iter().take(MAX_FULL) {
        match entry_of(answer, c) {
            Some(m) => {
                let e = &m.entry;
                let mut about = format!("**{}**\n{}", e.title, e.summary);
                if !e.causes.is_empty() {
                    about.push_str(&format!(
                        "\n__{}__\n{}",
                        messages::LIKELY_CAUSES,
                        bullets(&e.causes)
                    ));
                }
                fields.push(draft(code_line(c), about, false));
                fields.push(draft(
                    messages::fixes_for(&c.decoded.hex),
                    fix_titles(&e.fixes),
                    true,
                ));
            }
            None => {
                let mut about = decode_lines(c);
                match &c.ladder {
                    Some(l) => {
                        about.push_str(&format!("\n{} {}", messages::NO_ENTRY, l.title));
                        fields.push(draft(code_line(c), about, false));
                        fields.push(draft(
                            messages::fixes_for(&c.decoded.hex),
                            fix_titles(&l.fixes),
                            true,
                        ));
                    }
                    None => {
                        about.push_str(&format!("\n{}", messages::NO_ENTRY));
                        fields.push(draft(code_line(c), about, false));
                    }
                }
            }
        }
    }
    if let Some(first) = answer.codes.first() {
        // The first code's entry or ladder is the one the plan orders.
        if let Some(f) = answer.plan.iter().next() {
            fields.push(draft(
                format!(
                    "{} {} ({})",
                    messages::TRY_FIRST,
                    f.title,
                    first.decoded.hex
                ),
                numbered_steps(&f.steps),
                true,
            ));
        }
    }
    let rest = answer.codes.len().saturating_sub(MAX_FULL);
    if rest > 0 {
        let lines: Vec<String> = answer
            .codes
            .iter()
            .skip(MAX_FULL)
            .map(|c| format!("• {}", code_line(c)))
            .collect();
        fields.push(draft(messages::and_more(rest), lines.join("\n"), false));
    }
    let footer = answer
        .matches
        .first()
        .map(|m| format!("hexhelp · {}", m.entry.id));
    assemble(
        &messages::several_codes(answer.codes.len()),
        &intro.join("\n"),
        colour::ANSWER,
        fields,
        footer,
    )
}

/// What the buttons under an answer refer to: the entry (or `@family` for
/// a ladder) whose fixes are shown first, and how many fixes it has.
pub fn subject(answer: &Answer) -> Option<(String, usize)> {
    if let Some(first) = answer.codes.first() {
        if let Some(m) = entry_of(answer, first) {
            return Some((m.entry.id.clone(), m.entry.fixes.len()));
        }
        if let Some(l) = &first.ladder {
            return Some((crate::bot::ids::ladder_key(&l.key()), l.fixes.len()));
        }
        return None;
    }
    answer
        .matches
        .first()
        .map(|m| (m.entry.id.clone(), m.entry.fixes.len()))
}

/// The number (from 1, in the entry's or ladder's own list) of the fix the
/// answer shows first, for the buttons under it: "Next fix" goes on from
/// there.
pub fn shown_fix(answer: &Answer) -> usize {
    answer.plan.fixes.iter().find_map(|p| p.number).unwrap_or(1)
}

/// The number of the fix "Next fix" shows after the first: the one after
/// it in the entry's list, or, when outcomes moved fixes, the next one in
/// the plan's order.
pub fn next_fix(answer: &Answer) -> usize {
    let shown = shown_fix(answer);
    if !answer.plan.fixes.iter().any(|p| p.moved.is_some()) {
        return shown + 1;
    }
    answer
        .plan
        .fixes
        .iter()
        .filter_map(|p| p.number)
        .skip_while(|&n| n != shown)
        .nth(1)
        .unwrap_or(shown + 1)
}

/// The title and fixes behind a button's entry key (an entry id, or
/// `@family` for a ladder).
pub fn fixes_of<'a>(
    kb: &'a KnowledgeBase,
    key: &str,
) -> Option<(&'a str, &'a [Fix], Option<&'a str>)> {
    if let Some(family) = crate::bot::ids::as_ladder(key) {
        let l = kb.ladder_by_key(family)?;
        return Some((&l.title, &l.fixes, None));
    }
    let e = kb.entry(key)?;
    Some((&e.title, &e.fixes, e.ask_for.as_deref()))
}

/// Fix `n` (from 1) of an entry or ladder, for the "Next fix" button; one
/// past the last gives what to post when nothing worked; `None` beyond
/// that or for an unknown key.
pub fn fix(kb: &KnowledgeBase, key: &str, n: usize) -> Option<Embed> {
    let (title, fixes, ask_for) = fixes_of(kb, key)?;
    let footer = Some(format!("hexhelp · {key} · {title}"));
    if n >= 1 && n <= fixes.len() {
        let f = &fixes[n - 1];
        let mut description = String::new();
        let m = markers(f);
        if !m.is_empty() {
            description.push_str(m.trim_start_matches(" · "));
            description.push('\n');
        }
        description.push_str(&numbered_steps(&f.steps));
        return Some(assemble(
            &messages::fix_of(n, fixes.len(), &f.title),
            &description,
            colour::FIX,
            Vec::new(),
            footer,
        ));
    }
    if n == fixes.len() + 1 {
        let fields = vec![ask_field(ask_for)];
        return Some(assemble(
            messages::NO_MORE_FIXES,
            "",
            colour::GUESS,
            fields,
            footer,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_whole_lines_then_an_ellipsis() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(
            truncate("line one\nline two\nline three", 20),
            "line one\nline two\n…"
        );
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("ünïcödé ünïcödé", 8).chars().count(), 8);
        assert_eq!(truncate("x", 0), "");
        for max in 1..40 {
            let t = truncate("a fairly long first line\nsecond\nthird line here", max);
            assert!(t.chars().count() <= max, "{max}: {t:?}");
        }
    }

    #[test]
    fn assemble_fits_whatever_it_is_given() {
        let big = |n: usize| "word ".repeat(n);
        let fields: Vec<Option<Draft>> = (0..40)
            .map(|i| {
                draft(
                    format!("field {i} {}", big(100)),
                    format!("{}\n{}", big(150), big(150)),
                    i % 2 == 0,
                )
            })
            .collect();
        let e = assemble(&big(100), &big(2000), 0, fields, Some(big(1000)));
        assert_eq!(e.limit_problems(), Vec::<String>::new());
        assert!(!e.fields.is_empty());
    }
}
