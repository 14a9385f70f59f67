"""Signing keys from a JWKS URL: fetched at start, cached, refetched on an unknown `kid` at most
once a minute; a failed refetch keeps the keys we had."""

from __future__ import annotations

import asyncio
import logging

import httpx
import jwt

from helpdesk.application.ports.clock import Clock

log = logging.getLogger("helpdesk.tokens.jwks")


class JwksKeySet:
    def __init__(
        self,
        url: str,
        *,
        http_client: httpx.AsyncClient,
        clock: Clock,
        min_refresh_interval: float = 60.0,
    ) -> None:
        self._url = url
        self._http = http_client
        self._clock = clock
        self._min_interval = min_refresh_interval
        self._keys: dict[str, jwt.PyJWK] | None = None
        self._last_fetch: float | None = None
        self._lock = asyncio.Lock()

    @property
    def loaded(self) -> bool:
        return self._keys is not None

    async def load(self) -> None:
        """Fetch the keys; a failure is logged and leaves what we had."""
        self._last_fetch = self._clock.now().timestamp()
        try:
            response = await self._http.get(self._url)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError, KeyError, TypeError) as e:
            log.warning("could not load signing keys from %s: %s", self._url, type(e).__name__)
            return
        self._keys = {key.key_id: key for key in key_set.keys if key.key_id}

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, refetching (rate-limited) when it is unknown."""
        if self._keys is not None and kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if self._keys is not None and kid in self._keys:
                return self._keys[kid]  # another request fetched it meanwhile
            now = self._clock.now().timestamp()
            if self._last_fetch is None or now - self._last_fetch >= self._min_interval:
                await self.load()
        return (self._keys or {}).get(kid)

    async def aclose(self) -> None:
        await self._http.aclose()

    def __repr__(self) -> str:  # never print keys
        return f"JwksKeySet({self._url!r}, loaded={self.loaded})"
