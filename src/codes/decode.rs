//! Decoding a found code: its layout (HRESULT, NTSTATUS or plain number),
//! severity, facility, every meaning ordered by the message's context, and
//! the phase and operation of an upgrade extend code.

use std::fmt;

use serde::Serialize;

use super::context::contains_ci;
use super::extract::Found;
use super::family::{Api, Family};
use super::hex;
use super::table::{CodeTables, Meaning};

/// How the 32 bits are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Layout {
    /// Severity bit, facility (11 bits, 13 for newer facilities), code.
    #[serde(rename = "hresult")]
    HResult,
    /// Two severity bits, customer bit, facility (12 bits), code.
    #[serde(rename = "ntstatus")]
    NtStatus,
    /// A plain number: a bug check or a Win32 error number.
    #[serde(rename = "number")]
    Number,
}

/// How bad the value says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Success,
    Informational,
    Warning,
    Error,
}

/// The extend code of an upgrade error: `0x4000D` is phase 4, operation 0xD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtDecoded {
    pub value: u32,
    /// `0x` + upper-case hex without padding, as Setup prints it (`0x4000D`).
    pub hex: String,
    pub phase: u8,
    /// Microsoft's name for the phase, e.g. `SP_EXECUTION_OOBE_BOOT`.
    pub phase_name: Option<&'static str>,
    /// Plain words for the phase.
    pub phase_label: Option<&'static str>,
    pub operation: u16,
    /// Microsoft's name for the operation, e.g. `SP_EXECUTION_OP_MIGRATE_DATA`.
    pub operation_name: Option<&'static str>,
    /// Plain words for the operation.
    pub operation_label: Option<&'static str>,
}

impl fmt::Display for ExtDecoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "extend code {}: phase {}", self.hex, self.phase)?;
        if let (Some(name), Some(label)) = (self.phase_name, self.phase_label) {
            write!(f, " {name} ({label})")?;
        }
        write!(f, ", operation 0x{:X}", self.operation)?;
        if let (Some(name), Some(label)) = (self.operation_name, self.operation_label) {
            write!(f, " {name} ({label})")?;
        }
        Ok(())
    }
}

/// Phases of an upgrade, as Microsoft's upgrade error-code documentation
/// numbers them, with our own plain words.
const PHASES: [(&str, &str); 6] = [
    ("SP_EXECUTION_UNKNOWN", "unknown phase"),
    (
        "SP_EXECUTION_DOWNLEVEL",
        "downlevel: still running the old Windows",
    ),
    (
        "SP_EXECUTION_SAFE_OS",
        "Safe OS: preparing the new Windows in a minimal environment",
    ),
    ("SP_EXECUTION_FIRST_BOOT", "first boot into the new Windows"),
    (
        "SP_EXECUTION_OOBE_BOOT",
        "second boot (OOBE) into the new Windows",
    ),
    (
        "SP_EXECUTION_UNINSTALL",
        "uninstall: rolling back to the old Windows",
    ),
];

