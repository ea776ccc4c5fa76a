"""Each operation makes exactly the DynamoDB calls docs/data-model.md budgets for it.

The table under "## Access patterns and their cost" is the source: one row per operation
(``operation | function | budget``). Every row has a scenario here that sets up state
outside the counted block, then makes exactly the measured request inside it. A row
without a scenario, or a scenario without a row, fails too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.helpers import (
    PASSWORD,
    Account,
    add_address,
    address_body,
    login,
    make_admin,
    register,
    register_and_login,
    reset_token_of,
    sent_emails,
    unique_email,
)
from tests.support.calls import dynamodb_calls
from tests.support.lambda_api import ApiResponse, LambdaApi

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"
SECTION = "## Access patterns and their cost"
NONE = {"—", "-", "–", ""}


@dataclass(frozen=True)
class Row:
    operation: str
    key: str  # the function column without backticks: "login (wrong password)"
    function: str  # the function's name in serverless.yml: "login"
    budget: dict[str, int]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_budget(text: str) -> dict[str, int]:
    if text.strip() in NONE:
        return {}
    budget: dict[str, int] = {}
    for part in text.split(","):
        found = re.fullmatch(r"\s*([A-Za-z]+)\s+(\d+)\s*", part)
        assert found, f"cannot read budget part {part!r} of {text!r}"
        name, count = found.group(1), int(found.group(2))
        assert name not in budget, f"{name} twice in {text!r}"
        budget[name] = count
    return budget


def budget_rows(markdown: str) -> list[Row]:
    _, _, after = markdown.partition(SECTION + "\n")
    assert after, f"{SECTION!r} not found in {DOC}"
    section = after.split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.strip().startswith("|")]
    header = [cell.lower() for cell in _cells(lines[0])]
    assert header == ["operation", "function", "budget"], header
    assert set(lines[1].replace("|", "").strip()) <= set("-: "), lines[1]
    rows = []
    for line in lines[2:]:
        operation, function, budget = _cells(line)
        found = re.fullmatch(r"`([A-Za-z0-9_]+)`(?:\s*\(([^)]+)\))?", function)
        assert found, f"cannot read the function cell {function!r}"
        name, variant = found.group(1), found.group(2)
        key = f"{name} ({variant.strip()})" if variant else name
        rows.append(Row(operation, key, name, parse_budget(budget)))
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys)), f"duplicate rows: {keys}"
    return rows


ROWS = budget_rows(DOC.read_text(encoding="utf-8"))

# A scenario sets up state (not counted) and returns the request to measure, plus the
# status that request must answer (so a budget is never "met" by an early refusal).
Measured = tuple[Callable[[], ApiResponse], int]
Scenario = Callable[[LambdaApi], Measured]
SCENARIOS: dict[str, Scenario] = {}


def scenario(key: str) -> Callable[[Scenario], Scenario]:
    def add(fn: Scenario) -> Scenario:
        assert key not in SCENARIOS, key
        SCENARIOS[key] = fn
        return fn

    return add


def _login(api: LambdaApi, email: str, password: str) -> ApiResponse:
    return api.post("/auth/login", json={"email": email, "password": password})


def _fail_login(api: LambdaApi, email: str, times: int) -> None:
    for _ in range(times):
        assert _login(api, email, "not the password").status == 401


@scenario("register")
def _register(api: LambdaApi) -> Measured:
    register(api)  # a table that is not empty
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B"}
    return (lambda: api.post("/auth/register", json=body)), 201


@scenario("login")
def _sign_in(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    return (lambda: _login(api, email, PASSWORD)), 200


@scenario("login (failures on record)")
def _sign_in_after_failures(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    _fail_login(api, email, 2)
    return (lambda: _login(api, email, PASSWORD)), 200


@scenario("login (wrong password)")
def _wrong_password(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    return (lambda: _login(api, email, "not the password")), 401


@scenario("login (repeated failure)")
def _repeated_failure(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    _fail_login(api, email, 1)
    return (lambda: _login(api, email, "not the password")), 401


@scenario("login (locked)")
def _locked(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    _fail_login(api, email, 5)
    return (lambda: _login(api, email, PASSWORD)), 429


@scenario("refresh")
def _refresh(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    return (lambda: api.post("/auth/refresh", json={"refreshToken": user.refresh})), 200


@scenario("logout")
def _logout(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    return (
        lambda: api.post("/auth/logout", json={"refreshToken": user.refresh}, token=user.access)
    ), 204


@scenario("forgotPassword")
def _forgot_known(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    return (lambda: api.post("/auth/password/forgot", json={"email": email})), 202


@scenario("forgotPassword (unknown)")
def _forgot_unknown(api: LambdaApi) -> Measured:
    register(api)
    email = unique_email("nobody")
    return (lambda: api.post("/auth/password/forgot", json={"email": email})), 202


@scenario("resetPassword")
def _reset(api: LambdaApi) -> Measured:
    email = unique_email()
    register(api, email)
    login(api, email)  # a session for the reset to revoke
    assert api.post("/auth/password/forgot", json={"email": email}).status == 202
    token = reset_token_of(sent_emails()[-1])
    body = {"token": token, "newPassword": "a new password 9"}
    return (lambda: api.post("/auth/password/reset", json=body)), 204


def _with_addresses(api: LambdaApi, count: int) -> tuple[Account, list[dict[str, Any]]]:
    user = register_and_login(api)
    return user, [add_address(api, user.access, label=f"A{n}") for n in range(count)]


@scenario("getMe")
def _get_me(api: LambdaApi) -> Measured:
    user, _ = _with_addresses(api, 2)
    return (lambda: api.get("/me", token=user.access)), 200


@scenario("updateMe")
def _update_me(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    body = {"firstName": "Augusta", "phone": None, "preferences": {"theme": "dark"}}
    return (lambda: api.patch("/me", json=body, token=user.access)), 200


@scenario("changePassword")
def _change_password(api: LambdaApi) -> Measured:
    user = register_and_login(api)
    body = {"currentPassword": PASSWORD, "newPassword": "a new password 9"}
    return (lambda: api.post("/me/password", json=body, token=user.access)), 204


@scenario("listAddresses")
def _list_addresses(api: LambdaApi) -> Measured:
    user, _ = _with_addresses(api, 2)
    return (lambda: api.get("/me/addresses", token=user.access)), 200


@scenario("addAddress")
def _add_address(api: LambdaApi) -> Measured:
    user, _ = _with_addresses(api, 1)
    body = address_body(defaultShipping=True)
    return (lambda: api.post("/me/addresses", json=body, token=user.access)), 201


@scenario("updateAddress")
def _update_address(api: LambdaApi) -> Measured:
    user, (_, second) = _with_addresses(api, 2)
    path = f"/me/addresses/{second['addressId']}"
    return (lambda: api.patch(path, json={"city": "Bath"}, token=user.access)), 200


@scenario("updateAddress (default)")
def _default_address(api: LambdaApi) -> Measured:
    user, (_, second) = _with_addresses(api, 2)
    path = f"/me/addresses/{second['addressId']}"
    body = {"defaultShipping": True, "defaultBilling": True}
    return (lambda: api.patch(path, json=body, token=user.access)), 200


@scenario("deleteAddress")
def _delete_address(api: LambdaApi) -> Measured:
    user, (first, _) = _with_addresses(api, 2)
    path = f"/me/addresses/{first['addressId']}"  # the default: both defaults are cleared
    return (lambda: api.delete(path, token=user.access)), 204


@scenario("listUsers")
def _list_users(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    for _ in range(4):
        register(api)
    first = api.get("/admin/users?limit=2", token=admin.access)
    cursor = first.body["nextCursor"]
    assert cursor
    return (lambda: api.get(f"/admin/users?limit=2&cursor={cursor}", token=admin.access)), 200


@scenario("updateUser")
def _update_user(api: LambdaApi) -> Measured:
    admin = make_admin(api)
    user = register_and_login(api)
    body = {"role": "seller", "status": "disabled"}
    return (lambda: api.patch(f"/admin/users/{user.user_id}", json=body, token=admin.access)), 200


@scenario("health")
def _health(api: LambdaApi) -> Measured:
    return (lambda: api.get("/health")), 200


def test_the_budget_table_reads() -> None:
    assert len(ROWS) >= 20
    by_key = {row.key: row for row in ROWS}
    assert by_key["login (wrong password)"].budget == {"Query": 1, "PutItem": 1}
    assert by_key["health"].budget == {}
    assert parse_budget("GetItem 2, TransactWriteItems 1") == {
        "GetItem": 2,
        "TransactWriteItems": 1,
    }


def test_every_row_has_a_scenario_and_every_scenario_a_row() -> None:
    rows = {row.key for row in ROWS}
    assert rows - set(SCENARIOS) == set(), "rows in docs/data-model.md without a scenario"
    assert set(SCENARIOS) - rows == set(), "scenarios without a row in docs/data-model.md"


def test_every_row_names_a_declared_function(config: dict[str, Any]) -> None:
    declared = set(config["functions"])
    assert {row.function for row in ROWS} - declared == set()


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_call_budget(api: LambdaApi, row: Row) -> None:
    measured, status = SCENARIOS[row.key](api)
    with dynamodb_calls() as calls:
        response = measured()
    assert response.status == status, response.text
    assert response.function == row.function
    assert calls["Scan"] == 0, "a request path must never Scan"
    assert Counter(calls) == Counter(row.budget), (
        f"{row.key}: made {dict(calls)}, the budget is {row.budget}"
    )
