"""Bad tokens on protected routes: a 401 problem that says why, never a pass."""

from __future__ import annotations

import base64
import importlib
import json
import os
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from tests.conftest import CONFIG
from tests.integration.bad_input.cases import World
from tests.integration.helpers import Account, problem
from tests.support.lambda_api import LambdaApi, routes_of


def _secret() -> dict[str, str]:
    from adapters.secrets import get_json_secret

    return get_json_secret(os.environ["JWT_SECRET_ID"], 0)  # type: ignore[no-any-return]


def _claims(world: World, who: str = "customer", **changes: Any) -> dict[str, Any]:
    account: Account = getattr(world, who)
    real = json.loads(_b64d(account.access.split(".")[1]))
    now = int(time.time())
    claims = {
        "iss": os.environ["JWT_ISSUER"],
        "aud": os.environ["JWT_AUDIENCE"],
        "sub": account.user_id,
        "role": who,
        "sid": real["sid"],
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    for name, value in changes.items():
        if value is DROP:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


DROP = object()


def _expired(world: World) -> dict[str, Any]:
    now = int(time.time())
    return _claims(world, iat=now - 1000, nbf=now - 1000, exp=now - 60)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(
    claims: dict[str, Any], *, key: str | None = None, kid: str | None = "real", alg: str = "HS256"
) -> str:
    secret = _secret()
    headers = {} if kid is None else {"kid": secret["kid"] if kid == "real" else kid}
    return jwt.encode(claims, key or secret["secret"], algorithm=alg, headers=headers)


def _tampered(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    claims = {**json.loads(_b64d(payload)), **changes}
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def _unsigned(claims: dict[str, Any]) -> str:
    header = {"alg": "none", "typ": "JWT", "kid": _secret()["kid"]}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."


# name -> (Authorization header value or None, expected on GET /me, on GET /admin/users)
# where an expectation is a status and a code (None for a success).
Header = Callable[[World], str | None]
TOKEN_CASES: list[tuple[str, Header, tuple[int, str | None], tuple[int, str | None]]] = [
    ("no header", lambda w: None, (401, "token_missing"), (401, "token_missing")),
    ("Bearer without token", lambda w: "Bearer", (401, "token_invalid"), (401, "token_invalid")),
    ("Bearer and a space", lambda w: "Bearer ", (401, "token_invalid"), (401, "token_invalid")),
    ("Basic scheme", lambda w: "Basic YWRhOnB3", (401, "token_invalid"), (401, "token_invalid")),
    ("token without scheme", lambda w: w.customer.access,
     (401, "token_invalid"), (401, "token_invalid")),
    ("garbage", lambda w: "Bearer garbage", (401, "token_invalid"), (401, "token_invalid")),
    ("three dots of garbage", lambda w: "Bearer a.b.c", (401, "token_invalid"),
     (401, "token_invalid")),
    ("refresh token as access token", lambda w: f"Bearer {w.customer.refresh}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("role changed to admin, not re-signed",
     lambda w: f"Bearer {_tampered(w.customer.access, role='admin')}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("subject changed, not re-signed",
     lambda w: f"Bearer {_tampered(w.customer.access, sub=w.admin.user_id)}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("alg none", lambda w: f"Bearer {_unsigned(_claims(w, 'admin'))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("alg HS512 with the real key", lambda w: f"Bearer {_sign(_claims(w), alg='HS512')}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("signed with a wrong key", lambda w: f"Bearer {_sign(_claims(w, 'admin'), key='k' * 64)}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("unknown kid", lambda w: f"Bearer {_sign(_claims(w), kid='k-unknown')}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("no kid", lambda w: f"Bearer {_sign(_claims(w), kid=None)}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("expired", lambda w: f"Bearer {_sign(_expired(w))}",
     (401, "token_expired"), (401, "token_expired")),
    ("not yet valid", lambda w: f"Bearer {_sign(_claims(w, nbf=int(time.time()) + 600))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("wrong issuer", lambda w: f"Bearer {_sign(_claims(w, iss='https://evil.example'))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("wrong audience", lambda w: f"Bearer {_sign(_claims(w, aud='https://other.api'))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("missing sid", lambda w: f"Bearer {_sign(_claims(w, sid=DROP))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("missing role", lambda w: f"Bearer {_sign(_claims(w, role=DROP))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("missing sub", lambda w: f"Bearer {_sign(_claims(w, sub=DROP))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("missing exp", lambda w: f"Bearer {_sign(_claims(w, exp=DROP))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("unknown role", lambda w: f"Bearer {_sign(_claims(w, role='superuser'))}",
     (401, "token_invalid"), (401, "token_invalid")),
    ("role in another case", lambda w: f"Bearer {_sign(_claims(w, 'admin', role='ADMIN'))}",
     (401, "token_invalid"), (401, "token_invalid")),
    # Controls: the forging above differs from a good token only in what each case names.
    ("valid customer token", lambda w: f"Bearer {w.customer.access}",
     (200, None), (403, "forbidden_role")),
    ("lowercase scheme", lambda w: f"bearer {w.customer.access}",
     (200, None), (403, "forbidden_role")),
    ("self-signed customer token", lambda w: f"Bearer {_sign(_claims(w))}",
     (200, None), (403, "forbidden_role")),
    ("valid admin token", lambda w: f"Bearer {w.admin.access}", (200, None), (200, None)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "on_me", "on_admin"),
    [case[1:] for case in TOKEN_CASES],
    ids=[case[0] for case in TOKEN_CASES],
)
def test_tokens(
    api: LambdaApi,
    world: World,
    header: Header,
    on_me: tuple[int, str | None],
    on_admin: tuple[int, str | None],
) -> None:
    value = header(world)
    headers = {} if value is None else {"authorization": value}
    for route, (status, code) in (("/me", on_me), ("/admin/users", on_admin)):
        response = api.get(route, headers=headers)
        if code is None:
            assert response.status == status, f"{route}: {response.text}"
            assert response.header("content-type") == "application/json"
            continue
        problem(response, status, code)
        if status == 401:
            challenge = response.header("WWW-Authenticate") or ""
            assert challenge.startswith("Bearer "), response.headers
            assert code in challenge


def _optional_auth(handler: str) -> bool:
    """Whether a function lets anonymous callers in (its app recognises a token if sent)."""
    module = importlib.import_module(handler.rpartition(".")[0].replace("/", "."))
    return bool(module.app.optional_auth)


PATH_VALUES = {"{addressId}": "{address}", "{userId}": "{user}", "{categoryId}": "{category}",
               "{productId}": "{product}", "{sellerId}": "{seller_id}",
               "{orderId}": "ord_01JD0000000000000000000000",
               "{paymentMethodId}": "pm_test_saved_nobody",
               "{assetId}": "mdl_01JD0000000000000000000000"}  # fmt: skip


# The catalogue reads that show more to a seller or an admin (a draft, its models in every
# status) and take a token only if one is sent.
OPTIONAL = {
    "GET /products/{productId}",
    "GET /products/{productId}/reviews",
    "GET /reality/{productId}",
}


def test_tokens_are_checked_on_every_protected_route(api: LambdaApi, world: World) -> None:
    forged = _tampered(world.customer.access, role="admin")
    anonymous_passed = set()
    for route in api.routes:
        if not route.authorized:
            continue
        template = route.path
        for name, value in PATH_VALUES.items():
            template = template.replace(name, value)
        path = world.path(template)
        optional = _optional_auth(route.handler)
        for headers, code in (
            ({}, "token_missing"),
            ({"authorization": f"Bearer {forged}"}, "token_invalid"),
        ):
            response = api.request(route.method, path, json_body={}, headers=headers)
            if optional and code == "token_missing":
                # Anonymous callers pass (and a draft is absent to them); a bad token never does.
                problem(response, 404, "product_not_found")
                anonymous_passed.add(f"{route.method} {route.path}")
                continue
            problem(response, 401, code)
    assert anonymous_passed == OPTIONAL


def test_optional_authentication_is_declared_where_expected() -> None:
    """Only the catalogue reads that show more to a seller or admin take an optional token."""
    optional = {
        f"{r.method} {r.path}"
        for r in routes_of(CONFIG)
        if r.authorized and _optional_auth(r.handler)
    }
    assert optional == OPTIONAL