/// Operations of an upgrade (0x0 to 0x20), names as Microsoft documents
/// them (including its spelling of INSTALL_DRVIERS), with our own words.
const OPERATIONS: [(&str, &str); 33] = [
    ("SP_EXECUTION_OP_UNKNOWN", "unknown operation"),
    ("SP_EXECUTION_OP_COPY_PAYLOAD", "copying the setup files"),
    ("SP_EXECUTION_OP_DOWNLOAD_UPDATES", "downloading updates"),
    ("SP_EXECUTION_OP_INSTALL_UPDATES", "installing updates"),
    (
        "SP_EXECUTION_OP_INSTALL_RECOVERY_ENVIRONMENT",
        "installing the recovery environment",
    ),
    (
        "SP_EXECUTION_OP_INSTALL_RECOVERY_IMAGE",
        "installing the recovery image",
    ),
    (
        "SP_EXECUTION_OP_REPLICATE_OC",
        "carrying over optional components",
    ),
    ("SP_EXECUTION_OP_INSTALL_DRVIERS", "installing drivers"),
    ("SP_EXECUTION_OP_PREPARE_SAFE_OS", "preparing the Safe OS"),
    ("SP_EXECUTION_OP_PREPARE_ROLLBACK", "preparing the rollback"),
    (
        "SP_EXECUTION_OP_PREPARE_FIRST_BOOT",
        "preparing the first boot",
    ),
    (
        "SP_EXECUTION_OP_PREPARE_OOBE_BOOT",
        "preparing the OOBE boot",
    ),
    ("SP_EXECUTION_OP_APPLY_IMAGE", "applying the Windows image"),
    (
        "SP_EXECUTION_OP_MIGRATE_DATA",
        "moving settings, apps and files over",
    ),
    ("SP_EXECUTION_OP_SET_PRODUCT_KEY", "setting the product key"),
    ("SP_EXECUTION_OP_ADD_UNATTEND", "adding the answer file"),
    ("SP_EXECUTION_OP_ADD_DRIVER", "adding a driver"),
    ("SP_EXECUTION_OP_ENABLE_FEATURE", "turning a feature on"),
    ("SP_EXECUTION_OP_DISABLE_FEATURE", "turning a feature off"),
    (
        "SP_EXECUTION_OP_REGISTER_ASYNC_PROCESS",
        "registering a background process",
    ),
    (
        "SP_EXECUTION_OP_REGISTER_SYNC_PROCESS",
        "registering a process",
    ),
    ("SP_EXECUTION_OP_CREATE_FILE", "creating a file"),
    ("SP_EXECUTION_OP_CREATE_REGISTRY", "creating registry data"),
    (
        "SP_EXECUTION_OP_BOOT",
        "booting (usually a driver failing at start)",
    ),
    (
        "SP_EXECUTION_OP_SYSPREP",
        "running sysprep (usually a device driver not answering)",
    ),
    ("SP_EXECUTION_OP_OOBE", "running OOBE"),
    (
        "SP_EXECUTION_OP_BEGIN_FIRST_BOOT",
        "starting the first boot",
    ),
    ("SP_EXECUTION_OP_END_FIRST_BOOT", "finishing the first boot"),
    ("SP_EXECUTION_OP_BEGIN_OOBE_BOOT", "starting the OOBE boot"),
    ("SP_EXECUTION_OP_END_OOBE_BOOT", "finishing the OOBE boot"),
    ("SP_EXECUTION_OP_PRE_OOBE", "just before OOBE"),
    ("SP_EXECUTION_OP_POST_OOBE", "just after OOBE"),
    (
        "SP_EXECUTION_OP_ADD_PROVISIONING_PACKAGE",
        "adding a provisioning package",
    ),
];

/// Splits an extend code into phase (bits 16 and up) and operation (low 16 bits).
pub fn decode_ext(value: u32) -> ExtDecoded {
    let phase = (value >> 16).min(u8::MAX as u32) as u8;
    let operation = (value & 0xFFFF) as u16;
    let p = PHASES.get(phase as usize);
    let o = OPERATIONS.get(operation as usize);
    ExtDecoded {
        value,
        hex: format!("0x{value:X}"),
        phase,
        phase_name: p.map(|p| p.0),
        phase_label: p.map(|p| p.1),
        operation,
        operation_name: o.map(|o| o.0),
        operation_label: o.map(|o| o.1),
    }
}

/// A found code, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoded {
    pub code: u32,
    /// `0x` + 8 upper-case hex digits.
    pub hex: String,
    pub layout: Layout,
    pub severity: Severity,
    /// The facility number (HRESULT or NTSTATUS layout), named or not.
    pub facility_number: Option<u16>,
    /// The facility number and its name, when the name is known.
    pub facility: Option<(u16, &'static str)>,
    /// The low 16 bits (the error number inside the facility).
    pub number: u16,
    /// Every meaning, the likeliest for this message first.
    pub meanings: Vec<Meaning>,
    /// The upgrade extend code, when the message gave one.
    pub ext: Option<ExtDecoded>,
}

