//! Putting codes and knowledge together: the [`Engine`] turns a message
//! into one [`Answer`], a plain data structure that the terminal, JSON and
//! Discord renderers each show in their own way.

mod context;
pub mod outcomes;
mod plan;

use std::sync::Arc;

use serde::Serialize;

pub use context::{Candidate, FEATURES, features_for};

/// The names of the context features, as `facts/context.toml` writes them.
pub fn context_names() -> [&'static str; FEATURES] {
    context::NAMES
}
pub use plan::{Plan, Planned, ToolNote};

use crate::codes::{self, CodeTables, Decoded, Suggestion};
use crate::kb::{Entry, Fix, KnowledgeBase, Ladder};
use crate::matching::{Matcher, Signals, Why};
use crate::situation::{Reader, Situation};

/// Passive answers (the bot reading a channel) need this probability that
/// the top entry is right, unless a moderator sets another threshold. The
/// confidence is calibrated on labelled real posts (`knowledge/ranking.toml`).
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Between this probability and the reply threshold a passive reader does
/// not reply but reacts, so the author can ask for the answer.
pub const DEFAULT_REACT_THRESHOLD: f32 = 0.3;

/// The confidence of an entry reached through a "did you mean" code.
pub const SUGGESTION_CONFIDENCE: f32 = 0.5;

/// Beside an entry found by its code, another entry is shown only when the
/// words of the message point at it this clearly.
pub const RELATED_WITH_CODE: f32 = 0.5;

/// Beside a code that has no entry, a described problem leads the answer
/// (instead of the code's ladder) only when it is this clear.
pub const LEAD_OVER_LADDER: f32 = 0.8;

/// How many entries an answer lists.
pub const MAX_MATCHES: usize = 5;

/// Who is asking decides how sure the answer must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The bot read a message in a channel: stay silent unless sure.
    Passive,
    /// Someone asked (`ask`, a slash command, a mention): show the best
    /// matches even when unsure, marked as such.
    Explicit,
}

/// A code found in the message, what it is, and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct CodeAnswer {
    pub decoded: Decoded,
    /// The entry that covers it, when there is one.
    pub entry: Option<String>,
    /// The family's general fixes, when no entry covers it.
    pub ladder: Option<Arc<Ladder>>,
    /// Other entries for the same code in another context, for a line
    /// such as "If this is about the Store instead: ...".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
}

/// Another entry for the same code, in another context.
#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    pub entry: String,
    pub title: String,
    /// The name of its area ("the Microsoft Store").
    pub area: String,
}

/// How an entry came to be in the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Reason {
    /// The message contains one of its codes.
    Code { code: String },
    /// The message describes one of its symptoms.
    Symptom(Why),
    /// The message has a near-miss of one of its codes (`0x8007002`).
    Suggested { typed: String, code: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub entry: Arc<Entry>,
    pub score: f32,
    pub confidence: f32,
    pub reason: Reason,
}

impl Match {
    /// The entry's fixes, in the order to try them.
    pub fn fixes(&self) -> &[Fix] {
        &self.entry.fixes
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Would the bot answer this message on its own in a channel?
    pub reply: bool,
    /// Not sure enough to reply on its own, but close: a passive reader
    /// reacts to the message instead, and replies when asked.
    pub react: bool,
    /// Confidence of the best match (1.0 when a code was found).
    pub confidence: f32,
    /// An explicit question whose best match is below the passive
    /// threshold: shown, but marked as a guess.
    pub unsure: bool,
    pub codes: Vec<CodeAnswer>,
    /// Near-misses such as `0x8007002` -> did you mean `0x80070002`?
    pub suggestions: Vec<Suggestion>,
    /// Best first.
    pub matches: Vec<Match>,
    /// What the message says besides its codes.
    pub situation: Situation,
    /// The leading entry's (or ladder's) fixes, in the order this person
    /// should try them.
    pub plan: Plan,
}

impl Answer {
    /// Nothing to say at all.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.matches.is_empty() && self.suggestions.is_empty()
    }

    /// The fixes to show first, in the order of the plan: the top entry's,
    /// or the first code's ladder when no entry matched.
    pub fn fixes(&self) -> Vec<&Fix> {
        self.plan.iter().collect()
    }

