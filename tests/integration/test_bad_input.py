"""Bad input on every route, and bad tokens on protected ones: always a problem, never a 500.

The tables drive everything: each case names a route, who calls it, what is sent, and the
status, code and error locations expected. The catalogue's cases need a shop (a seller, a
category, products in a given status), which ``World`` makes on first use. A coverage test
holds the case table to the routes serverless.yml declares, so a new route without
bad-input cases fails.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from string import Formatter
from typing import Any

import jwt
import pytest

from tests.conftest import CONFIG
from tests.integration.catalog_helpers import become_seller, create_category, create_product
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
ANOTHER_SELLER = "sel_01JD0000000000000000000000"
ANOTHER_CATEGORY = "cat_01JD0000000000000000000000"
ANOTHER_PRODUCT = "prd_01JD0000000000000000000000"
LONG_EMAIL = "a" * 245 + "@shop.example"  # 258 characters
# Routes with no input of their own (no body, path or query parameters).
NO_INPUT = {"GET /me", "GET /me/addresses", "GET /health", "GET /categories"}
# POST routes that take no body (whatever is sent is ignored, never parsed).
BODYLESS = {"POST /products/{productId}/submit", "POST /admin/products/{productId}/approve"}
# Documentation routes, not part of the API's contract.
NOT_API = {"GET /openapi.json", "GET /docs", "GET /docs/{asset}"}


@dataclass(frozen=True)
class Raw:
    """A body sent as is (not JSON-encoded)."""

    text: str


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # may name {user}, {address}, {category}, {product}, {seller_id} … (World.path)
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
        case(
            "JSON number",
            Raw("42"),
            422,
            "validation_failed",
            _err(("body", "model_attributes_type")),
        ),
        case(
            "JSON null",
            Raw("null"),
            422,
            "validation_failed",
            _err(("body", "model_attributes_type")),
        ),
        case("empty body", Raw(""), 422, "validation_failed", _err(("body", "missing"))),
    ]


SHOP = {"shopName": "Lamp Shop", "contactEmail": "shop@shop.example"}
PRODUCT = {
    "name": "Walnut desk lamp",
    "description": "A warm lamp for a cold desk.",
    "price": {"amount": 1999, "currency": "USD"},
    "categoryId": ANOTHER_CATEGORY,
    "sku": "SKU-1",
}
REVIEW = {"rating": 4, "title": "Bright", "text": "Bright enough for reading."}
IF_MATCH = {"if-match": '"1"'}  # the version of a product just listed


def _cursor(plain: dict[str, str]) -> str:
    """A well-formed cursor (base64url JSON) carrying whatever keys it is given."""
    raw = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# A real-looking start key of another seller's product list, of another status's queue,
# and a browse cursor of another sort order: each is a 404, never a start key.
OTHER_SELLERS_CURSOR = _cursor({
    "PK": f"PRODUCT#{ANOTHER_PRODUCT}", "SK": "METADATA", "GSI2PK": f"SELLER#{ANOTHER_SELLER}",
    "GSI2SK": f"2024-01-01T00:00:00.000000Z#{ANOTHER_PRODUCT}"})  # fmt: skip
ACTIVE_QUEUE_CURSOR = _cursor({
    "PK": f"PRODUCT#{ANOTHER_PRODUCT}", "SK": "METADATA", "GSI3PK": "PRODUCTSTATUS#active",
    "GSI3SK": f"2024-01-01T00:00:00.000000Z#{ANOTHER_PRODUCT}"})  # fmt: skip
NEWEST_CURSOR = _cursor({"s": "newest", "k": f"2024-01-01T00:00:00.000000Z#{ANOTHER_PRODUCT}"})


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
         errors=_err(("body.email", "string_pattern_mismatch"))),
    Case("register: short password", "POST", "/auth/register", {**REGISTER, "password": "short"},
         None, errors=_err(("body.password", "string_too_short"))),
    Case("register: password over 128 characters", "POST", "/auth/register",
         {**REGISTER, "password": "é" * 129}, None,
         errors=_err(("body.password", "string_too_long"))),
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
         errors=_err(("body.newPassword", "string_too_short"))),
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
         errors=_err(("body.newPassword", "string_too_short"))),
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
         status=404, code="cursor_not_found"),
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

# The catalogue's cases run a route at a time, one test per route on one stack: each is
# refused without writing anything (``_check`` holds every case to that), so they cannot
# disturb one another, and the module does not build a shop per case.
CATALOGUE_CASES: list[Case] = [
    # -- POST /sellers -----------------------------------------------------------------------
    Case("become seller: nothing at all", "POST", "/sellers", {}, errors=_err(
        ("body.shopName", "missing"), ("body.contactEmail", "missing"))),
    Case("become seller: mass assignment", "POST", "/sellers",
         {**SHOP, "sellerId": ANOTHER_SELLER, "userId": ANOTHER_USER, "role": "admin",
          "status": "active"},
         errors=_err(("body.sellerId", "extra_forbidden"), ("body.userId", "extra_forbidden"),
                     ("body.role", "extra_forbidden"), ("body.status", "extra_forbidden"))),
    Case("become seller: number for shop name", "POST", "/sellers", {**SHOP, "shopName": 7},
         errors=_err(("body.shopName", "string_type"))),
    Case("become seller: shop name of 1", "POST", "/sellers", {**SHOP, "shopName": "x"},
         errors=_err(("body.shopName", "string_too_short"))),
    Case("become seller: shop name of 81", "POST", "/sellers", {**SHOP, "shopName": "x" * 81},
         errors=_err(("body.shopName", "string_too_long"))),
    Case("become seller: description of 2001", "POST", "/sellers",
         {**SHOP, "description": "d" * 2001}, errors=_err(("body.description", "string_too_long"))),
    Case("become seller: not an email", "POST", "/sellers", {**SHOP, "contactEmail": "shop@"},
         errors=_err(("body.contactEmail", "string_pattern_mismatch"))),
    Case("become seller: email of 258", "POST", "/sellers", {**SHOP, "contactEmail": LONG_EMAIL},
         errors=_err(("body.contactEmail", "string_too_long"))),
    *_body_cases("become seller", "POST", "/sellers", token="customer", valid=SHOP),
    # -- GET /sellers/{sellerId} -----------------------------------------------------------
    Case("get seller: malformed id", "GET", "/sellers/nope", token=None,
         errors=_err(("path.sellerId", "string_pattern_mismatch"))),
    Case("get seller: injected id", "GET", "/sellers/sel_x'%20OR%201=1", token=None,
         errors=_err(("path.sellerId", "string_pattern_mismatch"))),
    Case("get seller: unknown", "GET", f"/sellers/{ANOTHER_SELLER}", token=None, status=404,
         code="seller_not_found"),
    # -- GET /sellers/me/products ----------------------------------------------------------
    Case("my products: unknown status", "GET", "/sellers/me/products?status=live", token="seller",
         errors=_err(("query.status", "enum"))),
    Case("my products: limit 0", "GET", "/sellers/me/products?limit=0", token="seller",
         errors=_err(("query.limit", "greater_than_equal"))),
    Case("my products: limit 101", "GET", "/sellers/me/products?limit=101", token="seller",
         errors=_err(("query.limit", "less_than_equal"))),
    Case("my products: limit abc", "GET", "/sellers/me/products?limit=abc", token="seller",
         errors=_err(("query.limit", "int_type"))),
    Case("my products: garbage cursor", "GET", "/sellers/me/products?cursor=garbage",
         token="seller", status=404, code="cursor_not_found"),
    Case("my products: another seller's cursor", "GET",
         f"/sellers/me/products?cursor={OTHER_SELLERS_CURSOR}", token="seller", status=404,
         code="cursor_not_found"),
    # -- GET /categories -------------------------------------------------------------------
    Case("list categories: ignores junk query", "GET", "/categories?depth=-1&limit=abc",
         token=None, status=200, code=None),
    # -- POST /categories ------------------------------------------------------------------
    Case("create category: nothing at all", "POST", "/categories", {}, "admin",
         errors=_err(("body.name", "missing"))),
    Case("create category: mass assignment", "POST", "/categories",
         {"name": "Lamps", "categoryId": ANOTHER_CATEGORY, "path": ANOTHER_CATEGORY,
          "childCount": 0, "productCount": 0}, "admin",
         errors=_err(("body.categoryId", "extra_forbidden"), ("body.path", "extra_forbidden"),
                     ("body.childCount", "extra_forbidden"),
                     ("body.productCount", "extra_forbidden"))),
    Case("create category: number for name", "POST", "/categories", {"name": 5}, "admin",
         errors=_err(("body.name", "string_type"))),
    Case("create category: blank name", "POST", "/categories", {"name": "  "}, "admin",
         errors=_err(("body.name", "string_too_short"))),
    Case("create category: name of 81", "POST", "/categories", {"name": "n" * 81}, "admin",
         errors=_err(("body.name", "string_too_long"))),
    Case("create category: slug with capitals", "POST", "/categories",
         {"name": "Lamps", "slug": "Desk-Lamps"}, "admin",
         errors=_err(("body.slug", "string_pattern_mismatch"))),
    Case("create category: slug of 61", "POST", "/categories", {"name": "Lamps", "slug": "s" * 61},
         "admin", errors=_err(("body.slug", "string_too_long"))),
    Case("create category: malformed parent", "POST", "/categories",
         {"name": "Lamps", "parentId": "nope"}, "admin",
         errors=_err(("body.parentId", "string_pattern_mismatch"))),
    Case("create category: unknown parent", "POST", "/categories",
         {"name": "Lamps", "parentId": ANOTHER_CATEGORY}, "admin", status=404,
         code="category_not_found"),
    *_body_cases("create category", "POST", "/categories", token="admin", valid={"name": "Lamps"}),
    # -- PATCH /categories/{categoryId} ----------------------------------------------------
    Case("update category: malformed id", "PATCH", "/categories/nope", {"name": "Lamps"}, "admin",
         errors=_err(("path.categoryId", "string_pattern_mismatch"))),
    Case("update category: mass assignment", "PATCH", "/categories/{category}",
         {"path": ANOTHER_CATEGORY, "childCount": 0, "productCount": 0,
          "categoryId": ANOTHER_CATEGORY}, "admin",
         errors=_err(("body.path", "extra_forbidden"), ("body.childCount", "extra_forbidden"),
                     ("body.productCount", "extra_forbidden"),
                     ("body.categoryId", "extra_forbidden"))),
    Case("update category: number for name", "PATCH", "/categories/{category}", {"name": 5},
         "admin", errors=_err(("body.name", "string_type"))),
    Case("update category: name of 81", "PATCH", "/categories/{category}", {"name": "n" * 81},
         "admin", errors=_err(("body.name", "string_too_long"))),
    Case("update category: double hyphen slug", "PATCH", "/categories/{category}",
         {"slug": "desk--lamps"}, "admin", errors=_err(("body.slug", "string_pattern_mismatch"))),
    Case("update category: malformed parent", "PATCH", "/categories/{category}",
         {"parentId": "cat_lower0000000000000000000"}, "admin",
         errors=_err(("body.parentId", "string_pattern_mismatch"))),
    Case("update category: nothing to change", "PATCH", "/categories/{category}", {}, "admin",
         code="empty_update"),
    Case("update category: unknown", "PATCH", f"/categories/{ANOTHER_CATEGORY}",
         {"name": "Lamps"}, "admin", status=404, code="category_not_found"),
    *_body_cases("update category", "PATCH", "/categories/{category}", token="admin",
                 valid={"name": "Lamps"}),
    # -- DELETE /categories/{categoryId} ---------------------------------------------------
    Case("delete category: malformed id", "DELETE", "/categories/nope", token="admin",
         errors=_err(("path.categoryId", "string_pattern_mismatch"))),
    Case("delete category: unknown", "DELETE", f"/categories/{ANOTHER_CATEGORY}", token="admin",
         status=404, code="category_not_found"),
    Case("delete category: still has a product", "DELETE", "/categories/{busy_category}",
         token="admin", status=409, code="category_not_empty"),
    # -- GET /products ---------------------------------------------------------------------
    Case("browse: malformed category", "GET", "/products?category=lamps", token=None,
         errors=_err(("query.category", "string_pattern_mismatch"))),
    Case("browse: negative min price", "GET", "/products?minPrice=-1", token=None,
         errors=_err(("query.minPrice", "int_type"))),
    Case("browse: decimal min price", "GET", "/products?minPrice=9.99", token=None,
         errors=_err(("query.minPrice", "int_type"))),
    Case("browse: text max price", "GET", "/products?maxPrice=cheap", token=None,
         errors=_err(("query.maxPrice", "int_type"))),
    Case("browse: max price above the largest price", "GET", "/products?maxPrice=100000000000",
         token=None, errors=_err(("query.maxPrice", "less_than_equal"))),
    Case("browse: unknown sort", "GET", "/products?sort=rating", token=None,
         errors=_err(("query.sort", "enum"))),
    Case("browse: not a boolean", "GET", "/products?includeSubcategories=maybe", token=None,
         errors=_err(("query.includeSubcategories", "bool_parsing"))),
    Case("browse: limit 0", "GET", "/products?limit=0", token=None,
         errors=_err(("query.limit", "greater_than_equal"))),
    Case("browse: limit 101", "GET", "/products?limit=101", token=None,
         errors=_err(("query.limit", "less_than_equal"))),
    Case("browse: garbage cursor", "GET", "/products?cursor=garbage", token=None, status=404,
         code="cursor_not_found"),
    Case("browse: cursor of another order", "GET",
         f"/products?sort=price_asc&cursor={NEWEST_CURSOR}", token=None, status=404,
         code="cursor_not_found"),
    Case("browse: unknown category", "GET", f"/products?category={ANOTHER_CATEGORY}", token=None,
         status=404, code="category_not_found"),
    # -- GET /products/{productId} ---------------------------------------------------------
    Case("get product: malformed id", "GET", "/products/nope", token=None,
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("get product: lowercase id", "GET", "/products/{product_lower}", token=None,
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("get product: unknown", "GET", f"/products/{ANOTHER_PRODUCT}", token=None, status=404,
         code="product_not_found"),
    # -- POST /products --------------------------------------------------------------------
    Case("create product: nothing at all", "POST", "/products", {}, "seller", errors=_err(
        ("body.name", "missing"), ("body.description", "missing"), ("body.price", "missing"),
        ("body.categoryId", "missing"), ("body.sku", "missing"))),
    Case("create product: mass assignment", "POST", "/products",
         {**PRODUCT, "status": "active", "sellerId": ANOTHER_SELLER, "rating": {"count": 9},
          "version": 7, "productId": ANOTHER_PRODUCT, "images": []}, "seller",
         errors=_err(("body.status", "extra_forbidden"), ("body.sellerId", "extra_forbidden"),
                     ("body.rating", "extra_forbidden"), ("body.version", "extra_forbidden"),
                     ("body.productId", "extra_forbidden"), ("body.images", "extra_forbidden"))),
    Case("create product: snake_case names", "POST", "/products",
         {**_without(PRODUCT, "categoryId"), "category_id": ANOTHER_CATEGORY}, "seller",
         errors=_err(("body.categoryId", "missing"), ("body.category_id", "extra_forbidden"))),
    Case("create product: price as a bare number", "POST", "/products", {**PRODUCT, "price": 1999},
         "seller", errors=_err(("body.price", "model_attributes_type"))),
    Case("create product: negative price", "POST", "/products",
         {**PRODUCT, "price": {"amount": -1, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "greater_than_equal"))),
    Case("create product: zero price", "POST", "/products",
         {**PRODUCT, "price": {"amount": 0, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "greater_than_equal"))),
    Case("create product: float price", "POST", "/products",
         {**PRODUCT, "price": {"amount": 19.99, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "int_type"))),
    Case("create product: string price", "POST", "/products",
         {**PRODUCT, "price": {"amount": "1999", "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "int_type"))),
    Case("create product: boolean price", "POST", "/products",
         {**PRODUCT, "price": {"amount": True, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "int_type"))),
    Case("create product: price of 12 digits", "POST", "/products",
         {**PRODUCT, "price": {"amount": 100_000_000_000, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "less_than_equal"))),
    Case("create product: lowercase currency", "POST", "/products",
         {**PRODUCT, "price": {"amount": 1999, "currency": "usd"}}, "seller",
         errors=_err(("body.price.currency", "string_pattern_mismatch"))),
    Case("create product: price without currency", "POST", "/products",
         {**PRODUCT, "price": {"amount": 1999}}, "seller",
         errors=_err(("body.price.currency", "missing"))),
    Case("create product: extra in price", "POST", "/products",
         {**PRODUCT, "price": {"amount": 1999, "currency": "USD", "taxIncluded": True}}, "seller",
         errors=_err(("body.price.taxIncluded", "extra_forbidden"))),
    Case("create product: another currency", "POST", "/products",
         {**PRODUCT, "price": {"amount": 1999, "currency": "EUR"}}, "seller",
         code="currency_mismatch"),
    Case("create product: name of 201", "POST", "/products", {**PRODUCT, "name": "n" * 201},
         "seller", errors=_err(("body.name", "string_too_long"))),
    Case("create product: blank name", "POST", "/products", {**PRODUCT, "name": " "}, "seller",
         errors=_err(("body.name", "string_too_short"))),
    Case("create product: description of 5001", "POST", "/products",
         {**PRODUCT, "description": "d" * 5001}, "seller",
         errors=_err(("body.description", "string_too_long"))),
    Case("create product: sku with a space", "POST", "/products", {**PRODUCT, "sku": "SKU 1"},
         "seller", errors=_err(("body.sku", "string_pattern_mismatch"))),
    Case("create product: sku of 65", "POST", "/products", {**PRODUCT, "sku": "S" * 65}, "seller",
         errors=_err(("body.sku", "string_pattern_mismatch"))),
    Case("create product: number for sku", "POST", "/products", {**PRODUCT, "sku": 123}, "seller",
         errors=_err(("body.sku", "string_type"))),
    Case("create product: brand of 101", "POST", "/products", {**PRODUCT, "brand": "b" * 101},
         "seller", errors=_err(("body.brand", "string_too_long"))),
    Case("create product: 31 attributes", "POST", "/products",
         {**PRODUCT, "attributes": {f"a{n}": "v" for n in range(31)}}, "seller",
         errors=_err(("body.attributes", "too_long"))),
    Case("create product: attribute value of 201", "POST", "/products",
         {**PRODUCT, "attributes": {"color": "c" * 201}}, "seller",
         errors=_err(("body.attributes.color", "string_too_long"))),
    Case("create product: number for attribute", "POST", "/products",
         {**PRODUCT, "attributes": {"watts": 40}}, "seller",
         errors=_err(("body.attributes.watts", "string_type"))),
    Case("create product: list for attributes", "POST", "/products",
         {**PRODUCT, "attributes": ["red"]}, "seller",
         errors=_err(("body.attributes", "dict_type"))),
    Case("create product: malformed category", "POST", "/products",
         {**PRODUCT, "categoryId": "lamps"}, "seller",
         errors=_err(("body.categoryId", "string_pattern_mismatch"))),
    Case("create product: unknown category", "POST", "/products", PRODUCT, "seller",
         code="unknown_category"),
    *_body_cases("create product", "POST", "/products", token="seller", valid=PRODUCT),
    # -- PATCH /products/{productId} -------------------------------------------------------
    Case("update product: malformed id", "PATCH", "/products/nope", {"name": "Lamp"}, "seller",
         errors=_err(("path.productId", "string_pattern_mismatch")), headers=IF_MATCH),
    Case("update product: mass assignment", "PATCH", "/products/{product}",
         {"status": "active", "sellerId": ANOTHER_SELLER, "rating": {"count": 9, "total": 45},
          "version": 9, "rejectionReason": None}, "seller",
         errors=_err(("body.status", "extra_forbidden"), ("body.sellerId", "extra_forbidden"),
                     ("body.rating", "extra_forbidden"), ("body.version", "extra_forbidden"),
                     ("body.rejectionReason", "extra_forbidden")), headers=IF_MATCH),
    Case("update product: null name", "PATCH", "/products/{product}", {"name": None}, "seller",
         errors=_err(("body.name", "string_type")), headers=IF_MATCH),
    Case("update product: negative price", "PATCH", "/products/{product}",
         {"price": {"amount": -500, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "greater_than_equal")), headers=IF_MATCH),
    Case("update product: float price", "PATCH", "/products/{product}",
         {"price": {"amount": 4.5, "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "int_type")), headers=IF_MATCH),
    Case("update product: string price", "PATCH", "/products/{product}",
         {"price": {"amount": "free", "currency": "USD"}}, "seller",
         errors=_err(("body.price.amount", "int_type")), headers=IF_MATCH),
    Case("update product: 11 images", "PATCH", "/products/{product}",
         {"images": [{"url": f"https://img.example/{n}.png", "alt": "a"} for n in range(11)]},
         "seller", errors=_err(("body.images", "too_long")), headers=IF_MATCH),
    Case("update product: image url not http", "PATCH", "/products/{product}",
         {"images": [{"url": "javascript:alert(1)", "alt": "a"}]}, "seller",
         errors=_err(("body.images.0.url", "string_pattern_mismatch")), headers=IF_MATCH),
    Case("update product: image without alt", "PATCH", "/products/{product}",
         {"images": [{"url": "https://img.example/1.png"}]}, "seller",
         errors=_err(("body.images.0.alt", "missing")), headers=IF_MATCH),
    Case("update product: image uploaded elsewhere", "PATCH", "/products/{product}",
         {"images": [{"url": "https://img.example/1.png", "alt": "a lamp"}]}, "seller",
         code="foreign_image", headers=IF_MATCH),
    Case("update product: nothing to change", "PATCH", "/products/{product}", {}, "seller",
         code="empty_update", headers=IF_MATCH),
    Case("update product: no If-Match", "PATCH", "/products/{product}", {"name": "Lamp"},
         "seller", status=428, code="if_match_required"),
    Case("update product: stale If-Match", "PATCH", "/products/{product}", {"name": "Lamp"},
         "seller", status=412, code="version_mismatch", headers={"if-match": '"2"'}),
    Case("update product: garbage If-Match", "PATCH", "/products/{product}", {"name": "Lamp"},
         "seller", status=412, code="version_mismatch", headers={"if-match": "W/*"}),
    Case("update product: unknown", "PATCH", f"/products/{ANOTHER_PRODUCT}", {"name": "Lamp"},
         "seller", status=404, code="product_not_found", headers=IF_MATCH),
    *_body_cases("update product", "PATCH", "/products/{product}", token="seller",
                 valid={"name": "Lamp"}),
    # -- DELETE /products/{productId} ------------------------------------------------------
    Case("archive product: malformed id", "DELETE", "/products/nope", token="seller",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("archive product: unknown", "DELETE", f"/products/{ANOTHER_PRODUCT}", token="seller",
         status=404, code="product_not_found"),
    # -- POST /products/{productId}/submit -------------------------------------------------
    Case("submit product: malformed id", "POST", "/products/nope/submit", token="seller",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("submit product: unknown, a junk body ignored", "POST",
         f"/products/{ANOTHER_PRODUCT}/submit", Raw("{not json"), "seller", status=404,
         code="product_not_found"),
    Case("submit product: already pending", "POST", "/products/{pending_product}/submit",
         token="seller", status=409, code="invalid_product_state"),
    # -- POST /products/{productId}/images/uploads -----------------------------------------
    Case("image upload: nothing at all", "POST", "/products/{product}/images/uploads", {},
         "seller", errors=_err(("body.contentType", "missing"))),
    Case("image upload: a GIF", "POST", "/products/{product}/images/uploads",
         {"contentType": "image/gif"}, "seller",
         errors=_err(("body.contentType", "literal_error"))),
    Case("image upload: number for type", "POST", "/products/{product}/images/uploads",
         {"contentType": 5}, "seller", errors=_err(("body.contentType", "literal_error"))),
    Case("image upload: choosing key and size", "POST", "/products/{product}/images/uploads",
         {"contentType": "image/png", "key": "products/other/x.png", "maxBytes": 10**9},
         "seller",
         errors=_err(("body.key", "extra_forbidden"), ("body.maxBytes", "extra_forbidden"))),
    Case("image upload: malformed id", "POST", "/products/nope/images/uploads",
         {"contentType": "image/png"}, "seller",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("image upload: unknown product", "POST", f"/products/{ANOTHER_PRODUCT}/images/uploads",
         {"contentType": "image/png"}, "seller", status=404, code="product_not_found"),
    *_body_cases("image upload", "POST", "/products/{product}/images/uploads", token="seller",
                 valid={"contentType": "image/png"}),
    # -- GET /admin/products ---------------------------------------------------------------
    Case("moderation queue: unknown status", "GET", "/admin/products?status=deleted", token="admin",
         errors=_err(("query.status", "enum"))),
    Case("moderation queue: limit 0", "GET", "/admin/products?limit=0", token="admin",
         errors=_err(("query.limit", "greater_than_equal"))),
    Case("moderation queue: limit 1.5", "GET", "/admin/products?limit=1.5", token="admin",
         errors=_err(("query.limit", "int_type"))),
    Case("moderation queue: garbage cursor", "GET", "/admin/products?cursor=garbage",
         token="admin", status=404, code="cursor_not_found"),
    Case("moderation queue: another status's cursor", "GET",
         f"/admin/products?cursor={ACTIVE_QUEUE_CURSOR}", token="admin", status=404,
         code="cursor_not_found"),
    # -- POST /admin/products/{productId}/approve ------------------------------------------
    Case("approve: malformed id", "POST", "/admin/products/nope/approve", token="admin",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("approve: unknown, a junk body ignored", "POST",
         f"/admin/products/{ANOTHER_PRODUCT}/approve", {"status": "active"}, "admin", status=404,
         code="product_not_found"),
    Case("approve: a draft", "POST", "/admin/products/{product}/approve", token="admin",
         status=409, code="invalid_product_state"),
    # -- POST /admin/products/{productId}/reject -------------------------------------------
    Case("reject: nothing at all", "POST", "/admin/products/{pending_product}/reject", {}, "admin",
         errors=_err(("body.reason", "missing"))),
    Case("reject: number for reason", "POST", "/admin/products/{pending_product}/reject",
         {"reason": 4}, "admin", errors=_err(("body.reason", "string_type"))),
    Case("reject: blank reason", "POST", "/admin/products/{pending_product}/reject",
         {"reason": "   "}, "admin", errors=_err(("body.reason", "string_too_short"))),
    Case("reject: reason of 501", "POST", "/admin/products/{pending_product}/reject",
         {"reason": "r" * 501}, "admin", errors=_err(("body.reason", "string_too_long"))),
    Case("reject: setting the status", "POST", "/admin/products/{pending_product}/reject",
         {"reason": "Blurry photos", "status": "archived"}, "admin",
         errors=_err(("body.status", "extra_forbidden"))),
    Case("reject: malformed id", "POST", "/admin/products/nope/reject", {"reason": "Blurry"},
         "admin", errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("reject: unknown", "POST", f"/admin/products/{ANOTHER_PRODUCT}/reject",
         {"reason": "Blurry"}, "admin", status=404, code="product_not_found"),
    Case("reject: a draft", "POST", "/admin/products/{product}/reject", {"reason": "Blurry"},
         "admin", status=409, code="invalid_product_state"),
    *_body_cases("reject", "POST", "/admin/products/{pending_product}/reject", token="admin",
                 valid={"reason": "Blurry photos"}),
    # -- GET /products/{productId}/inventory -----------------------------------------------
    Case("get stock: malformed id", "GET", "/products/nope/inventory", token="seller",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("get stock: unknown", "GET", f"/products/{ANOTHER_PRODUCT}/inventory", token="seller",
         status=404, code="product_not_found"),
    # -- PUT /products/{productId}/inventory -----------------------------------------------
    Case("set stock: nothing at all", "PUT", "/products/{product}/inventory", {}, "seller",
         errors=_err(("body.available", "missing"))),
    Case("set stock: negative", "PUT", "/products/{product}/inventory", {"available": -1},
         "seller", errors=_err(("body.available", "greater_than_equal"))),
    Case("set stock: float", "PUT", "/products/{product}/inventory", {"available": 2.5},
         "seller", errors=_err(("body.available", "int_type"))),
    Case("set stock: string", "PUT", "/products/{product}/inventory", {"available": "5"},
         "seller", errors=_err(("body.available", "int_type"))),
    Case("set stock: boolean", "PUT", "/products/{product}/inventory", {"available": True},
         "seller", errors=_err(("body.available", "int_type"))),
    Case("set stock: above a million", "PUT", "/products/{product}/inventory",
         {"available": 1_000_001}, "seller", errors=_err(("body.available", "less_than_equal"))),
    Case("set stock: negative threshold", "PUT", "/products/{product}/inventory",
         {"available": 5, "lowStockThreshold": -2}, "seller",
         errors=_err(("body.lowStockThreshold", "greater_than_equal"))),
    Case("set stock: note of 301", "PUT", "/products/{product}/inventory",
         {"available": 5, "note": "n" * 301}, "seller",
         errors=_err(("body.note", "string_too_long"))),
    Case("set stock: mass assignment", "PUT", "/products/{product}/inventory",
         {"available": 5, "reserved": 0, "productId": ANOTHER_PRODUCT, "status": "in_stock"},
         "seller", errors=_err(("body.reserved", "extra_forbidden"),
                               ("body.productId", "extra_forbidden"),
                               ("body.status", "extra_forbidden"))),
    Case("set stock: malformed id", "PUT", "/products/nope/inventory", {"available": 5}, "seller",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("set stock: unknown", "PUT", f"/products/{ANOTHER_PRODUCT}/inventory", {"available": 5},
         "seller", status=404, code="product_not_found"),
    *_body_cases("set stock", "PUT", "/products/{product}/inventory", token="seller",
                 valid={"available": 5}),
    # -- POST /products/{productId}/inventory/adjustments ----------------------------------
    Case("adjust stock: nothing at all", "POST", "/products/{product}/inventory/adjustments", {},
         "seller", errors=_err(("body.delta", "missing"), ("body.reason", "missing"))),
    Case("adjust stock: zero", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 0, "reason": "correction"}, "seller", code="delta_range"),
    Case("adjust stock: float", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 1.5, "reason": "restock"}, "seller", errors=_err(("body.delta", "int_type"))),
    Case("adjust stock: string", "POST", "/products/{product}/inventory/adjustments",
         {"delta": "+3", "reason": "restock"}, "seller", errors=_err(("body.delta", "int_type"))),
    Case("adjust stock: above a million", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 1_000_001, "reason": "restock"}, "seller",
         errors=_err(("body.delta", "less_than_equal"))),
    Case("adjust stock: below minus a million", "POST",
         "/products/{product}/inventory/adjustments", {"delta": -1_000_001, "reason": "damage"},
         "seller", errors=_err(("body.delta", "greater_than_equal"))),
    Case("adjust stock: unknown reason", "POST", "/products/{product}/inventory/adjustments",
         {"delta": -1, "reason": "theft"}, "seller", errors=_err(("body.reason", "enum"))),
    Case("adjust stock: a stock count", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 3, "reason": "stock_count"}, "seller",
         errors=_err(("body.reason", "value_error"))),
    Case("adjust stock: below zero", "POST", "/products/{product}/inventory/adjustments",
         {"delta": -5, "reason": "damage"}, "seller", status=409, code="insufficient_stock"),
    Case("adjust stock: mass assignment", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 3, "reason": "restock", "availableAfter": 99, "actorId": ANOTHER_USER,
          "adjustmentId": "adj_01JD0000000000000000000000"}, "seller",
         errors=_err(("body.availableAfter", "extra_forbidden"),
                     ("body.actorId", "extra_forbidden"),
                     ("body.adjustmentId", "extra_forbidden"))),
    Case("adjust stock: malformed id", "POST", "/products/nope/inventory/adjustments",
         {"delta": 3, "reason": "restock"}, "seller",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("adjust stock: unknown", "POST", f"/products/{ANOTHER_PRODUCT}/inventory/adjustments",
         {"delta": 3, "reason": "restock"}, "seller", status=404, code="product_not_found"),
    *_body_cases("adjust stock", "POST", "/products/{product}/inventory/adjustments",
                 token="seller", valid={"delta": 3, "reason": "restock"}),
    # -- GET /products/{productId}/reviews -------------------------------------------------
    Case("list reviews: malformed id", "GET", "/products/nope/reviews", token=None,
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("list reviews: limit 0", "GET", "/products/{product}/reviews?limit=0", token=None,
         errors=_err(("query.limit", "greater_than_equal"))),
    Case("list reviews: cursor of 2049", "GET", "/products/{product}/reviews?cursor=" + "c" * 2049,
         token=None, errors=_err(("query.cursor", "string_too_long"))),
    Case("list reviews: garbage cursor", "GET", "/products/{active_product}/reviews?cursor=junk",
         token=None, status=404, code="cursor_not_found"),
    Case("list reviews: a draft", "GET", "/products/{product}/reviews", token=None, status=404,
         code="product_not_found"),
    Case("list reviews: unknown", "GET", f"/products/{ANOTHER_PRODUCT}/reviews", token=None,
         status=404, code="product_not_found"),
    # -- PUT /products/{productId}/reviews/me ----------------------------------------------
    Case("review: nothing at all", "PUT", "/products/{active_product}/reviews/me", {}, errors=_err(
        ("body.rating", "missing"), ("body.title", "missing"), ("body.text", "missing"))),
    Case("review: rating 0", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": 0}, errors=_err(("body.rating", "greater_than_equal"))),
    Case("review: rating 6", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": 6}, errors=_err(("body.rating", "less_than_equal"))),
    Case("review: rating 4.5", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": 4.5}, errors=_err(("body.rating", "int_type"))),
    Case("review: string rating", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": "5"}, errors=_err(("body.rating", "int_type"))),
    Case("review: boolean rating", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": True}, errors=_err(("body.rating", "int_type"))),
    Case("review: title of 121", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "title": "t" * 121}, errors=_err(("body.title", "string_too_long"))),
    Case("review: text of 5001", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "text": "t" * 5001}, errors=_err(("body.text", "string_too_long"))),
    Case("review: blank text", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "text": "  "}, errors=_err(("body.text", "string_too_short"))),
    Case("review: mass assignment", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "userId": ANOTHER_USER, "authorName": "Someone E.",
          "productId": ANOTHER_PRODUCT, "createdAt": "2020-01-01T00:00:00Z"},
         errors=_err(("body.userId", "extra_forbidden"), ("body.authorName", "extra_forbidden"),
                     ("body.productId", "extra_forbidden"), ("body.createdAt", "extra_forbidden"))),
    Case("review: malformed id", "PUT", "/products/nope/reviews/me", REVIEW,
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("review: a draft", "PUT", "/products/{product}/reviews/me", REVIEW, status=404,
         code="product_not_found"),
    Case("review: unknown", "PUT", f"/products/{ANOTHER_PRODUCT}/reviews/me", REVIEW, status=404,
         code="product_not_found"),
    *_body_cases("review", "PUT", "/products/{active_product}/reviews/me", token="customer",
                 valid=REVIEW),
    # -- DELETE /products/{productId}/reviews/me -------------------------------------------
    Case("withdraw review: malformed id", "DELETE", "/products/nope/reviews/me",
         errors=_err(("path.productId", "string_pattern_mismatch"))),
    Case("withdraw review: never reviewed", "DELETE", "/products/{active_product}/reviews/me",
         status=404, code="review_not_found"),
]  # fmt: skip
CASES += [replace(c, group=c.name.split(":")[0] + ": bad input") for c in CATALOGUE_CASES]


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

    @cached_property
    def seller(self) -> Account:
        return become_seller(self.api)

    @cached_property
    def category_id(self) -> str:
        return create_category(self.api, self.admin, "Lamps")

    def _product(self, sku: str) -> str:
        return str(create_product(self.api, self.seller, self.category_id, sku=sku)["productId"])

    @cached_property
    def product_id(self) -> str:
        """A draft of the seller's, version 1, no stock."""
        return self._product("DRAFT-1")

    @property
    def busy_category_id(self) -> str:
        """The category, once it holds the seller's draft (so it cannot be deleted)."""
        assert self.product_id
        return self.category_id

    @cached_property
    def pending_product_id(self) -> str:
        product_id = self._product("PENDING-1")
        submitted = self.api.post(f"/products/{product_id}/submit", token=self.seller.access)
        assert submitted.status == 200, submitted.text
        return product_id

    @cached_property
    def active_product_id(self) -> str:
        product_id = self.pending_product_id
        approved = self.api.post(f"/admin/products/{product_id}/approve", token=self.admin.access)
        assert approved.status == 200, approved.text
        return product_id

    def path(self, template: str) -> str:
        values: dict[str, Callable[[], str]] = {
            "user": lambda: self.customer.user_id,
            "address": lambda: self.address_id,
            "address_lower": lambda: self.address_id.lower(),
            "address_prefix": lambda: self.address_id.replace("adr_", "usr_", 1)[:-1],
            "seller_id": lambda: "sel_" + self.seller.user_id.removeprefix("usr_"),
            "category": lambda: self.category_id,
            "busy_category": lambda: self.busy_category_id,
            "product": lambda: self.product_id,
            "product_lower": lambda: self.product_id.lower(),
            "pending_product": lambda: self.pending_product_id,
            "active_product": lambda: self.active_product_id,
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
    covered = {_route_of(case) for case in CASES}
    assert declared - covered == set(), "routes without bad-input cases"
    assert covered - declared == set(), "cases for routes serverless.yml does not declare"
    assert declared >= BODYLESS, BODYLESS - declared
    body_routes = {r for r in declared if r.split(" ")[0] in ("POST", "PATCH", "PUT")} - BODYLESS
    for route in body_routes:
        kinds = {t for c in CASES if _route_of(c) == route for _, t in c.errors} | {
            c.code for c in CASES if _route_of(c) == route
        }
        assert "malformed_json" in kinds, route
        assert "model_attributes_type" in kinds, route
        assert "extra_forbidden" in kinds, route
    for route in BODYLESS:  # what is sent to them is ignored, and a case shows it
        assert any(_route_of(c) == route and c.body is not NO_BODY for c in CASES), route


def _route_of(case: Case) -> str:
    """The declared route a case's path falls on (``/products/nope`` -> its template)."""
    method, path = case.route.split(" ")
    candidates = [r for r in routes_of(CONFIG) if r.method == method]
    for route in sorted(candidates, key=lambda r: "{" in r.path):  # fixed paths first
        if route.path == path or route.pattern.match(path):
            return f"{route.method} {route.path}"
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


def _optional_auth(handler: str) -> bool:
    """Whether a function lets anonymous callers in (its app recognises a token if sent)."""
    module = importlib.import_module(handler.rpartition(".")[0].replace("/", "."))
    return bool(module.app.optional_auth)


PATH_VALUES = {"{addressId}": "{address}", "{userId}": "{user}", "{categoryId}": "{category}",
               "{productId}": "{product}", "{sellerId}": "{seller_id}"}  # fmt: skip


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
    assert anonymous_passed == {"GET /products/{productId}", "GET /products/{productId}/reviews"}


def test_optional_authentication_is_declared_where_expected() -> None:
    """Only the catalogue reads that show more to a seller or admin take an optional token."""
    optional = {
        f"{r.method} {r.path}"
        for r in routes_of(CONFIG)
        if r.authorized and _optional_auth(r.handler)
    }
    assert optional == {"GET /products/{productId}", "GET /products/{productId}/reviews"}
