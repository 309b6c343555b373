#!/usr/bin/env python3
"""Count Windows error codes in real public posts, by context area.

Usage:
    python3 tools/demand/count.py FILE.jsonl [FILE.jsonl ...] > knowledge/demand.tsv

Each input line is a JSON object with at least "url" and "text" (title, blank
line, first message). A post given twice (same url, in one file or across
files) is counted once. Each distinct (code, area) counts once per post.
Standard library only.
"""

import json
import re
import sys
from collections import defaultdict

# --- code patterns ---------------------------------------------------------

# 0x followed by exactly 8 hex digits, not part of a longer token.
HEX8 = re.compile(r"(?<![0-9_])0[xX]([0-9A-Fa-f]{8})(?![0-9A-Za-z])")
# Bare 8-hex-digit failure codes (80244008, 80073CF6, C1900101), not inside
# a GUID, a hash or a longer word.
BARE8 = re.compile(r"(?<![0-9A-Za-z_\-.])([8Cc][0-9A-Fa-f]{7})(?![0-9A-Za-z_]|-[0-9A-Fa-f]{4}-)")
BARE_PREFIXES = ("80", "87", "88", "8A", "8D", "C0", "C1")
# Links: a bare number inside one is part of the address.
URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.IGNORECASE)
# Negative decimal HRESULTs as printed by .NET, winget and PowerShell.
NEGDEC = re.compile(r"(?<![0-9])-(1[6-9]\d{8}|2[01]\d{8})(?![0-9])")
# Short hex after a blue-screen word: "stop code 0x7E", "BugCheck 0x133".
BSOD_WORDS = r"(?:stop\s*code|stop\s*error|stop:|bug\s*check(?:\s*code)?|bugcheck(?:\s*code)?|bsod|blue\s*screen)"
SHORT_STOP = re.compile(BSOD_WORDS + r"[^\n]{0,60}?(?<![0-9A-Za-z])0[xX]([0-9A-Fa-f]{1,8})(?![0-9A-Za-z])",
                        re.IGNORECASE)
BSOD_CONTEXT = re.compile(BSOD_WORDS, re.IGNORECASE)
# Symbolic names people paste.
SYMBOLIC = re.compile(
    r"\b((?:WU_E|HCS_E|CBS_E|SL_E|CO_E|RPC_E|APPX_E|MSI_E|WININET_E|CERT_E|TRUST_E|NTE|"
    r"E_UNEXPECTED|STATUS|ERROR)_[A-Z0-9_]{3,})\b")
STOP_NAMES = [
    "IRQL_NOT_LESS_OR_EQUAL", "DRIVER_IRQL_NOT_LESS_OR_EQUAL", "CRITICAL_PROCESS_DIED",
    "SYSTEM_SERVICE_EXCEPTION", "PAGE_FAULT_IN_NONPAGED_AREA", "KMODE_EXCEPTION_NOT_HANDLED",
    "MEMORY_MANAGEMENT", "DPC_WATCHDOG_VIOLATION", "WHEA_UNCORRECTABLE_ERROR",
    "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED", "KERNEL_SECURITY_CHECK_FAILURE",
    "INACCESSIBLE_BOOT_DEVICE", "UNEXPECTED_KERNEL_MODE_TRAP", "CLOCK_WATCHDOG_TIMEOUT",
    "VIDEO_TDR_FAILURE", "DRIVER_POWER_STATE_FAILURE", "KERNEL_DATA_INPAGE_ERROR",
    "APC_INDEX_MISMATCH", "DRIVER_VERIFIER_DETECTED_VIOLATION", "BAD_POOL_HEADER",
    "SYSTEM_PTE_MISUSE", "HYPERVISOR_ERROR", "KERNEL_MODE_HEAP_CORRUPTION",
    "UNMOUNTABLE_BOOT_VOLUME", "CRITICAL_STRUCTURE_CORRUPTION", "NTFS_FILE_SYSTEM",
    "BAD_SYSTEM_CONFIG_INFO", "SECURE_KERNEL_ERROR", "ATTEMPTED_WRITE_TO_READONLY_MEMORY", "BUGCODE_NDIS_DRIVER",
    "KERNEL_AUTO_BOOST_LOCK_ACQUISITION_WITH_RAISED_IRQL", "SYSTEM_SERVICE_EXCEPTION",
]
STOP_NAME_RE = re.compile(r"\b(" + "|".join(n.replace("_", "[ _]") for n in STOP_NAMES) + r")\b", re.IGNORECASE)
# MSI exit codes in an installer context.
MSI_CODE = re.compile(r"(?<![0-9A-Za-z.,:/-])(16(?:0[1-9]|1\d|2\d|3\d|4\d))(?![0-9A-Za-z.,:/-])")
MSI_NEAR = re.compile(r"msi|msiexec|installer|install|setup|exit\s*code|return(?:ed|ing)?\s*(?:value|code)?|error\s*code",
                      re.IGNORECASE)

