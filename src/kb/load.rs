//! Reading and validating a knowledge directory.
//!
//! Loading is all-or-nothing: every file is parsed and checked, every
//! problem is collected with its path and line, and a [`KnowledgeBase`] is
//! returned only when there is none. Callers that already hold a good
//! knowledge base keep it when a reload fails.

use std::collections::HashMap;
use std::path::Path;

use super::facts::Facts;
use super::facts_load::{FactRef, PendingTool, RefKind};
use super::model::{Entry, Fix, KnowledgeBase, Ladder, Risk, Vocabulary};
use super::problem::{Lines, Problem, Problems};
use super::raw::{RawEntry, RawFix, RawFixFile, RawLadders, RawVocabulary, S};
use super::{files, limits, text_check};
use crate::codes::Family;

/// One knowledge file: where it is (relative to the knowledge directory,
/// and as it should be shown) and what it says.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub rel: String,
    pub shown: String,
    pub text: String,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_kb.rs"));
}

/// The knowledge base compiled into the binary.
pub fn bundled_sources() -> Vec<SourceFile> {
    embedded::EMBEDDED_FILES
        .iter()
        .map(|(rel, text)| SourceFile {
            rel: (*rel).to_string(),
            shown: format!("knowledge/{rel}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// Every `.toml` file under `dir`, in a stable order. Only regular files
/// inside `dir`, each below a size cap, are read (see [`super::files`]);
/// links, special files and unreadable files become problems rather than
/// being skipped silently.
pub fn dir_sources(dir: &Path) -> Result<Vec<SourceFile>, Problems> {
    if !dir.is_dir() {
        return Err(Problems(vec![Problem {
            path: dir.display().to_string(),
            line: 0,
            message: "not a directory".into(),
        }]));
    }
    let mut w = files::Walk::default();
    files::walk(dir, &mut w);
    if w.problems.is_empty() {
        Ok(w.files)
    } else {
        Err(Problems(w.problems))
    }
}

/// Parses and validates all files; returns the knowledge base or every
/// problem found.
pub fn load(files: &[SourceFile]) -> Result<KnowledgeBase, Problems> {
    let mut cx = Loader::default();
    for f in files {
        cx.check_characters(f);
    }
    // Shared fixes first: entries and ladders refer to them.
    for f in files.iter().filter(|f| f.rel.starts_with("fixes/")) {
        cx.read_fix_file(f);
    }
    // Then facts: entries refer to their areas.
    for f in files.iter().filter(|f| f.rel.starts_with("facts/")) {
        cx.read_facts(f);
    }
    for f in files {
        match f.rel.as_str() {
            r if r.starts_with("fixes/") || r.starts_with("facts/") => {}
            "ladders.toml" => cx.read_ladders(f),
            "vocabulary.toml" => cx.read_vocabulary(f),
            "ranking.toml" => cx.ranking = cx.read_ranking(f).unwrap_or_default(),
            r if r.contains('/') => cx.read_entry(f),
            _ => cx.problem(
                f,
                0,
                "unexpected file: entries go in an area folder such as windows-update/, shared fixes in fixes/".into(),
            ),
        }
    }
    cx.finish_facts();
    if cx.entries.is_empty() && cx.problems.is_empty() {
        cx.problems.push(Problem {
            path: files
                .first()
                .map(|f| f.shown.clone())
                .unwrap_or_else(|| "knowledge".into()),
            line: 0,
            message: "the knowledge base has no entries".into(),
        });
    }
    cx.report_knock_ons();
    if !cx.problems.is_empty() {
        cx.problems
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        return Err(Problems(cx.problems));
    }
    let shared = cx.shared.into_iter().map(|(k, (f, _))| (k, f)).collect();
    Ok(
        KnowledgeBase::new(cx.entries, cx.ladders, shared, cx.vocabulary)
            .with_facts(cx.facts)
            .with_ranking(cx.ranking),
    )
}

#[derive(Default)]
pub(super) struct Loader {
    pub(super) problems: Vec<Problem>,
    /// Shared fix id -> (fix, where it is defined).
    pub(super) shared: HashMap<String, (Fix, String)>,
    entries: Vec<Entry>,
    /// Entry id -> where it is defined.
    entry_ids: HashMap<String, String>,
    /// Code -> the contexts that claim it, each with where.
    code_owner: HashMap<u32, Vec<(Vec<String>, String)>>,
    ladders: Vec<Ladder>,
    vocabulary: Vocabulary,
    pub(super) facts: Facts,
    pub(super) fact_lines: Vec<(String, String, usize)>,
    pub(super) pending_tools: Vec<PendingTool>,
    pub(super) fact_refs: Vec<FactRef>,
    /// Shared-fix files with a problem: (shown path, line of the first
    /// problem, references to their fixes met since).
    broken_files: Vec<(String, usize, usize)>,
    /// Fix id of a broken shared fix -> its file in `broken_files`.
    broken_fix_ids: HashMap<String, usize>,
    pub(super) ranking: super::ranking::Ranking,
}

/// A file being read: its text positions and name, for problems.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a SourceFile,
    lines: Lines,
}

impl Ctx<'_> {
    pub(super) fn line<T>(&self, s: &S<T>) -> usize {
        self.lines.line_of(s.span().start)
    }
}

impl Loader {
    pub(super) fn problem(&mut self, f: &SourceFile, line: usize, message: String) {
        self.problems.push(Problem {
            path: f.shown.clone(),
            line,
            message,
        });
    }

    /// Notes that shared fix `id` of `f` could not be read; the last
    /// problem recorded is its cause.
    fn mark_broken(&mut self, f: &SourceFile, id: &str) {
        let at = match self.broken_files.iter().position(|b| b.0 == f.shown) {
            Some(i) => i,
            None => {
                let line = self.problems.last().map_or(0, |p| p.line);
                self.broken_files.push((f.shown.clone(), line, 0));
                self.broken_files.len() - 1
            }
        };
        self.broken_fix_ids.entry(id.to_string()).or_insert(at);
    }

    /// Whether a missing shared fix is one of a broken file: then the
    /// reference is counted, not reported on its own.
    fn knock_on(&mut self, id: &str) -> bool {
        match self.broken_fix_ids.get(id) {
            Some(&i) => {
                self.broken_files[i].2 += 1;
                true
            }
            None => false,
        }
    }

    /// One problem per broken shared-fix file with the count of references
    /// that failed because of it, placed right after its first problem.
    fn report_knock_ons(&mut self) {
        for (path, line, n) in std::mem::take(&mut self.broken_files) {
            if n > 0 {
                let refs = if n == 1 { "reference" } else { "references" };
                self.problems.push(Problem {
                    path,
                    line,
                    message: format!(
                        "… and {n} {refs} to fixes of the broken file (in entries and ladders) fail because of the problem above"
                    ),
                });
            }
        }
    }

    /// One problem per line that holds a control character or a direction
    /// override, written out or as an escape.
    fn check_characters(&mut self, f: &SourceFile) {
        for (line, c) in text_check::forbidden_chars(&f.text) {
            let msg = format!(
                "control character U+{:04X} in the text; knowledge text must be printable (no terminal escapes, bells or direction overrides)",
                u32::from(c)
            );
            self.problem(f, line, msg);
        }
    }

    pub(super) fn parse<'f, T: serde::de::DeserializeOwned>(
        &mut self,
        f: &'f SourceFile,
    ) -> Option<(T, Ctx<'f>)> {
        let lines = Lines::new(&f.text);
        match toml::from_str::<T>(&f.text) {
            Ok(v) => Some((v, Ctx { file: f, lines })),
            Err(e) => {
                let line = e.span().map(|s| lines.line_of(s.start)).unwrap_or(0);
                let msg = e.message().trim().replace('\n', " ");
                self.problem(f, line, msg);
                None
            }
        }
    }

    fn read_fix_file(&mut self, f: &SourceFile) {
        let Some((raw, cx)) = self.parse::<RawFixFile>(f) else {
            // Every fix the file seems to define is broken with it.
            for id in ids_in_text(&f.text) {
                self.mark_broken(f, &id);
            }
            return;
        };
        if raw.fix.is_empty() {
            self.problem(f, 0, "no [[fix]] tables in a fixes file".into());
        }
        for rf in raw.fix {
            let line = cx.line(&rf);
            let rf = rf.into_inner();
            let Some(id) = rf.id.as_ref().map(|i| i.get_ref().clone()) else {
                self.problem(f, line, "a shared fix needs an `id`".into());
                continue;
            };
            if rf.use_id.is_some() {
                self.problem(f, line, "a shared fix cannot `use` another fix".into());
                continue;
            }
            if !valid_id(&id) {
                self.problem(
                    f,
                    line,
                    format!("fix id `{id}` must be lower-case letters, digits and dashes"),
                );
            }
            let Some(fix) = self.inline_fix(&cx, rf, id.clone(), line) else {
                self.mark_broken(f, &id);
                continue;
            };
            let here = format!("{}:{}", f.shown, line);
            if let Some((_, first)) = self.shared.get(&id) {
                let msg = format!("fix id `{id}` is already defined at {first}");
                self.problem(f, line, msg);
            } else {
                self.shared.insert(id, (fix, here));
            }
        }
    }

    /// Checks an inline fix's fields; `None` when one is missing or wrong.
    fn inline_fix(&mut self, cx: &Ctx<'_>, rf: RawFix, id: String, line: usize) -> Option<Fix> {
        let f = cx.file;
        let before = self.problems.len();
        let title = match &rf.title {
            Some(t) => {
                self.check_text(cx, t, "fix title", limits::FIX_TITLE);
                t.get_ref().trim().to_string()
            }
            None => {
                self.problem(f, line, "fix has no `title`".into());
                String::new()
            }
        };
        let steps: Vec<String> = match &rf.steps {
            Some(s) if !s.get_ref().is_empty() => {
                let steps: Vec<String> = s
                    .get_ref()
                    .iter()
                    .map(|x| x.get_ref().trim().to_string())
                    .collect();
                if steps.iter().any(|s| s.is_empty()) {
                    self.problem(f, cx.line(s), "a fix step is empty".into());
                }
                let len = crate::render::steps_len(&steps);
                if len > limits::FIX_STEPS {
                    self.problem(
                        f,
                        cx.line(s),
                        format!(
                            "the steps of fix `{title}` are {len} characters once numbered; at most {} fit a Discord embed field",
                            limits::FIX_STEPS
                        ),
                    );
                }
                steps
            }
            Some(s) => {
                self.problem(f, cx.line(s), "fix has no steps".into());
                Vec::new()
            }
            None => {
                self.problem(f, line, "fix has no `steps`".into());
                Vec::new()
            }
        };
        let risk = match &rf.risk {
            Some(r) => match Risk::parse(r.get_ref()) {
                Some(r) => r,
                None => {
                    let msg = format!(
                        "risk `{}` is not one of safe, moderate, destructive",
                        r.get_ref()
                    );
                    self.problem(f, cx.line(r), msg);
                    Risk::Safe
                }
            },
            None => {
                self.problem(
                    f,
                    line,
                    "fix has no `risk` (safe, moderate or destructive)".into(),
                );
                Risk::Safe
            }
        };
        let tried = self.read_phrases(cx, rf.tried.as_ref(), "tried");
        let versions = self.read_versions(cx, rf.versions.as_ref());
        let topic = rf.topic.as_ref().map(|t| {
            self.refer(cx, cx.line(t), RefKind::Topic, t.get_ref());
            t.get_ref().clone()
        });
        let after = self.read_phrases(cx, rf.after.as_ref(), "after");
        let Some(admin) = rf.admin else {
            self.problem(
                f,
                line,
                "fix has no `admin` (true when it needs administrator rights)".into(),
            );
            return None;
        };
        (self.problems.len() == before).then_some(Fix {
            id,
            title,
            steps,
            admin,
            risk,
            tried,
            versions,
            topic,
            after,
        })
    }

    pub(super) fn check_text(&mut self, cx: &Ctx<'_>, s: &S<String>, what: &str, max: usize) {
        let len = s.get_ref().chars().count();
        if s.get_ref().trim().is_empty() {
            self.problem(cx.file, cx.line(s), format!("{what} is empty"));
        } else if len > max {
            self.problem(
                cx.file,
                cx.line(s),
                format!("{what} is {len} characters; at most {max} fit a Discord embed"),
            );
        }
    }

    fn check_list(
        &mut self,
        cx: &Ctx<'_>,
        list: &S<Vec<S<String>>>,
        what: &str,
        min: usize,
        max_each: usize,
    ) {
        if list.get_ref().len() < min {
            let n = list.get_ref().len();
            self.problem(
                cx.file,
                cx.line(list),
                format!("{what}: {n} given, at least {min} needed"),
            );
        }
        for s in list.get_ref() {
            self.check_text(cx, s, what, max_each);
        }
    }

    fn read_entry(&mut self, f: &SourceFile) {
        let Some((raw, cx)) = self.parse::<RawEntry>(f) else {
            return;
        };
        let before = self.problems.len();
        let area = f.rel.split('/').next().unwrap_or_default().to_string();
        let stem = f
            .rel
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".toml");
        let id = raw.id.get_ref().clone();
        if !valid_id(&id) {
            self.problem(
                f,
                cx.line(&raw.id),
                format!("id `{id}` must be lower-case letters, digits and dashes"),
            );
        } else if id != stem {
            self.problem(
                f,
                cx.line(&raw.id),
                format!("id `{id}` differs from the file name `{stem}.toml`"),
            );
        }
        let fix_count = raw.fixes.as_ref().map_or(1, |l| l.get_ref().len().max(1));
        let max_id = crate::bot::ids::max_entry_len(fix_count);
        if id.len() > max_id {
            self.problem(
                f,
                cx.line(&raw.id),
                format!(
                    "id `{id}` is {} characters; with {fix_count} fixes at most {max_id} fit Discord's 100-character button ids",
                    id.len()
                ),
            );
        }
        let here = format!("{}:{}", f.shown, cx.line(&raw.id));
        if let Some(first) = self.entry_ids.get(&id) {
            let msg = format!("entry id `{id}` is already used at {first}");
            self.problem(f, cx.line(&raw.id), msg);
        } else {
            self.entry_ids.insert(id.clone(), here);
        }

        let mut codes = Vec::new();
        // An entry's context: the areas it is for, its folder by default.
        let mut context: Vec<String> = match &raw.context {
            Some(list) => {
                if list.get_ref().is_empty() {
                    self.problem(f, cx.line(list), "context names no area".into());
                }
                let mut ids = Vec::new();
                for a in list.get_ref() {
                    self.refer(&cx, cx.line(a), RefKind::Area, a.get_ref());
                    ids.push(a.get_ref().clone());
                }
                ids
            }
            None => vec![area.clone()],
        };
        context.sort();
        context.dedup();
        let versions = self.read_versions(&cx, raw.versions.as_ref());
        for c in raw.codes.get_ref() {
            let line = cx.line(c);
            match parse_code(c.get_ref()) {
                Some(code) => {
                    let here = format!("{}:{line}", f.shown);
                    let owners = self.code_owner.entry(code).or_default();
                    // Entries for one code must differ in context or in the
                    // Windows versions they are for.
                    let key = context_key(&context, &versions);
                    if let Some((_, first)) = owners.iter().find(|(cxt, _)| *cxt == key) {
                        let msg = format!(
                            "code {} is already answered at {first} for the same context ({}); give one of them a `context` that tells them apart",
                            crate::codes::hex(code),
                            context.join(", ")
                        );
                        self.problem(f, line, msg);
                    } else if codes.contains(&code) {
                        self.problem(
                            f,
                            line,
                            format!("code {} is listed twice", crate::codes::hex(code)),
                        );
                    } else {
                        owners.push((key, here));
                        codes.push(code);
                    }
                }
                None => self.problem(
                    f,
                    line,
                    format!(
                        "invalid code `{}`: write 0x and 8 hex digits, e.g. 0x80070002",
                        c.get_ref()
                    ),
                ),
            }
        }

        self.check_text(&cx, &raw.title, "title", limits::TITLE);
        self.check_text(&cx, &raw.summary, "summary", limits::SUMMARY);
        self.check_list(
            &cx,
            &raw.symptoms,
            "symptoms",
            limits::MIN_SYMPTOMS,
            limits::SYMPTOM,
        );
        self.check_list(&cx, &raw.causes, "causes", 1, limits::CAUSE);
        let causes: Vec<String> = raw
            .causes
            .get_ref()
            .iter()
            .map(|c| c.get_ref().trim().to_string())
            .collect();
        let causes_len = crate::render::bullets_len(&causes);
        if causes_len > limits::FIELD {
            self.problem(
                f,
                cx.line(&raw.causes),
                format!("the causes are {causes_len} characters as a list; at most {} fit a Discord embed field", limits::FIELD),
            );
        }
        if let Some(a) = &raw.ask_for {
            self.check_text(&cx, a, "ask_for", limits::ASK_FOR);
        }
        if raw.checked.get_ref().date.is_none() || raw.checked.get_ref().time.is_some() {
            self.problem(
                f,
                cx.line(&raw.checked),
                "checked must be a date like 2026-11-27".into(),
            );
        }

        let mut fixes = Vec::new();
        match &raw.fixes {
            None => self.problem(
                f,
                0,
                "an entry needs [[fixes]], in the order to try them".into(),
            ),
            Some(list) if list.get_ref().is_empty() => {
                self.problem(f, cx.line(list), "an entry needs at least one fix".into())
            }
            Some(_) => {}
        }
        let raw_fixes = raw.fixes.map(|l| l.into_inner()).unwrap_or_default();
        let mut fix_lines = Vec::new();
        for (n, rf) in raw_fixes.into_iter().enumerate() {
            let line = cx.line(&rf);
            let rf = rf.into_inner();
            if let Some(u) = &rf.use_id {
                if rf.title.is_some()
                    || rf.steps.is_some()
                    || rf.risk.is_some()
                    || rf.admin.is_some()
                    || rf.id.is_some()
                {
                    self.problem(
                        f,
                        line,
                        "a fix either `use`s a shared fix or is written out, not both".into(),
                    );
                    continue;
                }
                match self.shared.get(u.get_ref()).map(|(fix, _)| fix.clone()) {
                    Some(mut fix) => {
                        // The entry may add prerequisites of its own.
                        let more = self.read_phrases(&cx, rf.after.as_ref(), "after");
                        fix.after.extend(more);
                        fixes.push(fix);
                        fix_lines.push(line);
                    }
                    None if self.knock_on(u.get_ref()) => {}
                    None => {
                        let msg = format!("no shared fix `{}` in fixes/", u.get_ref());
                        let msg = match suggest(u.get_ref(), self.shared.keys()) {
                            Some(s) => format!("{msg} (did you mean `{s}`?)"),
                            None => msg,
                        };
                        self.problem(f, cx.line(u), msg);
                    }
                }
            } else {
                let fid = match &rf.id {
                    Some(i) => i.get_ref().clone(),
                    None => format!("{id}#{}", n + 1),
                };
                if let Some(fix) = self.inline_fix(&cx, rf, fid, line) {
                    fixes.push(fix);
                    fix_lines.push(line);
                }
            }
        }
        let mut seen = HashMap::new();
        for (fix, &line) in fixes.iter().zip(&fix_lines) {
            if let Some(first) = seen.insert(fix.id.clone(), line) {
                let msg = format!(
                    "fix `{}` is listed twice (first at line {first})",
                    fix.title
                );
                self.problem(f, line, msg);
            }
        }
        self.check_after(f, &fixes, &fix_lines);
        // Cheap and safe first: nothing gentler may follow a destructive fix.
        if let Some(d) = fixes.iter().position(|x| x.risk == Risk::Destructive)
            && let Some(later) = fixes[d..].iter().position(|x| x.risk < Risk::Destructive)
        {
            let later = d + later;
            let msg = format!(
                "fix {} `{}` is destructive but comes before fix {} `{}` ({}); order fixes cheap and safe first",
                d + 1,
                fixes[d].title,
                later + 1,
                fixes[later].title,
                fixes[later].risk
            );
            self.problem(f, fix_lines[later], msg);
        }

        if self.problems.len() != before {
            return;
        }
        self.entries.push(Entry {
            id,
            area,
            path: f.rel.clone(),
            codes,
            title: raw.title.into_inner().trim().to_string(),
            summary: raw.summary.into_inner().trim().to_string(),
            symptoms: raw
                .symptoms
                .into_inner()
                .into_iter()
                .map(|s| s.into_inner())
                .collect(),
            causes,
            fixes,
            ask_for: raw.ask_for.map(|a| a.into_inner().trim().to_string()),
            applies_to: raw.applies_to,
            checked: raw.checked.get_ref().to_string(),
            context_given: raw.context.is_some(),
            context,
            versions,
            sources: raw.sources.into_iter().map(|s| s.into_inner()).collect(),
        });
    }

    fn read_ladders(&mut self, f: &SourceFile) {
        let Some((raw, cx)) = self.parse::<RawLadders>(f) else {
            return;
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for l in raw.ladder {
            let line = cx.line(&l);
            let l = l.into_inner();
            let Some((family, prefix, range, key)) = self.ladder_rule(&cx, line, &l) else {
                continue;
            };
            if let Some(first) = seen.insert(key.clone(), line) {
                self.problem(
                    f,
                    line,
                    format!("a ladder for {key} is already defined at line {first}"),
                );
                continue;
            }
            self.check_text(&cx, &l.title, "ladder title", limits::TITLE);
            if let Some(s) = &l.summary {
                self.check_text(&cx, s, "ladder summary", limits::SUMMARY);
            }
            let mut fixes = Vec::new();
            for u in &l.fixes {
                match self.shared.get(u.get_ref()).map(|(fix, _)| fix.clone()) {
                    Some(fix) => fixes.push(fix),
                    None if self.knock_on(u.get_ref()) => {}
                    None => {
                        let msg = format!("no shared fix `{}` in fixes/", u.get_ref());
                        self.problem(f, cx.line(u), msg);
                    }
                }
            }
            if l.fixes.is_empty() {
                self.problem(f, line, format!("the ladder for {key} has no fixes"));
            }
            self.ladders.push(Ladder {
                family,
                prefix,
                range,
                title: l.title.into_inner(),
                summary: l.summary.map(|s| s.into_inner()),
                fixes,
            });
        }
    }

    /// What a ladder is for: exactly one of a family, a symbolic-name
    /// prefix or a code range. Returns (family, prefix, range, a key
    /// naming the rule for problems).
    #[allow(clippy::type_complexity)]
    fn ladder_rule(
        &mut self,
        cx: &Ctx<'_>,
        line: usize,
        l: &super::raw::RawLadder,
    ) -> Option<(String, Option<String>, Option<(u32, u32)>, String)> {
        let f = cx.file;
        let given = [l.family.is_some(), l.prefix.is_some(), l.range.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            self.problem(
                f,
                line,
                "a ladder needs exactly one of `family`, `prefix` or `range`".into(),
            );
            return None;
        }
        if let Some(fam) = &l.family {
            let family = fam.get_ref().clone();
            if family != "generic" && Family::from_slug(&family).is_none() {
                let names: Vec<&str> = Family::ALL.iter().map(|f| f.slug()).collect();
                let msg = format!(
                    "unknown family `{family}`: use one of {}, or generic",
                    names.join(", ")
                );
                self.problem(f, cx.line(fam), msg);
                return None;
            }
            let key = format!("`{family}`");
            return Some((family, None, None, key));
        }
        if let Some(p) = &l.prefix {
            let prefix = p.get_ref().trim().to_string();
            if prefix.len() < 3
                || !prefix
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                self.problem(
                    f,
                    cx.line(p),
                    format!("prefix `{prefix}` must be 3 or more upper-case letters, digits or underscores, like HCS_E_"),
                );
                return None;
            }
            let key = format!("prefix `{prefix}`");
            return Some((String::new(), Some(prefix), None, key));
        }
        let r = l.range.as_ref()?;
        let ends: Vec<Option<u32>> = r
            .get_ref()
            .iter()
            .map(|c| parse_code(c.get_ref()))
            .collect();
        match ends.as_slice() {
            [Some(a), Some(b)] if a <= b => {
                let key = format!("range {}-{}", crate::codes::hex(*a), crate::codes::hex(*b));
                Some((String::new(), None, Some((*a, *b)), key))
            }
            _ => {
                self.problem(
                    f,
                    cx.line(r),
                    "range must be two codes, low then high, like [\"0x80073C00\", \"0x80073DFF\"]"
                        .into(),
                );
                None
            }
        }
    }

    fn read_vocabulary(&mut self, f: &SourceFile) {
        let Some((raw, cx)) = self.parse::<RawVocabulary>(f) else {
            return;
        };
        for (short, long) in raw.abbreviations {
            if short.is_empty() || long.trim().is_empty() || short.contains(char::is_whitespace) {
                let line = vocabulary_line(&f.text, &cx.lines, &short, true);
                self.problem(
                    f,
                    line,
                    format!("abbreviation `{short}` needs one word and a non-empty expansion"),
                );
                continue;
            }
            self.vocabulary
                .abbreviations
                .push((short.to_lowercase(), long.to_lowercase()));
        }
        for group in raw.synonyms {
            if group.len() < 2 {
                let first = group.first().map_or("[]", String::as_str);
                let line = vocabulary_line(&f.text, &cx.lines, first, false);
                self.problem(
                    f,
                    line,
                    format!("synonym group {group:?} needs at least two words"),
                );
                continue;
            }
            self.vocabulary
                .synonyms
                .push(group.into_iter().map(|w| w.to_lowercase()).collect());
        }
        self.vocabulary.problem_words = raw
            .problem_words
            .into_iter()
            .map(|w| w.to_lowercase())
            .collect();
    }
}

