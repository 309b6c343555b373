use proptest::prelude::*;

use super::*;
use crate::kb::Risk;

fn fix(id: &str, risk: Risk, after: &[&str]) -> Fix {
    Fix {
        id: id.into(),
        title: format!("title of {id}"),
        risk,
        after: after.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn fixed(n: u64) -> FixCounts {
    FixCounts {
        fixed: n,
        ..Default::default()
    }
}

/// Safe a, b, c, d; moderate e, f; destructive g.
fn ladder() -> Vec<Fix> {
    vec![
        fix("a", Risk::Safe, &[]),
        fix("b", Risk::Safe, &[]),
        fix("c", Risk::Safe, &[]),
        fix("d", Risk::Safe, &["b"]),
        fix("e", Risk::Moderate, &[]),
        fix("f", Risk::Moderate, &[]),
        fix("g", Risk::Destructive, &[]),
    ]
}

#[test]
fn no_counts_keep_the_knowledge_base_order() {
    let o = order(&ladder(), &[]);
    assert_eq!(o.order, vec![0, 1, 2, 3, 4, 5, 6]);
    assert!(o.moved.is_empty());
}

#[test]
fn enough_successes_move_a_fix_up_within_its_tier() {
    let mut counts = vec![FixCounts::default(); 7];
    counts[2] = fixed(MIN_REPORTS);
    let o = order(&ladder(), &counts);
    assert_eq!(o.order, vec![2, 0, 1, 3, 4, 5, 6]);
    assert_eq!(
        o.moved,
        vec![Moved {
            number: 3,
            place: 1,
            fixed: MIN_REPORTS,
            of: MIN_REPORTS
        }]
    );
    assert_eq!(o.next_after(3), 1);
    assert_eq!(o.next_after(2), 4);
    assert_eq!(o.next_after(7), 8);
}

#[test]
fn too_few_reports_move_nothing() {
    let mut counts = vec![FixCounts::default(); 7];
    counts[2] = fixed(MIN_REPORTS - 1);
    assert_eq!(order(&ladder(), &counts).order, vec![0, 1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_moderate_fix_never_passes_a_safe_one() {
    let mut counts = vec![FixCounts::default(); 7];
    counts[5] = fixed(1000);
    counts[6] = fixed(1000);
    counts[0] = FixCounts {
        no_help: 1000,
        ..Default::default()
    };
    let o = order(&ladder(), &counts);
    // f moves ahead of e, but not ahead of any safe fix; a drops to the
    // end of the safe fixes; g stays last.
    assert_eq!(o.order, vec![1, 2, 3, 0, 5, 4, 6]);
}

#[test]
fn a_fix_waits_for_its_prerequisite() {
    let mut counts = vec![FixCounts::default(); 7];
    counts[3] = fixed(50);
    let o = order(&ladder(), &counts);
    // d needs b: it passes c, but stops right after b.
    assert_eq!(o.order, vec![0, 1, 3, 2, 4, 5, 6]);
    assert_eq!(
        o.moved(4).map(|m| (m.place, m.fixed, m.of)),
        Some((3, 50, 50))
    );
    assert_eq!(o.moved.len(), 1);
}

#[test]
fn failures_and_passes_move_a_fix_down() {
    let mut counts = vec![FixCounts::default(); 7];
    counts[0] = FixCounts {
        fixed: 1,
        no_help: 4,
        passed: 6,
    };
    let o = order(&ladder(), &counts);
    assert_eq!(o.order[..4], [1, 2, 3, 0]);
}

#[test]
fn the_estimate_starts_at_the_prior() {
    assert_eq!(estimate(0, &FixCounts::default()), PRIOR_TOP);
    assert!(estimate(1, &FixCounts::default()) < estimate(0, &FixCounts::default()));
    assert_eq!(estimate(1000, &FixCounts::default()), PRIOR_FLOOR);
    let c = FixCounts {
        fixed: 14,
        no_help: 6,
        passed: 0,
    };
    let e = estimate(0, &c);
    assert!((e - (5.0 + 14.0) / 30.0).abs() < 1e-12, "{e}");
}

#[test]
fn a_later_prerequisite_is_ignored_and_a_long_list_stays() {
    let fixes = vec![fix("a", Risk::Safe, &["b"]), fix("b", Risk::Safe, &[])];
    let o = order(&fixes, &[FixCounts::default(), fixed(100)]);
    assert_eq!(o.order, vec![1, 0]);
    let long: Vec<Fix> = (0..MAX_FIXES + 1)
        .map(|i| fix(&format!("x{i}"), Risk::Safe, &[]))
        .collect();
    let mut counts = vec![FixCounts::default(); long.len()];
    counts[MAX_FIXES] = fixed(100);
    assert_eq!(
        order(&long, &counts).order,
        (0..=MAX_FIXES).collect::<Vec<_>>()
    );
}

fn risk() -> impl Strategy<Value = Risk> {
    prop_oneof![
        Just(Risk::Safe),
        Just(Risk::Moderate),
        Just(Risk::Destructive)
    ]
}

fn counts() -> impl Strategy<Value = FixCounts> {
    (0u64..40, 0u64..40, 0u64..40).prop_map(|(fixed, no_help, passed)| FixCounts {
        fixed,
        no_help,
        passed,
    })
}

/// Fixes with random risks (in any order, as the library must cope with
/// lists `kb check` would reject) and prerequisites on earlier fixes.
fn fixes() -> impl Strategy<Value = Vec<Fix>> {
    prop::collection::vec((risk(), prop::collection::vec(0usize..12, 0..3)), 1..12).prop_map(
        |list| {
            list.into_iter()
                .enumerate()
                .map(|(j, (risk, pre))| {
                    let after: Vec<String> = pre
                        .into_iter()
                        .filter(|&p| p < j)
                        .map(|p| format!("f{p}"))
                        .collect();
                    Fix {
                        id: format!("f{j}"),
                        risk,
                        after,
                        ..Default::default()
                    }
                })
                .collect()
        },
    )
}

fn is_permutation(order: &[usize], n: usize) -> bool {
    let mut seen = order.to_vec();
    seen.sort_unstable();
    seen == (0..n).collect::<Vec<_>>()
}

proptest! {
    #[test]
    fn tiers_are_never_inverted(fixes in fixes(), counts in prop::collection::vec(counts(), 0..12)) {
        let o = order(&fixes, &counts);
        prop_assert!(is_permutation(&o.order, fixes.len()));
        for (p, &i) in o.order.iter().enumerate() {
            for &j in &o.order[p + 1..] {
                // Fixes of different risk keep the knowledge base's order.
                if fixes[i].risk != fixes[j].risk {
                    prop_assert!(i < j, "{i} placed before {j}: {:?}", o.order);
                }
            }
        }
        // A list sorted by risk stays sorted by risk.
        let mut sorted = fixes.clone();
        sorted.sort_by_key(|f| f.risk);
        let o = order(&sorted, &counts);
        let risks: Vec<Risk> = o.order.iter().map(|&i| sorted[i].risk).collect();
        prop_assert!(risks.windows(2).all(|w| w[0] <= w[1]), "{risks:?}");
    }

    #[test]
    fn prerequisites_come_first(fixes in fixes(), counts in prop::collection::vec(counts(), 0..12)) {
        let o = order(&fixes, &counts);
        let place = |id: &str| o.order.iter().position(|&i| fixes[i].id == id);
        for (p, &i) in o.order.iter().enumerate() {
            for pre in &fixes[i].after {
                let q = place(pre).expect("a prerequisite in the list");
                prop_assert!(q < p, "{} before its prerequisite {pre}", fixes[i].id);
            }
        }
    }

    #[test]
    fn no_counts_give_the_knowledge_base_order(fixes in fixes(), few in 0u64..MIN_REPORTS) {
        let kb: Vec<usize> = (0..fixes.len()).collect();
        prop_assert_eq!(&order(&fixes, &[]).order, &kb);
        // Under the threshold a fix's reports do not count.
        let counts = vec![fixed(few); fixes.len()];
        prop_assert_eq!(&order(&fixes, &counts).order, &kb);
    }

    #[test]
    fn the_same_counts_give_the_same_order(fixes in fixes(), counts in prop::collection::vec(counts(), 0..12)) {
        let a = order(&fixes, &counts);
        let b = order(&fixes.clone(), &counts.clone());
        prop_assert_eq!(a, b);
    }
}
