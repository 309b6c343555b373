//! Plain words from a symbolic name, for codes that have no hand-written note:
//! `ERROR_FILE_NOT_FOUND` becomes "file not found",
//! `WU_E_PT_WINHTTP_NAME_NOT_RESOLVED` becomes
//! "update protocol: WinHTTP name not resolved".

use super::Family;

/// Prefixes that only say which family a name belongs to.
const PREFIXES: &[&str] = &[
    "ERROR_",
    "STATUS_",
    "WU_E_",
    "WU_S_",
    "USO_E_",
    "SL_E_",
    "SL_I_",
    "CBS_E_",
    "CBS_S_",
    "PSFX_E_",
    "MOSETUP_E_",
    "COR_E_",
    "WININET_E_",
    "VSS_E_",
    "VSS_S_",
    "E_",
    "S_",
];

/// Abbreviations that read badly in lower case, with their expansion.
const WORDS: &[(&str, &str)] = &[
    ("SXS", "side-by-side (component store)"),
    ("PT", "update protocol:"),
    ("DM", "download manager:"),
    ("UH", "update handler:"),
    ("AU", "automatic updates:"),
    ("WUA", "update agent"),
    ("WU", "Windows Update"),
    ("WUSUS", "WSUS"),
    ("WINHTTP", "WinHTTP"),
    ("WININET", "WinINet"),
    ("HTTP", "HTTP"),
    ("DNS", "DNS"),
    ("RPC", "RPC"),
    ("TPM", "TPM"),
    ("KMS", "KMS"),
    ("VL", "volume licensing:"),
    ("CHPA", "activation server:"),
    ("MAK", "MAK"),
    ("DMAK", "MAK"),
    ("PKEY", "product key"),
    ("OOBE", "OOBE"),
    ("SSL", "SSL"),
    ("TLS", "TLS"),
    ("URL", "URL"),
    ("CBS", "CBS"),
    ("WIM", "WIM"),
    ("EULA", "license terms"),
    ("UA", "update agent:"),
    ("COMPAT", "compatibility"),
    ("SYSREQ", "system requirements"),
    ("INSTALLREQ", "install requirements"),
    ("DOWNLOADREQ", "download requirements"),
    ("MIGCHOICE", "migration choice"),
    ("DISKSPACE", "disk space"),
    ("INSTALLDISKSPACE", "install disk space"),
    ("DOWNLOADDISKSPACE", "download disk space"),
    ("IRQL", "IRQL"),
    ("NTFS", "NTFS"),
    ("FAT", "FAT"),
    ("PFN", "page frame"),
    ("WHEA", "hardware error (WHEA)"),
    ("DPC", "DPC"),
    ("APC", "APC"),
    ("ACPI", "ACPI"),
    ("USB", "USB"),
    ("PCI", "PCI"),
    ("VSS", "shadow copy"),
    ("BITS", "BITS"),
];

/// Plain words for `name` (a symbolic name of `family`).
pub fn humanise(name: &str, family: Family) -> String {
    let mut rest = name;
    if family != Family::BugCheck
        && let Some(p) = PREFIXES
            .iter()
            .find(|p| rest.starts_with(**p) && rest.len() > p.len())
    {
        rest = &rest[p.len()..];
    }
    let mut out = String::with_capacity(rest.len() + 8);
    for word in rest.split('_').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        match WORDS.iter().find(|(abbr, _)| *abbr == word) {
            Some((_, long)) => out.push_str(long),
            None => out.extend(word.chars().map(|c| c.to_ascii_lowercase())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_family_prefix_and_lowercases() {
        assert_eq!(
            humanise("ERROR_FILE_NOT_FOUND", Family::Win32),
            "file not found"
        );
        assert_eq!(
            humanise("STATUS_ACCESS_DENIED", Family::NtStatus),
            "access denied"
        );
        assert_eq!(humanise("E_ACCESSDENIED", Family::HResult), "accessdenied");
    }

    #[test]
    fn expands_known_abbreviations() {
        assert_eq!(
            humanise("WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", Family::WindowsUpdate),
            "update protocol: WinHTTP name not resolved"
        );
        assert_eq!(
            humanise("ERROR_SXS_COMPONENT_STORE_CORRUPT", Family::Win32),
            "side-by-side (component store) component store corrupt"
        );
    }

    #[test]
    fn bug_check_names_keep_every_word() {
        assert_eq!(
            humanise("CRITICAL_PROCESS_DIED", Family::BugCheck),
            "critical process died"
        );
        // "STATUS_" is part of a bug check's name, not a family prefix.
        assert_eq!(
            humanise("STATUS_SYSTEM_PROCESS_TERMINATED", Family::BugCheck),
            "status system process terminated"
        );
    }

    #[test]
    fn prefix_alone_is_kept() {
        assert_eq!(humanise("E_", Family::HResult), "e");
    }
}