# Office Click-to-Run setup codes ("30088-1007", "30182-2016") in an Office context.
OFFICE_C2R = re.compile(r"(?<![0-9-])(30\d{3}-\d{1,5})(?![0-9-])")
OFFICE_NEAR = re.compile(r"office|click-?to-?run|\bodt\b|deployment tool|visio|microsoft 365", re.IGNORECASE)

# Values that are known log noise rather than failures.
NOISE = {"0x00000000", "0xFFFFFFFF", "0x80000000", "0xC0000000"}


def _hex8_is_failure(h):
    v = int(h, 16)
    # 8xxxxxxx and Cxxxxxxx are failures, E000xxxx SetupAPI errors, 4004xxxx licensing
    # states; small values are Win32 errors or stop codes.
    return h[0] in "8C" or h.startswith(("E000", "4004")) or v < 0x10000


def find_codes(text):
    """Return [(code, kind)] in order of first appearance, without repeats."""
    found = []
    seen = set()

    def add(code, kind):
        if code not in seen and code not in NOISE:
            seen.add(code)
            found.append((code, kind))

    bsod = bool(BSOD_CONTEXT.search(text))
    hits = []
    for m in HEX8.finditer(text):
        h = m.group(1).upper()
        if _hex8_is_failure(h):
            kind = "stop" if bsod and int(h, 16) < 0x400 else "hex"
            hits.append((m.start(), "0x" + h, kind))
    urls = [u.span() for u in URL.finditer(text)]
    for m in BARE8.finditer(text):
        h = m.group(1).upper()
        # A bare number inside a link (a user id in an image URL) or at the
        # start of a braced GUID (a log's "{87F8BCEC-" split over lines) is no code.
        in_url = any(a <= m.start() < b for a, b in urls)
        guid = text[max(0, m.start() - 1):m.start()] == "{"
        if in_url or guid:
            continue
        if h.startswith(BARE_PREFIXES) and any(c.isdigit() for c in h[1:]):
            hits.append((m.start(), "0x" + h, "hex"))
    for m in NEGDEC.finditer(text):
        n = int(m.group(1))
        if n <= 1 << 31:
            v = (1 << 32) - n
            if v >= 0x80000000 and ("%08X" % v)[0] in "8C":
                hits.append((m.start(), "0x%08X" % v, "hex"))
    for m in SHORT_STOP.finditer(text):
        v = int(m.group(1), 16)
        if 0 < v < 0x400 or m.group(1).upper() in ("C000021A", "DEADDEAD"):
            hits.append((m.start(1), "0x%08X" % v, "stop"))
    for m in SYMBOLIC.finditer(text):
        hits.append((m.start(), m.group(1), "symbol"))
    for m in STOP_NAME_RE.finditer(text):
        name = re.sub(r"[ _]", "_", m.group(1)).upper()
        # DRIVER_IRQL_NOT_LESS_OR_EQUAL also contains IRQL_NOT_LESS_OR_EQUAL.
        if not (name == "IRQL_NOT_LESS_OR_EQUAL" and text[max(0, m.start() - 7):m.start()].upper().endswith("DRIVER")):
            hits.append((m.start(), name, "stop"))
    for m in MSI_CODE.finditer(text):
        window = text[max(0, m.start() - 80): m.end() + 40]
        if MSI_NEAR.search(window) and re.search(r"msi|installer|setup", text, re.IGNORECASE):
            hits.append((m.start(), "MSI " + m.group(1), "msi"))
    if OFFICE_NEAR.search(text):
        for m in OFFICE_C2R.finditer(text):
            hits.append((m.start(), "Office " + m.group(1), "office"))
    for _, code, kind in sorted(hits, key=lambda t: t[0]):
        add(code, kind)
    return found


# --- context areas -----------------------------------------------------------

