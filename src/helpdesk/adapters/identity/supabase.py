"""Identity through the Supabase Auth (GoTrue) admin API.

The helpdesk role lives in the helpdesk profile, never in GoTrue's `role` field (which is the
Postgres role the user's requests run as).
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import httpx

from helpdesk.application.ports.identity import NewIdentity
from helpdesk.domain.errors import Conflict, DependencyUnavailable, ValidationFailed

log = logging.getLogger("helpdesk.identity.supabase")
BAN_FOREVER = "876000h"  # about a hundred years: GoTrue's way of disabling a user


class SupabaseIdentityProvider:
    def __init__(
        self,
        url: str,
        service_role_key: str,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._base = url.rstrip("/") + "/auth/v1/admin/users"
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._headers = {"apikey": service_role_key, "Authorization": f"Bearer {service_role_key}"}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _send(self, method: str, url: str, body: dict[str, Any] | None) -> httpx.Response:
        try:
            response = await self._client.request(method, url, json=body, headers=self._headers)
        except httpx.HTTPError as e:
            log.warning("Supabase Auth unreachable: %s", type(e).__name__)
            raise DependencyUnavailable("the identity provider is unavailable") from None
        if response.status_code >= 500:
            log.warning("Supabase Auth answered %s", response.status_code)
            raise DependencyUnavailable("the identity provider is unavailable")
        return response

    async def create(self, identity: NewIdentity) -> UUID:
        body: dict[str, Any] = {
            "email": identity.email,
            "email_confirm": True,
            "user_metadata": {"full_name": identity.full_name},
        }
        if identity.password is not None:
            body["password"] = identity.password
        if identity.user_id is not None:
            body["id"] = str(identity.user_id)
        response = await self._send("POST", self._base, body)
        if response.status_code in (200, 201):
            try:
                return UUID(str(response.json()["id"]))
            except (ValueError, KeyError, TypeError):
                raise DependencyUnavailable("the identity provider answered garbage") from None
        reason = _error_code(response)
        if (
            response.status_code == 422 and reason == "email_exists"
        ) or response.status_code == 409:
            raise Conflict(f"a user with email {identity.email} already exists")
        if response.status_code in (400, 422):
            field = "password" if "password" in reason else "email"
            raise ValidationFailed.of(field, f"the identity provider refused it ({reason})")
        log.warning("Supabase Auth refused a user: %s %s", response.status_code, reason)
        raise DependencyUnavailable("the identity provider refused the request")

    async def disable(self, user_id: UUID) -> None:
        response = await self._send("PUT", f"{self._base}/{user_id}", {"ban_duration": BAN_FOREVER})
        if response.status_code == 404:
            return  # nothing to disable: the profile is deactivated all the same
        if response.status_code >= 300:
            log.warning("Supabase Auth refused a ban: %s", response.status_code)
            raise DependencyUnavailable("the identity provider refused the request")

    async def delete(self, user_id: UUID) -> None:
        response = await self._send("DELETE", f"{self._base}/{user_id}", None)
        if response.status_code >= 300 and response.status_code != 404:
            log.warning("Supabase Auth refused a delete: %s", response.status_code)
            raise DependencyUnavailable("the identity provider refused the request")


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"http {response.status_code}"
    if isinstance(body, dict):
        return str(body.get("error_code") or body.get("code") or body.get("msg") or "")
    return ""
