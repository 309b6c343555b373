//! How symptom matches are ranked and how sure an answer is: BM25F
//! parameters and the weights of the confidence model, fitted by
//! `tools/ranking/fit.py` on labelled real posts and kept as data in
//! `knowledge/ranking.toml`. A knowledge directory without that file gets
//! the textbook defaults.

use serde::Deserialize;

use super::load::{Loader, SourceFile};
use super::raw::S;

/// BM25F over an entry's four fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25fParams {
    /// Weights of the fields: title, symptoms, summary, causes.
    pub fields: [f32; 4],
    /// Term-frequency saturation.
    pub k1: f32,
    /// Length normalisation, 0 (none) to 1 (full).
    pub b: f32,
    /// How much a word of the post's title counts against one of its
    /// description.
    pub title_query: f32,
    /// A word the description repeats n times counts n^repeat times.
    pub repeat: f32,
    /// Weight of neighbouring word pairs of the post found side by side in
    /// one of the entry's phrases ("another install").
    pub pairs: f32,
}

impl Default for Bm25fParams {
    fn default() -> Bm25fParams {
        Bm25fParams {
            fields: [1.0, 1.0, 1.0, 0.5],
            k1: 1.2,
            b: 0.75,
            title_query: 2.0,
            repeat: 0.5,
            pairs: 0.5,
        }
    }
}

/// The features of a match the confidence model weighs, by name, in the
/// order of [`ConfidenceWeights::weights`].
pub const FEATURES: [&str; 12] = [
    "score", "margin", "coverage", "matched", "problem", "windows", "offtopic", "length", "title",
    "post", "held", "pairs",
];

/// Logistic regression: P(the top entry is right) = σ(bias + Σ wᵢ·xᵢ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfidenceWeights {
    pub bias: f32,
    pub weights: [f32; FEATURES.len()],
}

impl Default for ConfidenceWeights {
    /// A hand-set model for knowledge bases without fitted weights: the
    /// score and its margin over the runner-up decide, chatter without a
    /// problem word and messages about other products pull down.
    fn default() -> ConfidenceWeights {
        ConfidenceWeights {
            bias: -4.0,
            weights: [1.6, 1.5, 2.0, 1.0, 1.0, 0.3, -2.0, -0.3, 0.0, 0.0, 0.0, 0.0],
        }
    }
}

