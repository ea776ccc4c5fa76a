"""Access tokens: HS256 JWTs signed with a key from Secrets Manager.

The secret is JSON ``{"kid": "...", "secret": "...", "previous": [{"kid", "secret"}]}``:
tokens are signed with the current key and verified with any listed one, so a key can
be rotated without signing everybody out. The accepted algorithm list is fixed here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

from adapters.secrets import get_json_secret
from adapters.settings import Settings
from domain.accounts.model import Role

ALGORITHMS = ["HS256"]
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud", "role", "sid"]


@dataclass(frozen=True)
class Claims:
    user_id: str
    role: Role
    session_id: str
    expires_at: int


class TokenError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class JwtTokens:
    def __init__(self, config: Settings) -> None:
        self._config = config

    @property
    def ttl_seconds(self) -> int:
        return self._config.ACCESS_TOKEN_TTL_SECONDS

    def _keys(self) -> tuple[str, dict[str, str]]:
        value = get_json_secret(self._config.JWT_SECRET_ID, self._config.SECRETS_CACHE_SECONDS)
        keys = {value["kid"]: value["secret"]}
        for old in value.get("previous", []):
            keys.setdefault(old["kid"], old["secret"])
        return value["kid"], keys

    def issue(self, *, user_id: str, role: Role, session_id: str) -> str:
        kid, keys = self._keys()
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self._config.JWT_ISSUER,
            "aud": self._config.JWT_AUDIENCE,
            "sub": user_id,
            "role": role.value,
            "sid": session_id,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl_seconds,
        }
        return jwt.encode(claims, keys[kid], algorithm="HS256", headers={"kid": kid})

    def verify(self, token: str) -> Claims:
        """The token's claims, or ``TokenError`` saying why it is refused."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenError("token_invalid", "the access token is malformed") from None
        if header.get("alg") not in ALGORITHMS:
            raise TokenError("token_invalid", "the access token's algorithm is not accepted")
        _, keys = self._keys()
        key = keys.get(str(header.get("kid")))
        if key is None:
            raise TokenError("token_invalid", "the access token's key is unknown")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._config.JWT_AUDIENCE,
                issuer=self._config.JWT_ISSUER,
                options={"require": REQUIRED_CLAIMS},
                leeway=5,
            )
            role = Role(claims["role"])
        except jwt.ExpiredSignatureError:
            raise TokenError("token_expired", "the access token has expired") from None
        except (jwt.InvalidTokenError, ValueError):
            raise TokenError("token_invalid", "the access token is not valid") from None
        return Claims(
            user_id=str(claims["sub"]),
            role=role,
            session_id=str(claims["sid"]),
            expires_at=int(claims["exp"]),
        )
