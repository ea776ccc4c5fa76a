"""The cart over the API (handlers/cart/): holds that move stock exactly, the 409s, carts
that are their owner's alone, and an expired hold that never blocks another buyer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.catalog_helpers import Shop, activate, create_product, shop
from tests.integration.helpers import (
    Account,
    add_address,
    make_admin,
    problem,
    register_and_login,
)
from tests.support.lambda_api import LambdaApi

SKUS = iter(range(1, 10_000))


def listed(api: LambdaApi, s: Shop, *, stock: int = 10, price: int = 1999) -> str:
    body = create_product(api, s.seller, s.child, sku=f"CART-{next(SKUS)}", price=price)
    activate(api, s.seller, s.admin, body["productId"], stock=stock)
    return str(body["productId"])


def inventory(api: LambdaApi, s: Shop, product_id: str) -> tuple[int, int]:
    found = api.get(f"/products/{product_id}/inventory", token=s.seller.access)
    assert found.status == 200, found.text
    return found.body["available"], found.body["reserved"]


def add(api: LambdaApi, who: Account, product_id: str, quantity: int) -> Any:
    return api.post(
        "/cart/items", json={"productId": product_id, "quantity": quantity}, token=who.access
    )


def cart(api: LambdaApi, who: Account, query: str = "") -> dict[str, Any]:
    found = api.get(f"/cart{query}", token=who.access)
    assert found.status == 200, found.text
    return found.body  # type: ignore[no-any-return]


def age_hold(user_id: str, product_id: str, minutes: int = 1) -> None:
    """Make a cart line's hold end ``minutes`` ago, as time passing would: its hold
    expiry and both hold index keys (the test stands in for the clock)."""
    from adapters import aws
    from adapters.settings import settings
    from domain.clock import iso, utcnow
    from repositories import keys

    past = iso(utcnow() - timedelta(minutes=minutes))
    aws.client("dynamodb").update_item(
        TableName=settings().TABLE_NAME,
        Key={"PK": {"S": keys.cart_pk(user_id)}, "SK": {"S": keys.cart_line_sk(product_id)}},
        UpdateExpression="SET holdUntil = :u, GSI4SK = :g4, GSI5SK = :g5",
        ExpressionAttributeValues={
            ":u": {"S": past},
            ":g4": {"S": keys.hold_sk(past, "cart", user_id)},
            ":g5": {"S": keys.hold_expiry_sk(past, "cart", user_id, product_id)},
        },
    )


@pytest.fixture
def holds_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from adapters.settings import settings

    monkeypatch.setenv("CART_HOLD_MINUTES", "0")
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()


def test_holds_move_stock_exactly(api: LambdaApi) -> None:
    s = shop(api)
    lamp = listed(api, s, stock=5, price=1250)
    added = add(api, s.customer, lamp, 3)
    assert added.status == 200, added.text
    (line,) = added.body["items"]
    assert (line["productId"], line["quantity"], line["held"]) == (lamp, 3, 3)
    assert (line["unitPrice"], line["priceSeen"], line["lineTotal"]) == (1250, 1250, 3750)
    assert line["holdUntil"]
    assert line["flags"] == []
    assert inventory(api, s, lamp) == (2, 3)
    assert api.get(f"/products/{lamp}").body["stock"]["available"] == 2  # nobody else sees it
    assert add(api, s.customer, lamp, 1).body["items"][0]["quantity"] == 4
    assert inventory(api, s, lamp) == (1, 4)
    lowered = api.patch(f"/cart/items/{lamp}", json={"quantity": 1}, token=s.customer.access)
    assert lowered.status == 200, lowered.text
    assert inventory(api, s, lamp) == (4, 1)
    removed = api.delete(f"/cart/items/{lamp}", token=s.customer.access)
    assert (removed.status, removed.text) == (204, "")
    assert inventory(api, s, lamp) == (5, 0)
    assert add(api, s.customer, lamp, 2).status == 200
    cleared = api.delete("/cart", token=s.customer.access)
    assert cleared.status == 204
    assert inventory(api, s, lamp) == (5, 0)
    assert cart(api, s.customer)["items"] == []


def test_short_stock_and_hoarding_are_409s_that_write_nothing(api: LambdaApi) -> None:
    s = shop(api)
    lamp = listed(api, s, stock=3)
    desk = listed(api, s, stock=50)
    assert add(api, s.customer, lamp, 2).status == 200
    short = problem(add(api, s.customer, lamp, 2), 409, "insufficient_stock")
    assert short["available"] == 3  # the line's own 2 and the 1 left
    assert inventory(api, s, lamp) == (1, 2)
    hoard = problem(add(api, s.customer, desk, 11), 409, "hold_limit")
    assert (hoard["limit"], hoard["scope"]) == (10, "product")
    assert inventory(api, s, desk) == (50, 0)
    gone = problem(
        add(api, s.customer, "prd_01JD0000000000000000000000", 1), 404, "product_not_found"
    )
    assert gone["detail"]


def test_a_cart_is_its_owners_alone(api: LambdaApi) -> None:
    s = shop(api)
    lamp = listed(api, s, stock=5)
    assert add(api, s.customer, lamp, 2).status == 200
    other = register_and_login(api)
    assert cart(api, other)["items"] == []
    problem(
        api.patch(f"/cart/items/{lamp}", json={"quantity": 1}, token=other.access),
        404,
        "cart_item_not_found",
    )
    problem(api.delete(f"/cart/items/{lamp}", token=other.access), 404, "cart_item_not_found")
    assert api.delete("/cart", token=other.access).status == 204
    assert inventory(api, s, lamp) == (3, 2)
    assert [i["quantity"] for i in cart(api, s.customer)["items"]] == [2]


def test_who_may_have_a_cart(api: LambdaApi) -> None:
    s = shop(api)
    lamp = listed(api, s)
    problem(api.get("/cart"), 401, "token_missing")
    problem(api.get("/cart", token=make_admin(api).access), 403, "forbidden_role")
    assert add(api, s.seller, lamp, 1).status == 200  # a seller buys like anyone else


def test_totals_follow_the_destination(api: LambdaApi) -> None:
    s = shop(api)
    lamp = listed(api, s, price=1999)
    add(api, s.customer, lamp, 2)
    anywhere = cart(api, s.customer)["totals"]
    assert anywhere == {
        "subtotal": 3998,
        "tax": 0,
        "shipping": 499,
        "total": 4497,
        "currency": "USD",
    }
    add_address(api, s.customer.access, country="GB", defaultShipping=True)
    assert cart(api, s.customer)["totals"]["tax"] == 800  # 20% of 3,998 = 799.6
    california = add_address(api, s.customer.access, country="US", region="CA")
    there = cart(api, s.customer, f"?addressId={california['addressId']}")
    assert there["items"][0]["tax"] == 290  # 7.25% of 3,998 = 289.855
    missing = api.get("/cart?addressId=adr_01JD0000000000000000000000", token=s.customer.access)
    problem(missing, 404, "address_not_found")


def test_lines_no_longer_sold_are_flagged_and_their_hold_released(api: LambdaApi) -> None:
    s = shop(api)
    lamp, desk = listed(api, s, stock=4), listed(api, s, stock=4, price=500)
    add(api, s.customer, lamp, 2)
    add(api, s.customer, desk, 1)
    assert api.delete(f"/products/{lamp}", token=s.seller.access).status in (200, 204)
    body = cart(api, s.customer)
    flags = {i["productId"]: i["flags"] for i in body["items"]}
    assert flags == {lamp: ["unavailable"], desk: []}
    assert body["totals"]["subtotal"] == 500
    assert inventory(api, s, lamp) == (4, 0)


def test_an_expired_hold_never_blocks_another_buyer(api: LambdaApi) -> None:
    """The scheduled sweep does not run here: the buyer who finds the product short
    releases the expired hold and gets the units."""
    s = shop(api)
    lamp = listed(api, s, stock=2)
    assert add(api, s.customer, lamp, 2).status == 200
    other = register_and_login(api)
    problem(add(api, other, lamp, 1), 409, "insufficient_stock")
    age_hold(s.customer.user_id, lamp)
    got = add(api, other, lamp, 2)
    assert got.status == 200, got.text
    assert inventory(api, s, lamp) == (0, 2)
    (line,) = cart(api, s.customer)["items"]
    assert (line["held"], line["holdUntil"]) == (0, None)
    assert set(line["flags"]) == {"hold_expired", "short"}
    again = problem(
        api.patch(f"/cart/items/{lamp}", json={"quantity": 2}, token=s.customer.access),
        409,
        "insufficient_stock",
    )
    assert again["available"] == 0


def test_with_holds_off_no_stock_moves(api: LambdaApi, holds_off: None) -> None:
    s = shop(api)
    lamp = listed(api, s, stock=2)
    added = add(api, s.customer, lamp, 3)
    assert added.status == 200, added.text
    (line,) = added.body["items"]
    assert (line["held"], line["holdUntil"], line["flags"]) == (0, None, ["short"])
    assert inventory(api, s, lamp) == (2, 0)
    assert add(api, register_and_login(api), lamp, 2).status == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "success"),
    [
        ("GET", "/cart", None, 200),
        ("POST", "/cart/items", {"productId": "{product}", "quantity": 1}, 200),
        ("PATCH", "/cart/items/{product}", {"quantity": 2}, 200),
        ("DELETE", "/cart/items/{product}", None, 204),
        ("DELETE", "/cart", None, 204),
    ],
)
def test_the_cart_routes_admit_customers_and_sellers_only(
    api: LambdaApi, method: str, path: str, body: dict[str, Any] | None, success: int
) -> None:
    """Anonymous callers get 401, admins 403 (and nothing changes); a customer and a
    seller each act on their own cart."""
    s = shop(api)
    lamp = listed(api, s)

    def call(who: Account | None) -> Any:
        sent = (
            None
            if body is None
            else {k: (lamp if v == "{product}" else v) for k, v in body.items()}
        )
        token = None if who is None else who.access
        return api.request(method, path.replace("{product}", lamp), json_body=sent, token=token)

    before = inventory(api, s, lamp)
    problem(call(None), 401, "token_missing")
    problem(call(s.admin), 403, "forbidden_role")
    assert inventory(api, s, lamp) == before
    for buyer in (s.customer, s.seller):
        if method != "POST":
            assert add(api, buyer, lamp, 1).status == 200
        answered = call(buyer)
        assert answered.status == success, answered.text