/// Everything in `knowledge/ranking.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ranking {
    pub bm25f: Bm25fParams,
    pub confidence: ConfidenceWeights,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRanking {
    bm25f: S<RawBm25f>,
    confidence: S<RawConfidence>,
    /// Where the figures came from; for people, not read.
    #[serde(default)]
    #[allow(dead_code)]
    fitted: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBm25f {
    title: f32,
    symptoms: f32,
    summary: f32,
    causes: f32,
    k1: f32,
    b: f32,
    title_query: f32,
    repeat: f32,
    pairs: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfidence {
    bias: f32,
    /// Feature name -> weight; every feature of [`FEATURES`] once.
    weights: std::collections::BTreeMap<String, f32>,
}

impl Loader {
    /// Reads `ranking.toml`; problems name the file and the line.
    pub(super) fn read_ranking(&mut self, f: &SourceFile) -> Option<Ranking> {
        let (raw, cx) = self.parse::<RawRanking>(f)?;
        let mut ok = true;
        let line = cx.line(&raw.bm25f);
        let b = raw.bm25f.into_inner();
        let bad = |what: &str, v: f32, lo: f32, hi: f32, line: usize, me: &mut Loader| {
            let fine = v.is_finite() && (lo..=hi).contains(&v);
            if !fine {
                me.problem(
                    f,
                    line,
                    format!("{what} = {v}: must be within {lo} to {hi}"),
                );
            }
            fine
        };
        for (what, v) in [
            ("bm25f.title", b.title),
            ("bm25f.symptoms", b.symptoms),
            ("bm25f.summary", b.summary),
            ("bm25f.causes", b.causes),
            ("bm25f.title_query", b.title_query),
        ] {
            ok &= bad(what, v, 0.0, 20.0, line, self);
        }
        ok &= bad("bm25f.k1", b.k1, 0.01, 20.0, line, self);
        ok &= bad("bm25f.b", b.b, 0.0, 1.0, line, self);
        ok &= bad("bm25f.repeat", b.repeat, 0.0, 2.0, line, self);
        ok &= bad("bm25f.pairs", b.pairs, 0.0, 20.0, line, self);
        let cline = cx.line(&raw.confidence);
        let c = raw.confidence.into_inner();
        ok &= bad("confidence.bias", c.bias, -100.0, 100.0, cline, self);
        let mut weights = [0.0f32; FEATURES.len()];
        for (i, name) in FEATURES.iter().enumerate() {
            match c.weights.get(*name) {
                Some(&w) => {
                    let what = format!("confidence.weights.{name}");
                    ok &= bad(&what, w, -100.0, 100.0, cline, self);
                    weights[i] = w;
                }
                None => {
                    self.problem(f, cline, format!("confidence.weights has no `{name}`"));
                    ok = false;
                }
            }
        }
        for name in c.weights.keys() {
            if !FEATURES.contains(&name.as_str()) {
                let msg = format!(
                    "confidence.weights: unknown feature `{name}`: use {}",
                    FEATURES.join(", ")
                );
                self.problem(f, cline, msg);
                ok = false;
            }
        }
        ok.then_some(Ranking {
            bm25f: Bm25fParams {
                fields: [b.title, b.symptoms, b.summary, b.causes],
                k1: b.k1,
                b: b.b,
                title_query: b.title_query,
                repeat: b.repeat,
                pairs: b.pairs,
            },
            confidence: ConfidenceWeights {
                bias: c.bias,
                weights,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Ranking, Vec<String>> {
        let f = SourceFile {
            rel: "ranking.toml".into(),
            shown: "knowledge/ranking.toml".into(),
            text: text.into(),
        };
        let mut l = Loader::default();
        let r = l.read_ranking(&f);
        match r {
            Some(r) if l.problems.is_empty() => Ok(r),
            _ => Err(l.problems.iter().map(|p| p.to_string()).collect()),
        }
    }

    const GOOD: &str = "[bm25f]\ntitle = 2.0\nsymptoms = 1.0\nsummary = 0.5\ncauses = 0.2\n\
        k1 = 1.5\nb = 0.6\ntitle_query = 3.0\nrepeat = 0.5\npairs = 1.0\n\n[confidence]\nbias = -3.0\n\
        weights = { score = 1.0, margin = 2.0, coverage = 1.0, matched = 0.5, problem = 1.0, \
        windows = 0.2, offtopic = -2.0, length = -0.1, title = 0.3, post = 0.0, held = 0.5, pairs = 0.5 }\n";

    #[test]
    fn a_good_file_is_read() {
        let r = read(GOOD).unwrap();
        assert_eq!(r.bm25f.fields, [2.0, 1.0, 0.5, 0.2]);
        assert_eq!(r.bm25f.k1, 1.5);
        assert_eq!(r.confidence.weights[1], 2.0);
        assert_eq!(r.confidence.weights[6], -2.0);
    }

    #[test]
    fn out_of_range_and_missing_values_are_problems_with_lines() {
        let bad = GOOD.replace("b = 0.6", "b = 1.6");
        let err = read(&bad).unwrap_err();
        assert!(err[0].contains("bm25f.b = 1.6"), "{err:?}");
        assert!(err[0].contains("knowledge/ranking.toml:1"), "{err:?}");
        let missing = GOOD.replace("margin = 2.0, ", "");
        assert!(read(&missing).unwrap_err()[0].contains("no `margin`"));
        let unknown = GOOD.replace("title = 0.3", "title = 0.3, colour = 1.0");
        assert!(read(&unknown).unwrap_err()[0].contains("unknown feature `colour`"));
    }
}
