//! "Did you mean …?" for codes typed with a digit missing or one too many.
//!
//! Candidates are every 8-digit value one edit away (insert a hex digit
//! into 7 digits, or drop one of 9). Only known codes qualify; they are
//! ranked by how the bot knows them (a knowledge-base entry first, then
//! the codes help channels see most, then any named code), then by how
//! likely the typo is: doubling or dropping a digit next to the same digit
//! ("0x8007002" → "0x80070002") is the commonest slip.

/// How the bot knows a candidate: lower is better; `None` = not a code.
pub(crate) type Tier<'a> = dyn Fn(u32) -> Option<u8> + 'a;

/// The best known code one inserted digit away from `digits` (7 hex digits).
pub(crate) fn by_insertion(digits: &[u8], tier: &Tier<'_>) -> Option<u32> {
    debug_assert_eq!(digits.len(), 7);
    let mut best: Option<(u8, u8, usize, u32)> = None;
    let mut buf = [0u8; 8];
    for pos in 0..=digits.len() {
        for h in 0..16u8 {
            let d = hex_digit(h);
            buf[..pos].copy_from_slice(&digits[..pos]);
            buf[pos] = d;
            buf[pos + 1..].copy_from_slice(&digits[pos..]);
            let Some(code) = parse8(&buf) else { continue };
            let Some(t) = tier(code) else { continue };
            let doubled = (pos > 0 && eq_hex(digits[pos - 1], d))
                || (pos < digits.len() && eq_hex(digits[pos], d));
            consider(&mut best, t, !doubled as u8, pos, code);
        }
    }
    best.map(|(_, _, _, code)| code)
}

/// The best known code one dropped digit away from `digits` (9 hex digits).
pub(crate) fn by_deletion(digits: &[u8], tier: &Tier<'_>) -> Option<u32> {
    debug_assert_eq!(digits.len(), 9);
    let mut best: Option<(u8, u8, usize, u32)> = None;
    let mut buf = [0u8; 8];
    for pos in 0..digits.len() {
        buf[..pos].copy_from_slice(&digits[..pos]);
        buf[pos..].copy_from_slice(&digits[pos + 1..]);
        let Some(code) = parse8(&buf) else { continue };
        let Some(t) = tier(code) else { continue };
        let doubled = (pos > 0 && eq_hex(digits[pos - 1], digits[pos]))
            || (pos + 1 < digits.len() && eq_hex(digits[pos + 1], digits[pos]));
        consider(&mut best, t, !doubled as u8, pos, code);
    }
    best.map(|(_, _, _, code)| code)
}

/// The code that `token` (8 characters after `0x`) means if letters that
/// look like digits were typed for them (O for 0, l or I for 1).
pub(crate) fn by_lookalike(token: &[u8], tier: &Tier<'_>) -> Option<u32> {
    if token.len() != 8 {
        return None;
    }
    let mut buf = [0u8; 8];
    let mut changed = false;
    for (slot, &c) in buf.iter_mut().zip(token) {
        *slot = match c {
            b'O' | b'o' => {
                changed = true;
                b'0'
            }
            b'l' | b'I' => {
                changed = true;
                b'1'
            }
            c if c.is_ascii_hexdigit() => c,
            _ => return None,
        };
    }
    let code = parse8(&buf)?;
    (changed && tier(code).is_some()).then_some(code)
}

fn consider(best: &mut Option<(u8, u8, usize, u32)>, tier: u8, typo: u8, pos: usize, code: u32) {
    let cand = (tier, typo, pos, code);
    match best {
        Some(b) if (b.0, b.1, b.2) <= (tier, typo, pos) => {}
        _ => *best = Some(cand),
    }
}

fn hex_digit(h: u8) -> u8 {
    b"0123456789ABCDEF"[h as usize]
}

fn eq_hex(a: u8, b: u8) -> bool {
    a.eq_ignore_ascii_case(&b)
}

fn parse8(buf: &[u8; 8]) -> Option<u32> {
    std::str::from_utf8(buf)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 16).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers(list: &'static [(u32, u8)]) -> impl Fn(u32) -> Option<u8> {
        move |c| list.iter().find(|(k, _)| *k == c).map(|(_, t)| *t)
    }

    #[test]
    fn missing_zero_is_restored_next_to_zeros() {
        let t = tiers(&[(0x8007_0002, 2), (0x8007_0022, 2), (0x8007_0020, 2)]);
        assert_eq!(by_insertion(b"8007002", &t), Some(0x8007_0002));
    }

    #[test]
    fn better_tier_wins_over_likelier_typo() {
        let t = tiers(&[(0x8007_0002, 2), (0x8007_0020, 0)]);
        assert_eq!(by_insertion(b"8007002", &t), Some(0x8007_0020));
    }

    #[test]
    fn extra_digit_is_dropped() {
        let t = tiers(&[(0x8007_0005, 1)]);
        assert_eq!(by_deletion(b"800700005", &t), Some(0x8007_0005));
        assert_eq!(by_deletion(b"080070005", &t), Some(0x8007_0005));
        assert_eq!(by_deletion(b"123456789", &t), None);
    }

    #[test]
    fn lookalike_letters_are_read_as_digits() {
        let t = tiers(&[(0x8007_0002, 1)]);
        assert_eq!(by_lookalike(b"8OO7OOO2", &t), Some(0x8007_0002));
        assert_eq!(by_lookalike(b"80070002", &t), None, "nothing to correct");
        assert_eq!(by_lookalike(b"8OO7OOZ2", &t), None);
    }

    #[test]
    fn no_known_candidate_means_no_suggestion() {
        let t = tiers(&[]);
        assert_eq!(by_insertion(b"1234567", &t), None);
    }
}
