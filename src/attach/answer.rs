//! Answers with what was read from attachments: the codes of each reading
//! go before the message, main code first, so the engine decodes and
//! answers them like typed codes (a dump's bug check framed as a stop
//! code). The engine itself is unchanged.

use super::{FileKind, Reading};
use crate::answer::{Answer, Engine, Mode};
use crate::codes::CodeTables;

impl Engine {
    /// Answers `text` together with what was read from its attachments.
    pub fn answer_with_attachments(&self, text: &str, readings: &[Reading], mode: Mode) -> Answer {
        self.answer_with_attachments_at(text, readings, mode, self.threshold())
    }

    /// Like [`Engine::answer_with_attachments`], with a server's threshold.
    pub fn answer_with_attachments_at(
        &self,
        text: &str,
        readings: &[Reading],
        mode: Mode,
        threshold: f32,
    ) -> Answer {
        let codes = codes_as_text(readings, self.tables());
        if codes.is_empty() {
            return self.answer_with(text, mode, threshold);
        }
        self.answer_with(&format!("{codes}\n{text}"), mode, threshold)
    }
}

/// The codes of `readings` as text the code scanner reads back exactly.
pub fn codes_as_text(readings: &[Reading], tables: &CodeTables) -> String {
    let mut parts = Vec::new();
    for r in readings {
        for (i, c) in r.codes().iter().enumerate() {
            if r.kind == FileKind::KernelDump && i == 0 {
                let name = tables
                    .meanings(c.code)
                    .into_iter()
                    .find(|m| m.family == crate::codes::Family::BugCheck)
                    .map(|m| m.name);
                parts.push(match name {
                    Some(n) if n != crate::codes::NO_PUBLIC_NAME => format!("stop code {n}"),
                    _ => format!("stop code {}", crate::codes::hex(c.code)),
                });
            } else {
                parts.push(format!("error {}", c.text()));
            }
        }
    }
    parts.join("\n")
}
