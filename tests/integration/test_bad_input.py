"""Bad input on every route, and bad tokens on protected ones: always a problem, never a 500.

The tables drive everything: each case names a route, who calls it, what is sent, and the
status, code and error locations expected. A coverage test holds the case table to the
routes serverless.yml declares, so a new route without bad-input cases fails.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from string import Formatter
from typing import Any

import jwt
import pytest

from tests.integration.helpers import (
    PASSWORD,
    Account,
    add_address,
    error_locs,
    make_admin,
    problem,
    register_and_login,
)
from tests.support.lambda_api import LambdaApi, routes_of

Loc = tuple[str, ...]
NO_BODY = object()
ANOTHER_USER = "usr_01JD0000000000000000000000"
ANOTHER_ADDRESS = "adr_01JD0000000000000000000000"
LONG_EMAIL = "a" * 245 + "@shop.example"  # 258 characters
# Routes with no input of their own (no body, path or query parameters).
NO_INPUT = {"GET /me", "GET /me/addresses", "GET /health"}
# Documentation routes, not part of the API's contract.
NOT_API = {"GET /openapi.json", "GET /docs"}


@dataclass(frozen=True)
class Raw:
    """A body sent as is (not JSON-encoded)."""

    text: str


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # may name {user} (the customer's id) and {address} (their address)
    body: Any = NO_BODY
    token: str | None = "customer"
    status: int = 422
    code: str | None = "validation_failed"
    errors: tuple[tuple[Loc, str], ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    group: str | None = None  # cases of one group run one after another in one test

    @property
    def route(self) -> str:
        return f"{self.method} {self.path.split('?')[0]}"


def _err(*pairs: tuple[str, str]) -> tuple[tuple[Loc, str], ...]:
    """Error expectations from ``("body.email", "missing")`` pairs."""
    return tuple((tuple(loc.split(".")), kind) for loc, kind in pairs)


REGISTER = {"email": "new@shop.example", "password": PASSWORD, "firstName": "N", "lastName": "M"}
ADDRESS = {
    "fullName": "Ada Lovelace",
    "line1": "1 Road",
    "city": "London",
    "postalCode": "N1",
    "country": "GB",
}


def _without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in names}


def _body_cases(
    name: str, method: str, path: str, *, token: str | None, valid: dict[str, Any]
) -> list[Case]:
    """Malformed JSON, a JSON array, a JSON string and an empty body, for one route.

    They form one group (one test): each is refused without writing anything, so they
    can share a fresh stack, and the suite stays fast.
    """

    def case(suffix: str, body: Any, status: int, code: str, errors: Any = ()) -> Case:
        return Case(
            f"{name}: {suffix}",
            method,
            path,
            body,
            token,
            status,
            code,
            errors,
            group=f"{name}: malformed bodies",
        )

    one_line = json.dumps(valid)
    return [
        case("truncated JSON", Raw(one_line[:-1]), 400, "malformed_json"),
        case("single quotes", Raw(one_line.replace('"', "'")), 400, "malformed_json"),
        case("trailing comma", Raw(one_line[:-1] + ",}"), 400, "malformed_json"),
        case("not JSON at all", Raw("email=a@b.c&x=1"), 400, "malformed_json"),
        case(
            "JSON array", [valid], 422, "validation_failed", _err(("body", "model_attributes_type"))
        ),
        case(
            "JSON string",
            "hello",
            422,
            "validation_failed",
            _err(("body", "model_attributes_type")),
        ),
        case("empty body", Raw(""), 422, "validation_failed", _err(("body", "missing"))),
    ]


CASES: list[Case] = [
    # -- POST /auth/register --------------------------------------------------------------
    Case("register: missing email", "POST", "/auth/register", _without(REGISTER, "email"), None,
         errors=_err(("body.email", "missing"))),
    Case("register: nothing at all", "POST", "/auth/register", {}, None, errors=_err(
        ("body.email", "missing"), ("body.password", "missing"),
        ("body.firstName", "missing"), ("body.lastName", "missing"))),
    Case("register: snake_case names", "POST", "/auth/register",
         {**_without(REGISTER, "firstName"), "first_name": "N"}, None,
         errors=_err(("body.firstName", "missing"), ("body.first_name", "extra_forbidden"))),
    Case("register: role admin", "POST", "/auth/register", {**REGISTER, "role": "admin"}, None,
         errors=_err(("body.role", "extra_forbidden"))),
    Case("register: mass assignment", "POST", "/auth/register",
         {**REGISTER, "role": "admin", "status": "active", "userId": ANOTHER_USER,
          "passwordHash": "x"}, None,
         errors=_err(("body.role", "extra_forbidden"), ("body.status", "extra_forbidden"),
                     ("body.userId", "extra_forbidden"), ("body.passwordHash", "extra_forbidden"))),
    Case("register: number for email", "POST", "/auth/register", {**REGISTER, "email": 5}, None,
         errors=_err(("body.email", "string_type"))),
    Case("register: number for first name", "POST", "/auth/register",
         {**REGISTER, "firstName": 42}, None, errors=_err(("body.firstName", "string_type"))),
    Case("register: list for password", "POST", "/auth/register",
         {**REGISTER, "password": [PASSWORD]}, None, errors=_err(("body.password", "string_type"))),
    Case("register: first name of 101", "POST", "/auth/register",
         {**REGISTER, "firstName": "x" * 101}, None,
         errors=_err(("body.firstName", "string_too_long"))),
    Case("register: last name of 101", "POST", "/auth/register",
         {**REGISTER, "lastName": "x" * 101}, None,
         errors=_err(("body.lastName", "string_too_long"))),
    Case("register: blank last name", "POST", "/auth/register", {**REGISTER, "lastName": "   "},
         None, errors=_err(("body.lastName", "string_too_short"))),
    Case("register: email of 258", "POST", "/auth/register", {**REGISTER, "email": LONG_EMAIL},
         None, errors=_err(("body.email", "string_too_long"))),
    Case("register: not an email", "POST", "/auth/register", {**REGISTER, "email": "ada@"}, None,
         errors=_err(("body.email", "value_error"))),
    Case("register: short password", "POST", "/auth/register", {**REGISTER, "password": "short"},
         None, errors=_err(("body.password", "value_error"))),
    Case("register: password over 72 bytes", "POST", "/auth/register",
         {**REGISTER, "password": "é" * 37}, None, errors=_err(("body.password", "value_error"))),
    Case("register: bad phone", "POST", "/auth/register", {**REGISTER, "phone": "0123"}, None,
         errors=_err(("body.phone", "string_pattern_mismatch"))),
    *_body_cases("register", "POST", "/auth/register", token=None, valid=REGISTER),
    # -- POST /auth/login ------------------------------------------------------------------
    Case("login: missing password", "POST", "/auth/login", {"email": "a@shop.example"}, None,
         errors=_err(("body.password", "missing"))),
    Case("login: extra field", "POST", "/auth/login",
         {"email": "a@shop.example", "password": PASSWORD, "remember": True}, None,
         errors=_err(("body.remember", "extra_forbidden"))),
    Case("login: number for password", "POST", "/auth/login",
         {"email": "a@shop.example", "password": 12345678}, None,
         errors=_err(("body.password", "string_type"))),
    Case("login: empty password", "POST", "/auth/login",
         {"email": "a@shop.example", "password": ""}, None,
         errors=_err(("body.password", "string_too_short"))),
    Case("login: password of 257", "POST", "/auth/login",
         {"email": "a@shop.example", "password": "p" * 257}, None,
         errors=_err(("body.password", "string_too_long"))),
    Case("login: email of 258", "POST", "/auth/login", {"email": LONG_EMAIL, "password": PASSWORD},
         None, errors=_err(("body.email", "string_too_long"))),
    *_body_cases("login", "POST", "/auth/login", token=None,
                 valid={"email": "a@shop.example", "password": PASSWORD}),
    # -- POST /auth/refresh ----------------------------------------------------------------
    Case("refresh: missing token", "POST", "/auth/refresh", {}, None,
         errors=_err(("body.refreshToken", "missing"))),
    Case("refresh: snake_case", "POST", "/auth/refresh", {"refresh_token": "a.b.c"}, None,
         errors=_err(("body.refreshToken", "missing"), ("body.refresh_token", "extra_forbidden"))),
    Case("refresh: number", "POST", "/auth/refresh", {"refreshToken": 7}, None,
         errors=_err(("body.refreshToken", "string_type"))),
    Case("refresh: token of 257", "POST", "/auth/refresh", {"refreshToken": "r" * 257}, None,
         errors=_err(("body.refreshToken", "string_too_long"))),
    *_body_cases("refresh", "POST", "/auth/refresh", token=None, valid={"refreshToken": "a.b.c"}),
    # -- POST /auth/logout (signed in) -----------------------------------------------------
    Case("logout: missing token", "POST", "/auth/logout", {},
         errors=_err(("body.refreshToken", "missing"))),
    Case("logout: extra field", "POST", "/auth/logout",
         {"refreshToken": "a.b.c", "everywhere": True},
         errors=_err(("body.everywhere", "extra_forbidden"))),
    Case("logout: boolean for token", "POST", "/auth/logout", {"refreshToken": True},
         errors=_err(("body.refreshToken", "string_type"))),
    *_body_cases("logout", "POST", "/auth/logout", token="customer",
                 valid={"refreshToken": "a.b.c"}),
    # -- POST /auth/password/forgot --------------------------------------------------------
    Case("forgot: missing email", "POST", "/auth/password/forgot", {}, None,
         errors=_err(("body.email", "missing"))),
    Case("forgot: extra field", "POST", "/auth/password/forgot",
         {"email": "a@shop.example", "redirectUrl": "https://evil.example"}, None,
         errors=_err(("body.redirectUrl", "extra_forbidden"))),
    Case("forgot: list for email", "POST", "/auth/password/forgot", {"email": ["a@b.co"]}, None,
         errors=_err(("body.email", "string_type"))),
    Case("forgot: email of 258", "POST", "/auth/password/forgot", {"email": LONG_EMAIL}, None,
         errors=_err(("body.email", "string_too_long"))),
    *_body_cases("forgot", "POST", "/auth/password/forgot", token=None,
                 valid={"email": "a@shop.example"}),
    # -- POST /auth/password/reset ---------------------------------------------------------
    Case("reset: missing new password", "POST", "/auth/password/reset", {"token": "t"}, None,
         errors=_err(("body.newPassword", "missing"))),
    Case("reset: missing token", "POST", "/auth/password/reset", {"newPassword": PASSWORD}, None,
         errors=_err(("body.token", "missing"))),
    Case("reset: extra user id", "POST", "/auth/password/reset",
         {"token": "t", "newPassword": PASSWORD, "userId": ANOTHER_USER}, None,
         errors=_err(("body.userId", "extra_forbidden"))),
    Case("reset: number for token", "POST", "/auth/password/reset",
         {"token": 1, "newPassword": PASSWORD}, None, errors=_err(("body.token", "string_type"))),
    Case("reset: weak password", "POST", "/auth/password/reset",
         {"token": "t", "newPassword": "1234"}, None,
         errors=_err(("body.newPassword", "value_error"))),
    *_body_cases("reset", "POST", "/auth/password/reset", token=None,
                 valid={"token": "t", "newPassword": PASSWORD}),
    # -- PATCH /me -------------------------------------------------------------------------
    Case("update me: mass assignment", "PATCH", "/me",
         {"status": "disabled", "role": "admin", "email": "boss@shop.example"},
         errors=_err(("body.status", "extra_forbidden"), ("body.role", "extra_forbidden"),
                     ("body.email", "extra_forbidden"))),
    Case("update me: other ids", "PATCH", "/me",
         {"userId": ANOTHER_USER, "defaultShippingAddressId": ANOTHER_ADDRESS,
          "addressCount": 0, "sessionsRevokedAt": None},
         errors=_err(("body.userId", "extra_forbidden"),
                     ("body.defaultShippingAddressId", "extra_forbidden"),
                     ("body.addressCount", "extra_forbidden"),
                     ("body.sessionsRevokedAt", "extra_forbidden"))),
    Case("update me: number for first name", "PATCH", "/me", {"firstName": 5},
         errors=_err(("body.firstName", "string_type"))),
    Case("update me: first name of 101", "PATCH", "/me", {"firstName": "x" * 101},
         errors=_err(("body.firstName", "string_too_long"))),
    Case("update me: last name of 101", "PATCH", "/me", {"lastName": "x" * 101},
         errors=_err(("body.lastName", "string_too_long"))),
    Case("update me: not a date", "PATCH", "/me", {"dateOfBirth": "yesterday"},
         errors=_err(("body.dateOfBirth", "date_from_datetime_parsing"))),
    Case("update me: avatar of 2049", "PATCH", "/me",
         {"avatarUrl": "https://img.example/" + "a" * 2030},
         errors=_err(("body.avatarUrl", "string_too_long"))),
    Case("update me: unknown theme", "PATCH", "/me", {"preferences": {"theme": "neon"}},
         errors=_err(("body.preferences.theme", "enum"))),
    Case("update me: string for channel list", "PATCH", "/me",
         {"preferences": {"notificationChannels": "email"}},
         errors=_err(("body.preferences.notificationChannels", "list_type"))),
    Case("update me: extra preference", "PATCH", "/me", {"preferences": {"fontSize": 3}},
         errors=_err(("body.preferences.fontSize", "extra_forbidden"))),
    *_body_cases("update me", "PATCH", "/me", token="customer", valid={"firstName": "N"}),
    # -- POST /me/password -----------------------------------------------------------------
    Case("change password: missing current", "POST", "/me/password", {"newPassword": PASSWORD},
         errors=_err(("body.currentPassword", "missing"))),
    Case("change password: extra user id", "POST", "/me/password",
         {"currentPassword": PASSWORD, "newPassword": PASSWORD, "userId": ANOTHER_USER},
         errors=_err(("body.userId", "extra_forbidden"))),
    Case("change password: number for new", "POST", "/me/password",
         {"currentPassword": PASSWORD, "newPassword": 12345678},
         errors=_err(("body.newPassword", "string_type"))),
    Case("change password: weak new", "POST", "/me/password",
         {"currentPassword": PASSWORD, "newPassword": "short"},
         errors=_err(("body.newPassword", "value_error"))),
    *_body_cases("change password", "POST", "/me/password", token="customer",
                 valid={"currentPassword": PASSWORD, "newPassword": PASSWORD}),
    # -- POST /me/addresses ----------------------------------------------------------------
    Case("add address: nothing at all", "POST", "/me/addresses", {}, errors=_err(
        ("body.fullName", "missing"), ("body.line1", "missing"), ("body.city", "missing"),
        ("body.postalCode", "missing"), ("body.country", "missing"))),
    Case("add address: missing country", "POST", "/me/addresses", _without(ADDRESS, "country"),
         errors=_err(("body.country", "missing"))),
    Case("add address: mass assignment", "POST", "/me/addresses",
         {**ADDRESS, "userId": ANOTHER_USER, "addressId": ANOTHER_ADDRESS,
          "isDefaultShipping": True},
         errors=_err(("body.userId", "extra_forbidden"), ("body.addressId", "extra_forbidden"),
                     ("body.isDefaultShipping", "extra_forbidden"))),
    Case("add address: string for boolean", "POST", "/me/addresses",
         {**ADDRESS, "defaultShipping": "yes", "defaultBilling": "true"},
         errors=_err(("body.defaultShipping", "bool_type"), ("body.defaultBilling", "bool_type"))),
    Case("add address: number for boolean", "POST", "/me/addresses",
         {**ADDRESS, "defaultShipping": 1}, errors=_err(("body.defaultShipping", "bool_type"))),
    Case("add address: number for line", "POST", "/me/addresses", {**ADDRESS, "line1": 12},
         errors=_err(("body.line1", "string_type"))),
    Case("add address: full name of 101", "POST", "/me/addresses",
         {**ADDRESS, "fullName": "x" * 101}, errors=_err(("body.fullName", "string_too_long"))),
    Case("add address: lowercase country", "POST", "/me/addresses", {**ADDRESS, "country": "gb"},
         errors=_err(("body.country", "string_pattern_mismatch"))),
    *_body_cases("add address", "POST", "/me/addresses", token="customer", valid=ADDRESS),
    # -- PATCH /me/addresses/{addressId} ---------------------------------------------------
    Case("update address: malformed id", "PATCH", "/me/addresses/nope", {"city": "Bath"},
         errors=_err(("path.addressId", "string_pattern_mismatch"))),
    Case("update address: injected id", "PATCH", "/me/addresses/adr_x'%20OR%201=1",
         {"city": "Bath"}, errors=_err(("path.addressId", "string_pattern_mismatch"))),
    Case("update address: extra owner", "PATCH", "/me/addresses/{address}",
         {"userId": ANOTHER_USER}, errors=_err(("body.userId", "extra_forbidden"))),
    Case("update address: string for boolean", "PATCH", "/me/addresses/{address}",
         {"defaultBilling": "true"}, errors=_err(("body.defaultBilling", "bool_type"))),
    Case("update address: city of 101", "PATCH", "/me/addresses/{address}", {"city": "x" * 101},
         errors=_err(("body.city", "string_too_long"))),
    *_body_cases("update address", "PATCH", "/me/addresses/{address}", token="customer",
                 valid={"city": "Bath"}),
    # -- DELETE /me/addresses/{addressId} --------------------------------------------------
    Case("delete address: malformed id", "DELETE", "/me/addresses/nope",
         errors=_err(("path.addressId", "string_pattern_mismatch"))),
    Case("delete address: lowercase id", "DELETE", "/me/addresses/{address_lower}",
         errors=_err(("path.addressId", "string_pattern_mismatch"))),
    Case("delete address: a user id", "DELETE", "/me/addresses/{address_prefix}",
         errors=_err(("path.addressId", "string_pattern_mismatch"))),
    # -- GET /admin/users ------------------------------------------------------------------
    Case("list users: limit 0", "GET", "/admin/users?limit=0", token="admin",
         errors=_err(("query.limit", "greater_than_equal"))),
    Case("list users: limit 101", "GET", "/admin/users?limit=101", token="admin",
         errors=_err(("query.limit", "less_than_equal"))),
    Case("list users: limit abc", "GET", "/admin/users?limit=abc", token="admin",
         errors=_err(("query.limit", "int_type"))),
    Case("list users: limit 5.5", "GET", "/admin/users?limit=5.5", token="admin",
         errors=_err(("query.limit", "int_type"))),
    Case("list users: limit true", "GET", "/admin/users?limit=true", token="admin",
         errors=_err(("query.limit", "int_type"))),
    Case("list users: cursor of 2049", "GET", "/admin/users?cursor=" + "c" * 2049,
         token="admin", errors=_err(("query.cursor", "string_too_long"))),
    Case("list users: garbage cursor", "GET", "/admin/users?cursor=garbage", token="admin",
         status=400, code="invalid_cursor"),
    # -- PATCH /admin/users/{userId} -------------------------------------------------------
    Case("update user: unknown role", "PATCH", "/admin/users/{user}", {"role": "superuser"},
         "admin", errors=_err(("body.role", "enum"))),
    Case("update user: number for status", "PATCH", "/admin/users/{user}", {"status": 5},
         "admin", errors=_err(("body.status", "enum"))),
    Case("update user: extra fields", "PATCH", "/admin/users/{user}",
         {"role": "seller", "email": "x@shop.example", "passwordHash": "x"}, "admin",
         errors=_err(("body.email", "extra_forbidden"), ("body.passwordHash", "extra_forbidden"))),
    Case("update user: malformed id", "PATCH", "/admin/users/nope", {"role": "seller"}, "admin",
         errors=_err(("path.userId", "string_pattern_mismatch"))),
    Case("update user: nothing to change", "PATCH", "/admin/users/{user}",
         {"role": None, "status": None}, "admin", code="empty_update"),
    *_body_cases("update user", "PATCH", "/admin/users/{user}", token="admin",
                 valid={"role": "seller"}),
    # -- routes without input of their own -------------------------------------------------
    Case("get me: no token", "GET", "/me", token=None, status=401, code="token_missing"),
    Case("list addresses: no token", "GET", "/me/addresses", token=None, status=401,
         code="token_missing"),
    Case("health: ignores junk headers and query", "GET", "/health?verbose=1&limit=abc",
         token=None, status=200, code=None, headers={"authorization": "Bearer junk"}),
]  # fmt: skip


class World:
    """Who and what a case needs, created on first use (most cases need nobody)."""

    def __init__(self, api: LambdaApi) -> None:
        self.api = api

    @cached_property
    def customer(self) -> Account:
        return register_and_login(self.api)

    @cached_property
    def admin(self) -> Account:
        return make_admin(self.api)

    @cached_property
    def address_id(self) -> str:
        return str(add_address(self.api, self.customer.access)["addressId"])

    def path(self, template: str) -> str:
        values: dict[str, Callable[[], str]] = {
            "user": lambda: self.customer.user_id,
            "address": lambda: self.address_id,
            "address_lower": lambda: self.address_id.lower(),
            "address_prefix": lambda: self.address_id.replace("adr_", "usr_", 1)[:-1],
        }
        named = {name for _, name, _, _ in Formatter().parse(template) if name}
        return template.format(**{name: values[name]() for name in named})

    def token(self, who: str | None) -> str | None:
        return None if who is None else getattr(self, who).access


def _table_items() -> list[dict[str, Any]]:
    """Every item of the table (test bookkeeping, outside any counted block)."""
    from adapters import aws

    table = os.environ["TABLE_NAME"]
    items = aws.client("dynamodb").scan(TableName=table, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: (item["PK"]["S"], item["SK"]["S"]))


@pytest.fixture(autouse=True)
def _never_a_500(api: LambdaApi, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every response of this module is checked on the way out: no 5xx, ever."""
    real = api.request

    def checked(*args: Any, **kwargs: Any) -> Any:
        response = real(*args, **kwargs)
        assert response.status < 500, f"{args}: {response.status} {response.text}"
        return response

    monkeypatch.setattr(api, "request", checked)


