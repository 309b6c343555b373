//! The `after` lists of an entry's fixes: every prerequisite the entry
//! lists must come before the fix that names it, and every name must be a
//! fix that exists.

use super::load::{Loader, SourceFile};
use super::model::Fix;

impl Loader {
    /// Checks the `after` lists of `fixes` (an entry's list, with the line
    /// of each fix in `lines`).
    pub(super) fn check_after(&mut self, f: &SourceFile, fixes: &[Fix], lines: &[usize]) {
        for (j, (fix, &line)) in fixes.iter().zip(lines).enumerate() {
            for id in &fix.after {
                if id == &fix.id {
                    let msg = format!("fix {} `{}` names itself in `after`", j + 1, fix.title);
                    self.problem(f, line, msg);
                } else if let Some(k) = fixes[j + 1..].iter().position(|x| &x.id == id) {
                    let msg = format!(
                        "fix {} `{}` is to come after `{id}`, which the entry lists later (fix {}); list `{id}` first",
                        j + 1,
                        fix.title,
                        j + k + 2
                    );
                    self.problem(f, line, msg);
                } else if !fixes[..j].iter().any(|x| &x.id == id) && !self.shared.contains_key(id) {
                    let msg = format!(
                        "`after` names no fix `{id}` (neither in fixes/ nor in this entry)"
                    );
                    self.problem(f, line, msg);
                }
            }
        }
    }
}