/// Explains `found`; `context` is the message (or the part of it around the
/// code) and decides the order of meanings: stop-code words put a bug check
/// first, "winhttp"/"update" words put the WinHTTP name before WinINet's.
pub fn decode(found: &Found, context: &str, tables: &CodeTables) -> Decoded {
    let code = found.code;
    let mut meanings = tables.meanings(code);
    // Names from HRESULT-style families (SL_E_* are 0xC004xxxx) keep the HRESULT layout.
    let hresult_named = meanings
        .iter()
        .any(|m| !matches!(m.family, Family::NtStatus | Family::BugCheck));
    let layout = if tables.is_ntstatus(code)
        || (code >> 30 == 3 && !hresult_named && tables.ntstatus_facility(code).is_some())
    {
        Layout::NtStatus
    } else if code <= 0xFFFF {
        Layout::Number
    } else {
        Layout::HResult
    };
    let severity = match layout {
        Layout::NtStatus => match code >> 30 {
            0 => Severity::Success,
            1 => Severity::Informational,
            2 => Severity::Warning,
            _ => Severity::Error,
        },
        Layout::HResult if code & 0x8000_0000 != 0 => Severity::Error,
        Layout::HResult => Severity::Success,
        Layout::Number if code == 0 => Severity::Success,
        Layout::Number => Severity::Error,
    };
    let (facility_number, facility) = match layout {
        Layout::HResult => {
            let named = tables.hresult_facility(code);
            (
                Some(named.map_or(((code >> 16) & 0x7FF) as u16, |f| f.0)),
                named,
            )
        }
        Layout::NtStatus => {
            let named = tables.ntstatus_facility(code);
            (Some(((code >> 16) & 0xFFF) as u16), named)
        }
        Layout::Number => (None, None),
    };
    order_by_context(&mut meanings, found, context);
    // A code framed as a stop code ("stop code 0x3B", "BugCheck 0x7E") is a
    // blue screen: its Win32 or NTSTATUS namesakes only confuse the reader.
    if found.stop_framed && meanings.iter().any(|m| m.family == Family::BugCheck) {
        meanings.retain(|m| m.family == Family::BugCheck);
    }
    Decoded {
        code,
        hex: hex(code),
        layout,
        severity,
        facility_number,
        facility,
        number: (code & 0xFFFF) as u16,
        meanings,
        ext: found.ext.map(decode_ext),
    }
}

/// Words that make a bug check the likeliest meaning.
const BSOD_PHRASES: &[&str] = &[
    "bsod",
    "blue screen",
    "bluescreen",
    "bug check",
    "bugcheck",
    "stop code",
    "stopcode",
    "stop error",
    "minidump",
    "memory.dmp",
    "crash dump",
    "crash 0x",
    "crashed with 0x",
    "green screen",
];
/// Words that point at WinHTTP (used by Windows Update, activation, the Store).
const WINHTTP_PHRASES: &[&str] = &[
    "winhttp",
    "update",
    "wsus",
    "activat",
    "store",
    "bits",
    "defender",
    "powershell",
    "kms",
    "license",
    "proxy",
];
/// Words that point at WinINet (browsers, Internet Options, Office).
const WININET_PHRASES: &[&str] = &[
    "wininet",
    "internet explorer",
    "internet options",
    "browser",
    " ie ",
    "ie11",
    "outlook",
];

/// Beyond this size only a window around the code is read for context.
const CONTEXT_WINDOW: usize = 2048;

fn order_by_context(meanings: &mut [Meaning], found: &Found, context: &str) {
    if meanings.len() < 2 {
        return;
    }
    let text = context_window(context.as_bytes(), found);
    let bsod = found.stop_framed || BSOD_PHRASES.iter().any(|p| contains_ci(text, p));
    let mut api_first = Api::WinInet;
    if meanings.iter().any(|m| m.family == Family::Internet) {
        let score = |list: &[&str]| list.iter().filter(|p| contains_ci(text, p)).count();
        if score(WINHTTP_PHRASES) > score(WININET_PHRASES) {
            api_first = Api::WinHttp;
        }
    }
    meanings.sort_by_key(|m| {
        let bug_first = if bsod && m.family == Family::BugCheck {
            0
        } else {
            1
        };
        let api = match m.api {
            Some(a) if a == api_first => 0,
            Some(_) => 1,
            None => 0,
        };
        (bug_first, m.family.rank(), api)
    });
}

