//! Code families: which table a name comes from, and how families are ordered.

use serde::Serialize;

/// The table a code's name comes from. Each family is one file
/// `knowledge/codes/<slug>.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Family {
    /// Win32 error numbers (`ERROR_*`), also met as HRESULTs `0x8007xxxx`.
    #[serde(rename = "win32")]
    Win32,
    /// Other HRESULTs (`E_*`, `CO_E_*`, `CERT_E_*`, ...).
    #[serde(rename = "hresult")]
    HResult,
    /// Kernel status values (`STATUS_*`).
    #[serde(rename = "ntstatus")]
    NtStatus,
    /// Windows Update agent (`WU_E_*`, facility 0x24).
    #[serde(rename = "windows-update")]
    WindowsUpdate,
    /// Licensing and activation (`SL_E_*`).
    #[serde(rename = "activation")]
    Activation,
    /// WinINet and WinHTTP error numbers (12xxx, as HRESULTs `0x80072xxx`).
    #[serde(rename = "internet")]
    Internet,
    /// Servicing stack (`CBS_E_*`, `PSFX_E_*`).
    #[serde(rename = "cbs")]
    Cbs,
    /// Upgrade setup (`MOSETUP_E_*`, `0xC19xxxxx`).
    #[serde(rename = "setup")]
    Setup,
    /// Bug checks (stop codes), e.g. `CRITICAL_PROCESS_DIED` = 0xEF.
    #[serde(rename = "bugcheck")]
    BugCheck,
    /// Microsoft Store (`0x803Fxxxx`).
    #[serde(rename = "store")]
    Store,
    /// .NET runtime (`COR_E_*`, facility 0x13).
    #[serde(rename = "dotnet")]
    DotNet,
    /// Windows Backup and shadow copies (`VSS_E_*`, `0x8078xxxx`).
    #[serde(rename = "backup")]
    Backup,
}

impl Family {
    /// Every family, in the order of the public list.
    pub const ALL: [Family; 12] = [
        Family::Win32,
        Family::HResult,
        Family::NtStatus,
        Family::WindowsUpdate,
        Family::Activation,
        Family::Internet,
        Family::Cbs,
        Family::Setup,
        Family::BugCheck,
        Family::Store,
        Family::DotNet,
        Family::Backup,
    ];

    /// The short name used in file names and in the knowledge base.
    pub fn slug(self) -> &'static str {
        match self {
            Family::Win32 => "win32",
            Family::HResult => "hresult",
            Family::NtStatus => "ntstatus",
            Family::WindowsUpdate => "windows-update",
            Family::Activation => "activation",
            Family::Internet => "internet",
            Family::Cbs => "cbs",
            Family::Setup => "setup",
            Family::BugCheck => "bugcheck",
            Family::Store => "store",
            Family::DotNet => "dotnet",
            Family::Backup => "backup",
        }
    }

    /// The family with this slug (exact, lower case).
    pub fn from_slug(slug: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.slug() == slug)
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Family::Win32 => "Win32 error",
            Family::HResult => "HRESULT",
            Family::NtStatus => "NTSTATUS",
            Family::WindowsUpdate => "Windows Update",
            Family::Activation => "Activation",
            Family::Internet => "WinINet/WinHTTP",
            Family::Cbs => "Servicing stack (CBS)",
            Family::Setup => "Windows upgrade setup",
            Family::BugCheck => "Bug check (stop code)",
            Family::Store => "Microsoft Store",
            Family::DotNet => ".NET",
            Family::Backup => "Windows Backup",
        }
    }

    /// Position in [`Family::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Default order of meanings when nothing in the message says otherwise:
    /// the narrow, product-specific families first, the generic ones last.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Family::Setup => 0,
            Family::WindowsUpdate => 1,
            Family::Activation => 2,
            Family::Cbs => 3,
            Family::Store => 4,
            Family::Backup => 5,
            Family::DotNet => 6,
            Family::Internet => 7,
            Family::Win32 => 8,
            Family::HResult => 9,
            Family::NtStatus => 10,
            Family::BugCheck => 11,
        }
    }
}

/// Which network API an internet-family name belongs to: the two share
/// numbers but not always meanings (12175 is a decoding failure in WinINet
/// and a TLS failure in WinHTTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Api {
    #[serde(rename = "wininet")]
    WinInet,
    #[serde(rename = "winhttp")]
    WinHttp,
}

impl Api {
    pub fn label(self) -> &'static str {
        match self {
            Api::WinInet => "WinINet",
            Api::WinHttp => "WinHTTP",
        }
    }

    pub(crate) fn from_tag(tag: &str) -> Option<Api> {
        match tag {
            "wininet" => Some(Api::WinInet),
            "winhttp" => Some(Api::WinHttp),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        for f in Family::ALL {
            assert_eq!(Family::from_slug(f.slug()), Some(f));
            assert_eq!(Family::ALL[f.index()], f);
        }
        let mut slugs: Vec<_> = Family::ALL.iter().map(|f| f.slug()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 12);
        assert_eq!(Family::from_slug("Win32"), None);
        assert_eq!(Family::from_slug("generic"), None);
    }

    #[test]
    fn serializes_as_slug() {
        let json = serde_json::to_string(&Family::WindowsUpdate).unwrap();
        assert_eq!(json, "\"windows-update\"");
        assert_eq!(serde_json::to_string(&Api::WinHttp).unwrap(), "\"winhttp\"");
    }

    #[test]
    fn specific_families_rank_before_generic_ones() {
        assert!(Family::Setup.rank() < Family::Win32.rank());
        assert!(Family::Internet.rank() < Family::HResult.rank());
        assert!(Family::Win32.rank() < Family::BugCheck.rank());
    }
}
