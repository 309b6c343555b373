//! Demand: how often each code appears in real public posts, and in which
//! area (`knowledge/demand.tsv`, made by `tools/demand/count.py`), and how
//! much of that demand the knowledge base answers with an entry.

use serde::Serialize;

use super::KnowledgeBase;
use super::load::parse_code;

/// The bundled demand list.
pub const BUNDLED: &str = include_str!("../../knowledge/demand.tsv");

/// One row: a code, the area its posts were about, how many posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// As the list writes it: a code, a symbolic name, `MSI 1603`, or an
    /// Office code such as `Office 30088-1007`.
    pub label: String,
    /// The code it names; `None` for codes outside the HRESULT space
    /// (Office's Click-to-Run codes).
    pub code: Option<u32>,
    pub area: String,
    pub mentions: u32,
    pub examples: Vec<String>,
}

/// Reads the tab-separated list; a row it cannot read is an error naming
/// its line.
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("code\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = || {
            format!(
                "line {}: expected code, area, mentions, example urls",
                i + 1
            )
        };
        if cols.len() < 3 {
            return Err(bad());
        }
        let label = cols[0].trim();
        let code = read_label(label);
        if code.is_none() && !label.starts_with("Office ") {
            return Err(format!(
                "line {}: `{label}` is not a code or a known name",
                i + 1
            ));
        }
        let mentions = cols[2].parse().map_err(|_| bad())?;
        rows.push(Row {
            label: label.to_string(),
            code,
            area: cols[1].to_string(),
            mentions,
            examples: cols
                .get(3)
                .map(|u| u.split_whitespace().map(String::from).collect())
                .unwrap_or_default(),
        });
    }
    Ok(rows)
}

/// The code a label names: `0x…`, a symbolic name, or `MSI <exit code>`
/// (a Win32 error, as an HRESULT).
fn read_label(label: &str) -> Option<u32> {
    if let Some(c) = parse_code(label) {
        return Some(c);
    }
    if let Some(n) = label.strip_prefix("MSI ") {
        return n
            .trim()
            .parse::<u32>()
            .ok()
            .map(crate::codes::hresult_from_win32);
    }
    crate::codes::CodeTables::bundled().by_name(label)
}

/// How much of the demand has an entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Coverage {
    pub mentions: u32,
    /// Mentions whose code has an entry of the post's area, or whose code
    /// has a single entry and the area is `other`.
    pub by_context: u32,
    /// Mentions whose code has any entry.
    pub by_code: u32,
    /// Rows without an entry for their area, most mentioned first.
    pub missing: Vec<Row>,
}

impl Coverage {
    pub fn by_context_share(&self) -> f64 {
        share(self.by_context, self.mentions)
    }

    pub fn by_code_share(&self) -> f64 {
        share(self.by_code, self.mentions)
    }
}

fn share(n: u32, d: u32) -> f64 {
    if d == 0 {
        0.0
    } else {
        f64::from(n) / f64::from(d)
    }
}

/// Demand coverage of `kb`.
pub fn coverage(kb: &KnowledgeBase, rows: &[Row]) -> Coverage {
    let mut c = Coverage::default();
    for r in rows {
        c.mentions += r.mentions;
        let entries: Vec<_> = r
            .code
            .map(|c| kb.entries_for_code(c).collect())
            .unwrap_or_default();
        if !entries.is_empty() {
            c.by_code += r.mentions;
        }
        let fits = entries.iter().any(|e| e.context.contains(&r.area))
            || (r.area == "other" && entries.len() == 1);
        if fits {
            c.by_context += r.mentions;
        } else {
            c.missing.push(r.clone());
        }
    }
    c.missing.sort_by_key(|r| std::cmp::Reverse(r.mentions));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_reads() {
        let rows = parse(BUNDLED).expect("knowledge/demand.tsv reads");
        assert!(rows.len() > 100);
        assert!(rows.iter().all(|r| r.mentions > 0));
        // Names resolve to their codes.
        let tdr = rows
            .iter()
            .find(|r| r.label == "VIDEO_TDR_FAILURE")
            .unwrap();
        assert_eq!(tdr.code, Some(0x116));
        let msi = rows.iter().find(|r| r.label == "MSI 1603").unwrap();
        assert_eq!(msi.code, Some(0x8007_0643));
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let err = parse("# head\ncode\tarea\tmentions\texample_urls\n0x80070002\tstore\tmany\n")
            .unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
    }

    #[test]
    fn coverage_counts_mentions_by_context() {
        let kb = KnowledgeBase::bundled().unwrap();
        let rows =
            parse("0x80070002\twindows-update\t5\n0x80070002\tnowhere\t3\n0x8FFFFFFF\tstore\t2\n")
                .unwrap();
        let c = coverage(&kb, &rows);
        assert_eq!(c.mentions, 10);
        assert_eq!(c.by_code, 8);
        assert_eq!(c.by_context, 5);
        assert_eq!(c.missing.len(), 2);
        assert_eq!(c.missing[0].mentions, 3);
    }
}
