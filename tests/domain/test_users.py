"""E-mail addresses, new profiles, profile changes and self-demotion."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.errors import Conflict, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.users import (
    MAX_CAP,
    ProfilePatch,
    apply_patch,
    check_self_change,
    new_profile,
    normalize_email,
)

from .builders import ADMIN, IT, profile


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  Root@Example.COM ", "root@example.com"),
        (
            "ｒｏｏｔ@ｅｘａｍｐｌｅ.ｃｏｍ",
            "root@example.com",
        ),  # fullwidth folds to the same account
        ("STRASSE@example.com", "strasse@example.com"),
        ("иван@example.com", "иван@example.com"),  # one script per part is fine
        ("محمد@مثال.com", "محمد@مثال.com"),
    ],
)
def test_addresses_fold_to_one_form(raw: str, stored: str) -> None:
    assert normalize_email(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "ro\u200bot@example.com",  # zero-width space
        "\u202eroot@example.com",  # right-to-left override
        "root\x00@example.com",
        "r\u043eot@example.com",  # Cyrillic о inside a Latin name
        "root@ex\u0430mple.com",  # Cyrillic а inside a Latin domain label
        "not-an-address",
        "a@b",
        "two@@example.com",
    ],
)
def test_look_alike_and_malformed_addresses_are_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as e:
        normalize_email(raw)
    assert e.value.errors[0].field == "email"


@given(st.emails())
def test_normalizing_is_idempotent(address: str) -> None:
    try:
        once = normalize_email(address)
    except ValidationFailed:
        return
    assert normalize_email(once) == once


def test_a_new_profile_names_every_wrong_field() -> None:
    draft = profile(uuid.uuid4(), Role.AGENT, email="bad", full_name="  ", department_id=None)
    with pytest.raises(ValidationFailed) as e:
        new_profile(draft, password="short")
    assert {err.field for err in e.value.errors} == {
        "email",
        "full_name",
        "department_id",
        "password",
    }


def test_a_new_profile_is_stored_normalized() -> None:
    draft = profile(uuid.uuid4(), email=" A@Example.com ", full_name=" سارة ")
    checked = new_profile(draft, password=None)
    assert (checked.email, checked.full_name) == ("a@example.com", "سارة")


def test_a_patch_keeps_what_it_does_not_mention_and_clears_explicit_nulls() -> None:
    before = profile(uuid.uuid4(), max_open_tickets=5)
    assert apply_patch(before, ProfilePatch()) == before
    after = apply_patch(before, ProfilePatch(max_open_tickets=None, full_name=" منى "))
    assert (after.max_open_tickets, after.full_name, after.role) == (None, "منى", Role.AGENT)
    with pytest.raises(ValidationFailed):
        apply_patch(before, ProfilePatch(department_id=None))  # agents need a department
    with pytest.raises(ValidationFailed):
        apply_patch(before, ProfilePatch(max_open_tickets=MAX_CAP + 1))


def test_an_admin_may_not_deactivate_or_demote_themselves_but_may_change_others() -> None:
    me = Actor(id=ADMIN, role=Role.ADMIN)
    mine = profile(ADMIN, Role.ADMIN, department_id=None)
    for patch in (ProfilePatch(is_active=False), ProfilePatch(role=Role.AGENT, department_id=IT)):
        with pytest.raises(Conflict):
            check_self_change(me, apply_patch(mine, patch))
    other = profile(uuid.uuid4(), Role.ADMIN, department_id=None)
    check_self_change(me, apply_patch(other, ProfilePatch(is_active=False)))
