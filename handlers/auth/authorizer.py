"""The HTTP API's Lambda request authorizer.

It verifies the bearer token (fixed algorithm list, signature, expiry, issuer, audience)
and always answers ``isAuthorized: true`` with either the verified claims or the reason
the token was refused. The function behind the route then answers 401/403 as an RFC 9457
problem: an HTTP API authorizer that denies can only produce a bare
``{"message":"Forbidden"}``, which tells a client nothing (expired? wrong role?).
Caching is off (``resultTtlInSeconds: 0``), so a verdict never outlives its token.
"""

from __future__ import annotations

import logging
from typing import Any

from adapters.tokens import TokenError
from handlers.shared import wiring

tokens = wiring.tokens()
log = logging.getLogger("bazaar.authorizer")


def _bearer(headers: dict[str, str]) -> str | None:
    # Header names arrive lowercased on AWS and as sent under serverless-offline.
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else ""


def lambda_handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    token = _bearer(event.get("headers") or {})
    if token is None:
        return {"isAuthorized": True, "context": {"authError": "token_missing"}}
    if not token:
        return {"isAuthorized": True, "context": {"authError": "token_invalid"}}
    try:
        claims = tokens.verify(token)
    except TokenError as refused:
        return {"isAuthorized": True, "context": {"authError": refused.code}}
    except Exception:  # the key store is unreachable: refuse, never crash
        log.exception("token verification failed")
        return {"isAuthorized": True, "context": {"authError": "token_unverifiable"}}
    return {
        "isAuthorized": True,
        "context": {
            "userId": claims.user_id,
            "role": claims.role.value,
            "sessionId": claims.session_id,
            "expiresAt": claims.expires_at,
        },
    }
