//! Which entries are due for a fresh look: checked too long ago, or
//! written only for Windows versions out of support (`kb check --stale`).

use super::KnowledgeBase;

/// Versions that no longer get security updates, when the knowledge base
/// has no facts to say so.
const OUT_OF_SUPPORT: &[&str] = &["xp", "vista", "7", "8", "8.1", "server2008", "server2012"];

/// One entry that needs a look, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: String,
    pub reason: String,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn days(date: &str) -> Option<i64> {
    let mut it = date.get(..10)?.split('-');
    let (y, m, d): (i64, i64, i64) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil, after Howard Hinnant's well-known method.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Today, in days since 1970-01-01.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// Entries checked more than `months` months before `today`, and entries
/// only for versions out of support.
pub fn stale(kb: &KnowledgeBase, months: u32, today: i64) -> Vec<Stale> {
    let limit = today - i64::from(months) * 30;
    let unsupported = |v: &String| match kb.facts.version(v) {
        Some(f) => !f.supported,
        None => OUT_OF_SUPPORT.contains(&v.as_str()),
    };
    let mut out = Vec::new();
    for e in &kb.entries {
        if days(&e.checked).is_some_and(|d| d < limit) {
            out.push(Stale {
                path: e.path.clone(),
                reason: format!("checked {} is more than {months} months ago", e.checked),
            });
        }
        if !e.versions.is_empty() && e.versions.iter().all(unsupported) {
            out.push(Stale {
                path: e.path.clone(),
                reason: format!(
                    "only for versions out of support ({})",
                    e.versions.join(", ")
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(days("2026-12-04"), Some(20_791));
        assert_eq!(days("2026-13-01"), None);
        assert_eq!(days("soon"), None);
    }

    #[test]
    fn old_checks_and_old_versions_are_listed() {
        let mut kb = KnowledgeBase::bundled().unwrap();
        let far_future = days("2040-01-01").unwrap();
        let all = stale(&kb, 12, far_future);
        assert!(all.len() >= kb.entries.len(), "every entry is old by 2040");
        assert!(
            stale(&kb, 12, days("2026-12-05").unwrap())
                .iter()
                .all(|s| !s.reason.starts_with("checked"))
        );
        let mut e = (*kb.entries[0]).clone();
        e.versions = vec!["7".into(), "vista".into()];
        kb.entries[0] = std::sync::Arc::new(e);
        let path = kb.entries[0].path.clone();
        let s = stale(&kb, 1200, days("2026-12-05").unwrap());
        let mine: Vec<&Stale> = s.iter().filter(|x| x.path == path).collect();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].reason.contains("out of support"));
        assert!(s.iter().all(|x| x.reason.contains("out of support")));
    }
}
