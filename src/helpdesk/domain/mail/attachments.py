"""Which attachments a ticket may keep: dangerous types are refused by name, declared type and
content, and sizes are capped.

Refused:
- executables and installers (`exe`, `msi`, `dll`, `scr`, `com`, `apk`, `dmg`, …) and any
  content that starts like a Windows (`MZ`) or Linux (`\\x7fELF`) program, whatever its name;
- scripts a double click runs (`bat`, `cmd`, `ps1`, `vbs`, `js`, `hta`, `sh`, `lnk`, `reg`, …);
- macro-enabled Office documents (`docm`, `xlsm`, `pptm`, `xlam`, …, and the
  `application/vnd.ms-*.macroEnabled.12` types);
- names with bidirectional control characters, the usual trick to show `exe.pdf` as `pdf.exe`.

Legacy Office formats (`doc`, `xls`, `ppt`) may carry macros too but are still what many
organizations send; they are kept, and the limit is documented. Archives are not opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from helpdesk.domain.mail.message import Attachment

MIB = 1024 * 1024


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


EXECUTABLE_EXTENSIONS = _names(
    "exe com scr pif msi msp mst msix msixbundle appx appxbundle dll cpl ocx sys drv "
    "jar apk ipa dmg pkg app deb rpm run gadget application appref-ms xll iso img vhd vhdx"
)
SCRIPT_EXTENSIONS = _names(
    "bat cmd ps1 ps1xml ps2 ps2xml psc1 psc2 psm1 psd1 vbs vbe vb js jse ws wsf wsc wsh "
    "hta sct scf lnk inf reg url msh msh1 msh2 mshxml sh bash csh ksh zsh command chm"
)
MACRO_EXTENSIONS = _names("docm dotm xlsm xltm xlam pptm potm ppam ppsm sldm")
EXECUTABLE_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-ms-installer",
        "application/x-msi",
        "application/x-ms-shortcut",
        "application/vnd.microsoft.portable-executable",
        "application/java-archive",
        "application/x-java-archive",
        "application/vnd.android.package-archive",
        "application/x-apple-diskimage",
    }
)
SCRIPT_TYPES = frozenset(
    {
        "application/javascript",
        "application/x-javascript",
        "text/javascript",
        "application/x-sh",
        "application/x-shellscript",
        "text/x-shellscript",
        "application/x-bat",
        "application/bat",
        "application/x-msdos-batch",
        "application/hta",
        "text/vbscript",
        "application/x-vbscript",
        "application/x-powershell",
    }
)
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF")
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BIDI_CONTROLS |= {"\u200e", "\u200f", "\u061c"}


class Refusal(StrEnum):
    EXECUTABLE = "executable"
    SCRIPT = "script"
    MACRO_DOCUMENT = "macro_document"
    DISGUISED_NAME = "disguised_name"
    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"


REFUSAL_REASONS: dict[Refusal, str] = {
    Refusal.EXECUTABLE: "ملف تنفيذي أو حزمة تثبيت",
    Refusal.SCRIPT: "ملف برمجي نصي يمكن تشغيله",
    Refusal.MACRO_DOCUMENT: "مستند يحتوي على وحدات ماكرو",
    Refusal.DISGUISED_NAME: "اسم ملف يحتوي على رموز تخفي امتداده الحقيقي",
    Refusal.TOO_LARGE: "حجم المرفق يتجاوز الحد المسموح به",
    Refusal.TOO_MANY: "عدد المرفقات يتجاوز الحد المسموح به",
}


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 10 * MIB  # one attachment
    max_total_bytes: int = 25 * MIB  # all the attachments of one message
    max_count: int = 20


def extension(filename: str) -> str:
    """The extension Windows would act on: trailing dots and spaces are ignored, as it does."""
    name = filename.strip().rstrip(". ").casefold()
    return name.rpartition(".")[2] if "." in name else ""


def type_refusal(filename: str, content_type: str, head: bytes) -> Refusal | None:
    """Why an attachment's type is refused, or None. `head`: its first bytes (a few suffice)."""
    if any(ch in _BIDI_CONTROLS for ch in filename):
        return Refusal.DISGUISED_NAME
    ext = extension(filename)
    kind = content_type.strip().casefold()
    if (
        ext in EXECUTABLE_EXTENSIONS
        or kind in EXECUTABLE_TYPES
        or head.startswith(_EXECUTABLE_MAGIC)
    ):
        return Refusal.EXECUTABLE
    if ext in SCRIPT_EXTENSIONS or kind in SCRIPT_TYPES:
        return Refusal.SCRIPT
    if ext in MACRO_EXTENSIONS or (
        kind.startswith("application/vnd.ms-") and "macroenabled" in kind
    ):
        return Refusal.MACRO_DOCUMENT
    return None


@dataclass(frozen=True, slots=True)
class Screened:
    attachment: Attachment
    refusal: Refusal | None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def screen(attachments: Sequence[Attachment], limits: Limits = Limits()) -> list[Screened]:
    """Each attachment with its verdict, in order. Type comes first; then the per-file cap; then
    the count and total caps, which refuse the attachments past them (the first ones are kept)."""
    verdicts: list[Screened] = []
    kept = total = 0
    for attachment in attachments:
        refusal = type_refusal(attachment.filename, attachment.content_type, attachment.content[:8])
        if refusal is None and attachment.size > limits.max_bytes:
            refusal = Refusal.TOO_LARGE
        if refusal is None and kept >= limits.max_count:
            refusal = Refusal.TOO_MANY
        if refusal is None and total + attachment.size > limits.max_total_bytes:
            refusal = Refusal.TOO_LARGE
        if refusal is None:
            kept += 1
            total += attachment.size
        verdicts.append(Screened(attachment, refusal))
    return verdicts
