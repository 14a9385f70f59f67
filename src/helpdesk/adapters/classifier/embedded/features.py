"""From prepared ticket text to the features the model weighs, in two blocks.

The text (already through `domain.text_preparation`) is folded (`domain.arabic.fold`: alef
forms, ta marbuta, alef maqsura, hamza seats, diacritics, tatweel; Latin lower-cased) and split
into Arabic words, Latin words and numbers. Then:

- `char`: character n-grams (2–5) inside each word padded with spaces, as scikit-learn's
  `char_wb` analyzer makes them — they carry over to misspellings, dialect forms and words no
  ticket used ("طابعتي", "الطابعه", "طابعة");
- `word`: light stems (clitic prefixes and common suffixes off) and adjacent stem pairs; Latin
  technical tokens ("outlook", "vpn", "switch", "toner", model names) are kept, with English
  endings stemmed (snowball), IP addresses become one token;
- and, in the word block, `lex:<category>` for each hit of a hand-written helpdesk lexicon
  (`lexicon.py`, colloquial and English forms included), so that vocabulary no training
  ticket used is still recognised. They share the word block's normalisation: one lexicon
  hit among many unknown words weighs little.

Greetings, courtesy and request-template words are stop words: they appear in every category
and must not decide one. Training and serving call the same functions.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import lru_cache

import snowballstemmer

from helpdesk.domain.arabic import fold

BLOCKS = ("char", "word")
CHAR_NGRAMS = (2, 5)

_TOKEN = re.compile(
    r"(?P<ip>\b\d{1,3}(?:\.\d{1,3}){3}\b)|(?P<ar>[\u0621-\u064a]+)|(?P<latin>[a-z][a-z0-9]*(?:[-+.][a-z0-9]+)*)|(?P<num>\d+)"
)
_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("كما", "هما", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي")
MIN_STEM = 2
IP_TOKEN = "<ip>"


def _listed(text: str) -> list[str]:
    return text.split()


# Words that appear in tickets of every category: courtesy, greetings, request templates,
# fillers. Folded forms.
_ARABIC_STOP = _listed("""
في من على الى عن مع هذا هذه ذلك التي الذي ان لا ما هل او كل قد تم لم لن ثم حتى منذ عند كان
يكون انا نحن هو هي انه شكرا لكم السلام عليكم مرحبا صباح مساء الخير لو سمحتم سمحت سمحتوا يعطيكم
العافيه الله يعافيكم ازيكم بعد اذنكم التحيه تسلموا ربنا يخليكم ياريت حد عندي عندنا مشكله
المشكله يرجي نرجو ارجو التكرم الاطلاع اللازم الافاده طلب عاجل ضروري مقدما جزيل الشكر تحيه
طيبه وبعد المحترم المحترمين الاستاذ الاخوه الزملاء نفيدكم نود افادتكم ابلاغكم اود نحيطكم علما
بان بخصوص الموضوع اعلاه ادناه سرعه المعالجه اسرع وقت ممكن اقرب يا اخي ياخي الرجاء رجاء
مشكورين متشكر يسلمو تسلمون ال ايه شو وش كده كدا اللي الي بس فيه في بدي استفسار بخصوص
""")
_ENGLISH_STOP = _listed("""
a an the is are was were be been to of in on at for from by with and or not no it its this that
i my me we our you your he she they them please kindly hi hello dear team thanks thank regards
best kind sir madam can could would should will shall do does did has have had since after
before when as so but also any all some there here just still again now today yesterday
""")
STOP = frozenset(fold(w) for w in _ARABIC_STOP) | frozenset(_ENGLISH_STOP)

_ENGLISH = snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """Light Arabic stemming: one clitic prefix and one common suffix off, a stem of at least
    three letters kept."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM + 1:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM + 1:
            word = word[: -len(suffix)]
            break
    return word


@lru_cache(maxsize=65536)
def _stem_latin(word: str) -> str:
    return str(_ENGLISH.stemWord(word))


def words(text: str) -> list[str]:
    """Folded words, stop words out; IP addresses as one token."""
    out = []
    for found in _TOKEN.finditer(fold(text)):
        kind = found.lastgroup
        token = found.group()
        if kind == "ip":
            out.append(IP_TOKEN)
        elif kind == "num":
            continue
        elif token not in STOP and len(token) >= MIN_STEM:
            out.append(token)
    return out


def stems(text: str) -> list[str]:
    return [_stem(w) for w in words(text)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if word == IP_TOKEN:
        return word
    if "a" <= word[0] <= "z":
        return _stem_latin(word)
    return stem(word)


@lru_cache(maxsize=65536)
def _char_ngrams(word: str) -> tuple[str, ...]:
    """scikit-learn's char_wb n-grams of one word."""
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    out = []
    for n in range(low, high + 1):
        if n > len(padded):
            break
        out += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return tuple(out)


def _lexicon() -> dict[str, tuple[str, ...]]:
    from helpdesk.adapters.classifier.embedded.lexicon import KEYWORDS

    by_stem: dict[str, set[str]] = {}
    for category, vocabulary in KEYWORDS.items():
        for s in stems(vocabulary):
            by_stem.setdefault(s, set()).add(str(category))
    return {s: tuple(sorted(c)) for s, c in by_stem.items()}


_LEXICON: dict[str, tuple[str, ...]] = {}


def features(text: str) -> dict[str, Counter[str]]:
    """Feature counts per block for one prepared text."""
    if not _LEXICON:
        _LEXICON.update(_lexicon())
    found = words(text)
    stemmed = [_stem(w) for w in found]
    char: Counter[str] = Counter()
    for w in found:
        if w != IP_TOKEN:
            char.update(_char_ngrams(w))
    word: Counter[str] = Counter(stemmed)
    word.update(f"{a} {b}" for a, b in itertools.pairwise(stemmed))
    for s in stemmed:
        word.update(f"lex:{category}" for category in _LEXICON.get(s, ()))
    return {"char": char, "word": word}
