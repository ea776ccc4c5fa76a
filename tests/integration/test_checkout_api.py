"""POST /checkout through the in-process API, against the embedded AWS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.helpers import add_address, problem, register_and_login
from tests.integration.order_helpers import (
    ADDRESS,
    Market,
    cart_of,
    checkout_body,
    market,
    new_key,
    place,
    put_cart_line,
    stock_of,
)
from tests.support.lambda_api import LambdaApi

ORDER_KEYS = {
    "orderId", "userId", "status", "lines", "totals", "shippingAddress", "payment", "shipment",
    "cancelReason", "history", "createdAt", "updatedAt",
}  # fmt: skip


@pytest.fixture
def m(api: LambdaApi) -> Market:
    return market(api)


def table_items() -> list[dict[str, Any]]:
    from tests.integration.bad_input.cases import table_items as everything

    return everything()


def test_checkout_holds_off_takes_the_stock_and_clears_the_cart(api: LambdaApi, m: Market) -> None:
    lamp, bulb = m.product(api, stock=5, price=1500), m.product(api, stock=10, price=250)
    put_cart_line(m.buyer.user_id, lamp, 2, price=1500)
    put_cart_line(m.buyer.user_id, bulb, 4, price=250)

    response = place(api, m.buyer)

    assert response.status == 201, response.text
    body = response.body
    assert set(body) == ORDER_KEYS
    assert response.header("Location") == f"/orders/{body['orderId']}"
    assert body["status"] == "pending_payment"
    assert body["payment"]["status"] == "pending"
    assert body["payment"]["method"] == "pm_card_visa"
    assert body["userId"] == m.buyer.user_id
    # GB: 20 % per line; 4000 is under the 5000 free-shipping threshold: 499 shipping
    assert body["totals"] == {
        "subtotal": {"amount": 4000, "currency": "USD"},
        "tax": {"amount": 800, "currency": "USD"},
        "shipping": {"amount": 499, "currency": "USD"},
        "total": {"amount": 5299, "currency": "USD"},
    }
    assert {
        (line["productId"], line["quantity"], line["unitPrice"]["amount"]) for line in body["lines"]
    } == {
        (lamp, 2, 1500),
        (bulb, 4, 250),
    }
    assert body["shippingAddress"]["fullName"] == ADDRESS["fullName"]
    assert [(h["oldStatus"], h["newStatus"], h["actorId"]) for h in body["history"]] == [
        (None, "pending_payment", m.buyer.user_id)
    ]
    assert stock_of(lamp) == (3, 2, 0)
    assert stock_of(bulb) == (6, 4, 0)
    assert cart_of(m.buyer.user_id) == []
    shown = api.get(f"/orders/{body['orderId']}", token=m.buyer.access)
    assert shown.status == 200
    assert shown.body == body


def test_checkout_holds_on_converts_the_cart_hold(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 3, price=1999, held=3)
    assert stock_of(lamp) == (2, 3, 0)

    assert place(api, m.buyer).status == 201

    assert stock_of(lamp) == (2, 3, 0)  # the cart's hold is now the order's
    from repositories import keys
    from repositories.buying.items import ReservationItem

    (reservation,) = ReservationItem.gsi4.query(keys.holds_pk(lamp))
    assert reservation.quantity == 3
    assert reservation.GSI4SK.endswith("#ORDER#" + reservation.order_id)


def test_a_saved_address_is_used_and_snapshotted(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    address = add_address(
        api,
        m.buyer.access,
        fullName="Grace Hopper",
        country="US",
        region="CA",
        city="Los Angeles",
        postalCode="90001",
    )
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    response = place(
        api, m.buyer, body={"addressId": address["addressId"], "paymentMethod": "pm_card_visa"}
    )
    assert response.status == 201, response.text
    assert response.body["shippingAddress"]["fullName"] == "Grace Hopper"
    assert response.body["totals"]["tax"]["amount"] == 145  # 1999 at 7.25 % = 144.93 -> 145


def test_someone_elses_address_is_not_found(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    stranger = register_and_login(api)
    theirs = add_address(api, stranger.access)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    before = table_items()
    response = place(
        api, m.buyer, body={"addressId": theirs["addressId"], "paymentMethod": "pm_card_visa"}
    )
    problem(response, 404, "address_not_found")
    assert table_items() == before


# -- refusals ---------------------------------------------------------------------------------


def refused(api: LambdaApi, m: Market, status: int, code: str, **kw: Any) -> dict[str, Any]:
    before = table_items()
    body = problem(place(api, m.buyer, **kw), status, code)
    assert table_items() == before, "a refused checkout wrote something"
    return body


def test_an_empty_cart_is_422(api: LambdaApi, m: Market) -> None:
    refused(api, m, 422, "empty_cart")


def test_a_product_no_longer_sold_is_409_listing_it(api: LambdaApi, m: Market) -> None:
    lamp, bulb = m.product(api), m.product(api)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    put_cart_line(m.buyer.user_id, bulb, 1, price=1999)
    assert api.delete(f"/products/{lamp}", token=m.seller.access).status == 200  # archived
    body = refused(api, m, 409, "products_unavailable")
    assert body["products"] == [lamp]


def test_a_changed_price_is_409_listing_the_new_price(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, price=1999)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1799)  # seen before a price rise
    body = refused(api, m, 409, "price_changed")
    assert body["prices"] == [
        {
            "productId": lamp,
            "price": {"amount": 1999, "currency": "USD"},
            "priceSeen": {"amount": 1799, "currency": "USD"},
        }
    ]


def test_a_short_line_is_409_naming_what_is_left(api: LambdaApi, m: Market) -> None:
    lamp, bulb = m.product(api, stock=2), m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 3, price=1999)
    put_cart_line(m.buyer.user_id, bulb, 1, price=1999)
    body = refused(api, m, 409, "insufficient_stock")
    assert body["lines"] == [{"productId": lamp, "requested": 3, "available": 2}]
    assert stock_of(lamp) == (2, 0, 0)


def test_too_many_unpaid_orders(api: LambdaApi, m: Market) -> None:
    from adapters.settings import settings

    lamp = m.product(api, stock=50)
    for _ in range(settings().MAX_OPEN_UNPAID_ORDERS):
        put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
        assert place(api, m.buyer).status == 201
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    body = refused(api, m, 409, "too_many_unpaid_orders")
    assert body["limit"] == settings().MAX_OPEN_UNPAID_ORDERS
    # cancelling one makes room
    first = api.get("/orders", token=m.buyer.access).body["items"][-1]["orderId"]
    assert api.post(f"/orders/{first}/cancel", token=m.buyer.access).status == 200
    assert place(api, m.buyer).status == 201


def test_admins_do_not_check_out(api: LambdaApi, m: Market) -> None:
    response = api.post(
        "/checkout",
        json=checkout_body(),
        token=m.admin.access,
        headers={"idempotency-key": new_key()},
    )
    problem(response, 403, "forbidden_role")


def test_without_an_idempotency_key_it_is_428(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    before = table_items()
    response = api.post("/checkout", json=checkout_body(), token=m.buyer.access)
    problem(response, 428, "idempotency_key_required")
    assert table_items() == before


# -- idempotency ------------------------------------------------------------------------------


def test_a_replay_answers_201_with_the_same_order_and_writes_nothing(
    api: LambdaApi, m: Market
) -> None:
    lamp = m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 2, price=1999)
    first = place(api, m.buyer, key="same-key")
    assert first.status == 201
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)  # a new cart: the replay must not buy it
    before = table_items()

    again = place(api, m.buyer, key="same-key")

    assert again.status == 201
    assert again.body == first.body
    assert again.header("Location") == first.header("Location")
    assert table_items() == before
    assert stock_of(lamp) == (3, 2, 0)


def test_the_same_key_with_another_body_is_422(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    assert place(api, m.buyer, key="k").status == 201
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    refused(
        api,
        m,
        422,
        "idempotency_key_reused",
        key="k",
        body=checkout_body(paymentMethod="pm_card_chargeDeclined"),
    )


def test_a_key_is_the_callers_own(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    other = register_and_login(api)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    put_cart_line(other.user_id, lamp, 1, price=1999)
    a, b = place(api, m.buyer, key="shared"), place(api, other, key="shared")
    assert a.status == b.status == 201
    assert a.body["orderId"] != b.body["orderId"]


def test_two_concurrent_requests_with_one_key_make_one_order(
    api: LambdaApi, m: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of a race read no record (the winner had not committed yet) and the same
    cart; its transaction then fails on the winner's writes (the cart lines it deletes,
    the record it puts) and it answers with the winner's order.

    Threads against moto in-process are not a faithful race (moto is not atomic under
    concurrent requests: docs/architecture.md, "Local stack"), so the interleaving is made
    exact instead: the winner commits between the loser's idempotency read and its
    transaction. Everything else is the real handler against the real table."""
    from handlers.checkout import place_order as handler

    lamp = m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 2, price=1999)
    store = handler.orders
    real_read = store.idempotency_record
    winner: dict[str, Any] = {}

    def read_then_lose_the_race(user_id: str, key: str, now: Any) -> Any:
        monkeypatch.setattr(store, "idempotency_record", real_read)
        winner["response"] = place(api, m.buyer, key="race")  # commits first
        put_cart_line(m.buyer.user_id, lamp, 2, price=1999)  # what the loser had read
        return None  # the loser saw no record

    monkeypatch.setattr(store, "idempotency_record", read_then_lose_the_race)
    loser = place(api, m.buyer, key="race")

    assert winner["response"].status == 201
    assert loser.status == 201, loser.text
    assert loser.body["orderId"] == winner["response"].body["orderId"]
    listed = api.get("/orders", token=m.buyer.access).body["items"]
    assert [o["orderId"] for o in listed] == [loser.body["orderId"]]
    assert stock_of(lamp) == (3, 2, 0)


