//! Scoring labelled help-channel messages, with the same metrics as
//! `shared/eval/score.py`: `code` cases must yield exactly their codes and a
//! reply; `symptom` cases need a right entry first (top1) or in the first
//! three (top3); `noise` must stay silent, and `falsehex` must also yield
//! no code.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::answer::{Answer, Engine, Mode};

#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub expect: Vec<String>,
}

/// Per-metric (good, total), and the cases that missed.
#[derive(Debug, Default)]
pub struct Report {
    pub tally: BTreeMap<&'static str, (usize, usize)>,
    pub misses: Vec<(&'static str, String, String)>,
}

impl Report {
    pub fn rate(&self, metric: &str) -> Option<f64> {
        self.tally
            .get(metric)
            .map(|&(g, t)| g as f64 / t.max(1) as f64)
    }

    fn count(&mut self, metric: &'static str, ok: bool, case: &Case, got: impl FnOnce() -> String) {
        let e = self.tally.entry(metric).or_default();
        e.0 += ok as usize;
        e.1 += 1;
        if !ok {
            self.misses.push((metric, case.id.clone(), got()));
        }
    }
}

/// Normalises a code as the scorer does: `0x` + 8 upper-case hex digits.
fn norm(code: &str) -> String {
    let h = code.trim().to_ascii_lowercase();
    let h = h.strip_prefix("0x").unwrap_or(&h);
    format!("0x{:0>8}", h.to_ascii_uppercase())
}

pub fn parse_cases(text: &str) -> Result<Vec<Case>, crate::error::Error> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| crate::error::Error::Input {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

pub fn score(engine: &Engine, cases: &[Case]) -> Report {
    let mut r = Report::default();
    for c in cases {
        let a = engine.answer(&c.text, Mode::Explicit);
        score_one(&mut r, c, &a);
    }
    r
}

fn score_one(r: &mut Report, c: &Case, a: &Answer) {
    let codes: BTreeSet<String> = a.codes.iter().map(|x| x.decoded.hex.clone()).collect();
    let top: Vec<BTreeSet<String>> = a
        .matches
        .iter()
        .map(|m| m.entry.hex_codes().into_iter().collect())
        .collect();
    let got = || {
        let top3: Vec<&str> = a
            .matches
            .iter()
            .take(3)
            .map(|m| m.entry.id.as_str())
            .collect();
        format!(
            "reply={} codes={:?} top={:?} conf={:.2}",
            a.reply, codes, top3, a.confidence
        )
    };
    match c.kind.as_str() {
        "code" => {
            let want: BTreeSet<String> = c.codes.iter().map(|x| norm(x)).collect();
            r.count("code_exact", codes == want && a.reply, c, got);
        }
        "symptom" => {
            let want: BTreeSet<String> = c.expect.iter().map(|x| norm(x)).collect();
            let hit = |t: &BTreeSet<String>| !t.is_disjoint(&want);
            r.count(
                "symptom_top1",
                a.reply && top.first().is_some_and(hit),
                c,
                got,
            );
            r.count(
                "symptom_top3",
                a.reply && top.iter().take(3).any(hit),
                c,
                got,
            );
        }
        "noise" => r.count("noise_silent", !a.reply, c, got),
        "falsehex" => r.count("falsehex_silent", !a.reply && codes.is_empty(), c, got),
        _ => {}
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (metric, &(good, total)) in &self.tally {
            let rate = good as f64 / total.max(1) as f64;
            writeln!(f, "{metric:16} {good:4}/{total:<4} {:5.1}%", rate * 100.0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_matches_the_script() {
        assert_eq!(norm("0x7b"), "0x0000007B");
        assert_eq!(norm("0X80070002"), "0x80070002");
        assert_eq!(norm("c004f074"), "0xC004F074");
    }
}
