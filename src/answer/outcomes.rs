//! The order of an entry's fixes, adapted to what people reported.
//!
//! Each fix gets an estimate of how often it ends the problem when someone
//! tries it: a Beta prior whose mean falls with the fix's place in the
//! knowledge base's list, updated by "That fixed it" (a success), "Didn't
//! help" (a failure) and "Next fix" (half a failure: the person passed it
//! over). A fix's own reports count only once there are
//! [`MIN_REPORTS`] of them, so a single vote never moves anything.
//!
//! The estimate only reorders fixes of the same risk: a fix never moves
//! past one of another risk (so never ahead of a safer one) nor ahead of a
//! fix its `after` list names. Without reports the knowledge base's order
//! comes back unchanged; equal estimates keep the knowledge base's order;
//! the same counts always give the same order.

use serde::Serialize;

use crate::kb::Fix;

/// How many pseudo-reports the prior is worth, per fix.
pub const PRIOR_WEIGHT: f64 = 10.0;

/// The prior success rate of an entry's first fix; each later place lowers
/// it by [`PRIOR_STEP`], down to [`PRIOR_FLOOR`].
pub const PRIOR_TOP: f64 = 0.5;
pub const PRIOR_STEP: f64 = 0.04;
pub const PRIOR_FLOOR: f64 = 0.05;

/// What a "Next fix" press on a fix weighs as a failure.
pub const PASSED_WEIGHT: f64 = 0.5;

/// Reports on a fix before they move it.
pub const MIN_REPORTS: u64 = 5;

/// Lists longer than this keep the knowledge base's order (no entry comes
/// close: button ids limit an entry's fixes).
pub const MAX_FIXES: usize = 200;

/// What people reported about one fix of one entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FixCounts {
    /// "That fixed it".
    pub fixed: u64,
    /// "Didn't help".
    pub no_help: u64,
    /// Passed over with "Next fix".
    pub passed: u64,
}

impl FixCounts {
    pub fn reports(&self) -> u64 {
        self.fixed
            .saturating_add(self.no_help)
            .saturating_add(self.passed)
    }

    /// The people who said whether it worked.
    pub fn tried(&self) -> u64 {
        self.fixed.saturating_add(self.no_help)
    }

    pub fn add(&mut self, other: &FixCounts) {
        self.fixed = self.fixed.saturating_add(other.fixed);
        self.no_help = self.no_help.saturating_add(other.no_help);
        self.passed = self.passed.saturating_add(other.passed);
    }
}

/// A fix that came earlier than the knowledge base puts it, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// Its number in the entry's own list (from 1).
    pub number: usize,
    /// Its place in the adapted order (from 1).
    pub place: usize,
    pub fixed: u64,
    /// How many said whether it worked.
    pub of: u64,
}

/// The adapted order of an entry's fixes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Order {
    /// Indexes into the entry's list (from 0), in the order to try them.
    pub order: Vec<usize>,
    /// The fixes that moved up, by their new place.
    pub moved: Vec<Moved>,
}

impl Order {
    /// The knowledge base's own order of `n` fixes.
    pub fn kb(n: usize) -> Order {
        Order {
            order: (0..n).collect(),
            moved: Vec::new(),
        }
    }

    /// Why the fix numbered `number` (from 1) moved up, when it did.
    pub fn moved(&self, number: usize) -> Option<&Moved> {
        self.moved.iter().find(|m| m.number == number)
    }

    /// The fix number (from 1) to show after fix `number` in this order;
    /// one past the last number when `number` is the last (or unknown).
    pub fn next_after(&self, number: usize) -> usize {
        let total = self.order.len();
        self.order
            .iter()
            .position(|&i| i + 1 == number)
            .and_then(|p| self.order.get(p + 1))
            .map_or(total + 1, |&i| i + 1)
    }
}

/// The prior mean success rate of the fix at place `index` (from 0).
pub fn prior_mean(index: usize) -> f64 {
    (PRIOR_TOP - PRIOR_STEP * index as f64).max(PRIOR_FLOOR)
}

/// The estimate that orders fixes: the posterior mean success rate of the
/// fix at place `index` given its counts.
pub fn estimate(index: usize, c: &FixCounts) -> f64 {
    let prior = prior_mean(index);
    if c.reports() < MIN_REPORTS {
        return prior;
    }
    let successes = c.fixed as f64;
    let failures = c.no_help as f64 + PASSED_WEIGHT * c.passed as f64;
    (PRIOR_WEIGHT * prior + successes) / (PRIOR_WEIGHT + successes + failures)
}

/// The adapted order of `fixes` (the entry's list, in the knowledge base's
/// order) given `counts` (by the same index; missing ones count as none).
///
/// A fix is placed only once every earlier fix of another risk and every
/// earlier fix its `after` list names is placed; among the fixes that may
/// come next, the highest estimate goes first, the earlier one on a tie.
/// Prerequisites the list puts later than the fix are ignored (`kb check`
/// reports them).
pub fn order(fixes: &[Fix], counts: &[FixCounts]) -> Order {
    let n = fixes.len();
    if n > MAX_FIXES {
        return Order::kb(n);
    }
    let none = FixCounts::default();
    let count = |i: usize| counts.get(i).unwrap_or(&none);
    let score: Vec<f64> = (0..n).map(|i| estimate(i, count(i))).collect();
    let prereqs: Vec<Vec<usize>> = fixes
        .iter()
        .enumerate()
        .map(|(j, f)| {
            f.after
                .iter()
                .filter_map(|id| fixes[..j].iter().position(|x| &x.id == id))
                .collect()
        })
        .collect();
    let blocks = |i: usize, j: usize| -> bool {
        i < j && (fixes[i].risk != fixes[j].risk || prereqs[j].contains(&i))
    };
    // How many fixes still unplaced must come before each one.
    let mut waiting: Vec<usize> = (0..n)
        .map(|j| (0..j).filter(|&i| blocks(i, j)).count())
        .collect();
    let mut placed = vec![false; n];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut best: Option<usize> = None;
        for j in (0..n).filter(|&j| !placed[j] && waiting[j] == 0) {
            // Strictly better only: on a tie the earlier fix stays first.
            if best.is_none_or(|b| score[j] > score[b]) {
                best = Some(j);
            }
        }
        // The knowledge base's order always satisfies every constraint, so
        // the earliest unplaced fix is always free; the fallback is for
        // safety only.
        let pick = best.unwrap_or_else(|| (0..n).find(|&j| !placed[j]).unwrap_or(0));
        placed[pick] = true;
        out.push(pick);
        for (k, w) in waiting.iter_mut().enumerate() {
            if !placed[k] && blocks(pick, k) {
                *w = w.saturating_sub(1);
            }
        }
    }
    let moved = out
        .iter()
        .enumerate()
        .filter(|&(place, &i)| place < i)
        .map(|(place, &i)| Moved {
            number: i + 1,
            place: place + 1,
            fixed: count(i).fixed,
            of: count(i).tried(),
        })
        .collect();
    Order { order: out, moved }
}

#[cfg(test)]
mod tests;
