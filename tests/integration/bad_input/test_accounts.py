"""Bad input on the accounts routes: sign-up, sign-in, tokens' renewal, me, addresses, users."""

from __future__ import annotations

import pytest

from tests.integration.bad_input.cases import (
    ANOTHER_ADDRESS,
    ANOTHER_USER,
    LONG_EMAIL,
    Case,
    World,
    body_cases,
    check,
    err,
    grouped,
    without,
)
from tests.integration.helpers import PASSWORD, problem
from tests.support.lambda_api import LambdaApi

REGISTER = {"email": "new@shop.example", "password": PASSWORD, "firstName": "N", "lastName": "M"}
ADDRESS = {
    "fullName": "Ada Lovelace",
    "line1": "1 Road",
    "city": "London",
    "postalCode": "N1",
    "country": "GB",
}


CASES: list[Case] = [
    # -- POST /auth/register --------------------------------------------------------------
    Case("register: missing email", "POST", "/auth/register", without(REGISTER, "email"), None,
         errors=err(("body.email", "missing"))),
    Case("register: nothing at all", "POST", "/auth/register", {}, None, errors=err(
        ("body.email", "missing"), ("body.password", "missing"),
        ("body.firstName", "missing"), ("body.lastName", "missing"))),
    Case("register: snake_case names", "POST", "/auth/register",
         {**without(REGISTER, "firstName"), "first_name": "N"}, None,
         errors=err(("body.firstName", "missing"), ("body.first_name", "extra_forbidden"))),
    Case("register: role admin", "POST", "/auth/register", {**REGISTER, "role": "admin"}, None,
         errors=err(("body.role", "extra_forbidden"))),
    Case("register: mass assignment", "POST", "/auth/register",
         {**REGISTER, "role": "admin", "status": "active", "userId": ANOTHER_USER,
          "passwordHash": "x"}, None,
         errors=err(("body.role", "extra_forbidden"), ("body.status", "extra_forbidden"),
                     ("body.userId", "extra_forbidden"), ("body.passwordHash", "extra_forbidden"))),
    Case("register: number for email", "POST", "/auth/register", {**REGISTER, "email": 5}, None,
         errors=err(("body.email", "string_type"))),
    Case("register: number for first name", "POST", "/auth/register",
         {**REGISTER, "firstName": 42}, None, errors=err(("body.firstName", "string_type"))),
    Case("register: list for password", "POST", "/auth/register",
         {**REGISTER, "password": [PASSWORD]}, None, errors=err(("body.password", "string_type"))),
    Case("register: first name of 101", "POST", "/auth/register",
         {**REGISTER, "firstName": "x" * 101}, None,
         errors=err(("body.firstName", "string_too_long"))),
    Case("register: last name of 101", "POST", "/auth/register",
         {**REGISTER, "lastName": "x" * 101}, None,
         errors=err(("body.lastName", "string_too_long"))),
    Case("register: blank last name", "POST", "/auth/register", {**REGISTER, "lastName": "   "},
         None, errors=err(("body.lastName", "string_too_short"))),
    Case("register: email of 258", "POST", "/auth/register", {**REGISTER, "email": LONG_EMAIL},
         None, errors=err(("body.email", "string_too_long"))),
    Case("register: not an email", "POST", "/auth/register", {**REGISTER, "email": "ada@"}, None,
         errors=err(("body.email", "value_error"))),
    Case("register: short password", "POST", "/auth/register", {**REGISTER, "password": "short"},
         None, errors=err(("body.password", "value_error"))),
    Case("register: password over 72 bytes", "POST", "/auth/register",
         {**REGISTER, "password": "é" * 37}, None, errors=err(("body.password", "value_error"))),
    Case("register: bad phone", "POST", "/auth/register", {**REGISTER, "phone": "0123"}, None,
         errors=err(("body.phone", "string_pattern_mismatch"))),
    *body_cases("register", "POST", "/auth/register", token=None, valid=REGISTER),
    # -- POST /auth/login ------------------------------------------------------------------
    Case("login: missing password", "POST", "/auth/login", {"email": "a@shop.example"}, None,
         errors=err(("body.password", "missing"))),
    Case("login: extra field", "POST", "/auth/login",
         {"email": "a@shop.example", "password": PASSWORD, "remember": True}, None,
         errors=err(("body.remember", "extra_forbidden"))),
    Case("login: number for password", "POST", "/auth/login",
         {"email": "a@shop.example", "password": 12345678}, None,
         errors=err(("body.password", "string_type"))),
    Case("login: empty password", "POST", "/auth/login",
         {"email": "a@shop.example", "password": ""}, None,
         errors=err(("body.password", "string_too_short"))),
    Case("login: password of 257", "POST", "/auth/login",
         {"email": "a@shop.example", "password": "p" * 257}, None,
         errors=err(("body.password", "string_too_long"))),
    Case("login: email of 258", "POST", "/auth/login", {"email": LONG_EMAIL, "password": PASSWORD},
         None, errors=err(("body.email", "string_too_long"))),
    *body_cases("login", "POST", "/auth/login", token=None,
                 valid={"email": "a@shop.example", "password": PASSWORD}),
    # -- POST /auth/refresh ----------------------------------------------------------------
    Case("refresh: missing token", "POST", "/auth/refresh", {}, None,
         errors=err(("body.refreshToken", "missing"))),
    Case("refresh: snake_case", "POST", "/auth/refresh", {"refresh_token": "a.b.c"}, None,
         errors=err(("body.refreshToken", "missing"), ("body.refresh_token", "extra_forbidden"))),
    Case("refresh: number", "POST", "/auth/refresh", {"refreshToken": 7}, None,
         errors=err(("body.refreshToken", "string_type"))),
    Case("refresh: token of 257", "POST", "/auth/refresh", {"refreshToken": "r" * 257}, None,
         errors=err(("body.refreshToken", "string_too_long"))),
    *body_cases("refresh", "POST", "/auth/refresh", token=None, valid={"refreshToken": "a.b.c"}),
    # -- POST /auth/logout (signed in) -----------------------------------------------------
    Case("logout: missing token", "POST", "/auth/logout", {},
         errors=err(("body.refreshToken", "missing"))),
    Case("logout: extra field", "POST", "/auth/logout",
         {"refreshToken": "a.b.c", "everywhere": True},
         errors=err(("body.everywhere", "extra_forbidden"))),
    Case("logout: boolean for token", "POST", "/auth/logout", {"refreshToken": True},
         errors=err(("body.refreshToken", "string_type"))),
    *body_cases("logout", "POST", "/auth/logout", token="customer",
                 valid={"refreshToken": "a.b.c"}),
    # -- POST /auth/password/forgot --------------------------------------------------------
    Case("forgot: missing email", "POST", "/auth/password/forgot", {}, None,
         errors=err(("body.email", "missing"))),
    Case("forgot: extra field", "POST", "/auth/password/forgot",
         {"email": "a@shop.example", "redirectUrl": "https://evil.example"}, None,
         errors=err(("body.redirectUrl", "extra_forbidden"))),
    Case("forgot: list for email", "POST", "/auth/password/forgot", {"email": ["a@b.co"]}, None,
         errors=err(("body.email", "string_type"))),
    Case("forgot: email of 258", "POST", "/auth/password/forgot", {"email": LONG_EMAIL}, None,
         errors=err(("body.email", "string_too_long"))),
    *body_cases("forgot", "POST", "/auth/password/forgot", token=None,
                 valid={"email": "a@shop.example"}),
    # -- POST /auth/password/reset ---------------------------------------------------------
    Case("reset: missing new password", "POST", "/auth/password/reset", {"token": "t"}, None,
         errors=err(("body.newPassword", "missing"))),
    Case("reset: missing token", "POST", "/auth/password/reset", {"newPassword": PASSWORD}, None,
         errors=err(("body.token", "missing"))),
    Case("reset: extra user id", "POST", "/auth/password/reset",
         {"token": "t", "newPassword": PASSWORD, "userId": ANOTHER_USER}, None,
         errors=err(("body.userId", "extra_forbidden"))),
    Case("reset: number for token", "POST", "/auth/password/reset",
         {"token": 1, "newPassword": PASSWORD}, None, errors=err(("body.token", "string_type"))),
    Case("reset: weak password", "POST", "/auth/password/reset",
         {"token": "t", "newPassword": "1234"}, None,
         errors=err(("body.newPassword", "value_error"))),
    *body_cases("reset", "POST", "/auth/password/reset", token=None,
                 valid={"token": "t", "newPassword": PASSWORD}),
    # -- PATCH /me -------------------------------------------------------------------------
    Case("update me: mass assignment", "PATCH", "/me",
         {"status": "disabled", "role": "admin", "email": "boss@shop.example"},
         errors=err(("body.status", "extra_forbidden"), ("body.role", "extra_forbidden"),
                     ("body.email", "extra_forbidden"))),
    Case("update me: other ids", "PATCH", "/me",
         {"userId": ANOTHER_USER, "defaultShippingAddressId": ANOTHER_ADDRESS,
          "addressCount": 0, "sessionsRevokedAt": None},
         errors=err(("body.userId", "extra_forbidden"),
                     ("body.defaultShippingAddressId", "extra_forbidden"),
                     ("body.addressCount", "extra_forbidden"),
                     ("body.sessionsRevokedAt", "extra_forbidden"))),
    Case("update me: number for first name", "PATCH", "/me", {"firstName": 5},
         errors=err(("body.firstName", "string_type"))),
    Case("update me: first name of 101", "PATCH", "/me", {"firstName": "x" * 101},
         errors=err(("body.firstName", "string_too_long"))),
    Case("update me: last name of 101", "PATCH", "/me", {"lastName": "x" * 101},
         errors=err(("body.lastName", "string_too_long"))),
    Case("update me: not a date", "PATCH", "/me", {"dateOfBirth": "yesterday"},
         errors=err(("body.dateOfBirth", "date_from_datetime_parsing"))),
    Case("update me: avatar of 2049", "PATCH", "/me",
         {"avatarUrl": "https://img.example/" + "a" * 2030},
         errors=err(("body.avatarUrl", "string_too_long"))),
    Case("update me: unknown theme", "PATCH", "/me", {"preferences": {"theme": "neon"}},
         errors=err(("body.preferences.theme", "enum"))),
    Case("update me: string for channel list", "PATCH", "/me",
         {"preferences": {"notificationChannels": "email"}},
         errors=err(("body.preferences.notificationChannels", "list_type"))),
    Case("update me: extra preference", "PATCH", "/me", {"preferences": {"fontSize": 3}},
         errors=err(("body.preferences.fontSize", "extra_forbidden"))),
    *body_cases("update me", "PATCH", "/me", token="customer", valid={"firstName": "N"}),
    # -- POST /me/password -----------------------------------------------------------------
    Case("change password: missing current", "POST", "/me/password", {"newPassword": PASSWORD},
         errors=err(("body.currentPassword", "missing"))),
    Case("change password: extra user id", "POST", "/me/password",
         {"currentPassword": PASSWORD, "newPassword": PASSWORD, "userId": ANOTHER_USER},
         errors=err(("body.userId", "extra_forbidden"))),
    Case("change password: number for new", "POST", "/me/password",
         {"currentPassword": PASSWORD, "newPassword": 12345678},
         errors=err(("body.newPassword", "string_type"))),
    Case("change password: weak new", "POST", "/me/password",
         {"currentPassword": PASSWORD, "newPassword": "short"},
         errors=err(("body.newPassword", "value_error"))),
    *body_cases("change password", "POST", "/me/password", token="customer",
                 valid={"currentPassword": PASSWORD, "newPassword": PASSWORD}),
    # -- POST /me/addresses ----------------------------------------------------------------
    Case("add address: nothing at all", "POST", "/me/addresses", {}, errors=err(
        ("body.fullName", "missing"), ("body.line1", "missing"), ("body.city", "missing"),
        ("body.postalCode", "missing"), ("body.country", "missing"))),
    Case("add address: missing country", "POST", "/me/addresses", without(ADDRESS, "country"),
         errors=err(("body.country", "missing"))),
    Case("add address: mass assignment", "POST", "/me/addresses",
         {**ADDRESS, "userId": ANOTHER_USER, "addressId": ANOTHER_ADDRESS,
          "isDefaultShipping": True},
         errors=err(("body.userId", "extra_forbidden"), ("body.addressId", "extra_forbidden"),
                     ("body.isDefaultShipping", "extra_forbidden"))),
    Case("add address: string for boolean", "POST", "/me/addresses",
         {**ADDRESS, "defaultShipping": "yes", "defaultBilling": "true"},
         errors=err(("body.defaultShipping", "bool_type"), ("body.defaultBilling", "bool_type"))),
    Case("add address: number for boolean", "POST", "/me/addresses",
         {**ADDRESS, "defaultShipping": 1}, errors=err(("body.defaultShipping", "bool_type"))),
    Case("add address: number for line", "POST", "/me/addresses", {**ADDRESS, "line1": 12},
         errors=err(("body.line1", "string_type"))),
    Case("add address: full name of 101", "POST", "/me/addresses",
         {**ADDRESS, "fullName": "x" * 101}, errors=err(("body.fullName", "string_too_long"))),
    Case("add address: lowercase country", "POST", "/me/addresses", {**ADDRESS, "country": "gb"},
         errors=err(("body.country", "string_pattern_mismatch"))),
    *body_cases("add address", "POST", "/me/addresses", token="customer", valid=ADDRESS),
    # -- PATCH /me/addresses/{addressId} ---------------------------------------------------
    Case("update address: malformed id", "PATCH", "/me/addresses/nope", {"city": "Bath"},
         errors=err(("path.addressId", "string_pattern_mismatch"))),
    Case("update address: injected id", "PATCH", "/me/addresses/adr_x'%20OR%201=1",
         {"city": "Bath"}, errors=err(("path.addressId", "string_pattern_mismatch"))),
    Case("update address: extra owner", "PATCH", "/me/addresses/{address}",
         {"userId": ANOTHER_USER}, errors=err(("body.userId", "extra_forbidden"))),
    Case("update address: string for boolean", "PATCH", "/me/addresses/{address}",
         {"defaultBilling": "true"}, errors=err(("body.defaultBilling", "bool_type"))),
    Case("update address: city of 101", "PATCH", "/me/addresses/{address}", {"city": "x" * 101},
         errors=err(("body.city", "string_too_long"))),
    *body_cases("update address", "PATCH", "/me/addresses/{address}", token="customer",
                 valid={"city": "Bath"}),
    # -- DELETE /me/addresses/{addressId} --------------------------------------------------
    Case("delete address: malformed id", "DELETE", "/me/addresses/nope",
         errors=err(("path.addressId", "string_pattern_mismatch"))),
    Case("delete address: lowercase id", "DELETE", "/me/addresses/{address_lower}",
         errors=err(("path.addressId", "string_pattern_mismatch"))),
    Case("delete address: a user id", "DELETE", "/me/addresses/{address_prefix}",
         errors=err(("path.addressId", "string_pattern_mismatch"))),
    # -- GET /admin/users ------------------------------------------------------------------
    Case("list users: limit 0", "GET", "/admin/users?limit=0", token="admin",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("list users: limit 101", "GET", "/admin/users?limit=101", token="admin",
         errors=err(("query.limit", "less_than_equal"))),
    Case("list users: limit abc", "GET", "/admin/users?limit=abc", token="admin",
         errors=err(("query.limit", "int_type"))),
    Case("list users: limit 5.5", "GET", "/admin/users?limit=5.5", token="admin",
         errors=err(("query.limit", "int_type"))),
    Case("list users: limit true", "GET", "/admin/users?limit=true", token="admin",
         errors=err(("query.limit", "int_type"))),
    Case("list users: cursor of 2049", "GET", "/admin/users?cursor=" + "c" * 2049,
         token="admin", errors=err(("query.cursor", "string_too_long"))),
    Case("list users: garbage cursor", "GET", "/admin/users?cursor=garbage", token="admin",
         status=400, code="invalid_cursor"),
    # -- PATCH /admin/users/{userId} -------------------------------------------------------
    Case("update user: unknown role", "PATCH", "/admin/users/{user}", {"role": "superuser"},
         "admin", errors=err(("body.role", "enum"))),
    Case("update user: number for status", "PATCH", "/admin/users/{user}", {"status": 5},
         "admin", errors=err(("body.status", "enum"))),
    Case("update user: extra fields", "PATCH", "/admin/users/{user}",
         {"role": "seller", "email": "x@shop.example", "passwordHash": "x"}, "admin",
         errors=err(("body.email", "extra_forbidden"), ("body.passwordHash", "extra_forbidden"))),
    Case("update user: malformed id", "PATCH", "/admin/users/nope", {"role": "seller"}, "admin",
         errors=err(("path.userId", "string_pattern_mismatch"))),
    Case("update user: nothing to change", "PATCH", "/admin/users/{user}",
         {"role": None, "status": None}, "admin", code="empty_update"),
    *body_cases("update user", "PATCH", "/admin/users/{user}", token="admin",
                 valid={"role": "seller"}),
    # -- routes without input of their own -------------------------------------------------
    Case("get me: no token", "GET", "/me", token=None, status=401, code="token_missing"),
    Case("list addresses: no token", "GET", "/me/addresses", token=None, status=401,
         code="token_missing"),
    Case("health: ignores junk headers and query", "GET", "/health?verbose=1&limit=abc",
         token=None, status=200, code=None, headers={"authorization": "Bearer junk"}),
]  # fmt: skip

GROUPS = grouped(CASES)


@pytest.mark.parametrize("cases", list(GROUPS.values()), ids=list(GROUPS))
def test_bad_input(api: LambdaApi, world: World, cases: list[Case]) -> None:
    for case in cases:
        check(api, world, case)


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
