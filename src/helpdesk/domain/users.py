"""User rules: e-mail addresses that cannot impersonate one another, passwords, profile changes,
and what an admin may not do to their own account."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.domain.errors import Conflict, FieldError, ValidationFailed
from helpdesk.domain.patch import KEEP, Keep, patched
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.text import storable_or_none

MAX_CAP = 10_000
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_EMAIL = 254
MAX_NAME = 120
_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _script(ch: str) -> str:
    """The script a letter belongs to, by the first word of its Unicode name (LATIN, CYRILLIC…)."""
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def _single_script(part: str) -> bool:
    return len({_script(ch) for ch in part if ch.isalpha()}) <= 1


def normalize_email(raw: str) -> str:
    """The one form an address is stored and compared in: NFKC (fullwidth and other
    compatibility forms fold to their plain letters), case-folded, trimmed. An address with
    invisible, bidi or control characters, or whose local part or a domain label mixes scripts
    (a Cyrillic "о" inside a Latin name), is refused: it would look like another account."""
    email = unicodedata.normalize("NFKC", raw).strip().casefold()
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for ch in email):
        raise ValidationFailed.of("email", "must not contain invisible or control characters")
    if len(email) > MAX_EMAIL or not _SHAPE.match(email):
        raise ValidationFailed.of("email", "must be an email address")
    local, _, domain = email.partition("@")
    if not all(_single_script(part) for part in (local, *domain.split("."))):
        raise ValidationFailed.of("email", "must not mix alphabets within a name")
    return email


def address_or_none(raw: str | None) -> str:
    """A token's e-mail claim as stored on the profile it creates: normalized, or "" when it has
    none or one that no account could have (the profile then has no address)."""
    if not raw:
        return ""
    try:
        return normalize_email(raw)
    except ValidationFailed:
        return ""


def name_or_none(raw: str | None) -> str | None:
    """A token's name claim as the profile it creates takes it: trimmed and cut to
    `MAX_NAME` characters, or None when it holds text no storage can keep. (The claim is
    whatever its owner typed into the identity provider, never checked there.)"""
    name = storable_or_none(raw)
    return name.strip()[:MAX_NAME].strip() or None if name else None


def check_password(password: str | None) -> list[FieldError]:
    if password is not None and len(password) < MIN_PASSWORD:
        return [FieldError("password", f"must be at least {MIN_PASSWORD} characters")]
    return []


def _check_profile(profile: Profile) -> list[FieldError]:
    errors = []
    if not profile.full_name:
        errors.append(FieldError("full_name", "must not be empty"))
    if profile.role is Role.AGENT and profile.department_id is None:
        errors.append(FieldError("department_id", "agents need a department"))
    if profile.max_open_tickets is not None and not 0 <= profile.max_open_tickets <= MAX_CAP:
        errors.append(FieldError("max_open_tickets", f"must be between 0 and {MAX_CAP}"))
    return errors


def new_profile(profile: Profile, password: str | None) -> Profile:
    """A new user's profile, checked (e-mail normalized, name trimmed), or ValidationFailed
    naming every field that is wrong."""
    errors: list[FieldError] = []
    try:
        email = normalize_email(profile.email)
    except ValidationFailed as e:
        errors += e.errors
        email = profile.email
    checked = replace(profile, email=email, full_name=profile.full_name.strip())
    errors += _check_profile(checked) + check_password(password)
    if errors:
        raise ValidationFailed(errors)
    return checked


@dataclass(frozen=True, slots=True)
class ProfilePatch:
    full_name: str | Keep = KEEP
    role: Role | Keep = KEEP
    department_id: UUID | Keep | None = KEEP
    is_active: bool | Keep = KEEP
    is_available: bool | Keep = KEEP
    max_open_tickets: int | Keep | None = KEEP
    email_notifications: bool | Keep = KEEP


PATCHABLE = (
    "full_name",
    "role",
    "department_id",
    "is_active",
    "is_available",
    "max_open_tickets",
    "email_notifications",
)


def apply_patch(before: Profile, patch: ProfilePatch) -> Profile:
    """The changed profile, or ValidationFailed naming every field that is wrong."""
    full_name = patch.full_name.strip() if isinstance(patch.full_name, str) else before.full_name
    after = replace(
        before,
        full_name=full_name,
        role=patched(before.role, patch.role),
        department_id=patched(before.department_id, patch.department_id),
        is_active=patched(before.is_active, patch.is_active),
        is_available=patched(before.is_available, patch.is_available),
        max_open_tickets=patched(before.max_open_tickets, patch.max_open_tickets),
        email_notifications=patched(before.email_notifications, patch.email_notifications),
    )
    errors = _check_profile(after)
    if errors:
        raise ValidationFailed(errors)
    return after


def check_self_change(actor: Actor, after: Profile) -> None:
    """An admin may not deactivate or demote themselves: someone must stay able to administer."""
    if after.id == actor.id and (not after.is_active or after.role is not Role.ADMIN):
        raise Conflict("admins cannot deactivate or demote themselves")
