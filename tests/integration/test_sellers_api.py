"""POST /sellers and GET /sellers/{sellerId} through the in-process API Gateway."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.helpers import (
    error_locs,
    jwt_claims,
    login,
    make_admin,
    make_role,
    problem,
    register_and_login,
)
from tests.support.lambda_api import LambdaApi

SELLER_KEYS = {"sellerId", "shopName", "contactEmail", "description", "createdAt"}
UNKNOWN_SELLER = "sel_01JD0000000000000000000000"


def shop_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "shopName": "Walnut & Co",
        "contactEmail": "Orders@Walnut.Example",
        "description": "Lamps, mostly.",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def test_a_customer_opens_a_shop(api: LambdaApi) -> None:
    customer = register_and_login(api)
    opened = api.post("/sellers", json=shop_body(), token=customer.access)
    assert opened.status == 201, opened.text
    body = opened.body
    assert set(body) == SELLER_KEYS
    assert body["sellerId"] == "sel_" + customer.user_id.removeprefix("usr_")
    assert body["shopName"] == "Walnut & Co"
    assert body["contactEmail"] == "orders@walnut.example"
    assert body["description"] == "Lamps, mostly."
    assert body["createdAt"].startswith("20")


def test_opening_a_shop_makes_the_account_a_seller_from_the_next_token(api: LambdaApi) -> None:
    customer = register_and_login(api)
    assert api.post("/sellers", json=shop_body(), token=customer.access).status == 201

    # stored at once: the profile says seller
    me = api.get("/me", token=customer.access)
    assert me.status == 200, me.text
    assert me.body["role"] == "seller"

    # the access token already issued still says customer until it is refreshed
    assert jwt_claims(customer.access)["role"] == "customer"
    problem(api.get("/sellers/me/products", token=customer.access), 403, "forbidden_role")

    refreshed = api.post("/auth/refresh", json={"refreshToken": customer.refresh})
    assert refreshed.status == 200, refreshed.text
    assert refreshed.body["role"] == "seller"
    assert jwt_claims(refreshed.body["accessToken"])["role"] == "seller"
    mine = api.get("/sellers/me/products", token=refreshed.body["accessToken"])
    assert mine.status == 200, mine.text
    assert mine.body["items"] == []

    again = login(api, customer.email)
    assert again.role == "seller"
    assert jwt_claims(again.access)["role"] == "seller"


def test_a_description_is_optional(api: LambdaApi) -> None:
    customer = register_and_login(api)
    opened = api.post("/sellers", json=shop_body(description=...), token=customer.access)
    assert opened.status == 201, opened.text
    assert opened.body["description"] is None


def test_a_seller_cannot_open_a_second_shop(api: LambdaApi) -> None:
    customer = register_and_login(api)
    first = api.post("/sellers", json=shop_body(), token=customer.access)
    assert first.status == 201, first.text

    # with the old token (still "customer") and with a new one (says "seller")
    problem(
        api.post("/sellers", json=shop_body(shopName="Second"), token=customer.access),
        409,
        "seller_exists",
    )
    seller = login(api, customer.email)
    problem(
        api.post("/sellers", json=shop_body(shopName="Second"), token=seller.access),
        409,
        "seller_exists",
    )
    kept = api.get(f"/sellers/{first.body['sellerId']}")
    assert kept.body["shopName"] == "Walnut & Co"


def test_an_admin_may_not_open_a_shop(api: LambdaApi) -> None:
    admin = make_admin(api)
    problem(api.post("/sellers", json=shop_body(), token=admin.access), 403, "forbidden_role")
    assert api.get("/me", token=admin.access).body["role"] == "admin"
    seller_id = "sel_" + admin.user_id.removeprefix("usr_")
    problem(api.get(f"/sellers/{seller_id}"), 404, "seller_not_found")


def test_a_seller_made_by_an_admin_may_open_the_shop_it_lacks_once(api: LambdaApi) -> None:
    seller = make_role(api, "seller")
    opened = api.post("/sellers", json=shop_body(), token=seller.access)
    assert opened.status == 201, opened.text
    assert api.get(f"/sellers/{opened.body['sellerId']}").status == 200
    problem(api.post("/sellers", json=shop_body(), token=seller.access), 409, "seller_exists")


def test_opening_a_shop_needs_a_token(api: LambdaApi) -> None:
    response = api.post("/sellers", json=shop_body())
    problem(response, 401, "token_missing")
    assert (response.header("www-authenticate") or "").startswith("Bearer")


def test_a_shop_page_is_public(api: LambdaApi) -> None:
    customer = register_and_login(api)
    opened = api.post("/sellers", json=shop_body(), token=customer.access).body
    page = api.get(f"/sellers/{opened['sellerId']}")
    assert page.status == 200, page.text
    assert page.body == opened
    assert "userId" not in page.body


def test_an_unknown_shop_is_not_found(api: LambdaApi) -> None:
    problem(api.get(f"/sellers/{UNKNOWN_SELLER}"), 404, "seller_not_found")


def test_a_malformed_seller_id_is_a_validation_error(api: LambdaApi) -> None:
    body = problem(api.get("/sellers/not-an-id"), 422, "validation_failed")
    assert ("path", "sellerId") in [loc for loc, _ in error_locs(body)]


@pytest.mark.parametrize("name", ["Ab", "x" * 80])
def test_shop_names_of_2_to_80_characters_are_accepted(api: LambdaApi, name: str) -> None:
    customer = register_and_login(api)
    opened = api.post("/sellers", json=shop_body(shopName=name), token=customer.access)
    assert opened.status == 201, opened.text
    assert opened.body["shopName"] == name


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        (shop_body(shopName="A"), ("body", "shopName"), "string_too_short"),
        (shop_body(shopName="x" * 81), ("body", "shopName"), "string_too_long"),
        (shop_body(shopName=...), ("body", "shopName"), "missing"),
        (shop_body(contactEmail=...), ("body", "contactEmail"), "missing"),
        (
            shop_body(contactEmail="not an email"),
            ("body", "contactEmail"),
            "string_pattern_mismatch",
        ),
        (shop_body(description=""), ("body", "description"), "string_too_short"),
        (shop_body(role="admin"), ("body", "role"), "extra_forbidden"),
        (shop_body(sellerId=UNKNOWN_SELLER), ("body", "sellerId"), "extra_forbidden"),
        (shop_body(userId="usr_01JD0000000000000000000000"), ("body", "userId"), "extra_forbidden"),
        (
            {"shop_name": "Walnut", "contactEmail": "a@walnut.example"},
            ("body", "shop_name"),
            "extra_forbidden",
        ),
    ],
)
def test_a_bad_shop_body_is_refused_and_changes_nothing(
    api: LambdaApi, body: dict[str, Any], loc: tuple[str, ...], kind: str
) -> None:
    customer = register_and_login(api)
    refused = problem(
        api.post("/sellers", json=body, token=customer.access), 422, "validation_failed"
    )
    assert (loc, kind) in error_locs(refused), refused
    assert api.get("/me", token=customer.access).body["role"] == "customer"
    seller_id = "sel_" + customer.user_id.removeprefix("usr_")
    problem(api.get(f"/sellers/{seller_id}"), 404, "seller_not_found")