# -- expired holds (issue 16) ----------------------------------------------------------------


def test_a_short_checkout_releases_expired_holds_first(
    api: LambdaApi, m: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the port: the cart area's release is wired at merge; here a releaser that
    frees the expired hold of another cart (as ``release_expired`` does) is put in."""
    from handlers.checkout import place_order as handler
    from repositories import keys
    from repositories.buying.items import CartLineItem
    from repositories.catalog.items import InventoryItem

    lamp = m.product(api, stock=3)
    other = register_and_login(api)
    put_cart_line(other.user_id, lamp, 3, price=1999, held=3, hold_minutes=-1)  # lapsed
    put_cart_line(m.buyer.user_id, lamp, 2, price=1999)
    released: list[str] = []

    class Releaser:
        def release_expired(self, product_id: str, now: Any) -> int:
            released.append(product_id)
            line = CartLineItem.get(keys.cart_pk(other.user_id), keys.cart_line_sk(product_id))
            line.update(actions=[CartLineItem.held.set(0), CartLineItem.hold_until.remove()])
            InventoryItem(keys.product_pk(product_id), keys.INVENTORY).update(
                actions=[InventoryItem.reserved.add(-3), InventoryItem.available.add(3)]
            )
            return 3

    monkeypatch.setattr(handler, "holds", Releaser())
    response = place(api, m.buyer)

    assert response.status == 201, response.text
    assert released == [lamp]
    assert stock_of(lamp) == (1, 2, 0)