fn context_window<'a>(text: &'a [u8], found: &Found) -> &'a [u8] {
    if text.len() <= 2 * CONTEXT_WINDOW {
        return text;
    }
    let start = found.start.min(text.len()).saturating_sub(CONTEXT_WINDOW);
    let end = found
        .end
        .min(text.len())
        .saturating_add(CONTEXT_WINDOW)
        .min(text.len());
    &text[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(code: u32) -> Found {
        Found {
            code,
            ext: None,
            start: 0,
            end: 0,
            stop_framed: false,
        }
    }

    #[test]
    fn ext_splits_phase_and_operation() {
        let e = decode_ext(0x4000D);
        assert_eq!((e.phase, e.operation), (4, 0xD));
        assert_eq!(e.phase_name, Some("SP_EXECUTION_OOBE_BOOT"));
        assert_eq!(e.operation_name, Some("SP_EXECUTION_OP_MIGRATE_DATA"));
        assert_eq!(e.hex, "0x4000D");
        let e = decode_ext(0x20017);
        assert_eq!(e.phase_name, Some("SP_EXECUTION_SAFE_OS"));
        assert_eq!(e.operation_name, Some("SP_EXECUTION_OP_BOOT"));
        let e = decode_ext(0x50011);
        assert_eq!(e.phase_name, Some("SP_EXECUTION_UNINSTALL"));
        assert_eq!(e.operation_name, Some("SP_EXECUTION_OP_ENABLE_FEATURE"));
    }

    #[test]
    fn unknown_phase_and_operation_stay_numbers() {
        let e = decode_ext(0x60000);
        assert_eq!(e.phase, 6);
        assert_eq!(e.phase_name, None);
        assert_eq!(e.operation_name, Some("SP_EXECUTION_OP_UNKNOWN"));
        let e = decode_ext(0x30021);
        assert_eq!(e.operation_name, None);
        assert!(e.to_string().contains("operation 0x21"), "{e}");
    }

    #[test]
    fn ext_display_names_both_parts() {
        let s = decode_ext(0x4000D).to_string();
        assert!(
            s.starts_with("extend code 0x4000D: phase 4 SP_EXECUTION_OOBE_BOOT"),
            "{s}"
        );
        assert!(s.contains("SP_EXECUTION_OP_MIGRATE_DATA"), "{s}");
    }

    #[test]
    fn hresult_layout_and_facility() {
        let d = decode(&found(0x8007_0002), "", CodeTables::bundled());
        assert_eq!(d.layout, Layout::HResult);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.facility, Some((7, "WIN32")));
        assert_eq!(d.number, 2);
        assert_eq!(d.hex, "0x80070002");
    }

    #[test]
    fn ntstatus_layout_has_two_severity_bits() {
        let t = CodeTables::bundled();
        let d = decode(&found(0xC000_0022), "", t);
        assert_eq!((d.layout, d.severity), (Layout::NtStatus, Severity::Error));
        let d = decode(&found(0x8000_0005), "", t);
        assert_eq!(
            (d.layout, d.severity),
            (Layout::NtStatus, Severity::Warning),
            "STATUS_BUFFER_OVERFLOW"
        );
        let d = decode(&found(0x4000_0000), "", t);
        assert_eq!(d.severity, Severity::Informational, "{d:?}");
    }

    #[test]
    fn plain_numbers_have_no_facility() {
        let d = decode(&found(0x7B), "", CodeTables::bundled());
        assert_eq!(d.layout, Layout::Number);
        assert_eq!(d.facility, None);
        assert_eq!(d.facility_number, None);
    }

    #[test]
    fn a_stop_framed_code_keeps_only_its_bug_check_meaning() {
        let t = CodeTables::bundled();
        let loose = decode(&found(0x3B), "", t);
        assert!(
            loose.meanings.len() > 1,
            "0x3B is also a Win32 error: {loose:?}"
        );
        let framed = Found {
            stop_framed: true,
            ..found(0x3B)
        };
        let d = decode(&framed, "stop code 0x3B", t);
        assert!(!d.meanings.is_empty());
        assert!(
            d.meanings.iter().all(|m| m.family == Family::BugCheck),
            "{d:?}"
        );
    }

    #[test]
    fn unknown_facility_keeps_its_number() {
        let d = decode(&found(0x8A1F_2C3D), "", CodeTables::bundled());
        assert_eq!(d.facility, None);
        assert_eq!(d.facility_number, Some(0x21F));
        assert!(d.meanings.is_empty());
    }

    #[test]
    fn context_window_is_bounded_and_safe() {
        let text = vec![b'a'; 10_000];
        let f = Found {
            code: 1,
            ext: None,
            start: 9_990,
            end: 20_000,
            stop_framed: false,
        };
        assert_eq!(context_window(&text, &f).len(), CONTEXT_WINDOW + 10);
        let f = Found {
            code: 1,
            ext: None,
            start: 50_000,
            end: 60_000,
            stop_framed: false,
        };
        assert!(context_window(&text, &f).len() <= CONTEXT_WINDOW);
    }
}
