//! The type of an attachment from its first bytes. Names and the
//! `content_type` Discord reports are never trusted.

use serde::Serialize;

/// How many leading bytes [`sniff`] looks at.
pub const HEAD_BYTES: usize = 8192;

/// How a text file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8 (or ASCII, or something close: decoded lossily).
    Utf8,
    /// UTF-8 with a byte-order mark (skipped).
    Utf8Bom,
    /// UTF-16 little endian, with or without a byte-order mark.
    Utf16Le,
    /// UTF-16 big endian, with a byte-order mark.
    Utf16Be,
}

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sniffed {
    Png,
    Jpeg,
    WebP,
    /// `PAGEDU64`: a 64-bit kernel dump.
    KernelDump64,
    /// `PAGEDUMP`: a 32-bit kernel dump.
    KernelDump32,
    /// `MDMP`: a user-mode minidump.
    UserDump,
    Zip,
    Text(Encoding),
    Unknown,
}

/// Judges `bytes` (the whole file or its first [`HEAD_BYTES`]).
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let starts = |p: &[u8]| bytes.starts_with(p);
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Png;
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Jpeg;
    }
    if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        return Sniffed::WebP;
    }
    if starts(b"PAGEDU64") {
        return Sniffed::KernelDump64;
    }
    if starts(b"PAGEDUMP") {
        return Sniffed::KernelDump32;
    }
    if starts(b"MDMP") {
        return Sniffed::UserDump;
    }
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if starts(&[0xEF, 0xBB, 0xBF]) {
        return Sniffed::Text(Encoding::Utf8Bom);
    }
    if starts(&[0xFF, 0xFE]) {
        return Sniffed::Text(Encoding::Utf16Le);
    }
    if starts(&[0xFE, 0xFF]) {
        return Sniffed::Text(Encoding::Utf16Be);
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    if looks_utf16le(head) {
        return Sniffed::Text(Encoding::Utf16Le);
    }
    if looks_text(head) {
        return Sniffed::Text(Encoding::Utf8);
    }
    Sniffed::Unknown
}

/// ASCII text stored as UTF-16LE: nearly every odd byte is zero and the
/// even bytes are printable.
fn looks_utf16le(head: &[u8]) -> bool {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return false;
    }
    let mut ascii = 0;
    for pair in head.chunks_exact(2) {
        if pair[1] == 0 && (pair[0].is_ascii_graphic() || pair[0].is_ascii_whitespace()) {
            ascii += 1;
        }
    }
    ascii * 10 >= pairs * 9
}

/// No NUL bytes and almost only printable characters (bytes of UTF-8
/// sequences count as printable).
fn looks_text(head: &[u8]) -> bool {
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    let printable = head
        .iter()
        .filter(|&&b| b >= 0x80 || b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    printable * 100 >= head.len() * 97
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_decide_the_type() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Sniffed::Png);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Sniffed::Jpeg);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Sniffed::WebP);
        assert_eq!(sniff(b"PAGEDU64\x0f\0\0\0"), Sniffed::KernelDump64);
        assert_eq!(sniff(b"PAGEDUMP\x0f\0\0\0"), Sniffed::KernelDump32);
        assert_eq!(sniff(b"MDMP\x93\xa7"), Sniffed::UserDump);
        assert_eq!(sniff(b"PK\x03\x04\x14\0"), Sniffed::Zip);
    }

    #[test]
    fn text_with_and_without_byte_order_marks() {
        assert_eq!(
            sniff(b"2023-05-23 00:32:46, Error  SP  x\r\n"),
            Sniffed::Text(Encoding::Utf8)
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF2023-05-23"),
            Sniffed::Text(Encoding::Utf8Bom)
        );
        assert_eq!(
            sniff(b"\xFF\xFE2\x000\x00"),
            Sniffed::Text(Encoding::Utf16Le)
        );
        let utf16: Vec<u8> = "2023-05-23 00:32:46, Error"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&utf16), Sniffed::Text(Encoding::Utf16Le));
    }

    #[test]
    fn binary_and_empty_bytes_are_unknown() {
        assert_eq!(sniff(&[]), Sniffed::Unknown);
        assert_eq!(sniff(&[0, 1, 2, 3, 0xFE, 7, 0, 0, 9]), Sniffed::Unknown);
        // A name-only disguise: a PNG signature is needed, not ".png" text.
        assert_eq!(sniff(b"\x01\x02PNG image"), Sniffed::Unknown);
    }
}
