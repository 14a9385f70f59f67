"""HTTP shapes (msgspec Structs): profiles and the local login."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role
from helpdesk.entrypoints.http.schemas.common import UNSET, UnsetType


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
    email: Annotated[str, msgspec.Meta(max_length=254)]
    full_name: Annotated[str, msgspec.Meta(max_length=120)]
    role: Role
    department_id: UUID | None = None
    password: Annotated[str, msgspec.Meta(max_length=256)] | None = None
    max_open_tickets: int | None = None


class UserPatch(msgspec.Struct, forbid_unknown_fields=True):
    full_name: Annotated[str, msgspec.Meta(max_length=120)] | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    department_id: UUID | UnsetType | None = UNSET
    is_active: bool | UnsetType = UNSET
    is_available: bool | UnsetType = UNSET
    max_open_tickets: int | UnsetType | None = UNSET
    email_notifications: bool | UnsetType = UNSET


class OwnProfilePatch(msgspec.Struct, forbid_unknown_fields=True):
    """What a person may change on their own profile: only this."""

    email_notifications: bool


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=256)]


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
