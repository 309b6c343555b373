//! The fixes of one entry or ladder, put in the order this person should
//! try them: a tool they named that breaks this area comes first with its
//! undo, fixes for another Windows version are left out, fixes they already
//! tried are set aside and named, and fixes for a cause they ruled out move
//! to the end.

use serde::Serialize;

use super::outcomes::{Moved, Order};
use crate::kb::{Fix, KnowledgeBase, Risk, fits};
use crate::situation::{Situation, VersionSeen};

/// Version ids that still get fixes written for Windows 10 and 11.
const CURRENT: &[&str] = &["10", "11"];

/// A tool the message names that is known to break this area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolNote {
    pub id: String,
    pub name: String,
    /// The sentence the causes start with.
    pub cause: String,
}

/// One fix in the plan and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    pub fix: Fix,
    /// Its number in the entry's or ladder's own list (from 1); `None` for
    /// a tool's undo fix, which is not in that list.
    pub number: Option<usize>,
    /// Why it moved down, when it did: the topic the person ruled out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_out: Option<String>,
    /// Why it came earlier than the entry's list puts it: what people
    /// reported (see `answer::outcomes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<Moved>,
}

/// The fixes to show, in the order to try them, and what shaped them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub fixes: Vec<Planned>,
    /// Titles of the fixes the person said they already did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<ToolNote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionSeen>,
    /// How many fixes were left out as written for another version.
    pub other_version: usize,
    /// The entry's versions exclude the one the message names.
    pub version_mismatch: bool,
}

impl Plan {
    /// The plan for `fixes`, the list of an entry (whose context is
    /// `context` and versions `versions`) or a ladder.
    pub fn new(
        kb: &KnowledgeBase,
        fixes: &[Fix],
        context: &[String],
        versions: &[String],
        situation: &Situation,
    ) -> Plan {
        let order = Order::kb(fixes.len());
        Plan::ordered(kb, fixes, &order, context, versions, situation)
    }

    /// The plan for `fixes` taken in `order` (the order outcomes adapted;
    /// [`Order::kb`] for the list's own).
    pub fn ordered(
        kb: &KnowledgeBase,
        fixes: &[Fix],
        order: &Order,
        context: &[String],
        versions: &[String],
        situation: &Situation,
    ) -> Plan {
        let mut plan = Plan {
            version: situation.version.clone(),
            ..Plan::default()
        };
        plan.version_mismatch = situation
            .version
            .as_ref()
            .is_some_and(|v| !fits(versions, &v.id));
        // A tool that breaks this area, named by the person, is the first
        // suspect, whatever the entry says.
        let areas: Vec<&str> = if context.is_empty() {
            situation.areas.iter().map(|(a, _)| a.as_str()).collect()
        } else {
            context.iter().map(String::as_str).collect()
        };
        let mut tool_fix = None;
        let tool = situation.tools.iter().find_map(|id| {
            kb.facts
                .tools
                .iter()
                .find(|t| &t.id == id && t.breaks.iter().any(|b| areas.contains(&b.as_str())))
        });
        if let Some(t) = tool {
            plan.tool = Some(ToolNote {
                id: t.id.clone(),
                name: t.name.clone(),
                cause: t.cause.clone(),
            });
            if !t.fix.id.is_empty() && !situation.tried(&t.fix.id) {
                tool_fix = Some(Planned {
                    fix: t.fix.clone(),
                    number: None,
                    ruled_out: None,
                    moved: None,
                });
            }
        }
        let mut later = Vec::new();
        let mut tried = Vec::new();
        for &i in &order.order {
            let Some(fix) = fixes.get(i) else { continue };
            if tool_fix
                .as_ref()
                .is_some_and(|p: &Planned| p.fix.id == fix.id)
            {
                continue;
            }
            if !fits_version(fix, situation.version.as_ref()) {
                plan.other_version += 1;
                continue;
            }
            let planned = Planned {
                fix: fix.clone(),
                number: Some(i + 1),
                ruled_out: None,
                moved: order.moved(i + 1).copied(),
            };
            if situation.tried(&fix.id) {
                tried.push(planned);
                continue;
            }
            match fix.topic.as_deref().filter(|t| situation.ruled_out(t)) {
                Some(topic) => later.push(Planned {
                    ruled_out: Some(
                        kb.facts
                            .topic(topic)
                            .map_or_else(|| topic.to_string(), |t| t.name.clone()),
                    ),
                    ..planned
                }),
                None => plan.fixes.push(planned),
            }
        }
        // Ruled-out causes go last, but still before anything destructive.
        let cut = plan
            .fixes
            .iter()
            .position(|p| p.fix.risk == Risk::Destructive)
            .unwrap_or(plan.fixes.len());
        let tail = plan.fixes.split_off(cut);
        plan.fixes.extend(later);
        plan.fixes.extend(tail);
        // A safe undo leads; a heavy one (a repair install) comes after the
        // entry's own first step.
        if let Some(t) = tool_fix {
            let at = if t.fix.risk == Risk::Safe { 0 } else { 1 };
            plan.fixes.insert(at.min(plan.fixes.len()), t);
        }
        plan.tried = tried.iter().map(|p| p.fix.title.clone()).collect();
        // Someone who tried everything still gets the list, in order.
        if plan.fixes.is_empty() {
            plan.fixes = tried;
        }
        plan
    }

    /// The fixes in order.
    pub fn iter(&self) -> impl Iterator<Item = &Fix> {
        self.fixes.iter().map(|p| &p.fix)
    }

    /// The entry's own fix numbers that the plan leaves out or has shown
    /// already, for a "Next fix" that continues where the answer left off.
    pub fn skipped(&self, total: usize) -> Vec<usize> {
        (1..=total)
            .filter(|n| !self.fixes.iter().any(|p| p.number == Some(*n)))
            .collect()
    }
}

/// A fix written for particular versions fits a message that names one of
/// them; when the message names none, only fixes for current versions show.
fn fits_version(fix: &Fix, version: Option<&VersionSeen>) -> bool {
    match version {
        Some(v) => fix.fits_version(&v.id),
        None => fix.versions.is_empty() || CURRENT.iter().any(|c| fix.fits_version(c)),
    }
}
