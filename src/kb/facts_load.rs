//! Reading `knowledge/facts/*.toml` and the schema-v2 fields of entries
//! and fixes (context, versions, tried phrases, topics), with `path:line`
//! problems. Cross-references (an entry's context naming an area, a tool's
//! fix) are checked once everything is read.

use std::collections::HashSet;

use super::facts::{Area, Build, Facts, Tool, Topic, Version};
use super::load::{Ctx, Loader, SourceFile};
use super::raw::{RawFacts, S};

/// Every version id a knowledge file may name.
pub const VERSION_IDS: &[&str] = &[
    "2000",
    "xp",
    "vista",
    "7",
    "8",
    "8.1",
    "10",
    "11",
    "server",
    "server2008",
    "server2012",
    "server2016",
    "server2019",
    "server2022",
    "server2025",
];

fn words(list: Vec<S<String>>) -> Vec<String> {
    list.into_iter()
        .map(|w| w.into_inner().trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

impl Loader {
    pub(super) fn read_facts(&mut self, f: &SourceFile) {
        let Some((raw, cx)) = self.parse::<RawFacts>(f) else {
            return;
        };
        let raw: RawFacts = raw;
        for a in raw.area {
            let line = cx.line(&a);
            let a = a.into_inner();
            self.fact_lines
                .push((format!("area {}", a.id.get_ref()), f.shown.clone(), line));
            self.facts.areas.push(Area {
                id: a.id.into_inner(),
                name: a.name.into_inner(),
                words: words(a.words),
                ladder: a.ladder.map(|l| l.into_inner()),
            });
        }
        for v in raw.version {
            let id = v.get_ref().id.get_ref().clone();
            if !VERSION_IDS.contains(&id.as_str()) {
                let msg = format!(
                    "unknown version `{id}`: use one of {}",
                    VERSION_IDS.join(", ")
                );
                self.problem(f, cx.line(&v.get_ref().id), msg);
                continue;
            }
            let v = v.into_inner();
            self.facts.versions.push(Version {
                id,
                name: v.name.into_inner(),
                words: words(v.words),
                supported: v.supported.unwrap_or(true),
            });
        }
        for b in raw.build {
            let line = cx.line(&b);
            let b = b.into_inner();
            if !VERSION_IDS.contains(&b.version.get_ref().as_str()) {
                let msg = format!(
                    "build {}: unknown version `{}`",
                    b.build,
                    b.version.get_ref()
                );
                self.problem(f, line, msg);
                continue;
            }
            self.facts.builds.push(Build {
                build: b.build,
                version: b.version.into_inner(),
                name: b.name.into_inner(),
            });
        }
        if let Some(w) = raw.context_weights {
            let line = cx.line(&w);
            let names = crate::answer::context_names();
            let mut out = [0.0f32; 6];
            for (k, v) in w.get_ref() {
                match names.iter().position(|n| n == k) {
                    Some(i) if v.is_finite() => out[i] = *v,
                    _ => {
                        let msg = format!(
                            "context_weights: unknown or bad weight `{k}`; the weights are {}",
                            names.join(", ")
                        );
                        self.problem(f, line, msg);
                    }
                }
            }
            self.facts.context_weights = Some(out);
        }
        for t in raw.topic {
            let t = t.into_inner();
            self.facts.topics.push(Topic {
                id: t.id.into_inner(),
                name: t.name.into_inner(),
                words: words(t.words),
            });
        }
        for t in raw.offtopic {
            let line = cx.line(&t);
            let t = t.into_inner();
            self.fact_lines.push((
                format!("offtopic {}", t.id.get_ref()),
                f.shown.clone(),
                line,
            ));
            self.facts.offtopic.push(Topic {
                id: t.id.into_inner(),
                name: t.name.into_inner(),
                words: words(t.words),
            });
        }
        for t in raw.tool {
            let line = cx.line(&t);
            let t = t.into_inner();
            self.check_text(&cx, &t.cause, "tool cause", super::limits::CAUSE);
            self.pending_tools.push(PendingTool {
                tool: Tool {
                    id: t.id.into_inner(),
                    name: t.name.into_inner(),
                    words: words(t.words),
                    kind: t.kind.into_inner(),
                    breaks: t.breaks.into_iter().map(|b| b.into_inner()).collect(),
                    cause: t.cause.into_inner().trim().to_string(),
                    fix: Default::default(),
                    boot_fix: None,
                },
                fix: t.fix.get_ref().clone(),
                boot_fix: t.boot_fix.map(|b| b.into_inner()),
                path: f.shown.clone(),
                line,
            });
        }
    }

    /// Version ids in an entry or fix; unknown ones are problems.
    pub(super) fn read_versions(
        &mut self,
        cx: &Ctx<'_>,
        list: Option<&S<Vec<S<String>>>>,
    ) -> Vec<String> {
        let Some(list) = list else { return Vec::new() };
        let mut out = Vec::new();
        for v in list.get_ref() {
            if VERSION_IDS.contains(&v.get_ref().as_str()) {
                out.push(v.get_ref().clone());
            } else {
                let msg = format!(
                    "unknown version `{}`: use one of {}",
                    v.get_ref(),
                    VERSION_IDS.join(", ")
                );
                self.problem(cx.file, cx.line(v), msg);
            }
        }
        out
    }

    /// Lower-case, trimmed phrases; empty ones are problems.
    pub(super) fn read_phrases(
        &mut self,
        cx: &Ctx<'_>,
        list: Option<&S<Vec<S<String>>>>,
        what: &str,
    ) -> Vec<String> {
        let Some(list) = list else { return Vec::new() };
        let mut out = Vec::new();
        for p in list.get_ref() {
            let w = p.get_ref().trim().to_lowercase();
            if w.is_empty() {
                self.problem(cx.file, cx.line(p), format!("{what} has an empty phrase"));
            } else {
                out.push(w);
            }
        }
        out
    }

    /// After every file is read: tools get their fixes, and every area,
    /// topic and tool reference is checked.
    pub(super) fn finish_facts(&mut self) {
        let mut seen = HashSet::new();
        let lines = std::mem::take(&mut self.fact_lines);
        for a in &self.facts.areas {
            let Some(key) = &a.ladder else { continue };
            if !self.ladders.iter().any(|l| &l.key() == key) {
                let what = format!("area {}", a.id);
                let (path, line) = lines
                    .iter()
                    .find(|(w, _, _)| *w == what)
                    .map_or((String::new(), 0), |(_, p, l)| (p.clone(), *l));
                self.problems.push(super::Problem {
                    path,
                    line,
                    message: format!("area `{}`: no ladder `{key}` in ladders.toml", a.id),
                });
            }
        }
        for (what, path, line) in &lines {
            if !seen.insert(what.clone()) {
                self.problems.push(super::Problem {
                    path: path.clone(),
                    line: *line,
                    message: format!("{what} is defined twice"),
                });
            }
        }
        let areas: HashSet<String> = self.facts.areas.iter().map(|a| a.id.clone()).collect();
        let topics: HashSet<String> = self.facts.topics.iter().map(|t| t.id.clone()).collect();
        for p in std::mem::take(&mut self.pending_tools) {
            let mut tool = p.tool;
            let mut missing = Vec::new();
            for (id, boot) in
                std::iter::once((&p.fix, false)).chain(p.boot_fix.iter().map(|b| (b, true)))
            {
                match self.shared.get(id) {
                    Some((fix, _)) if boot => tool.boot_fix = Some(fix.clone()),
                    Some((fix, _)) => tool.fix = fix.clone(),
                    None => missing.push(id.clone()),
                }
            }
            for id in missing {
                // A fix of a broken shared-fix file is counted with it.
                if !self.knock_on(&id) {
                    self.problems.push(super::Problem {
                        path: p.path.clone(),
                        line: p.line,
                        message: format!("tool `{}`: no shared fix `{id}` in fixes/", tool.id),
                    });
                }
            }
            for b in &tool.breaks {
                if !areas.contains(b) {
                    self.problems.push(super::Problem {
                        path: p.path.clone(),
                        line: p.line,
                        message: format!("tool `{}`: unknown area `{b}`", tool.id),
                    });
                }
            }
            self.facts.tools.push(tool);
        }
        // Only a knowledge base that declares areas and topics is held to
        // them: a small test directory without facts/ may name any.
        let refs = std::mem::take(&mut self.fact_refs);
        for r in &refs {
            let (known, kind) = match r.kind {
                RefKind::Area => (&areas, "area"),
                RefKind::Topic => (&topics, "topic"),
            };
            if !known.is_empty() && !known.contains(&r.id) {
                self.problems.push(super::Problem {
                    path: r.path.clone(),
                    line: r.line,
                    message: format!(
                        "unknown {kind} `{}`: facts/ declares {}",
                        r.id,
                        sorted(known).join(", ")
                    ),
                });
            }
        }
    }

    /// Remembers that `id` must be a declared area or topic.
    pub(super) fn refer(&mut self, cx: &Ctx<'_>, line: usize, kind: RefKind, id: &str) {
        self.fact_refs.push(FactRef {
            kind,
            id: id.to_string(),
            path: cx.file.shown.clone(),
            line,
        });
    }
}

fn sorted(set: &HashSet<String>) -> Vec<&str> {
    let mut v: Vec<&str> = set.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

pub(super) struct PendingTool {
    tool: Tool,
    fix: String,
    boot_fix: Option<String>,
    path: String,
    line: usize,
}

#[derive(Clone, Copy)]
pub(super) enum RefKind {
    Area,
    Topic,
}

pub(super) struct FactRef {
    kind: RefKind,
    id: String,
    path: String,
    line: usize,
}

impl Facts {
    /// The version a build number belongs to.
    pub fn build(&self, build: u32) -> Option<&Build> {
        self.builds.iter().find(|b| b.build == build)
    }
}
