"""The admin's user management, through the API."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.integration.helpers import (
    Account,
    error_locs,
    jwt_claims,
    login,
    make_admin,
    make_role,
    problem,
    register,
    register_and_login,
)
from tests.support.lambda_api import query

UNKNOWN_USER = "usr_01JD0000000000000000000000"


@pytest.fixture
def admin(api: Any) -> Account:
    return make_admin(api)


def _encode(plain: Any) -> str:
    raw = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def _page(api: Any, admin: Account, **params: Any) -> Any:
    return api.get(f"/admin/users?{query(**params)}", token=admin.access)


def test_list_users_newest_first_in_pages(api: Any, admin: Account) -> None:
    registered = [admin.user_id] + [register(api)["userId"] for _ in range(4)]
    newest_first = list(reversed(registered))

    seen: list[str] = []
    sizes: list[int] = []
    cursor = None
    for _ in range(10):  # a bound, so a cursor that never ends fails instead of hanging
        response = _page(api, admin, limit=2, cursor=cursor)
        assert response.status == 200, response.text
        items = response.body["items"]
        sizes.append(len(items))
        seen += [item["userId"] for item in items]
        cursor = response.body["nextCursor"]
        if cursor is None:
            break
    assert cursor is None
    assert sizes == [2, 2, 1]
    assert len(seen) == len(set(seen))
    assert seen == newest_first


def test_list_users_shows_summaries(api: Any, admin: Account) -> None:
    register(api, "Zed@Shop.example", first_name="Zed", last_name="Zimmer")
    response = _page(api, admin)
    assert response.status == 200, response.text
    newest = response.body["items"][0]
    assert newest["email"] == "zed@shop.example"
    assert (newest["firstName"], newest["lastName"]) == ("Zed", "Zimmer")
    assert (newest["role"], newest["status"]) == ("customer", "active")
    assert set(newest) == {
        "userId",
        "email",
        "firstName",
        "lastName",
        "role",
        "status",
        "createdAt",
        "updatedAt",
    }
    assert response.body["nextCursor"] is None
    assert [i["userId"] for i in response.body["items"]][-1] == admin.user_id


def test_default_and_maximum_limits(api: Any, admin: Account) -> None:
    for _ in range(3):
        register(api)
    whole = _page(api, admin)
    assert whole.status == 200
    assert len(whole.body["items"]) == 4
    assert _page(api, admin, limit=100).body["items"] == whole.body["items"]
    one = _page(api, admin, limit=1)
    assert len(one.body["items"]) == 1
    assert one.body["nextCursor"]


def _a_real_cursor(api: Any, admin: Account) -> str:
    register(api)
    register(api)
    cursor = _page(api, admin, limit=1).body["nextCursor"]
    assert cursor
    return cursor  # type: ignore[no-any-return]


def test_tampered_cursors_are_refused(api: Any, admin: Account) -> None:
    cursor = _a_real_cursor(api, admin)
    plain = _decode(cursor)
    assert plain["GSI3PK"] == "USERS"
    other_partition = {**plain, "GSI3PK": "ORDERS"}
    extra_key = {**plain, "GSI1PK": "X"}
    missing_key = {k: v for k, v in plain.items() if k != "SK"}
    not_strings = {**plain, "SK": 5}
    tampered = [
        "garbage",
        "a",
        cursor[:-3],
        _encode({"hello": "world"}),
        _encode([1, 2, 3]),
        _encode("USERS"),
        _encode(other_partition),
        _encode(extra_key),
        _encode(missing_key),
        _encode(not_strings),
        base64.urlsafe_b64encode(b"\xff\xfe not json").decode(),
    ]
    for bad in tampered:
        problem(_page(api, admin, limit=1, cursor=bad), 404, "cursor_not_found")
    # Not even the shape of a cursor (base64url): the query's schema refuses it.
    for bad in ("garbage!!", "%%%"):
        problem(_page(api, admin, limit=1, cursor=bad), 422, "validation_failed")
    # The genuine one still works.
    assert _page(api, admin, limit=1, cursor=cursor).status == 200


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "2.5", "", "1e1", "true"])
def test_bad_limits_are_422(api: Any, admin: Account, limit: str) -> None:
    response = api.get(f"/admin/users?limit={limit}", token=admin.access)
    body = problem(response, 422, "validation_failed")
    assert ("query", "limit") in [loc for loc, _ in error_locs(body)]


def test_change_role_and_status(api: Any, admin: Account) -> None:
    user = register_and_login(api)
    path = f"/admin/users/{user.user_id}"

    seller = api.patch(path, json={"role": "seller"}, token=admin.access)
    assert seller.status == 200, seller.text
    assert (seller.body["userId"], seller.body["role"], seller.body["status"]) == (
        user.user_id,
        "seller",
        "active",
    )

    disabled = api.patch(path, json={"status": "disabled"}, token=admin.access)
    assert disabled.status == 200
    assert (disabled.body["role"], disabled.body["status"]) == ("seller", "disabled")

    both = api.patch(path, json={"role": "customer", "status": "active"}, token=admin.access)
    assert both.status == 200
    assert (both.body["role"], both.body["status"]) == ("customer", "active")

    listed = {u["userId"]: u for u in _page(api, admin).body["items"]}
    assert (listed[user.user_id]["role"], listed[user.user_id]["status"]) == (
        "customer",
        "active",
    )
    problem(api.patch(path, json={}, token=admin.access), 422, "empty_update")


def test_promoted_users_next_token_carries_the_new_role(api: Any, admin: Account) -> None:
    user = register_and_login(api)
    assert jwt_claims(user.access)["role"] == "customer"
    promoted = api.patch(f"/admin/users/{user.user_id}", json={"role": "admin"}, token=admin.access)
    assert promoted.status == 200

    again = login(api, user.email)
    assert again.role == "admin"
    assert jwt_claims(again.access)["role"] == "admin"
    assert _page(api, again).status == 200
    # The token issued before the promotion still says customer until it expires.
    problem(_page(api, user), 403, "forbidden_role")
    # And a refresh picks up the new role too.
    refreshed = api.post("/auth/refresh", json={"refreshToken": user.refresh})
    assert refreshed.status == 200
    assert jwt_claims(refreshed.body["accessToken"])["role"] == "admin"


@pytest.mark.parametrize(
    "change", [{"role": "customer"}, {"role": "seller"}, {"status": "disabled"}]
)
def test_admin_cannot_lock_themselves_out(api: Any, admin: Account, change: dict[str, str]) -> None:
    response = api.patch(f"/admin/users/{admin.user_id}", json=change, token=admin.access)
    problem(response, 409, "self_lockout")
    assert login(api, admin.email).role == "admin"


def test_admin_may_demote_another_admin(api: Any, admin: Account) -> None:
    other = make_admin(api)
    response = api.patch(
        f"/admin/users/{other.user_id}", json={"role": "customer"}, token=admin.access
    )
    assert response.status == 200
    assert login(api, other.email).role == "customer"


def test_unknown_user_is_404(api: Any, admin: Account) -> None:
    response = api.patch(
        f"/admin/users/{UNKNOWN_USER}", json={"role": "seller"}, token=admin.access
    )
    problem(response, 404, "user_not_found")


@pytest.mark.parametrize("role", ["customer", "seller"])
def test_non_admins_are_refused(api: Any, role: str) -> None:
    caller = make_role(api, role)
    victim = register_and_login(api)
    problem(api.get("/admin/users", token=caller.access), 403, "forbidden_role")
    problem(
        api.patch(f"/admin/users/{victim.user_id}", json={"role": "admin"}, token=caller.access),
        403,
        "forbidden_role",
    )
    problem(
        api.patch(f"/admin/users/{caller.user_id}", json={"role": "admin"}, token=caller.access),
        403,
        "forbidden_role",
    )
    assert login(api, caller.email).role == role
    assert login(api, victim.email).role == "customer"
