"""RS256/ES256 tokens checked against a JWKS served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from helpdesk.adapters.tokens import JwksKeySet, JwtVerifier
from helpdesk.domain.errors import Unauthorized

from .support import (
    SECRET,
    USER,
    FakeClock,
    JwksServer,
    claims,
    ec_key,
    hmac_signed,
    rsa_key,
    signed_as,
)


async def loaded_keys(
    server: JwksServer, client: httpx.AsyncClient, clock: FakeClock
) -> JwksKeySet:
    keys = JwksKeySet(server.url, client, clock)
    await keys.load()
    assert keys.loaded
    return keys


async def test_rs256_and_es256_tokens_verify(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    rsa_private, rsa_public = rsa_key("r1")
    ec_private, ec_public = ec_key("e1")
    jwks_server.keys = [rsa_public, ec_public]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock))
    rs = jwt.encode(claims(), rsa_private, algorithm="RS256", headers={"kid": "r1"})
    es = jwt.encode(claims(), ec_private, algorithm="ES256", headers={"kid": "e1"})
    verified = await verifier.verify(rs)
    assert (verified.user_id, verified.email, verified.full_name) == (
        USER,
        "user@example.com",
        "مستخدم تجريبي",
    )
    assert (await verifier.verify(es)).user_id == USER


async def test_keys_published_without_alg_verify_by_their_type(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    rsa_private, rsa_public = rsa_key("r1", alg=None)
    ec_private, ec_public = ec_key("e1", alg=None)
    jwks_server.keys = [rsa_public, ec_public]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock))
    rs = jwt.encode(claims(), rsa_private, algorithm="RS256", headers={"kid": "r1"})
    es = jwt.encode(claims(), ec_private, algorithm="ES256", headers={"kid": "e1"})
    assert (await verifier.verify(rs)).user_id == USER
    assert (await verifier.verify(es)).user_id == USER


async def test_both_sources_at_once(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    private, public = ec_key("e1")
    jwks_server.keys = [public]
    verifier = JwtVerifier(SECRET, await loaded_keys(jwks_server, http_client, clock))
    es = jwt.encode(claims(), private, algorithm="ES256", headers={"kid": "e1"})
    assert (await verifier.verify(es)).user_id == USER
    assert (await verifier.verify(jwt.encode(claims(), SECRET, algorithm="HS256"))).user_id == USER


async def test_the_claims_rules_hold_for_asymmetric_tokens_too(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock), issuer="iss")
    for bad in (claims(iss="iss", sub=None), claims(iss="iss", exp=1), claims(iss="other")):
        with pytest.raises(Unauthorized):
            await verifier.verify(
                jwt.encode(bad, private, algorithm="RS256", headers={"kid": "r1"})
            )


async def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    _, public = rsa_key("r1")
    intruder, _ = rsa_key("r1")
    jwks_server.keys = [public]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock))
    token = jwt.encode(claims(), intruder, algorithm="RS256", headers={"kid": "r1"})
    with pytest.raises(Unauthorized, match="signature"):
        await verifier.verify(token)


async def test_the_key_decides_the_algorithm_not_the_header(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    rsa_private, rsa_public = rsa_key("r1")
    rs384_private, rs384_public = rsa_key("r384", alg="RS384")
    ec_private, ec_public = ec_key("e1")
    p384_private, p384_public = ec_key("p384", alg=None, curve=ec.SECP384R1())
    jwks_server.keys = [rsa_public, rs384_public, ec_public, p384_public]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock))
    mismatches = [
        # An EC token naming an RSA key, and the other way round.
        jwt.encode(claims(), ec_private, algorithm="ES256", headers={"kid": "r1"}),
        jwt.encode(claims(), rsa_private, algorithm="RS256", headers={"kid": "e1"}),
        # A key published for RS384 does not check RS256, though both are RSA.
        jwt.encode(claims(), rs384_private, algorithm="RS256", headers={"kid": "r384"}),
        # A P-384 key is ES384's; an ES256 header does not make it ES256's.
        signed_as({"alg": "ES256", "kid": "p384"}, claims(), "ES384", p384_private),
    ]
    for token in mismatches:
        with pytest.raises(Unauthorized, match="does not match its signing key"):
            await verifier.verify(token)
    # Algorithms outside the allow-list are refused even when the key would verify them.
    rs384 = jwt.encode(claims(), rs384_private, algorithm="RS384", headers={"kid": "r384"})
    ps256 = jwt.encode(claims(), rsa_private, algorithm="PS256", headers={"kid": "r1"})
    for token in (rs384, ps256):
        with pytest.raises(Unauthorized, match="algorithm is not accepted"):
            await verifier.verify(token)


async def test_an_hs256_token_signed_with_the_public_key_is_refused(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    """Key confusion: an attacker signs HS256 with the published RSA key's PEM as the secret."""
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    keys = await loaded_keys(jwks_server, http_client, clock)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = hmac_signed({"alg": "HS256", "typ": "JWT", "kid": "r1"}, claims(), pem)
    with pytest.raises(Unauthorized, match="algorithm is not accepted"):
        await JwtVerifier(None, keys).verify(forged)  # no secret: HS256 is off
    with pytest.raises(Unauthorized, match="signature"):
        await JwtVerifier(SECRET, keys).verify(forged)  # HS256 means the secret, only


async def test_asymmetric_tokens_must_name_a_known_key(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock))
    no_kid = jwt.encode(claims(), private, algorithm="RS256")
    with pytest.raises(Unauthorized, match="names no signing key"):
        await verifier.verify(no_kid)
    unknown = jwt.encode(claims(), private, algorithm="RS256", headers={"kid": "elsewhere"})
    with pytest.raises(Unauthorized, match="signing key is unknown"):
        await verifier.verify(unknown)


async def test_encryption_keys_do_not_verify_signatures(
    jwks_server: JwksServer, http_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    signing_private, signing_public = rsa_key("sig")
    private, public = rsa_key("enc")
    jwks_server.keys = [signing_public, {**public, "use": "enc"}]
    verifier = JwtVerifier(None, await loaded_keys(jwks_server, http_client, clock))
    signed = jwt.encode(claims(), signing_private, algorithm="RS256", headers={"kid": "sig"})
    assert (await verifier.verify(signed)).user_id == USER
    token = jwt.encode(claims(), private, algorithm="RS256", headers={"kid": "enc"})
    with pytest.raises(Unauthorized, match="unknown"):
        await verifier.verify(token)
