"""HTTP shapes (msgspec Structs): profiles and the local login."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.users import MAX_CAP, MAX_EMAIL, MAX_NAME, MAX_PASSWORD, MIN_PASSWORD
from helpdesk.entrypoints.http.schemas.common import UNSET, UnsetType, documented, documented_range

Email = Annotated[str, documented(1, MAX_EMAIL, bound=MAX_EMAIL)]
FullName = Annotated[str, documented(1, MAX_NAME, bound=MAX_NAME)]
Password = Annotated[str, documented(MIN_PASSWORD, MAX_PASSWORD, bound=MAX_PASSWORD)]
Cap = Annotated[int, documented_range(0, MAX_CAP)]


class ProfileOut(msgspec.Struct):
    id: UUID
    email: str
    full_name: str
    role: Role
    department_id: UUID | None
    is_active: bool
    is_available: bool
    max_open_tickets: int | None
    created_at: datetime
    email_notifications: bool


class ProfileList(msgspec.Struct):
    items: list[ProfileOut]
    next_cursor: str | None


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    full_name: FullName
    role: Role
    department_id: UUID | None = None
    password: Password | None = None
    max_open_tickets: Cap | None = None


class UserPatch(msgspec.Struct, forbid_unknown_fields=True):
    full_name: FullName | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    department_id: UUID | UnsetType | None = UNSET
    is_active: bool | UnsetType = UNSET
    is_available: bool | UnsetType = UNSET
    max_open_tickets: Cap | UnsetType | None = UNSET
    email_notifications: bool | UnsetType = UNSET


class OwnProfilePatch(msgspec.Struct, forbid_unknown_fields=True):
    """What a person may change on their own profile: only this."""

    email_notifications: bool


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    # No minimum here: a wrong address or password is a 401, whatever its length.
    email: Annotated[str, msgspec.Meta(max_length=MAX_EMAIL)]
    password: Annotated[str, msgspec.Meta(max_length=MAX_PASSWORD)]


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str
    expires_in: int


def profile_out(p: Profile) -> ProfileOut:
    return ProfileOut(
        id=p.id,
        email=p.email,
        full_name=p.full_name,
        role=p.role,
        department_id=p.department_id,
        is_active=p.is_active,
        is_available=p.is_available,
        max_open_tickets=p.max_open_tickets,
        created_at=p.created_at,
        email_notifications=p.email_notifications,
    )
