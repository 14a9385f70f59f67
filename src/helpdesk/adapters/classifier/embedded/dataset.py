"""The labelled data set the embedded model learns from, and how it is made.

Real tickets are not ours to ship, so the set is composed (`corpus/`): issues employees report
(`corpus/issues.py`, and IT issues in depth with their English terms in `corpus/technical.py`),
each rendered in several writing styles (`corpus/styles.py`):

- `msa`: the web form in Modern Standard Arabic, with a courtesy frame;
- `gulf`, `egyptian`, `levantine`: the same issue in dialect wording and dialect frames;
- `email`: an e-mail turned into a ticket — banners, greetings, addressee lines, request
  templates, sign-offs, signatures naming departments of every kind, phone numbers,
  confidentiality disclaimers in Arabic and English, forwarded chains;
- `terse`: a few words, no courtesy;
- `typos`: hurried typing (no hamza, confused letters, dropped, doubled and swapped letters);
- `mixed_english`: Arabic with the English technical terms people type ("الـ VPN", "toner");
- `english`: an English body (or English e-mail) under a short Arabic title.

Every row carries its `style` and `issue`, so that evaluation can hold out whole styles and keep
every telling of an issue in one fold.

`python -m helpdesk.adapters.classifier.embedded.dataset` rewrites `data/tickets.jsonl`; the
generator is deterministic, so the file only changes when the corpus does.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from helpdesk.adapters.classifier.embedded.corpus import styles
from helpdesk.adapters.classifier.embedded.corpus.issues import ISSUES
from helpdesk.adapters.classifier.embedded.corpus.technical import TECHNICAL

DATA_FILE = Path(__file__).parent / "data" / "tickets.jsonl"
STYLES = (
    "msa",
    "gulf",
    "egyptian",
    "levantine",
    "email",
    "terse",
    "typos",
    "mixed_english",
    "english",
)
# Styles whose rows are Arabic only (the others carry Latin terms or an English body).
ARABIC_STYLES = frozenset({"msa", "gulf", "egyptian", "levantine", "terse", "typos"})

Render = Callable[[random.Random], tuple[str, str]]


def _renderings(title: str, issue: str) -> list[tuple[str, Render]]:
    return [
        ("msa", lambda rng: styles.plain(title, issue, rng, "msa")),
        ("msa", lambda rng: styles.plain(title, issue, rng, "msa")),
        ("gulf", lambda rng: styles.plain(title, issue, rng, "gulf")),
        ("egyptian", lambda rng: styles.plain(title, issue, rng, "egyptian")),
        ("levantine", lambda rng: styles.plain(title, issue, rng, "levantine")),
        ("email", lambda rng: styles.email(title, issue, rng)),
        ("terse", lambda rng: styles.terse(title, issue, rng)),
        ("typos", lambda rng: styles.misspelled(title, issue, rng)),
    ]


def _technical_renderings(title: str, mixed: str, english: str) -> list[tuple[str, Render]]:
    return [
        ("mixed_english", lambda rng: styles.plain(title, mixed, rng, "msa")),
        ("mixed_english", lambda rng: styles.plain(title, mixed, rng, "gulf")),
        ("mixed_english", lambda rng: (title, mixed)),
        ("email", lambda rng: styles.email(title, mixed, rng)),
        ("english", lambda rng: (title, english)),
        ("english", lambda rng: styles.email(title, english, rng, english=True)),
    ]


def build_dataset(seed: int = 20261201) -> list[dict[str, str]]:
    """Every issue in every style; deterministic for a seed."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for category, issues in ISSUES.items():
        for n, (title, issue) in enumerate(issues, start=1):
            _add(rows, rng, str(category), f"{category}-{n:02d}", _renderings(title, issue))
    for category, technical in TECHNICAL.items():
        for n, (title, arabic, mixed, english) in enumerate(technical, start=1):
            renderings = _renderings(title, arabic)[1:] + _technical_renderings(
                title, mixed, english
            )
            _add(rows, rng, str(category), f"{category}-t{n:02d}", renderings)
    rng.shuffle(rows)
    return rows


def _add(
    rows: list[dict[str, str]],
    rng: random.Random,
    category: str,
    issue: str,
    renderings: list[tuple[str, Render]],
) -> None:
    seen: set[str] = set()
    for style, render in renderings:
        for _ in range(3):
            title, description = render(rng)
            if description not in seen:
                break
        if description in seen:
            continue
        seen.add(description)
        rows.append(
            {
                "title": title,
                "description": description,
                "category": category,
                "style": style,
                "issue": issue,
            }
        )


def load_dataset(path: Path = DATA_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def write_dataset(rows: list[dict[str, str]], path: Path = DATA_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as file:
        for row in rows:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write_dataset(build_dataset())
    print(f"wrote {DATA_FILE}")