@pytest.fixture
def world(api: LambdaApi) -> World:
    return World(api)


def _send(api: LambdaApi, path: str, token: str | None, case: Case) -> Any:
    headers = {**case.headers}
    kwargs: dict[str, Any] = {"token": token, "headers": headers}
    if isinstance(case.body, Raw):
        headers["content-type"] = "application/json"
        kwargs["body"] = case.body.text
    elif case.body is not NO_BODY:
        kwargs["json_body"] = case.body
    return api.request(case.method, path, **kwargs)


def _grouped(cases: list[Case]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(case.group or case.name, []).append(case)
    return groups


GROUPS = _grouped(CASES)


@pytest.mark.parametrize("cases", list(GROUPS.values()), ids=list(GROUPS))
def test_bad_input(api: LambdaApi, world: World, cases: list[Case]) -> None:
    for case in cases:
        _check(api, world, case)


def _check(api: LambdaApi, world: World, case: Case) -> None:
    path = world.path(case.path)  # creates whoever the case names, before the snapshot
    token = world.token(case.token)
    before = _table_items()
    response = _send(api, path, token, case)
    where = f"[{case.name}] "
    if case.code is None:
        assert response.status == case.status, where + response.text
    else:
        try:
            body = problem(response, case.status, case.code)
        except AssertionError as failed:
            raise AssertionError(where + str(failed)) from None
        found = error_locs(body)
        for expected in case.errors:
            assert expected in found, f"{where}{expected} not in {found}"
        if case.status == 422 and case.code == "validation_failed":
            assert found, where + str(body)
            # Location, message and type only: the errors never echo what was sent.
            assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"]), body
            for sent in _strings(case.body):
                assert sent not in response.text, f"{where}{sent!r} echoed: {response.text}"
        if case.status == 401:
            assert response.header("WWW-Authenticate"), where + str(response.headers)
    # A refused request wrote nothing at all.
    assert _table_items() == before, where + "the table changed"


def _strings(body: Any) -> list[str]:
    """The longer string values of a sent body (what an error must not repeat)."""
    if isinstance(body, dict):
        return [s for v in body.values() for s in _strings(v)]
    if isinstance(body, list):
        return [s for v in body for s in _strings(v)]
    return [body] if isinstance(body, str) and len(body) >= 6 else []


def test_the_case_table_covers_every_route(config: dict[str, Any]) -> None:
    declared = {f"{r.method} {r.path}" for r in routes_of(config)} - NOT_API
    covered = set()
    for case in CASES:
        route = case.route
        for template in ("/me/addresses/", "/admin/users/"):
            if route.split(" ")[1].startswith(template):
                name = "{addressId}" if "addresses" in template else "{userId}"
                route = f"{case.method} {template}{name}"
        covered.add(route)
    assert declared - covered == set(), "routes without bad-input cases"
    assert covered - declared == set(), "cases for routes serverless.yml does not declare"
    body_routes = {r for r in declared if r.split(" ")[0] in ("POST", "PATCH")}
    for route in body_routes:
        kinds = {t for c in CASES if _route_of(c) == route for _, t in c.errors} | {
            c.code for c in CASES if _route_of(c) == route
        }
        assert "malformed_json" in kinds, route
        assert "model_attributes_type" in kinds, route
        assert "extra_forbidden" in kinds, route


def _route_of(case: Case) -> str:
    method, path = case.route.split(" ")
    if path.startswith("/me/addresses/"):
        return f"{method} /me/addresses/{{addressId}}"
    if path.startswith("/admin/users/"):
        return f"{method} /admin/users/{{userId}}"
    return case.route


def test_mass_assignment_on_patch_me_changes_nothing(api: LambdaApi, world: World) -> None:
    response = api.patch(
        "/me",
        json={"firstName": "Boss", "status": "disabled", "role": "admin", "email": "b@x.example"},
        token=world.customer.access,
    )
    problem(response, 422, "validation_failed")
    me = api.get("/me", token=world.customer.access).body
    assert (me["firstName"], me["role"], me["status"], me["email"]) == (
        "Ada",
        "customer",
        "active",
        world.customer.email,
    )


def test_mass_assignment_on_register_creates_nobody(api: LambdaApi) -> None:
    email = "sneaky@shop.example"
    response = api.post("/auth/register", json={**REGISTER, "email": email, "role": "admin"})
    problem(response, 422, "validation_failed")
    problem(
        api.post("/auth/login", json={"email": email, "password": PASSWORD}),
        401,
        "invalid_credentials",
    )


# -- tokens ----------------------------------------------------------------------------------


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


def test_tokens_are_checked_on_every_protected_route(api: LambdaApi, world: World) -> None:
    forged = _tampered(world.customer.access, role="admin")
    for route in api.routes:
        if not route.authorized:
            continue
        path = world.path(
            route.path.replace("{addressId}", "{address}").replace("{userId}", "{user}")
        )
        for headers, code in (
            ({}, "token_missing"),
            ({"authorization": f"Bearer {forged}"}, "token_invalid"),
        ):
            response = api.request(route.method, path, json_body={}, headers=headers)
            problem(response, 401, code)
