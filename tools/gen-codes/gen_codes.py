#!/usr/bin/env python3
"""Regenerate knowledge/codes/*.tsv from package sources plus hand.tsv.

Sources (all from package registries, nothing else is downloaded):
  * the `windows-sys` crate, fetched by cargo through the throwaway project in
    ./fetch (its constants typed WIN32_ERROR, HRESULT, NTSTATUS, BUGCHECK_ERROR,
    FACILITY_CODE, NTSTATUS_FACILITY_CODE, and the WinINet / WinHTTP error numbers);
  * Debian's `mingw-w64-common` headers in /usr/share/mingw-w64/include
    (wuerror.h, bugcodes.h, wininet.h, winhttp.h, winerror.h, ntstatus.h,
    slerror.h, corerror.h, vsserror.h);
  * ./hand.tsv, facts entered by hand for codes no package names.

Only numbers and names are taken from the sources; no message text.
Run from anywhere:  python3 tools/gen-codes/gen_codes.py   (see README.md)
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(ROOT, "knowledge", "codes")
MINGW_DIR = "/usr/share/mingw-w64/include"
WINDOWS_SYS_VERSION = "0.61.2"

FAMILIES = [
    "win32", "hresult", "ntstatus", "windows-update", "activation", "internet",
    "cbs", "setup", "bugcheck", "store", "dotnet", "backup",
]

# When one number has several names in a family, the first one found in this
# list of prefixes becomes the primary name (the one shown first).
PRIMARY_PREFIX = {
    "win32": ["ERROR_"],
    "hresult": ["E_", "S_", "CO_E_", "RPC_E_", "TRUST_E_", "CERT_E_"],
    "ntstatus": ["STATUS_"],
}

# Facility numbers shared by several names: the name listed here goes first.
FACILITY_PREFERRED = {"SECURITY", "CONFIGURATION", "SHELL", "WINDOWS_SETUP", "WINPE", "POWERSHELL", "SPP"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


# ---------------------------------------------------------------- windows-sys

def windows_sys_src() -> str:
    """Ask cargo (through ./fetch) where windows-sys lives; cargo downloads it if needed."""
    manifest = os.path.join(HERE, "fetch", "Cargo.toml")
    try:
        out = subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--manifest-path", manifest],
            check=True, capture_output=True, text=True,
        ).stdout
        for pkg in json.loads(out)["packages"]:
            if pkg["name"] == "windows-sys":
                return os.path.join(os.path.dirname(pkg["manifest_path"]), "src")
    except (OSError, subprocess.CalledProcessError) as err:
        log(f"cargo metadata failed ({err}); looking in ~/.cargo/registry instead")
    hits = glob.glob(os.path.expanduser(f"~/.cargo/registry/src/*/windows-sys-{WINDOWS_SYS_VERSION}/src"))
    if not hits:
        sys.exit(f"windows-sys {WINDOWS_SYS_VERSION} not found; run `cargo fetch` in {HERE}/fetch")
    return hits[0]


CONST_RE = re.compile(r"^pub const ([A-Za-z0-9_]+): ([A-Za-z0-9_:]+) = (.+?);$")


def rust_value(text: str) -> int | None:
    text = text.strip()
    m = re.fullmatch(r"(-?)(0x[0-9A-Fa-f_]+|[0-9_]+)(?:_?[iu](?:8|16|32|64|size))?(?: as _)?", text)
    if not m:
        return None
    value = int(m.group(2).replace("_", ""), 0)
    if m.group(1):
        value = -value
    return value & 0xFFFFFFFF


def read_windows_sys(src: str):
    """Yield (kind, name, value, module) for the constant kinds we use."""
    for path in sorted(glob.glob(os.path.join(src, "Windows", "**", "*.rs"), recursive=True)):
        module = os.path.relpath(os.path.dirname(path), os.path.join(src, "Windows")).replace(os.sep, "_")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.startswith("pub const "):
                    continue
                m = CONST_RE.match(line.strip())
                if not m:
                    continue
                name, ty, raw = m.groups()
                ty = ty.split("::")[-1]
                value = rust_value(raw)
                if value is None:
                    continue
                if ty in ("WIN32_ERROR", "HRESULT", "NTSTATUS", "BUGCHECK_ERROR",
                          "FACILITY_CODE", "NTSTATUS_FACILITY_CODE"):
                    yield ty, name, value, module
                elif ty == "u32" and module.endswith("Networking_WinInet") and 12000 <= value <= 12999 and name.startswith("ERROR_"):
                    yield "WININET", name, value, module
                elif ty == "u32" and module.endswith("Networking_WinHttp") and 12000 <= value <= 12999 and name.startswith("ERROR_WINHTTP_"):
                    yield "WINHTTP", name, value, module


# ---------------------------------------------------------------- C headers

DEFINE_RE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*$")
CAST_RE = re.compile(r"\(\s*(?:HRESULT|NTSTATUS|DWORD|ULONG|LONG|SCODE|UINT|int|long|unsigned long|unsigned int)\s*\)")
WRAPPERS = ("_HRESULT_TYPEDEF_", "_NDIS_ERROR_TYPEDEF_", "__MSABI_LONG", "_SCODE_TYPEDEF_")
SAFE_EXPR = re.compile(r"^[0-9a-fA-FxX()+\-*|&<>~ ]+$")


def read_defines(path: str) -> dict[str, str]:
    defines: dict[str, str] = {}
    with open(path, encoding="latin-1") as fh:
        text = re.sub(r"/\*.*?\*/", " ", fh.read(), flags=re.S)
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("//", 1)[0]
        m = DEFINE_RE.match(line)
        if m and "(" not in m.group(1):
            name, body = m.groups()
            if not line.split(name, 1)[1].startswith("("):  # skip function-like macros
                defines.setdefault(name, body)
    return defines


def evaluate(name: str, defines: dict[str, str], depth: int = 0) -> int | None:
    if depth > 12 or name not in defines:
        return None
    expr = defines[name]
    for wrapper in WRAPPERS:
        expr = expr.replace(wrapper, "")
    expr = CAST_RE.sub("", expr)
    expr = re.sub(r"\bEMAKEHR\s*\(", "MAKE_HRESULT(1,19,", expr)
    expr = re.sub(r"\bSMAKEHR\s*\(", "MAKE_HRESULT(0,19,", expr)
    m = re.fullmatch(r"\s*\(?\s*MAKE_HRESULT\s*\(([^,]+),([^,]+),(.+)\)\s*\)?\s*", expr)
    if m:
        parts = [sub_value(p, defines, depth) for p in m.groups()]
        if None in parts:
            return None
        sev, fac, code = parts
        return ((sev & 1) << 31 | (fac & 0x1FFF) << 16 | (code & 0xFFFF)) & 0xFFFFFFFF
    return sub_value(expr, defines, depth)


def sub_value(expr: str, defines: dict[str, str], depth: int) -> int | None:
    def repl(m: re.Match) -> str:
        word = m.group(0)
        if re.fullmatch(r"0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*", word):
            return re.sub(r"[uUlL]+$", "", word)
        value = evaluate(word, defines, depth + 1)
        if value is None:
            raise KeyError(word)
        return str(value)

    try:
        expr = re.sub(r"\b[A-Za-z_0-9]+\b", repl, expr)
    except KeyError:
        return None
    if not SAFE_EXPR.match(expr):
        return None
    try:
        return int(eval(expr, {"__builtins__": {}}, {})) & 0xFFFFFFFF  # only digits and operators
    except Exception:  # noqa: BLE001 - a define we cannot evaluate is skipped
        return None


def read_header(filename: str, keep) -> list[tuple[str, int]]:
    path = os.path.join(MINGW_DIR, filename)
    defines = read_defines(path)
    out = []
    for name in defines:
        if not keep(name):
            continue
        value = evaluate(name, defines)
        if value is not None:
            out.append((name, value))
    return out


# ---------------------------------------------------------------- families

def hresult_family(name: str, value: int) -> str:
    if name.startswith(("WU_E_", "WU_S_", "USO_E_")) or (value >> 16) == 0x8024:
        return "windows-update"
    if name.startswith(("SL_E_", "SL_I_", "SL_REMAPPING_")):
        return "activation"
    if (value >> 16) in (0x8013, 0x0013) or name.startswith(("COR_E_", "CORSEC_E_", "CLR_E_")):
        return "dotnet"
    if (value >> 16) == 0x803F:
        return "store"
    if name.startswith(("CBS_E_", "CBS_S_", "PSFX_E_")):
        return "cbs"
    if name.startswith("MOSETUP_E_"):
        return "setup"
    if name.startswith(("VSS_E_", "VSS_S_")):
        return "backup"
    return "hresult"


class Tables:
    def __init__(self) -> None:
        # family -> code -> {name: note}; internet rows keep api in a side map
        self.rows: dict[str, dict[int, dict[str, str]]] = {f: defaultdict(dict) for f in FAMILIES}
        self.api: dict[str, str] = {}
        self.name_seen: dict[str, tuple[str, int]] = {}
        self.conflicts: list[str] = []
        self.skipped_names = 0
        self.facilities = {"hresult": defaultdict(list), "ntstatus": defaultdict(list)}

    def add(self, family: str, code: int, name: str, note: str = "") -> None:
        # Symbolic names are upper-case identifiers; a few SDK headers also hold
        # mixed-case ones (ESE's hrNone...) that nobody pastes into a help channel.
        if name != "-" and not re.fullmatch(r"[A-Z][A-Z0-9_]*(?:[a-z][A-Z0-9_]*)?", name):
            self.skipped_names += 1
            return
        prior = self.name_seen.get(name)
        if prior is not None and name != "-":
            if prior != (family, code):
                self.conflicts.append(f"{name}: kept {prior[0]} 0x{prior[1]:08X}, skipped {family} 0x{code:08X}")
            if note and prior == (family, code):
                self.rows[family][code][name] = note
            return
        if name != "-":
            self.name_seen[name] = (family, code)
        current = self.rows[family][code].get(name, "")
        self.rows[family][code][name] = note or current


# bugcodes.h also holds message-table ids (banner strings, message intros) that
# share the type of bug-check codes but are no stop codes.
NOT_BUGCHECK = re.compile(r"(_STRING|_STRING_PLURAL|_BANNER|_MESSAGE_INTRO|_TECH_INFO|_CONTEXT_MODIFIER|^BUGCODE_PSS_MESSAGE)$")


def is_bugcheck(name: str) -> bool:
    return not NOT_BUGCHECK.search(name)


def internet_api(name: str) -> str:
    return "winhttp" if name.startswith("ERROR_WINHTTP_") else "wininet"


def collect(args) -> Tables:
    t = Tables()
    # Hand rows first: their names and notes win over generated ones.
    for fam, code, name, note in read_hand(os.path.join(HERE, "hand.tsv")):
        t.add(fam, code, name, note)
        if fam == "internet":
            t.api[name] = internet_api(name)

    src = windows_sys_src()
    log(f"windows-sys source: {src}")
    for kind, name, value, _module in read_windows_sys(src):
        if kind == "WIN32_ERROR":
            if value <= 0xFFFF:
                if 12000 <= value <= 12999 and name.startswith(("ERROR_INTERNET_", "ERROR_HTTP_", "ERROR_FTP_", "ERROR_GOPHER_", "ERROR_WINHTTP_")):
                    t.add("internet", value, name)
                    t.api[name] = internet_api(name)
                else:
                    t.add("win32", value, name)
        elif kind == "HRESULT":
            t.add(hresult_family(name, value), value, name)
        elif kind == "NTSTATUS":
            t.add("ntstatus", value, name)
        elif kind == "BUGCHECK_ERROR":
            if is_bugcheck(name):
                t.add("bugcheck", value, name)
        elif kind in ("WININET", "WINHTTP"):
            t.add("internet", value, name)
            t.api[name] = kind.lower()
        elif kind == "FACILITY_CODE":
            t.facilities["hresult"][value].append(name.removeprefix("FACILITY_"))
        elif kind == "NTSTATUS_FACILITY_CODE":
            t.facilities["ntstatus"][value].append(name.removeprefix("FACILITY_"))

    if not os.path.exists(os.path.join(MINGW_DIR, "winerror.h")):
        sys.exit("mingw-w64 headers missing: run `apt-get update && apt-get install -y mingw-w64-common`")

    skip_prefix = ("FACILITY_", "SEVERITY_", "STATUS_SEVERITY_", "_", "WINAPI", "INTERNET_ERROR_", "WINHTTP_ERROR_")

    def code_name(name: str) -> bool:
        return not name.startswith(skip_prefix) and name.upper() == name and "_" in name

    for name, value in read_header("winerror.h", code_name):
        if value <= 0xFFFF and not name.startswith(("E_", "S_", "CO_", "DISP_", "TYPE_E", "RPC_E", "NOERROR")):
            t.add("win32", value, name)
        elif value > 0xFFFF:
            t.add(hresult_family(name, value), value, name)
    for name, value in read_header("ntstatus.h", code_name):
        if name.startswith(("STATUS_", "DBG_", "RPC_NT_", "EPT_NT_")):
            t.add("ntstatus", value, name)
    for name, value in read_header("wuerror.h", code_name):
        t.add("windows-update", value, name)
    for name, value in read_header("bugcodes.h", code_name):
        if is_bugcheck(name):
            t.add("bugcheck", value, name)
    for header in ("wininet.h", "winhttp.h"):
        for name, value in read_header(header, code_name):
            if 12000 <= value <= 12999 and name.startswith("ERROR_"):
                t.add("internet", value, name)
                t.api.setdefault(name, internet_api(name) if header == "winhttp.h" else "wininet")
    for name, value in read_header("slerror.h", code_name):
        t.add("activation", value, name)
    for name, value in read_header("corerror.h", code_name):
        if value >= 0x80000000:
            t.add("dotnet", value, name)
    for name, value in read_header("vsserror.h", code_name):
        t.add("backup", value, name)
    return t


def read_hand(path: str):
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3 or cols[0] not in FAMILIES:
                sys.exit(f"hand.tsv:{lineno}: expected family<TAB>code<TAB>NAME[<TAB>note]")
            fam, code_text, name = cols[0], cols[1], cols[2].strip()
            code = int(code_text, 16)
            if fam in ("win32", "internet") and (code >> 16) == 0x8007:
                code &= 0xFFFF
            note = cols[3].strip() if len(cols) > 3 else ""
            yield fam, code, name, note


# ---------------------------------------------------------------- output

def primary_order(family: str, names: dict[str, str]) -> list[str]:
    prefixes = PRIMARY_PREFIX.get(family, [])

    def key(name: str):
        has_note = 0 if names[name] else 1
        rank = next((i for i, p in enumerate(prefixes) if name.startswith(p)), len(prefixes))
        return (has_note, rank, name == "-", len(name), name)

    return sorted(names, key=key)


def write_family(t: Tables, family: str) -> int:
    path = os.path.join(OUT_DIR, f"{family}.tsv")
    rows = t.rows[family]
    lines = [
        f"# hexhelp error codes, family `{family}`. Generated by tools/gen-codes/gen_codes.py: do not edit,",
        "# change tools/gen-codes/hand.tsv or the generator and run it again.",
    ]
    if family == "internet":
        lines.append("# Columns: code (plain error number) <TAB> NAME <TAB> api (wininet|winhttp) [<TAB> note]")
    elif family == "win32":
        lines.append("# Columns: code (plain Win32 error number; HRESULT form is 0x8007xxxx) <TAB> NAME [<TAB> note]")
    else:
        lines.append("# Columns: code <TAB> NAME (- when no public name) [<TAB> note]. The first row of a code is its primary name.")
    for code in sorted(rows):
        names = rows[code]
        if family == "internet":
            by_api = defaultdict(dict)
            for name, note in names.items():
                by_api[t.api.get(name, internet_api(name))][name] = note
            for api in ("wininet", "winhttp"):
                for name in primary_order(family, by_api.get(api, {})):
                    note = by_api[api][name]
                    lines.append("\t".join(x for x in (f"0x{code:08X}", name, api, note) if x))
            continue
        for name in primary_order(family, names):
            note = names[name]
            lines.append("\t".join(x for x in (f"0x{code:08X}", name, note) if x))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    return len(rows)


def write_facilities(t: Tables) -> None:
    os.makedirs(os.path.join(OUT_DIR, "facilities"), exist_ok=True)
    for kind, table in t.facilities.items():
        lines = [
            f"# {kind} facility numbers and names (windows-sys FACILITY_* constants, prefix dropped).",
            "# Generated by tools/gen-codes/gen_codes.py. Columns: number <TAB> NAME[/OTHER_NAME...]",
        ]
        for number in sorted(table):
            if number > 0xFFFF:
                continue
            names = sorted(set(table[number]), key=lambda n: (n not in FACILITY_PREFERRED, n))
            lines.append(f"{number}\t{'/'.join(names)}")
        with open(os.path.join(OUT_DIR, "facilities", f"{kind}.tsv"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show-conflicts", action="store_true", help="list names found with two different values")
    args = parser.parse_args()
    t = collect(args)
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for family in FAMILIES:
        count = write_family(t, family)
        total += count
        print(f"{family:15} {count:6}")
    write_facilities(t)
    print(f"{'total':15} {total:6}")
    if t.skipped_names:
        log(f"{t.skipped_names} mixed-case names skipped")
    if t.conflicts:
        log(f"{len(t.conflicts)} names seen with a second value (first kept)")
        if args.show_conflicts:
            for line in t.conflicts:
                log("  " + line)


if __name__ == "__main__":
    main()
