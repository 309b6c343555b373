//! The answer as text for a terminal, with colour when asked for.

use std::fmt::Write;

use crate::answer::{Answer, CodeAnswer, Match, Plan, Reason};
use crate::kb::{Fix, Risk};
use crate::messages;

/// ANSI styling, or none when the output is not a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
    /// Show how each entry matched and how sure the match is.
    pub explain: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn code(&self, s: &str) -> String {
        self.paint("1;36", s)
    }
    fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn danger(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
}

/// How many fixes show their steps in full; the rest show their titles.
const FULL_FIXES: usize = 3;

pub fn render(answer: &Answer, style: Style) -> String {
    let mut out = String::new();
    if answer.is_empty() {
        out.push_str(messages::NOTHING_FOUND);
        out.push('\n');
        return out;
    }
    for s in &answer.suggestions {
        let _ = writeln!(
            out,
            "{}",
            style.warn(&messages::did_you_mean(
                &s.typed,
                &crate::codes::hex(s.suggested)
            ))
        );
    }
    for c in &answer.codes {
        code_block(&mut out, c, style);
    }
    if answer.unsure {
        let _ = writeln!(out, "{}\n", style.warn(messages::UNSURE));
    }
    let mut shown_entry = false;
    for (i, m) in answer.matches.iter().enumerate() {
        if i == 0 || matches!(m.reason, Reason::Code { .. }) && i < 3 {
            let plan = (i == 0).then_some(&answer.plan);
            entry_block(&mut out, m, plan, style);
            shown_entry = true;
        }
    }
    if !shown_entry && let Some(ladder) = answer.codes.iter().find_map(|c| c.ladder.as_ref()) {
        let _ = writeln!(out, "{}", style.bold(&ladder.title));
        if let Some(s) = &ladder.summary {
            let _ = writeln!(out, "{s}");
        }
        situation_lines(&mut out, &answer.plan, style);
        let fixes: Vec<&Fix> = answer.plan.iter().collect();
        fix_list(&mut out, &fixes, &answer.plan, style);
        out.push('\n');
    }
    for c in &answer.codes {
        for alt in &c.alternatives {
            let _ = writeln!(
                out,
                "{}",
                style.dim(&messages::instead(&alt.area, &alt.title))
            );
        }
    }
    let others: Vec<&Match> = answer
        .matches
        .iter()
        .enumerate()
        .filter(|(i, m)| *i > 0 && !(matches!(m.reason, Reason::Code { .. }) && *i < 3))
        .map(|(_, m)| m)
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "{}", style.bold(messages::ALSO_POSSIBLE));
        for m in others {
            let codes = m.entry.hex_codes();
            let _ = writeln!(
                out,
                "  • {} {} {}",
                m.entry.title,
                style.dim(&format!("({})", codes.join(", "))),
                if style.explain {
                    style.dim(&format!("confidence {:.0}%", m.confidence * 100.0))
                } else {
                    String::new()
                }
            );
        }
    }
    out
}

fn code_block(out: &mut String, c: &CodeAnswer, style: Style) {
    let d = &c.decoded;
    let names: Vec<String> = d
        .meanings
        .iter()
        .map(|m| format!("{} ({})", m.name, m.family.label()))
        .collect();
    let head = if names.is_empty() {
        messages::UNNAMED_CODE.to_string()
    } else {
        names.join(" or ")
    };
    let _ = writeln!(out, "{}  {}", style.code(&d.hex), style.bold(&head));
    for m in &d.meanings {
        if !m.summary.is_empty() {
            let _ = writeln!(out, "  {}", m.summary);
        }
    }
    if let Some((num, name)) = &d.facility {
        let _ = writeln!(out, "  {}", style.dim(&format!("facility {name} ({num})")));
    }
    if let Some(ext) = &d.ext {
        let _ = writeln!(out, "  {}", style.dim(&ext.to_string()));
    }
    if c.entry.is_none() && c.ladder.is_none() {
        let _ = writeln!(out, "  {}", style.dim(messages::NO_ENTRY));
    }
    out.push('\n');
}

