"""Arabic text: the cleaning and validation rules for ticket text, and folding for matching.

`clean` is what gets stored; `check_title`/`check_description`/`check_text` enforce docs/rules.md's
"Arabic-only text" rules; `fold` maps spelling variants onto one form so that search and the
embedded classifier see "إعادة" and "اعاده" as the same word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from helpdesk.domain.errors import FieldError, ValidationFailed


class TextPolicy(StrEnum):
    ARABIC_ONLY = "arabic_only"
    ARABIC_MAJORITY = "arabic_majority"


# Share of letters that must be Arabic under `arabic_majority`.
ARABIC_MAJORITY_SHARE = 0.60


@dataclass(frozen=True, slots=True)
class TextLimits:
    """The bounds of one text field, counted on the cleaned, trimmed text. The HTTP schema
    publishes the same numbers, so the documented limits are the enforced ones."""

    min_length: int
    max_length: int
    min_arabic_letters: int


TITLE = TextLimits(min_length=3, max_length=200, min_arabic_letters=3)
DESCRIPTION = TextLimits(min_length=10, max_length=5000, min_arabic_letters=10)
# The classify preview: a description's rules, but 3 Arabic letters suffice (api.md).
CLASSIFY_TEXT = TextLimits(min_length=3, max_length=5000, min_arabic_letters=3)

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x089F), (0x08A0, 0x08FF))
_BIDI_CONTROLS = {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"}
_INVISIBLE = str.maketrans(dict.fromkeys(_BIDI_CONTROLS | _ZERO_WIDTH))
_ARABIC_PUNCTUATION = {"،", "؛", "؟", "«", "»"}


def is_arabic_char(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


def _is_latin_letter(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN ")


def clean(text: str) -> str:
    """NFKC-normalize (folding presentation forms) and drop bidi controls and zero-width chars."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


@dataclass(frozen=True, slots=True)
class _Letters:
    arabic: int
    latin: int
    foreign: str | None  # first letter of a script that no policy allows
    forbidden: str | None  # first character that is neither letter, digit, space nor punctuation


# What one character counts as in a survey of a text.
_ARABIC_LETTER, _LATIN_LETTER, _FOREIGN_LETTER, _FORBIDDEN, _NEUTRAL = range(5)


@functools.lru_cache(maxsize=8192)
def _kind(ch: str) -> int:
    if is_arabic_char(ch):
        return _ARABIC_LETTER if unicodedata.category(ch).startswith("L") else _NEUTRAL
    if ch.isspace() or ("0" <= ch <= "9") or ch in _ARABIC_PUNCTUATION:
        return _NEUTRAL
    if ch.isascii() and unicodedata.category(ch).startswith(("P", "S")):
        return _NEUTRAL
    if unicodedata.category(ch).startswith("L"):
        return _LATIN_LETTER if _is_latin_letter(ch) else _FOREIGN_LETTER
    return _FORBIDDEN


def _survey(text: str) -> _Letters:
    # Each distinct character is looked at once (a Counter keeps the order in which characters
    # first appear, so "first" below is still the first in the text).
    arabic = latin = 0
    foreign = forbidden = None
    for ch, count in Counter(text).items():
        kind = _kind(ch)
        if kind == _ARABIC_LETTER:
            arabic += count
        elif kind == _LATIN_LETTER:
            latin += count
        elif kind == _FOREIGN_LETTER and foreign is None:
            foreign = ch
        elif kind == _FORBIDDEN and forbidden is None:
            forbidden = ch
    return _Letters(arabic, latin, foreign, forbidden)


MAX_NAMED_WORDS = 5


def _is_foreign(ch: str) -> bool:
    return (
        unicodedata.category(ch).startswith("L")
        and not is_arabic_char(ch)
        and not _is_latin_letter(ch)
    )


