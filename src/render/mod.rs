//! Showing an [`Answer`](crate::answer::Answer): as terminal text, as JSON
//! lines for scripts and the evaluation, and (in `discord`) as embed data
//! that the bot layer turns into Discord messages.

pub mod discord;
pub mod jsonl;
pub mod terminal;

/// Steps as the renderers number them: `1. …` one per line.
pub fn numbered_steps(steps: &[String]) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{}. {}", i + 1, s));
    }
    out
}

/// Characters of [`numbered_steps`], without building the string.
pub fn steps_len(steps: &[String]) -> usize {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| s.chars().count() + (i + 1).to_string().len() + 2)
        .sum::<usize>()
        + steps.len().saturating_sub(1)
}

/// A bulleted list, `• item` one per line.
pub fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("• {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Characters of [`bullets`].
pub fn bullets_len(items: &[String]) -> usize {
    items.iter().map(|s| s.chars().count() + 2).sum::<usize>() + items.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_agree_with_rendering() {
        let steps: Vec<String> = (0..12)
            .map(|i| format!("step number {i} with ünïcode"))
            .collect();
        assert_eq!(steps_len(&steps), numbered_steps(&steps).chars().count());
        assert_eq!(bullets_len(&steps), bullets(&steps).chars().count());
        assert_eq!(steps_len(&[]), 0);
        assert_eq!(
            numbered_steps(&steps[..2]),
            "1. step number 0 with ünïcode\n2. step number 1 with ünïcode"
        );
    }
}