    /// The entry's or ladder's own list that the plan orders.
    pub fn source_fixes(&self) -> &[Fix] {
        if let Some(m) = self.matches.first() {
            return m.fixes();
        }
        self.codes
            .iter()
            .find_map(|c| c.ladder.as_ref())
            .map_or(&[], |l| &l.fixes)
    }
}

/// Everything needed to answer: the knowledge base, its symptom index and
/// the code tables. Built once; answering takes `&self`, so one engine
/// serves every thread.
#[derive(Debug)]
pub struct Engine {
    kb: KnowledgeBase,
    matcher: Matcher,
    reader: Reader,
    tables: &'static CodeTables,
    threshold: f32,
}

impl Engine {
    pub fn new(kb: KnowledgeBase) -> Engine {
        let matcher = Matcher::new(&kb);
        let reader = Reader::new(&kb);
        Engine {
            kb,
            matcher,
            reader,
            tables: CodeTables::bundled(),
            threshold: DEFAULT_THRESHOLD,
        }
    }

    /// The engine over the knowledge base compiled into the binary.
    pub fn bundled() -> Result<Engine, crate::kb::Problems> {
        Ok(Engine::new(KnowledgeBase::bundled()?))
    }

    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub fn tables(&self) -> &'static CodeTables {
        self.tables
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    pub fn with_threshold(mut self, threshold: f32) -> Engine {
        self.threshold = threshold;
        self
    }

    /// Answers `text` with the engine's own threshold.
    pub fn answer(&self, text: &str, mode: Mode) -> Answer {
        self.answer_with(text, mode, self.threshold)
    }

    /// Answers `text`; `threshold` is the confidence a symptom match needs
    /// for a passive reply (a server's own setting).
    pub fn answer_with(&self, text: &str, mode: Mode, threshold: f32) -> Answer {
        let kb = &self.kb;
        let extraction = codes::extract(text, self.tables, &|c| kb.has_code(c));
        let situation = self.reader.read(kb, text);
        let symptoms = self
            .matcher
            .find_with(kb, text, Signals::of(&situation), MAX_MATCHES);

        let mut codes_out = Vec::with_capacity(extraction.found.len());
        let mut matches: Vec<Match> = Vec::new();
        for found in &extraction.found {
            let decoded = codes::decode(found, text, self.tables);
            let (entry, alternatives) = context::pick_entry(kb, found.code, &situation, &symptoms);
            let ladder = match entry {
                Some(_) => None,
                // `ladder_for` falls back to the generic ladder by itself.
                None => {
                    let names: Vec<&str> =
                        decoded.meanings.iter().map(|m| m.name.as_str()).collect();
                    let family = decoded
                        .meanings
                        .first()
                        .map_or("generic", |m| m.family.slug());
                    kb.ladder_for(found.code, &names, family).cloned()
                }
            };
            if let Some(e) = entry
                && !matches.iter().any(|m| Arc::ptr_eq(&m.entry, e))
            {
                // Symptom words in the same message decide which of several
                // coded entries comes first; ties keep the order of the text.
                let boost = symptoms
                    .iter()
                    .find(|s| Arc::ptr_eq(&kb.entries[s.entry], e))
                    .map_or(0.0, |s| s.confidence);
                matches.push(Match {
                    entry: e.clone(),
                    score: 100.0 + boost,
                    confidence: 1.0,
                    reason: Reason::Code {
                        code: decoded.hex.clone(),
                    },
                });
            }
            codes_out.push(CodeAnswer {
                decoded,
                entry: entry.map(|e| e.id.clone()),
                ladder,
                alternatives,
            });
        }
        matches.sort_by(|a, b| b.score.total_cmp(&a.score));
        // Someone who asked and mistyped a code most likely means the code
        // we suggest: its entry leads, marked as a suggestion.
        if codes_out.is_empty() && mode == Mode::Explicit {
            for s in &extraction.suggestions {
                if let Some(e) = kb.entry_for_code(s.suggested)
                    && !matches.iter().any(|m| Arc::ptr_eq(&m.entry, e))
                {
                    matches.push(Match {
                        entry: e.clone(),
                        score: 50.0,
                        confidence: SUGGESTION_CONFIDENCE,
                        reason: Reason::Suggested {
                            typed: s.typed.clone(),
                            code: codes::hex(s.suggested),
                        },
                    });
                }
            }
        }

        let found_codes = !codes_out.is_empty();
        let coded = codes_out.iter().any(|c| c.entry.is_some());
        let best_symptom = symptoms.first().map_or(0.0, |s| s.confidence);
        // With a code, symptom matches only fill in after the coded entries
        // (an explicit question still sees related entries).
        if !found_codes || mode == Mode::Explicit {
            for s in symptoms {
                let e = &kb.entries[s.entry];
                if matches.iter().any(|m| Arc::ptr_eq(&m.entry, e)) {
                    continue;
                }
                if found_codes && s.confidence < threshold.max(RELATED_WITH_CODE) {
                    continue;
                }
                // A code with no entry of its own is answered by its ladder;
                // only a very clear description outranks that.
                if found_codes && !coded && s.confidence < LEAD_OVER_LADDER {
                    continue;
                }
                if matches.len() >= MAX_MATCHES {
                    break;
                }
                matches.push(Match {
                    entry: e.clone(),
                    score: s.score,
                    confidence: s.confidence,
                    reason: Reason::Symptom(s.why),
                });
            }
        }
        // Many codes or suggestions can each bring an entry; list the first few.
        matches.truncate(MAX_MATCHES);
        let confidence = if found_codes { 1.0 } else { best_symptom };
        let reply = found_codes || best_symptom >= threshold;
        let react = !reply && best_symptom >= DEFAULT_REACT_THRESHOLD.min(threshold);
        if mode == Mode::Passive && !reply {
            matches.clear();
        }
        let plan = Self::plan(kb, &matches, &codes_out, &situation, &|_| Vec::new());
        Answer {
            reply,
            react,
            confidence,
            unsure: !reply && !matches.is_empty(),
            codes: codes_out,
            suggestions: extraction.suggestions,
            matches,
            situation,
            plan,
        }
    }

