"""Signing keys from a JWKS URL: fetched at start, cached, refetched on an unknown `kid` at most
once per interval; a failed fetch keeps the keys we had."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import jwt

from helpdesk.application.ports.clock import Clock

log = logging.getLogger("helpdesk.tokens.jwks")


class JwksKeySet:
    def __init__(
        self,
        url: str,
        http_client: httpx.AsyncClient,
        clock: Clock,
        min_refresh_interval: float = 60.0,
    ) -> None:
        self._url = url
        self._http = http_client
        self._clock = clock
        self._min_interval = min_refresh_interval
        self._keys: dict[str, jwt.PyJWK] | None = None  # None until one fetch has succeeded
        self._last_attempt: float | None = None
        # One fetch at a time: a burst of tokens with a new kid waits for one refetch, not N.
        self._lock = asyncio.Lock()

    @property
    def loaded(self) -> bool:
        return self._keys is not None

    async def load(self) -> None:
        """Fetch the keys now (at start); a failure is logged, never raised."""
        async with self._lock:
            await self._fetch()

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, refetching (rate-limited) when it is unknown."""
        found = self._lookup(kid)
        if found is not None:
            return found
        async with self._lock:
            found = self._lookup(kid)  # a concurrent request may have just fetched it
            if found is None and self._may_refetch():
                await self._fetch()
                found = self._lookup(kid)
        return found

    async def aclose(self) -> None:
        await self._http.aclose()

    def _lookup(self, kid: str) -> jwt.PyJWK | None:
        return None if self._keys is None else self._keys.get(kid)

    def _may_refetch(self) -> bool:
        # Unknown kids cost at most one fetch per interval, whoever sends them; a clock that went
        # backwards counts as "long enough" rather than blocking refetches until it catches up.
        if self._last_attempt is None:
            return True
        elapsed = self._now() - self._last_attempt
        return elapsed < 0 or elapsed >= self._min_interval

    async def _fetch(self) -> None:
        self._last_attempt = self._now()
        try:
            response = await self._http.get(self._url, headers={"Accept": "application/json"})
            response.raise_for_status()
            keys = _parse(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as e:
            log.warning("could not load signing keys from %s: %s", self._url, _reason(e))
            return
        self._keys = keys
        log.info("loaded %d signing key(s) from %s", len(keys), self._url)

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def __repr__(self) -> str:  # never print keys
        return f"JwksKeySet({self._url!r}, loaded={self.loaded})"


def _parse(body: Any) -> dict[str, jwt.PyJWK]:
    """Signing keys by kid. PyJWKSet skips keys it cannot use; a set with none is a failure."""
    if not isinstance(body, dict):
        raise ValueError("the JWKS is not a JSON object")
    key_set = jwt.PyJWKSet.from_dict(body)
    # Keys without a kid cannot be chosen by a token; encryption keys must not verify signatures.
    keys = {
        key.key_id: key
        for key in key_set.keys
        if isinstance(key.key_id, str) and key.public_key_use in (None, "sig")
    }
    if not keys:
        raise ValueError("the JWKS has no signing key with a kid")
    return keys


def _reason(error: Exception) -> str:
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, ValueError | jwt.PyJWTError):  # our own wording, or PyJWT's: no key data
        return f"{type(error).__name__}: {error}"
    return type(error).__name__  # transport errors: the name says enough