def _words_with(text: str, wanted: Callable[[str], bool]) -> list[str]:
    """The words holding a character `wanted` picks out, each once, in order of appearance."""
    found: list[str] = []
    for word in text.split():
        if any(wanted(ch) for ch in word) and word not in found:
            found.append(word)
    return found


def _quoted(words: list[str]) -> str:
    """«Outlook»، «VPN» … — the words a client can show the person who wrote them."""
    shown = "، ".join(f"«{w[:40]}»" for w in words[:MAX_NAMED_WORDS])
    return shown + ("، …" if len(words) > MAX_NAMED_WORDS else "")


def check_text(
    field: str,
    text: str,
    *,
    policy: TextPolicy,
    min_length: int,
    max_length: int,
    min_arabic_letters: int,
) -> str:
    """Clean and validate one field; return the cleaned, trimmed text or raise ValidationFailed."""
    cleaned = clean(text).strip()
    problem = _problem(cleaned, policy, min_length, max_length, min_arabic_letters)
    if problem is not None:
        raise ValidationFailed([FieldError(field, problem)])
    return cleaned


def _problem(
    text: str, policy: TextPolicy, min_length: int, max_length: int, min_arabic_letters: int
) -> str | None:
    return _length_problem(text, min_length, max_length) or _letters_problem(
        text, policy, min_arabic_letters
    )


def _length_problem(text: str, min_length: int, max_length: int) -> str | None:
    if len(text) < min_length:
        return f"النص قصير جدًا: الحد الأدنى {min_length} أحرف"
    if len(text) > max_length:
        return f"النص طويل جدًا: الحد الأقصى {max_length} حرف"
    return None


def _letters_problem(text: str, policy: TextPolicy, min_arabic_letters: int) -> str | None:
    letters = _survey(text)
    if letters.forbidden is not None:
        name = unicodedata.name(letters.forbidden, f"U+{ord(letters.forbidden):04X}")
        return f"يحتوي النص على رمز غير مسموح به ({name})"
    if letters.foreign is not None:
        return f"يجب أن يُكتب النص بالحروف العربية؛ غيِّر: {_quoted(_words_with(text, _is_foreign))}"
    if letters.latin:
        latin_words = _quoted(_words_with(text, _is_latin_letter))
        if policy is TextPolicy.ARABIC_ONLY:
            return f"يجب أن يُكتب النص بالعربية فقط دون حروف لاتينية؛ اكتب بالعربية: {latin_words}"
        if letters.arabic < ARABIC_MAJORITY_SHARE * (letters.arabic + letters.latin):
            return (
                "يجب أن تكون 60% على الأقل من حروف النص عربية؛ "
                f"قلّل الكلمات اللاتينية: {latin_words}"
            )
    if letters.arabic < min_arabic_letters:
        return f"يجب أن يحتوي النص على {min_arabic_letters} حروف عربية على الأقل"
    return None


def check_limited(field: str, text: str, limits: TextLimits, policy: TextPolicy) -> str:
    return check_text(
        field,
        text,
        policy=policy,
        min_length=limits.min_length,
        max_length=limits.max_length,
        min_arabic_letters=limits.min_arabic_letters,
    )


def check_title(text: str, policy: TextPolicy) -> str:
    return check_limited("title", text, TITLE, policy)


def check_description(text: str, policy: TextPolicy) -> str:
    return check_limited("description", text, DESCRIPTION, policy)


def check_classify_text(text: str, policy: TextPolicy) -> str:
    return check_limited("text", text, CLASSIFY_TEXT, policy)


# --- folding for search and classification ------------------------------------------------

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_FOLD_TABLE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,  # tatweel
        "ک": "ك",
        "ی": "ي",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold spelling variants: alef forms, alef maqsura, ta marbuta, hamza seats, diacritics,
    tatweel, Persian letters and Arabic-Indic digits; lower-case Latin; collapse white space."""
    text = _DIACRITICS.sub("", clean(text))
    return _SPACES.sub(" ", text.translate(_FOLD_TABLE).lower()).strip()
