"""The shared HTTP layer: error mapping, no leaks, no state carried between invocations."""

from __future__ import annotations

import re
from typing import Any

import pytest

from domain.errors import (
    AuthenticationRequired,
    Conflict,
    DomainError,
    Forbidden,
    InvalidRequest,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleViolation,
    TooManyRequests,
)
from tests.integration.helpers import (
    add_address,
    make_admin,
    problem,
    register,
    register_and_login,
)

SECRET = "secret-internal-detail"
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def _boom(*_: Any, **__: Any) -> Any:
    raise RuntimeError(SECRET)


def test_an_unexpected_error_is_a_500_that_says_nothing(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = register_and_login(api)
    monkeypatch.setattr("handlers.me.get_me.profile", _boom)
    response = api.get("/me", token=user.access)
    body = problem(response, 500, "internal_error")
    assert SECRET not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert body["instance"] == "/me"
    assert set(body) == {"type", "title", "status", "detail", "code", "instance"}


def test_an_unexpected_error_in_a_public_route(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.auth.register.register", _boom)
    response = api.post(
        "/auth/register",
        json={
            "email": "a@shop.example",
            "password": "password 123",
            "firstName": "A",
            "lastName": "B",
        },
    )
    problem(response, 500, "internal_error")
    assert SECRET not in response.text
    assert "password 123" not in response.text


def test_the_function_recovers_after_an_unexpected_error(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = register_and_login(api)
    with monkeypatch.context() as patched:
        patched.setattr("handlers.me.get_me.profile", _boom)
        problem(api.get("/me", token=user.access), 500, "internal_error")
    assert api.get("/me", token=user.access).status == 200


def test_a_broken_key_store_is_a_503_not_a_pass(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    user = register_and_login(api)
    import handlers.auth.authorizer as authorizer

    monkeypatch.setattr(authorizer.tokens, "verify", _boom)
    response = api.get("/me", token=user.access)
    problem(response, 503, "token_unverifiable")
    assert SECRET not in response.text


class _Gone(Conflict):
    """A subclass the mapping table does not name: found along the hierarchy."""

    code = "gone_away"
    title = "Gone away"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidRequest("bad", code="x_invalid"), 400),
        (AuthenticationRequired("who", code="x_auth"), 401),
        (Forbidden("no", code="x_forbidden"), 403),
        (NotFound("none", code="x_missing"), 404),
        (Conflict("clash", code="x_conflict"), 409),
        (_Gone("moved on"), 409),
        (PreconditionFailed("stale", code="x_stale"), 412),
        (RuleViolation("rule", code="x_rule"), 422),
        (PreconditionRequired("if-match", code="x_ifmatch"), 428),
        (TooManyRequests("slow down", retry_after=7, code="x_slow"), 429),
        (DomainError("plain", code="x_plain"), 400),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
def test_a_domain_error_maps_to_its_status(
    api: Any, monkeypatch: pytest.MonkeyPatch, error: DomainError, status: int
) -> None:
    user = register_and_login(api)

    def raise_it(*_: Any, **__: Any) -> Any:
        raise error

    monkeypatch.setattr("handlers.me.get_me.profile", raise_it)
    response = api.get("/me", token=user.access)
    body = problem(response, status, error.code)
    assert body["detail"] == error.detail
    assert body["title"] == error.title
    assert body["instance"] == "/me"
    if isinstance(error, TooManyRequests):
        assert response.header("Retry-After") == "7"
    else:
        assert response.header("Retry-After") is None


def test_the_principal_does_not_leak_into_the_next_invocation(api: Any) -> None:
    ada = register_and_login(api, first_name="Ada")
    grace = register_and_login(api, first_name="Grace")
    assert api.get("/me", token=ada.access).body["userId"] == ada.user_id
    problem(api.get("/me"), 401, "token_missing")
    assert api.get("/me", token=grace.access).body["userId"] == grace.user_id
    problem(api.get("/me", headers={"authorization": "Bearer junk"}), 401, "token_invalid")
    # The same function module, one user after another, each sees their own.
    patched = api.patch("/me", json={"lastName": "Hopper"}, token=grace.access)
    assert patched.body["userId"] == grace.user_id
    assert api.get("/me", token=ada.access).body["lastName"] == "Lovelace"
    problem(api.patch("/me", json={"lastName": "Nobody"}), 401, "token_missing")


def test_the_principal_does_not_survive_an_error(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    user = register_and_login(api)
    with monkeypatch.context() as patched:
        patched.setattr("handlers.me.get_me.profile", _boom)
        problem(api.get("/me", token=user.access), 500, "internal_error")
    problem(api.get("/me"), 401, "token_missing")


def test_no_principal_is_left_behind_by_any_answer(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the outcome, the function keeps no caller in its context afterwards (an
    ``optional_auth`` function would otherwise serve the next anonymous request as them)."""
    import handlers.auth.logout as logout

    user = register_and_login(api)
    good = {"refreshToken": user.refresh}
    calls = [
        (422, lambda: api.post("/auth/logout", json=[good], token=user.access)),
        (422, lambda: api.post("/auth/logout", json={"refreshToken": 5}, token=user.access)),
        (400, lambda: api.post("/auth/logout", body="{not json", token=user.access)),
        (500, lambda: api.post("/auth/logout", json=good, token=user.access)),
        (204, lambda: api.post("/auth/logout", json=good, token=user.access)),
    ]
    for status, call in calls:
        with monkeypatch.context() as patched:
            if status == 500:
                patched.setattr(logout, "log_out", _boom)
            assert call().status == status
        assert "principal" not in logout.app.context, status


def test_an_admin_verdict_does_not_leak_to_the_next_caller(api: Any) -> None:
    admin = make_admin(api)
    customer = register_and_login(api)
    assert api.get("/admin/users", token=admin.access).status == 200
    problem(api.get("/admin/users", token=customer.access), 403, "forbidden_role")
    problem(api.get("/admin/users"), 401, "token_missing")


def _keys(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        found = [(path, k) for k in value]
        for k, v in value.items():
            found += _keys(v, f"{path}.{k}")
        return found
    if isinstance(value, list):
        return [pair for item in value for pair in _keys(item, path)]
    return []


def test_success_bodies_are_camel_case_only(api: Any) -> None:
    admin = make_admin(api)
    registered = register(api)
    user = register_and_login(api)
    address = add_address(api, user.access, line2="Flat 2", phone="+447700900123")
    api.patch(
        "/me",
        json={"dateOfBirth": "1990-01-01", "preferences": {"favouriteCategories": []}},
        token=user.access,
    )
    bodies = {
        "register": registered,
        "login": api.post(
            "/auth/login", json={"email": user.email, "password": user.password}
        ).body,
        "refresh": api.post("/auth/refresh", json={"refreshToken": user.refresh}).body,
        "me": api.get("/me", token=user.access).body,
        "update me": api.patch("/me", json={"firstName": "Ada"}, token=user.access).body,
        "addresses": api.get("/me/addresses", token=user.access).body,
        "add address": address,
        "update address": api.patch(
            f"/me/addresses/{address['addressId']}", json={"city": "Bath"}, token=user.access
        ).body,
        "forgot": api.post("/auth/password/forgot", json={"email": user.email}).body,
        "users": api.get("/admin/users?limit=2", token=admin.access).body,
        "update user": api.patch(
            f"/admin/users/{user.user_id}", json={"role": "seller"}, token=admin.access
        ).body,
        "health": api.get("/health").body,
    }
    for name, body in bodies.items():
        assert isinstance(body, dict), name
        assert body, name
        bad = [f"{where}.{key}" for where, key in _keys(body) if not CAMEL.match(key)]
        assert not bad, f"{name}: {bad}"
    # The snake_case names really are absent (not merely also present).
    assert "user_id" not in str(bodies)
    assert "nextCursor" in bodies["users"]
    assert "isDefaultShipping" in bodies["addresses"]["items"][0]


def test_success_responses_are_json_and_problems_are_problem_json(api: Any) -> None:
    user = register_and_login(api)
    ok = api.get("/me", token=user.access)
    assert ok.header("content-type") == "application/json"
    refused = api.get("/me")
    assert refused.header("content-type") == "application/problem+json"
    empty = api.post("/auth/logout", json={"refreshToken": user.refresh}, token=user.access)
    assert empty.status == 204
    assert empty.text == ""


def test_a_body_that_is_not_json_content_is_415(api: Any) -> None:
    response = api.post(
        "/auth/login",
        body='{"email": "a@shop.example", "password": "whatever 1"}',
        headers={"content-type": "text/plain"},
    )
    problem(response, 415, "unsupported_media_type")


def test_an_array_wrapping_a_valid_body_is_refused(api: Any) -> None:
    body = {
        "email": "a@shop.example",
        "password": "password 123",
        "firstName": "A",
        "lastName": "B",
    }
    response = api.post("/auth/register", json=[body])
    problem(response, 422, "validation_failed")
    assert api.post("/auth/register", json=body).status == 201