AREA_WORDS = [
    ("bsod", r"bsod|blue ?screen|stop ?code|bug ?check|minidump|crash dump|\.dmp\b"),
    ("virtualization", r"\bwsl\b|wsl2|wsl ?2|hyper-?v|windows sandbox|virtual ?machine ?platform|\bhcs\b|hcs_e|docker|vmcompute|hypervisor"),
    ("xbox", r"xbox|game ?pass|gaming ?services|minecraft launcher|gamingservices"),
    ("onedrive", r"onedrive"),
    ("office", r"\boffice\b|ospp|outlook|\bexcel\b|\bword\b|microsoft 365|office ?365|click-?to-?run|visio|project pro"),
    ("dotnet", r"\.?net ?framework ?3\.5|\.net ?3\.5|netfx ?3|dotnetfx35|\.net framework|dotnet ?framework"),
    ("activation", r"activat|\bkms\b|slmgr|product key|licens|\bhwid\b|\bmas\b|massgrave|ohook|tsforge"),
    ("defender", r"defender|antimalware|mpcmdrun|security intelligence|msmpeng|kb2267602"),
    ("install-media", r"rufus|ventoy|media creation tool|\bmct\b|\biso\b|bootable usb|usb (?:drive|stick|key)|flash drive|\bfido\b"),
    ("upgrade", r"upgrade|feature update|installation assistant|setupdiag|setupact|\b2[234]h2\b.*update|in-?place|setuphost|\bc19\d"),
    ("backup", r"backup|system image|restore point|file history|system restore|wbadmin|macrium|veeam"),
    ("boot", r"\bboot|bcd|bootmgr|automatic repair|winre|recovery environment|uefi|grub|efi partition"),
    ("store", r"microsoft store|windows store|ms store|\bstore\b|wsreset"),
    ("apps", r"winget|app ?installer|appinstaller|\bmsix|appx|add-appxpackage|appxmanifest|deployment (?:failed|operation)|sideload"),
    ("windows-update", r"windows[ _-]?update|wuauserv|cumulative update|\bkb\d{6,7}|softwaredistribution|legacy ?update|wsus|update agent|wushowhide|windows ?update"),
    ("installer", r"\bmsi\b|msiexec|\.msi\b|installshield|inno setup|nsis|setup\.exe|installer"),
    ("drivers", r"driver|device manager|pnputil|\bcode 43\b|\bgpu\b|nvidia|radeon|chipset|bluetooth|wi-?fi adapter"),
]
AREA_RES = [(a, re.compile(p, re.IGNORECASE)) for a, p in AREA_WORDS]

# When words do not decide, the code's own family does.
CODE_AREAS = [
    ("0x8024", "windows-update"), ("0x8007042", "windows-update"), ("0x800F09", "windows-update"),
    ("0x80073C", "apps"), ("0x80073D", "apps"), ("0x8A15", "apps"), ("0x87E1", "xbox"),
    ("0x803F", "store"), ("0x80D0", "store"), ("0x8037", "virtualization"), ("HCS_E", "virtualization"),
    ("0xC004", "activation"), ("SL_E", "activation"), ("0xC19", "upgrade"), ("0x8030", "install-media"),
    ("WU_E", "windows-update"), ("CBS_E", "windows-update"), ("MSI ", "installer"), ("0xE000", "drivers"),
    ("Office ", "office"),
]


def area_of(text, codes):
    title, _, body = text.partition("\n")
    scores = defaultdict(float)
    for i, (area, rx) in enumerate(AREA_RES):
        n = len(rx.findall(body)) + 3 * len(rx.findall(title))
        if n:
            # Specific areas listed first win ties over general ones.
            scores[area] = min(n, 6) + (len(AREA_RES) - i) / 100.0
    for code, kind in codes:
        if kind == "stop":
            scores["bsod"] += 2
        for prefix, area in CODE_AREAS:
            if code.upper().startswith(prefix.upper()):
                scores[area] += 1.5
                break
    if not scores:
        return "other"
    return max(scores.items(), key=lambda kv: kv[1])[0]


def main(paths):
    mentions = defaultdict(int)
    examples = defaultdict(list)
    records = {}
    order = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as err:
                    print(f"{path}:{n}: not JSON ({err})", file=sys.stderr)
                    continue
                url = rec.get("url", "")
                if url not in records:
                    order.append(url)
                    records[url] = rec
                elif rec.get("area") and not records[url].get("area"):
                    # The same post in the labelled corpus: keep its label.
                    records[url] = rec
    posts = 0
    for url in order:
        rec = records[url]
        text = rec.get("text", "")
        codes = find_codes(text)
        if not codes:
            continue
        posts += 1
        area = rec.get("area") or area_of(text + "\n" + url, codes)
        for code, _ in codes:
            key = (code, area)
            mentions[key] += 1
            if len(examples[key]) < 3:
                examples[key].append(url)
    out = sys.stdout
    out.write("# Demand: how often each Windows error code appears in real public posts, by context area.\n")
    out.write("# Made by tools/demand/count.py from the title and first message of public issue-tracker and\n")
    out.write("# Q&A posts (tools/demand/sources.jsonl; tests/eval/real/coded.jsonl). A post counts once per code.\n")
    out.write("# Area: the corpus label where there is one, else keywords in the post, else the code's family.\n")
    out.write("# Regenerate: python3 tools/demand/count.py tools/demand/sources.jsonl tests/eval/real/coded.jsonl > knowledge/demand.tsv\n")
    out.write(f"# Posts with at least one code: {posts}. Rows: {len(mentions)}.\n")
    out.write("code\tarea\tmentions\texample_urls\n")
    for (code, area), m in sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1])):
        out.write(f"{code}\t{area}\t{m}\t{' '.join(examples[(code, area)])}\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1:])
