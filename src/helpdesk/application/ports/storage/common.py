"""Storage port: the unique-key refusal every repository shares."""

from __future__ import annotations


class DuplicateKey(Exception):
    """A unique constraint (slug, email, …) refused the row."""
