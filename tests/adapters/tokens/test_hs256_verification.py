"""HS256 tokens checked with the shared secret: claims, every rejection, leeway, aud and iss."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import jwt
import pytest

from helpdesk.adapters.tokens import JwtVerifier
from helpdesk.domain.errors import Unauthorized

from .support import SECRET, USER, b64, claims, hmac_signed, hs, unsigned

ISSUER = "https://project.supabase.co/auth/v1"


async def rejected(verifier: JwtVerifier, token: str) -> Unauthorized:
    with pytest.raises(Unauthorized) as caught:
        await verifier.verify(token)
    return caught.value


async def test_a_valid_token_gives_its_claims() -> None:
    verified = await JwtVerifier(SECRET, None).verify(hs(claims()))
    assert verified.user_id == USER
    assert verified.email == "user@example.com"
    assert verified.full_name == "مستخدم تجريبي"


async def test_email_and_name_are_optional() -> None:
    token = hs(claims(email=None, user_metadata=None))
    verified = await JwtVerifier(SECRET, None).verify(token)
    assert (verified.user_id, verified.email, verified.full_name) == (USER, None, None)
    # Supabase sends "" for phone users, and metadata is whatever the client stored.
    odd = hs(claims(email="", user_metadata={"full_name": 42}))
    verified = await JwtVerifier(SECRET, None).verify(odd)
    assert (verified.email, verified.full_name) == (None, None)
    assert (await JwtVerifier(SECRET, None).verify(hs(claims(user_metadata="x")))).full_name is None


NOW = int(time.time())
BAD_TOKENS: list[tuple[str, str]] = [
    (hs(claims(), secret="another-secret-that-is-long-enough-for-hmac-0123456789"), "wrong key"),
    (hs(claims(exp=NOW - 60)), "expired beyond the leeway"),
    (hs(claims(aud="anon")), "wrong audience"),
    (hs(claims(aud=["anon", "service"])), "audience list without ours"),
    (hs(claims(aud=None)), "no audience"),
    (hs(claims(sub=None)), "no sub: a Supabase API-key token"),
    (hs(claims(sub=None, role="anon", iss="supabase")), "the anon key itself"),
    (hs(claims(sub="service_role")), "sub is not a user id"),
    (hs(claims(sub="")), "sub is empty"),
    (hs(claims(sub=12345)), "sub is not a string"),
    (hs(claims(exp=None)), "no exp"),
    (hs(claims(exp="tomorrow")), "exp is not a number"),
    (hs(claims(nbf=NOW + 600)), "not valid yet"),
    (hs(claims(iat=NOW + 600)), "issued in the future"),
    (jwt.encode(claims(), "", algorithm="none"), "alg none"),
    (unsigned({"alg": "None", "typ": "JWT"}, claims()), "alg None, other case"),
    (unsigned({"typ": "JWT"}, claims()), "no alg at all"),
    (unsigned({"alg": ["HS256"], "typ": "JWT"}, claims()), "alg not a string"),
    (jwt.encode(claims(), SECRET, algorithm="HS512"), "an HMAC algorithm outside the list"),
    (jwt.encode(claims(), SECRET, algorithm="HS384"), "another one"),
    ("not.a.token", "garbage"),
    ("", "empty"),
    ("abc", "one part"),
    ("a.b", "two parts"),
    ("a.b.c.d", "four parts"),
    ("تذكرة.تذكرة.تذكرة", "not base64"),
    (f"{b64(b'[1, 2]')}.{b64(b'{}')}.", "header is not an object"),
    (f"{b64(b'{not json')}.{b64(b'{}')}.", "header is not JSON"),
    (hs(claims()) + "x", "signature tampered"),
]


@pytest.mark.parametrize("token", [t for t, _ in BAD_TOKENS], ids=[w for _, w in BAD_TOKENS])
async def test_bad_tokens_are_unauthorized(token: str) -> None:
    error = await rejected(JwtVerifier(SECRET, None), token)
    # Short, client-safe, and nothing chained for a handler to print.
    assert 0 < len(error.detail) <= 80
    assert SECRET not in error.detail
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


async def test_a_payload_swapped_under_a_valid_signature_is_refused() -> None:
    header, _, signature = hs(claims()).split(".")
    other = b64(b'{"sub": "00000000-0000-0000-0000-000000000001", "aud": "authenticated"}')
    error = await rejected(JwtVerifier(SECRET, None), f"{header}.{other}.{signature}")
    assert error.detail == "the token's signature is not valid"


async def test_reasons_say_what_went_wrong() -> None:
    verifier = JwtVerifier(SECRET, None)
    assert (await rejected(verifier, hs(claims(exp=NOW - 600)))).detail == "the token has expired"
    assert (await rejected(verifier, hs(claims(aud="anon")))).detail == (
        "the token is for another audience"
    )
    assert (await rejected(verifier, hs(claims(sub=None)))).detail == "the token has no sub claim"
    assert (await rejected(verifier, hs(claims(exp=None)))).detail == "the token has no exp claim"


async def test_without_a_secret_hs256_is_not_accepted() -> None:
    for secret in (None, ""):
        # A verifier with an empty secret must not accept tokens signed with "".
        signed_with_nothing = hmac_signed({"alg": "HS256", "typ": "JWT"}, claims(), b"")
        error = await rejected(JwtVerifier(secret, None), signed_with_nothing)
        assert error.detail == "the token's algorithm is not accepted"


@pytest.mark.parametrize(
    ("claim", "skew", "accepted"),
    [
        ("exp", -10, True),  # expired 10 s ago: clock skew
        ("exp", -60, False),
        ("nbf", +10, True),
        ("nbf", +60, False),
        ("iat", +10, True),
        ("iat", +60, False),
    ],
)
async def test_thirty_seconds_of_clock_skew_are_tolerated(
    claim: str, skew: int, accepted: bool
) -> None:
    token = hs(claims(**{claim: int(time.time()) + skew}))
    verifier = JwtVerifier(SECRET, None)
    if accepted:
        assert (await verifier.verify(token)).user_id == USER
    else:
        await rejected(verifier, token)


async def test_the_leeway_is_configurable() -> None:
    token = hs(claims(exp=int(time.time()) - 10))
    await rejected(JwtVerifier(SECRET, None, leeway=0), token)
    assert (await JwtVerifier(SECRET, None, leeway=30).verify(token)).user_id == USER


@pytest.mark.parametrize("aud", ["authenticated", ["other", "authenticated"], ["authenticated"]])
async def test_the_audience_may_be_a_string_or_a_list_holding_it(aud: Any) -> None:
    assert (await JwtVerifier(SECRET, None).verify(hs(claims(aud=aud)))).user_id == USER


async def test_the_audience_is_configurable() -> None:
    verifier = JwtVerifier(SECRET, None, audience="helpdesk")
    assert (await verifier.verify(hs(claims(aud="helpdesk")))).user_id == USER
    await rejected(verifier, hs(claims()))


async def test_the_issuer_is_checked_only_when_configured() -> None:
    elsewhere = hs(claims(iss="https://elsewhere.example/auth/v1"))
    no_issuer = hs(claims(iss=None))
    good = hs(claims(iss=ISSUER))
    unchecked = JwtVerifier(SECRET, None)
    for token in (elsewhere, no_issuer, good):
        assert (await unchecked.verify(token)).user_id == USER
    checked = JwtVerifier(SECRET, None, issuer=ISSUER)
    assert (await checked.verify(good)).user_id == USER
    assert (await rejected(checked, elsewhere)).detail == "the token is from another issuer"
    assert (await rejected(checked, no_issuer)).detail == "the token has no iss claim"


async def test_an_asymmetric_token_without_a_jwks_is_not_accepted() -> None:
    token = unsigned({"alg": "RS256", "typ": "JWT", "kid": "k"}, claims(), b"sig")
    error = await rejected(JwtVerifier(SECRET, None), token)
    assert error.detail == "the token's algorithm is not accepted"


async def test_a_remembered_token_still_expires() -> None:
    """Verified tokens are remembered for a while, never past their expiry (with leeway)."""
    verifier = JwtVerifier(SECRET, None, leeway=0)
    token = hs(claims(exp=int(time.time()) + 2))
    assert (await verifier.verify(token)).user_id == USER
    assert (await verifier.verify(token)).user_id == USER  # remembered
    await asyncio.sleep(max(0.0, int(time.time()) + 2 - time.time()) + 1.1)
    assert "expired" in str(await rejected(verifier, token))
    # Another string is another token: a tampered copy of a remembered one is checked.
    good = hs(claims())
    await verifier.verify(good)
    head, body, signature = good.split(".")
    tampered = (
        f"{head}.{body}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    )
    assert "signature" in str(await rejected(verifier, tampered))