    /// The answer's fixes put again in the order outcomes adapted:
    /// `counts` gives, for a button key (an entry id, or `@<ladder key>`),
    /// what people reported about each fix by its place in the list.
    pub fn adapt(&self, answer: &mut Answer, counts: &dyn Fn(&str) -> Vec<outcomes::FixCounts>) {
        answer.plan = Self::plan(
            &self.kb,
            &answer.matches,
            &answer.codes,
            &answer.situation,
            counts,
        );
    }

    /// The plan for the leading entry, or the first code's ladder.
    fn plan(
        kb: &KnowledgeBase,
        matches: &[Match],
        codes: &[CodeAnswer],
        situation: &Situation,
        counts: &dyn Fn(&str) -> Vec<outcomes::FixCounts>,
    ) -> Plan {
        match (
            matches.first(),
            codes.iter().find_map(|c| c.ladder.as_ref()),
        ) {
            (Some(m), _) => Plan::ordered(
                kb,
                &m.entry.fixes,
                &outcomes::order(&m.entry.fixes, &counts(&m.entry.id)),
                &m.entry.context,
                &m.entry.versions,
                situation,
            ),
            (None, Some(l)) => {
                let key = crate::bot::ids::ladder_key(&l.key());
                let order = outcomes::order(&l.fixes, &counts(&key));
                Plan::ordered(kb, &l.fixes, &order, &[], &[], situation)
            }
            (None, None) => Plan::default(),
        }
    }

    /// What `text` says besides its codes.
    pub fn situation(&self, text: &str) -> Situation {
        self.reader.read(&self.kb, text)
    }

    /// For fitting the context weights: the first code in `text` that
    /// several entries claim, and each candidate's features.
    pub fn context_candidates(&self, text: &str) -> Option<(u32, Vec<context::Candidate>)> {
        let kb = &self.kb;
        let extraction = codes::extract(text, self.tables, &|c| kb.has_code(c));
        let symptoms = self.matcher.find(kb, text, MAX_MATCHES);
        let situation = self.reader.read(kb, text);
        extraction.found.iter().find_map(|f| {
            let list: Vec<_> = kb
                .entries_for_code(f.code)
                .map(|e| (e.id.clone(), features_for(kb, e, &situation, &symptoms)))
                .collect();
            (list.len() > 1).then_some((f.code, list))
        })
    }
}
