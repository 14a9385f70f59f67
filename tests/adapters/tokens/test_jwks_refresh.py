"""The JWKS cache: loaded at start, refetched on an unknown kid at most once a minute, kept when a
refetch fails, and 'unavailable' (503) while no key was ever loaded."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import httpx
import jwt
import pytest

from helpdesk.adapters.tokens import JwksKeySet, JwtVerifier
from helpdesk.domain.errors import DependencyUnavailable, Unauthorized

from .support import USER, FakeClock, JwksServer, claims, rsa_key


def rs256(private: object, kid: str) -> str:
    return jwt.encode(claims(), private, algorithm="RS256", headers={"kid": kid})  # type: ignore[arg-type]


async def test_keys_are_fetched_once_and_cached(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    await keys.load()
    verifier = JwtVerifier(None, keys)
    for _ in range(5):
        clock.at += timedelta(minutes=5)  # known kids never refetch, however old the cache
        assert (await verifier.verify(rs256(private, "r1"))).user_id == USER
    assert jwks_server.hits == 1


async def test_a_rotated_key_is_fetched_at_most_once_a_minute(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    _, old_public = rsa_key("old")
    new_private, new_public = rsa_key("new")
    jwks_server.keys = [old_public]
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    await keys.load()
    verifier = JwtVerifier(None, keys)
    jwks_server.keys = [old_public, new_public]  # the provider rotates
    rotated = rs256(new_private, "new")
    clock.at += timedelta(seconds=59)
    with pytest.raises(Unauthorized, match="unknown"):  # fetched under a minute ago: no refetch
        await verifier.verify(rotated)
    assert jwks_server.hits == 1
    clock.at += timedelta(seconds=1)
    assert (await verifier.verify(rotated)).user_id == USER
    assert jwks_server.hits == 2
    # Garbage kids cannot make us hammer the provider: one fetch a minute, whoever asks.
    for minute in range(3):
        clock.at += timedelta(seconds=60)
        for n in range(10):
            with pytest.raises(Unauthorized, match="unknown"):
                await verifier.verify(rs256(new_private, f"bogus-{minute}-{n}"))
            clock.at += timedelta(seconds=1)
        assert jwks_server.hits == 3 + minute


async def test_the_refetch_interval_is_configurable(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    new_private, new_public = rsa_key("new")
    keys = JwksKeySet(jwks_server.url, http_client, clock, min_refresh_interval=5.0)
    jwks_server.keys = [rsa_key("old")[1]]
    await keys.load()
    jwks_server.keys = [new_public]
    clock.at += timedelta(seconds=5)
    assert (await JwtVerifier(None, keys).verify(rs256(new_private, "new"))).user_id == USER


@pytest.mark.parametrize(
    "failure",
    ["status 500", "status 404", "not json", "a json list", "no keys", "unusable keys", "no kid"],
)
async def test_a_failed_refetch_keeps_the_old_keys(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock, failure: str
) -> None:
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    await keys.load()
    verifier = JwtVerifier(None, keys)
    break_server(jwks_server, failure)
    clock.at += timedelta(minutes=2)
    with pytest.raises(Unauthorized, match="unknown"):
        await verifier.verify(rs256(private, "new"))
    assert jwks_server.hits == 2  # it did try
    assert keys.loaded
    assert (await verifier.verify(rs256(private, "r1"))).user_id == USER


def break_server(server: JwksServer, failure: str) -> None:
    _, public = rsa_key("other")
    match failure:
        case "status 500":
            server.status = 500
        case "status 404":
            server.status = 404
        case "not json":
            server.body = b"<html>maintenance</html>"
        case "a json list":
            server.body = b"[]"
        case "no keys":
            server.keys = []
        case "unusable keys":
            server.keys = [{"kty": "XYZ", "kid": "x"}, {"kty": "RSA", "kid": "y", "n": "??"}]
        case "no kid":
            server.keys = [{k: v for k, v in public.items() if k != "kid"}]


async def test_an_unreachable_jwks_keeps_the_old_keys(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    await keys.load()
    jwks_server.close()  # connection refused from now on
    clock.at += timedelta(minutes=2)
    verifier = JwtVerifier(None, keys)
    with pytest.raises(Unauthorized, match="unknown"):
        await verifier.verify(rs256(private, "new"))
    assert (await verifier.verify(rs256(private, "r1"))).user_id == USER


async def test_keys_never_loaded_mean_unavailable_until_a_fetch_succeeds(
    jwks_server: JwksServer,
    http_client: httpx.AsyncClient,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    private, public = rsa_key("r1")
    jwks_server.status = 503
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    with caplog.at_level(logging.WARNING, logger="helpdesk.tokens.jwks"):
        await keys.load()  # logged, not raised: the app still starts
    assert "could not load signing keys" in caplog.text
    assert not keys.loaded
    verifier = JwtVerifier(None, keys)
    with pytest.raises(DependencyUnavailable, match="signing keys are not available"):
        await verifier.verify(rs256(private, "r1"))
    assert jwks_server.hits == 1  # the retry waits for the interval too
    jwks_server.status = 200
    jwks_server.keys = [public]
    clock.at += timedelta(seconds=60)
    assert (await verifier.verify(rs256(private, "r1"))).user_id == USER
    assert jwks_server.hits == 2


async def test_the_first_unknown_kid_fetches_when_load_was_never_called(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    verifier = JwtVerifier(None, JwksKeySet(jwks_server.url, http_client, clock))
    assert (await verifier.verify(rs256(private, "r1"))).user_id == USER
    assert jwks_server.hits == 1


async def test_concurrent_unknown_kids_share_one_fetch(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    _, old_public = rsa_key("old")
    new_private, new_public = rsa_key("new")
    jwks_server.keys = [old_public]
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    await keys.load()
    verifier = JwtVerifier(None, keys)
    jwks_server.keys = [old_public, new_public]
    jwks_server.delay = 0.2  # the burst arrives while the refetch is in flight
    clock.at += timedelta(minutes=2)
    token = rs256(new_private, "new")
    results = await asyncio.gather(*(verifier.verify(token) for _ in range(20)))
    assert {r.user_id for r in results} == {USER}  # everyone waited for the one refetch
    assert jwks_server.hits == 2


async def test_the_key_set_does_not_print_its_keys(
    http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    keys = JwksKeySet("http://127.0.0.1:9/jwks.json", http_client, clock)
    assert repr(keys) == "JwksKeySet('http://127.0.0.1:9/jwks.json', loaded=False)"


async def test_a_clock_set_back_does_not_block_refetches(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    new_private, new_public = rsa_key("new")
    jwks_server.keys = [rsa_key("old")[1]]
    keys = JwksKeySet(jwks_server.url, http_client, clock)
    await keys.load()
    jwks_server.keys = [new_public]
    clock.at -= timedelta(hours=1)  # NTP corrected the wall clock after the first fetch
    assert (await JwtVerifier(None, keys).verify(rs256(new_private, "new"))).user_id == USER
