"""The signed-in user's own profile and address book, through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.integration.helpers import (
    Account,
    add_address,
    address_body,
    error_locs,
    problem,
    register_and_login,
)

CATEGORY = "cat_01JD0000000000000000000000"


@pytest.fixture
def user(api: Any) -> Account:
    return register_and_login(api, first_name="Ada", last_name="Lovelace")


def _me(api: Any, user: Account) -> dict[str, Any]:
    response = api.get("/me", token=user.access)
    assert response.status == 200, response.text
    return response.body  # type: ignore[no-any-return]


def test_get_me_shows_the_callers_profile(api: Any, user: Account) -> None:
    me = _me(api, user)
    assert me["userId"] == user.user_id
    assert me["email"] == user.email
    assert (me["firstName"], me["lastName"]) == ("Ada", "Lovelace")
    assert me["role"] == "customer"
    assert me["status"] == "active"
    assert me["phone"] is None
    assert me["dateOfBirth"] is None
    assert me["avatarUrl"] is None
    assert me["preferences"] == {
        "theme": "system",
        "notificationChannels": ["email"],
        "favouriteCategories": [],
    }
    assert me["addresses"] == []
    assert me["defaultShippingAddressId"] is None
    assert "passwordHash" not in me
    assert "password" not in me


def test_get_me_is_per_caller(api: Any, user: Account) -> None:
    other = register_and_login(api, first_name="Grace", last_name="Hopper")
    assert _me(api, user)["firstName"] == "Ada"
    assert _me(api, other)["firstName"] == "Grace"


def test_patch_me_changes_what_is_sent(api: Any, user: Account) -> None:
    changes = {
        "firstName": "Augusta",
        "lastName": "King",
        "phone": "+447700900123",
        "dateOfBirth": "1815-12-10",
        "avatarUrl": "https://img.example/ada.png",
        "preferences": {
            "theme": "dark",
            "notificationChannels": ["email", "sms"],
            "favouriteCategories": [CATEGORY],
        },
    }
    response = api.patch("/me", json=changes, token=user.access)
    # 1815 is before 1900: refused, nothing changed.
    body = problem(response, 422, "validation_failed")
    assert (("body", "dateOfBirth"), "value_error") in error_locs(body)
    assert _me(api, user)["firstName"] == "Ada"

    changes["dateOfBirth"] = "1985-12-10"
    response = api.patch("/me", json=changes, token=user.access)
    assert response.status == 200, response.text
    for view in (response.body, _me(api, user)):
        assert view["firstName"] == "Augusta"
        assert view["lastName"] == "King"
        assert view["phone"] == "+447700900123"
        assert view["dateOfBirth"] == "1985-12-10"
        assert view["avatarUrl"] == "https://img.example/ada.png"
        assert view["preferences"] == changes["preferences"]
        assert view["email"] == user.email


def test_patch_me_leaves_unsent_fields_alone(api: Any, user: Account) -> None:
    api.patch("/me", json={"phone": "+447700900123", "lastName": "King"}, token=user.access)
    response = api.patch("/me", json={"firstName": "Augusta"}, token=user.access)
    assert response.status == 200
    me = _me(api, user)
    assert (me["firstName"], me["lastName"], me["phone"]) == ("Augusta", "King", "+447700900123")


def test_null_clears_phone_avatar_and_birth_date(api: Any, user: Account) -> None:
    api.patch(
        "/me",
        json={
            "phone": "+447700900123",
            "avatarUrl": "https://img.example/a.png",
            "dateOfBirth": "1990-01-02",
        },
        token=user.access,
    )
    response = api.patch(
        "/me", json={"phone": None, "avatarUrl": None, "dateOfBirth": None}, token=user.access
    )
    assert response.status == 200, response.text
    me = _me(api, user)
    assert me["phone"] is None
    assert me["avatarUrl"] is None
    assert me["dateOfBirth"] is None
    assert me["firstName"] == "Ada"


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"firstName": None}, ("body", "firstName")),
        ({"lastName": None}, ("body", "lastName")),
        ({"preferences": None}, ("body", "preferences")),
        ({"firstName": ""}, ("body", "firstName")),
        ({"avatarUrl": "http://img.example/a.png"}, ("body", "avatarUrl")),
        ({"avatarUrl": "javascript:alert(1)"}, ("body", "avatarUrl")),
        ({"phone": "07700 900123"}, ("body", "phone")),
        ({"preferences": {"theme": "neon"}}, ("body", "preferences", "theme")),
        (
            {"preferences": {"notificationChannels": ["pigeon"]}},
            ("body", "preferences", "notificationChannels", "0"),
        ),
        (
            {"preferences": {"favouriteCategories": ["not-an-id"]}},
            ("body", "preferences", "favouriteCategories", "0"),
        ),
    ],
)
def test_patch_me_refuses_bad_values(
    api: Any, user: Account, changes: dict[str, Any], loc: tuple[str, ...]
) -> None:
    body = problem(api.patch("/me", json=changes, token=user.access), 422, "validation_failed")
    assert loc in [found for found, _ in error_locs(body)], body
    me = _me(api, user)
    assert me["firstName"] == "Ada"
    assert me["avatarUrl"] is None


@pytest.mark.parametrize(
    "birth",
    ["tomorrow", "in ten years", "today", "1899-12-31", "2001-02-30"],
)
def test_date_of_birth_must_lie_in_the_past(api: Any, user: Account, birth: str) -> None:
    today = datetime.now(UTC).date()  # at run time, not collection time
    relative = {"tomorrow": 1, "in ten years": 3650, "today": 0}
    if birth in relative:
        birth = (today + timedelta(days=relative[birth])).isoformat()
    body = problem(
        api.patch("/me", json={"dateOfBirth": birth}, token=user.access), 422, "validation_failed"
    )
    assert ("body", "dateOfBirth") in [loc for loc, _ in error_locs(body)]
    assert _me(api, user)["dateOfBirth"] is None


def test_yesterday_is_a_valid_birth_date(api: Any, user: Account) -> None:
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    response = api.patch("/me", json={"dateOfBirth": yesterday}, token=user.access)
    assert response.status == 200, response.text
    assert date.fromisoformat(_me(api, user)["dateOfBirth"]) < datetime.now(UTC).date()


def test_empty_patch_is_refused(api: Any, user: Account) -> None:
    problem(api.patch("/me", json={}, token=user.access), 422, "empty_update")


def test_preferences_are_replaced_whole_and_deduplicated(api: Any, user: Account) -> None:
    response = api.patch(
        "/me",
        json={
            "preferences": {
                "notificationChannels": ["sms", "sms"],
                "favouriteCategories": [CATEGORY, CATEGORY],
            }
        },
        token=user.access,
    )
    assert response.status == 200, response.text
    assert response.body["preferences"] == {
        "theme": "system",
        "notificationChannels": ["sms"],
        "favouriteCategories": [CATEGORY],
    }


# -- addresses ---------------------------------------------------------------------------


def _addresses(api: Any, user: Account) -> list[dict[str, Any]]:
    response = api.get("/me/addresses", token=user.access)
    assert response.status == 200, response.text
    return response.body["items"]  # type: ignore[no-any-return]


def test_first_address_becomes_both_defaults(api: Any, user: Account) -> None:
    assert _addresses(api, user) == []
    first = add_address(api, user.access)
    assert first["addressId"].startswith("adr_")
    assert first["isDefaultShipping"] is True
    assert first["isDefaultBilling"] is True
    assert first["country"] == "GB"
    assert first["line2"] is None

    second = add_address(api, user.access, label="Work", city="Cambridge")
    assert second["isDefaultShipping"] is False
    assert second["isDefaultBilling"] is False

    me = _me(api, user)
    assert me["defaultShippingAddressId"] == first["addressId"]
    assert me["defaultBillingAddressId"] == first["addressId"]
    assert [a["addressId"] for a in me["addresses"]] == [first["addressId"], second["addressId"]]
    listed = _addresses(api, user)
    assert [(a["addressId"], a["isDefaultShipping"]) for a in listed] == [
        (first["addressId"], True),
        (second["addressId"], False),
    ]


def test_a_new_address_may_take_over_a_default(api: Any, user: Account) -> None:
    first = add_address(api, user.access)
    second = add_address(api, user.access, defaultBilling=True)
    assert (second["isDefaultShipping"], second["isDefaultBilling"]) == (False, True)
    me = _me(api, user)
    assert me["defaultShippingAddressId"] == first["addressId"]
    assert me["defaultBillingAddressId"] == second["addressId"]


def test_update_an_address(api: Any, user: Account) -> None:
    address = add_address(api, user.access, line2="Flat 1")
    response = api.patch(
        f"/me/addresses/{address['addressId']}",
        json={"city": "Bath", "line2": None, "label": "Old home"},
        token=user.access,
    )
    assert response.status == 200, response.text
    assert response.body["city"] == "Bath"
    assert response.body["line2"] is None
    assert response.body["label"] == "Old home"
    assert response.body["fullName"] == "Ada Lovelace"
    assert response.body["isDefaultShipping"] is True
    (stored,) = _addresses(api, user)
    assert (stored["city"], stored["line2"]) == ("Bath", None)
    assert stored["updatedAt"] >= stored["createdAt"]


def test_required_address_fields_cannot_be_cleared(api: Any, user: Account) -> None:
    address = add_address(api, user.access)
    response = api.patch(
        f"/me/addresses/{address['addressId']}", json={"city": None}, token=user.access
    )
    body = problem(response, 422, "validation_failed")
    assert ("body", "city") in [loc for loc, _ in error_locs(body)]
    problem(
        api.patch(f"/me/addresses/{address['addressId']}", json={}, token=user.access),
        422,
        "empty_update",
    )


def test_make_an_address_the_default(api: Any, user: Account) -> None:
    first = add_address(api, user.access)
    second = add_address(api, user.access, label="Work")
    response = api.patch(
        f"/me/addresses/{second['addressId']}",
        json={"defaultShipping": True},
        token=user.access,
    )
    assert response.status == 200, response.text
    assert response.body["isDefaultShipping"] is True
    assert response.body["isDefaultBilling"] is False
    flags = {
        a["addressId"]: (a["isDefaultShipping"], a["isDefaultBilling"])
        for a in _addresses(api, user)
    }
    assert flags == {first["addressId"]: (False, True), second["addressId"]: (True, False)}


def test_deleting_the_default_address_clears_the_default(api: Any, user: Account) -> None:
    first = add_address(api, user.access)
    second = add_address(api, user.access, label="Work")
    api.patch(
        f"/me/addresses/{second['addressId']}", json={"defaultShipping": True}, token=user.access
    )
    gone = api.delete(f"/me/addresses/{second['addressId']}", token=user.access)
    assert gone.status == 204, gone.text
    me = _me(api, user)
    assert me["defaultShippingAddressId"] is None
    assert me["defaultBillingAddressId"] == first["addressId"]
    assert [a["addressId"] for a in me["addresses"]] == [first["addressId"]]
    problem(
        api.delete(f"/me/addresses/{second['addressId']}", token=user.access),
        404,
        "address_not_found",
    )
    # The next address added becomes the shipping default again.
    third = add_address(api, user.access)
    assert (third["isDefaultShipping"], third["isDefaultBilling"]) == (True, False)


def test_another_users_address_is_not_found(api: Any, user: Account) -> None:
    other = register_and_login(api)
    theirs = add_address(api, other.access, city="Paris", country="FR")
    path = f"/me/addresses/{theirs['addressId']}"
    problem(api.patch(path, json={"city": "Hacked"}, token=user.access), 404, "address_not_found")
    problem(
        api.patch(path, json={"defaultShipping": True}, token=user.access),
        404,
        "address_not_found",
    )
    problem(api.delete(path, token=user.access), 404, "address_not_found")
    # Theirs is untouched and not in my book; my defaults did not move to it.
    (still,) = _addresses(api, other)
    assert still["city"] == "Paris"
    assert _addresses(api, user) == []
    assert _me(api, user)["defaultShippingAddressId"] is None
    assert _me(api, other)["defaultShippingAddressId"] == theirs["addressId"]


def test_an_unknown_address_is_not_found(api: Any, user: Account) -> None:
    path = "/me/addresses/adr_01JD0000000000000000000000"
    problem(api.patch(path, json={"city": "Bath"}, token=user.access), 404, "address_not_found")
    problem(api.delete(path, token=user.access), 404, "address_not_found")
    assert _addresses(api, user) == []


def test_at_most_twenty_addresses(api: Any, user: Account) -> None:
    for n in range(20):
        add_address(api, user.access, label=f"Address {n}")
    problem(
        api.post("/me/addresses", json=address_body(label="One too many"), token=user.access),
        409,
        "too_many_addresses",
    )
    listed = _addresses(api, user)
    assert len(listed) == 20
    # Deleting one makes room for one.
    gone = api.delete(f"/me/addresses/{listed[-1]['addressId']}", token=user.access)
    assert gone.status == 204
    add_address(api, user.access, label="Room again")
    problem(
        api.post("/me/addresses", json=address_body(), token=user.access),
        409,
        "too_many_addresses",
    )
