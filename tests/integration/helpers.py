"""Shared steps and assertions of the API integration tests (through the in-process API)."""

from __future__ import annotations

import base64
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from tests.support.lambda_api import ApiResponse, LambdaApi

PASSWORD = "correct horse 1"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}
# What an error body must never carry: a stack trace, a source file, a local path.
LEAKS = re.compile(r"Traceback|File \"|\.py\b|site-packages|/work/|/tmp/|/home/")

_serial = itertools.count(1)


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{next(_serial)}@shop.example"


@dataclass
class Account:
    user_id: str
    email: str
    password: str
    access: str
    refresh: str
    role: str


def register(
    api: LambdaApi,
    email: str | None = None,
    password: str = PASSWORD,
    *,
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "email": email or unique_email(),
        "password": password,
        "firstName": first_name,
        "lastName": last_name,
        **extra,
    }
    response = api.post("/auth/register", json=body)
    assert response.status == 201, response.text
    return response.body  # type: ignore[no-any-return]


def login(api: LambdaApi, email: str, password: str = PASSWORD) -> Account:
    response = api.post("/auth/login", json={"email": email, "password": password})
    assert response.status == 200, response.text
    body = response.body
    return Account(
        user_id=body["userId"],
        email=email,
        password=password,
        access=body["accessToken"],
        refresh=body["refreshToken"],
        role=body["role"],
    )


def register_and_login(
    api: LambdaApi, email: str | None = None, password: str = PASSWORD, **fields: Any
) -> Account:
    email = email or unique_email()
    register(api, email, password, **fields)
    return login(api, email, password)


def set_access(user_id: str, *, role: str | None = None, status: str | None = None) -> None:
    """Change a user's role or status directly through the domain (no API, no admin)."""
    from domain.accounts.model import Role, UserStatus
    from domain.accounts.services import set_user_access
    from handlers.shared import wiring

    set_user_access(
        user_id,
        role=Role(role) if role else None,
        status=UserStatus(status) if status else None,
        acting_admin_id="test",
        accounts=wiring.accounts(),
    )


def make_admin(api: LambdaApi, email: str | None = None) -> Account:
    """A registered user promoted to admin, signed in again so the token says so."""
    return make_role(api, "admin", email)


def make_role(api: LambdaApi, role: str, email: str | None = None) -> Account:
    email = email or unique_email(role)
    account = register_and_login(api, email)
    if role != "customer":
        set_access(account.user_id, role=role)
        account = login(api, email)
    assert account.role == role
    return account


def problem(response: ApiResponse, status: int, code: str) -> dict[str, Any]:
    """Assert ``response`` is an RFC 9457 problem with this status and code; its body."""
    assert response.status == status, f"{response.status} != {status}: {response.text}"
    content_type = response.header("content-type") or ""
    assert content_type.split(";")[0].strip() == "application/problem+json", content_type
    body = response.body
    assert isinstance(body, dict), response.text
    missing = PROBLEM_KEYS - set(body)
    assert not missing, f"problem body lacks {missing}: {response.text}"
    assert body["status"] == status, body
    assert body["code"] == code, f"{body['code']} != {code}: {response.text}"
    assert body["type"].endswith(code), body
    assert isinstance(body["title"], str), body
    assert body["title"], body
    assert isinstance(body["detail"], str), body
    assert body["detail"], body
    assert not LEAKS.search(response.text), f"error body leaks internals: {response.text}"
    return body  # type: ignore[no-any-return]


def error_locs(body: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """The ``(loc, type)`` pairs of a 422 problem's ``errors``."""
    return [(tuple(e["loc"]), e["type"]) for e in body.get("errors") or []]


def sent_emails() -> list[Any]:
    """What SES (moto) has sent so far: messages with .destinations, .subject, .body."""
    from moto.ses.models import ses_backends

    return list(ses_backends["123456789012"]["us-east-1"].sent_messages)


def reset_token_of(message: Any) -> str:
    found = re.search(r"[?&]token=([A-Za-z0-9_\-]+)", message.body)
    assert found, message.body
    return found.group(1)


def jwt_claims(token: str) -> dict[str, Any]:
    """A JWT's payload, unverified (to look at what a token says)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


def address_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "label": "Home",
        "fullName": "Ada Lovelace",
        "line1": "12 St James's Square",
        "city": "London",
        "postalCode": "SW1Y 4JH",
        "country": "GB",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def add_address(api: LambdaApi, token: str, **overrides: Any) -> dict[str, Any]:
    response = api.post("/me/addresses", json=address_body(**overrides), token=token)
    assert response.status == 201, response.text
    return response.body  # type: ignore[no-any-return]
