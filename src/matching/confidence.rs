//! How sure a match is: a probability that the entry is the right one, by
//! logistic regression over what the match and the message show. The
//! weights are fitted by `tools/ranking/fit.py` on labelled posts and kept
//! in `knowledge/ranking.toml`; the script computes the same features from
//! the dump `hexhelp eval --dump` writes, so both sides must agree on every
//! definition here.

use super::bm25::Bm25f;
use super::index::Index;
use super::{Held, Query, Signals};
use crate::kb::{Bm25fParams, ConfidenceWeights, FEATURES};

/// The features of one match, in the order of [`FEATURES`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features(pub [f32; FEATURES.len()]);

impl Features {
    /// The features of entry `entry` scoring `score`, when the best other
    /// entry scores `other`.
    #[allow(clippy::too_many_arguments)]
    pub fn of(
        index: &Index,
        bm25f: &Bm25f,
        q: &Query,
        entry: usize,
        score: f32,
        other: f32,
        signals: Signals,
        params: &Bm25fParams,
    ) -> Features {
        let weights: Vec<f32> = q.terms.iter().map(|t| t.weight(params)).collect();
        let has: Vec<bool> = q
            .terms
            .iter()
            .map(|t| t.term.is_some_and(|id| index.entry_has(entry, id)))
            .collect();
        let held = Held {
            weights: &weights,
            has: &has,
        };
        Features::of_held(bm25f, q, entry, score, other, signals, held)
    }

    /// [`Features::of`], with the query's weights and the entry's terms
    /// worked out by the caller.
    pub fn of_held(
        bm25f: &Bm25f,
        q: &Query,
        entry: usize,
        score: f32,
        other: f32,
        signals: Signals,
        h: Held<'_>,
    ) -> Features {
        let margin = if score > 0.0 {
            ((score - other) / score).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        let (mut known, mut held, mut title, mut title_held) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        let mut held_terms = 0u32;
        for ((t, &w), &has) in q.terms.iter().zip(h.weights).zip(h.has) {
            if t.term.is_none() {
                continue;
            }
            let mass = w * t.idf;
            known += mass;
            if has {
                held += mass;
                held_terms += 1;
            }
            if t.in_title {
                title += t.idf;
                if has {
                    title_held += t.idf;
                }
            }
        }
        let pairs_held = q
            .pairs
            .iter()
            .filter(|p| bm25f.pair_has(p.pair, entry))
            .count();
        let share = |a: f32, b: f32| if b > 0.0 { a / b } else { 0.0 };
        Features([
            score.ln_1p(),
            margin,
            q.coverage,
            share(held, known),
            f32::from(u8::from(q.problem)),
            (signals.windows as f32).ln_1p(),
            (signals.offtopic as f32).ln_1p(),
            (q.words as f32).ln_1p(),
            share(title_held, title),
            f32::from(u8::from(q.titled)),
            (held_terms as f32).ln_1p(),
            (pairs_held as f32).ln_1p(),
        ])
    }

    /// σ(bias + Σ wᵢ·xᵢ).
    pub fn probability(&self, w: &ConfidenceWeights) -> f32 {
        let z: f32 = w.bias
            + self
                .0
                .iter()
                .zip(&w.weights)
                .map(|(x, w)| x * w)
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_follows_the_weights() {
        let w = ConfidenceWeights {
            bias: 0.0,
            weights: [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        };
        let mut f = Features([0.0; FEATURES.len()]);
        assert_eq!(f.probability(&w), 0.5);
        f.0[0] = 2.0;
        let strong = f.probability(&w);
        assert!(strong > 0.85);
        f.0[6] = 2.0;
        assert_eq!(f.probability(&w), 0.5, "other products cancel the score");
    }
}