/// What tells entries for one code apart: their areas and versions.
fn context_key(context: &[String], versions: &[String]) -> Vec<String> {
    let mut v: Vec<String> = versions.to_vec();
    v.sort();
    let mut key = context.to_vec();
    key.push(format!("versions:{}", v.join(",")));
    key
}

/// The line of a vocabulary word: an abbreviation's key (`key = …` at the
/// start of a line) or a word of a synonym group (`"word"` in a list); 0
/// when it cannot be found.
fn vocabulary_line(text: &str, lines: &Lines, word: &str, key: bool) -> usize {
    let quoted = format!("\"{word}\"");
    let at = text.lines().scan(0usize, |off, l| {
        let start = *off;
        *off += l.len() + 1;
        Some((start, l.trim_start()))
    });
    for (start, l) in at {
        let hit = if key {
            (l.starts_with(&quoted) || l.starts_with(word))
                && l[l.find('=').unwrap_or(0)..].starts_with('=')
                && l.split('=').next().is_some_and(|k| {
                    let k = k.trim();
                    k == word || k == quoted
                })
        } else if word == "[]" {
            l.contains("[]")
        } else {
            l.starts_with('[') && l.contains(&quoted)
        };
        if hit {
            return lines.line_of(start);
        }
    }
    0
}

/// The values of `id = "…"` lines of a file that does not parse: the
/// fixes it meant to define.
fn ids_in_text(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let rest = l
                .trim()
                .strip_prefix("id")?
                .trim_start()
                .strip_prefix('=')?;
            let v = rest.trim().strip_prefix('"')?;
            let end = v.find('"')?;
            Some(v[..end].to_string())
        })
        .collect()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// `0x` and exactly 8 hex digits, either case.
pub fn parse_code(s: &str) -> Option<u32> {
    let hex = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

fn suggest<'a>(wrong: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    known
        .map(|k| (strsim::levenshtein(wrong, k), k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}
