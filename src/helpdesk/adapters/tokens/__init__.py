"""Bearer tokens: verification (HS256 secret, JWKS for RS256/ES256) and HS256 issuing."""

from helpdesk.adapters.tokens.issuer import Hs256TokenIssuer
from helpdesk.adapters.tokens.jwks import JwksKeySet
from helpdesk.adapters.tokens.jwt_verifier import JwtVerifier

__all__ = ["Hs256TokenIssuer", "JwksKeySet", "JwtVerifier"]
