"""Writing styles: one issue, rendered the way different people would file it.

Each renderer takes the issue and a seeded `random.Random` and returns (title, description).
The style travels with the row, so that evaluation can hold out whole styles.
"""

from __future__ import annotations

import random
import re

from helpdesk.adapters.classifier.embedded.corpus import phrasing as p

_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
# Letters people confuse when typing fast: (written, typed instead).
_CONFUSIONS = (("ة", "ه"), ("ى", "ي"), ("ظ", "ض"), ("ذ", "ز"), ("ث", "س"), ("ض", "ظ"))


def dialect(text: str, style: str) -> str:
    """MSA wording replaced by the dialect's, longest phrases first."""
    which = p.DIALECTS.index(style)
    for msa, forms in sorted(p.DIALECT, key=lambda pair: -len(pair[0])):
        text = re.sub(rf"(?<!\w){re.escape(msa)}(?!\w)", forms[which], text)
    return text


def typos(text: str, rng: random.Random, rate: float = 0.12) -> str:
    """The slips of hurried typing: no hamza, confused letters, a doubled, dropped or
    swapped letter, a missing space after و."""
    text = text.translate(_HAMZA) if rng.random() < 0.7 else text
    words = text.split(" ")
    text = " ".join(_misspelled(word, rng, rate) for word in words)
    if rng.random() < 0.3:
        text = text.replace(" و", " و ", 1)
    return text


def _misspelled(word: str, rng: random.Random, rate: float) -> str:
    letters = [i for i, ch in enumerate(word) if "\u0621" <= ch <= "\u064a"]
    if len(letters) < 4 or rng.random() >= rate:
        return word
    i = rng.choice(letters[1:-1])
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i] + word[i:]
    if kind < 0.55:
        return word[:i] + word[i + 1 :]
    if kind < 0.8 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for good, bad in _CONFUSIONS:
        if good in word:
            return word.replace(good, bad, 1)
    return word


def plain(title: str, issue: str, rng: random.Random, style: str) -> tuple[str, str]:
    """A ticket written in the web form: opener, the issue in a frame, closer."""
    if style in p.DIALECTS:
        issue, title = dialect(issue, style), dialect(title, style) if rng.random() < 0.5 else title
    body = rng.choice(p.MIDDLES[style]).format(issue=issue + rng.choice(p.PLACES))
    description = " ".join(
        part for part in (rng.choice(p.OPENERS[style]), body, rng.choice(p.CLOSERS[style])) if part
    )
    return title, description


def terse(title: str, issue: str, rng: random.Random) -> tuple[str, str]:
    """A one-liner: a few words of the problem, often in a dialect, no courtesy."""
    if rng.random() < 0.6:
        issue = dialect(issue, rng.choice(p.DIALECTS))
    words = issue.split()
    fragment = " ".join(words[: rng.randint(3, 6)])
    if len(fragment) < 12:
        fragment = " ".join(words[:8])
    short_title = " ".join(title.split()[: rng.randint(1, 3)])
    if len(short_title) < 3:
        short_title = title
    suffix = rng.choice(("", "", " عاجل", " ضروري", "؟", "!!"))
    return short_title, fragment + suffix


def misspelled(title: str, issue: str, rng: random.Random) -> tuple[str, str]:
    t, d = plain(title, issue, rng, rng.choice(("msa", *p.DIALECTS)))
    return typos(t, rng, 0.15), typos(d, rng, 0.25)


def email(title: str, issue: str, rng: random.Random, *, english: bool = False) -> tuple[str, str]:
    """An e-mail turned into a ticket: banners, greeting, addressee, the issue in a formal frame,
    a request template, sign-off, signature, disclaimers; sometimes forwarded, with the problem
    in the quoted message under a one-line note."""
    statement = issue + "." if english else rng.choice(p.INTROS).format(issue=issue)
    parts: list[str] = []
    if rng.random() < 0.3:
        parts.append(rng.choice(p.BANNERS))
    greeting = "Hi team," if english and rng.random() < 0.6 else rng.choice(p.GREETINGS)
    parts.append(greeting)
    addressee = "" if english else rng.choice(p.ADDRESSEES)
    if addressee:
        parts.append(addressee)
    parts.append("")
    parts.append(statement)
    if rng.random() < 0.3:
        parts.append(rng.choice(p.ATTACHMENTS))
    request = rng.choice(p.REQUESTS)
    if request:
        parts.append(request)
    parts.append("")
    parts += _signature(rng)
    if rng.random() < 0.7:
        parts.append("")
        parts += rng.sample(p.DISCLAIMERS, rng.randint(1, 2))
    if rng.random() < 0.2:
        parts.append(rng.choice(p.MOBILE_FOOTERS))
    body = "\n".join(parts)
    subject = title
    if rng.random() < 0.45:
        body = _forwarded(body, title, rng)
        subject = rng.choice(("FW: ", "RE: ", "إعادة توجيه: ", "رد: ")) + title
    elif rng.random() < 0.3:
        subject = rng.choice(("RE: ", "رد: ")) + title
    return subject, body


def _signature(rng: random.Random) -> list[str]:
    lines = [rng.choice(p.SIGN_OFFS), rng.choice(p.NAMES)]
    if rng.random() < 0.8:
        lines.append(rng.choice(p.JOB_TITLES))
    if rng.random() < 0.8:
        lines.append(rng.choice(p.DEPARTMENTS))
    organisation = rng.choice(p.ORGANISATIONS)
    if organisation:
        lines.append(organisation)
    lines += rng.sample(p.PHONES, rng.randint(1, 2))
    if rng.random() < 0.6:
        lines.append(rng.choice(p.EMAILS))
    return lines


def _forwarded(body: str, title: str, rng: random.Random) -> str:
    note = [rng.choice(p.FORWARD_NOTES), "", *_signature(rng)[:3], ""]
    if rng.random() < 0.5:
        header = [
            f"From: {rng.choice(p.NAMES)} <{rng.choice(p.EMAILS)}>",
            "Sent: Sunday, November 30, 2026 9:14 AM",
            "To: IT Support <support@example.org>",
            f"Cc: {rng.choice(p.DEPARTMENTS)}",
            f"Subject: {title}",
        ]
    else:
        header = [
            f"من: {rng.choice(p.NAMES)}",
            "تم الإرسال: الأحد، 30 نوفمبر 2026 10:12 ص",
            "إلى: الدعم الفني",
            f"نسخة: {rng.choice(p.DEPARTMENTS)}",
            f"الموضوع: {title}",
        ]
    if rng.random() < 0.5:
        header.insert(0, "-----Original Message-----")
    chain = [*note, *header, "", body]
    if rng.random() < 0.3:
        chain += ["", "-----Original Message-----", "From: Help Desk", ""]
        chain.append("> " + rng.choice(p.EARLIER_REPLIES))
    return "\n".join(chain)