fn entry_block(out: &mut String, m: &Match, plan: Option<&Plan>, style: Style) {
    let e = &m.entry;
    // The header names the code the message has, or the entry's codes.
    let codes = match &m.reason {
        Reason::Code { code } | Reason::Suggested { code, .. } => vec![code.clone()],
        Reason::Symptom(_) => e.hex_codes(),
    };
    if codes.is_empty() {
        let _ = writeln!(out, "{}", style.bold(&e.title));
    } else {
        let _ = writeln!(
            out,
            "{} {}",
            style.bold(&e.title),
            style.dim(&format!("({})", codes.join(", ")))
        );
    }
    let _ = writeln!(out, "{}", e.summary);
    if style.explain
        && let Reason::Symptom(why) = &m.reason
    {
        let _ = writeln!(
            out,
            "{}",
            style.dim(&messages::explain_match(
                &why.phrase,
                why.field,
                &why.words.join(", "),
                m.confidence
            ))
        );
    }
    out.push('\n');
    let _ = writeln!(out, "{}", style.bold(messages::LIKELY_CAUSES));
    if let Some(t) = plan.and_then(|p| p.tool.as_ref()) {
        let _ = writeln!(out, "  • {} {}", messages::tool_cause(&t.name), t.cause);
    }
    for c in &e.causes {
        let _ = writeln!(out, "  • {c}");
    }
    out.push('\n');
    let _ = writeln!(out, "{}", style.bold(messages::FIXES_IN_ORDER));
    match plan {
        Some(p) => {
            situation_lines(out, p, style);
            let fixes: Vec<&Fix> = p.iter().collect();
            fix_list(out, &fixes, p, style);
        }
        None => {
            let fixes: Vec<&Fix> = e.fixes.iter().collect();
            fix_list(out, &fixes, &Plan::default(), style);
        }
    }
    if let Some(a) = &e.ask_for {
        let _ = writeln!(out, "\n{} {}", style.bold(messages::IF_NOTHING_WORKED), a);
    }
    out.push('\n');
}

/// The lines about the person's situation above the fixes.
fn situation_lines(out: &mut String, plan: &Plan, style: Style) {
    if let Some(v) = &plan.version
        && (!v.supported || plan.version_mismatch)
    {
        let line = if plan.version_mismatch {
            messages::version_mismatch(&v.name)
        } else {
            messages::version_note(&v.name, v.supported)
        };
        let _ = writeln!(out, "  {}", style.warn(&line));
    }
    if plan.other_version > 0 {
        let _ = writeln!(
            out,
            "  {}",
            style.dim(&messages::other_version_left_out(plan.other_version))
        );
    }
    if !plan.tried.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            style.warn(&messages::already_tried(&plan.tried))
        );
    }
}

fn fix_list(out: &mut String, fixes: &[&Fix], plan: &Plan, style: Style) {
    for (i, f) in fixes.iter().enumerate() {
        let mut marks = Vec::new();
        if f.admin {
            marks.push(style.warn(messages::ADMIN));
        }
        marks.push(match f.risk {
            Risk::Safe => style.dim(f.risk.as_str()),
            Risk::Moderate => style.warn(f.risk.as_str()),
            Risk::Destructive => style.danger(f.risk.as_str()),
        });
        if let Some(topic) = plan.fixes.get(i).and_then(|p| p.ruled_out.as_ref()) {
            marks.push(style.dim(&messages::ruled_out(topic)));
        }
        let _ = writeln!(
            out,
            "  {}. {}  [{}]",
            i + 1,
            style.bold(&f.title),
            marks.join(" · ")
        );
        if i < FULL_FIXES {
            for (j, s) in f.steps.iter().enumerate() {
                let _ = writeln!(out, "       {}. {}", j + 1, s);
            }
        }
    }
}
