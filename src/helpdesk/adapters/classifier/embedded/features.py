"""From Arabic ticket text to the features the model weighs.

Text is folded (`domain.arabic.fold`: alef forms, ta marbuta, alef maqsura, hamza seats,
diacritics, tatweel), split into words, and each word lightly stemmed: clitic prefixes (و ف ب ك ل
and the article ال) and common suffixes (plural and pronoun endings) come off, so that
"والطابعات" and "طابعه" meet. Features are the stems, adjacent stem pairs, and character
trigrams of each stem (which keep typos close to the word they meant).
"""

from __future__ import annotations

import itertools
import re

from helpdesk.domain.arabic import fold

_WORD = re.compile(r"[\u0621-\u064a]+|[a-z]+|\d+")
_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("كما", "هما", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي")
MIN_STEM = 2
# Very common words that say nothing about the category.
STOP = frozenset(
    fold(w)
    for w in [
        "في",
        "من",
        "على",
        "الى",
        "إلى",
        "عن",
        "مع",
        "هذا",
        "هذه",
        "ذلك",
        "التي",
        "الذي",
        "ان",
        "أن",
        "لا",
        "ما",
        "هل",
        "او",
        "أو",
        "كل",
        "قد",
        "تم",
        "لم",
        "لن",
        "ثم",
        "حتى",
        "منذ",
        "عند",
        "كان",
        "يكون",
        "انا",
        "أنا",
        "نحن",
        "هو",
        "هي",
        "انه",
        "إنه",
        "شكرا",
        "شكرًا",
        "لكم",
        "السلام",
        "عليكم",
        "مرحبا",
        "صباح",
        "مساء",
        "الخير",
        "لو",
        "سمحتم",
        "يعطيكم",
        "العافية",
        "الله",
        "يعافيكم",
        "ازيكم",
        "بعد",
        "اذنكم",
        "إذنكم",
        "مع",
        "التحية",
        "تسلموا",
        "ربنا",
        "يخليكم",
        "ياريت",
        "حد",
        "عندي",
        "عندنا",
        "مشكلة",
        "المشكلة",
    ]
)


def stem(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM + 1:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM + 1:
            word = word[: -len(suffix)]
            break
    return word


def stems(text: str) -> list[str]:
    words = _WORD.findall(fold(text))
    return [stem(w) for w in words if w not in STOP and len(w) >= MIN_STEM]


def _lexicon() -> dict[str, set[str]]:
    from helpdesk.adapters.classifier.embedded.lexicon import KEYWORDS

    by_stem: dict[str, set[str]] = {}
    for category, words in KEYWORDS.items():
        for word in stems(words):
            by_stem.setdefault(word, set()).add(str(category))
    return by_stem


_LEXICON: dict[str, set[str]] = {}


def features(text: str) -> list[str]:
    if not _LEXICON:
        _LEXICON.update(_lexicon())
    found = stems(text)
    out = [f"w:{s}" for s in found]
    hits: dict[str, int] = {}
    for s in found:
        for category in _LEXICON.get(s, ()):
            hits[category] = hits.get(category, 0) + 1
    for category, n in hits.items():
        out += [f"lex:{category}:{k}" for k in range(1, min(n, 3) + 1)]
    out += [f"b:{a}_{b}" for a, b in itertools.pairwise(found)]
    for s in found:
        padded = f"<{s}>"
        out += [f"c:{padded[i : i + 3]}" for i in range(len(padded) - 2)]
    return out
