"""Orders after checkout through the in-process API: reads, moves and their stock."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.helpers import problem, register_and_login
from tests.integration.order_helpers import Market, market, pay, place, put_cart_line, stock_of
from tests.support.lambda_api import LambdaApi, query

SHIP = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784", "estimatedDelivery": "2026-12-04"}


@pytest.fixture
def m(api: LambdaApi) -> Market:
    return market(api)


def order_of(api: LambdaApi, m: Market, product_id: str, quantity: int = 2, who: Any = None) -> str:
    buyer = who or m.buyer
    put_cart_line(buyer.user_id, product_id, quantity, price=1999)
    response = place(api, buyer)
    assert response.status == 201, response.text
    return str(response.body["orderId"])


def table_items() -> list[dict[str, Any]]:
    from tests.integration.bad_input.cases import table_items as everything

    return everything()


# -- reading ----------------------------------------------------------------------------------


def test_my_orders_newest_first_a_page_at_a_time(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=50)
    made = [order_of(api, m, lamp, 1) for _ in range(3)]
    for n in made[:2]:
        pay(n)  # room under the unpaid cap
    someone = register_and_login(api)
    order_of(api, m, lamp, 1, who=someone)

    first = api.get("/orders?" + query(limit=2), token=m.buyer.access)
    assert first.status == 200, first.text
    assert [o["orderId"] for o in first.body["items"]] == made[::-1][:2]
    assert set(first.body["items"][0]) == {
        "orderId",
        "userId",
        "status",
        "total",
        "items",
        "createdAt",
        "updatedAt",
    }
    second = api.get(
        "/orders?" + query(limit=2, cursor=first.body["nextCursor"]), token=m.buyer.access
    )
    assert [o["orderId"] for o in second.body["items"]] == [made[0]]
    assert second.body["nextCursor"] is None


def test_another_users_order_is_404_and_an_admin_sees_it(api: LambdaApi, m: Market) -> None:
    order_id = order_of(api, m, m.product(api))
    stranger = register_and_login(api)
    problem(api.get(f"/orders/{order_id}", token=stranger.access), 404, "order_not_found")
    problem(api.post(f"/orders/{order_id}/cancel", token=stranger.access), 404, "order_not_found")
    problem(api.get(f"/orders/{order_id}", token=m.seller.access), 404, "order_not_found")
    shown = api.get(f"/orders/{order_id}", token=m.admin.access)
    assert shown.status == 200
    assert shown.body["userId"] == m.buyer.user_id


def test_a_cursor_of_another_list_is_404(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=50)
    for _ in range(2):
        pay(order_of(api, m, lamp, 1))
    page = api.get("/orders?limit=1", token=m.buyer.access).body
    stranger = register_and_login(api)
    problem(
        api.get("/orders?" + query(cursor=page["nextCursor"]), token=stranger.access),
        404,
        "cursor_not_found",
    )


# -- the buyer cancels ------------------------------------------------------------------------


def test_cancel_while_unpaid_releases_the_hold(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order_id = order_of(api, m, lamp, 2)
    assert stock_of(lamp) == (3, 2, 0)
    response = api.post(f"/orders/{order_id}/cancel", token=m.buyer.access)
    assert response.status == 200, response.text
    body = response.body
    assert body["status"] == "cancelled"
    assert body["cancelReason"] == "cancelled by the customer"
    assert body["payment"]["status"] == "not_charged"
    assert body["history"][-1]["oldStatus"] == "pending_payment"
    assert body["history"][-1]["actorId"] == m.buyer.user_id
    assert stock_of(lamp) == (5, 0, 0)
    from repositories import keys
    from repositories.buying.items import ReservationItem

    assert list(ReservationItem.gsi4.query(keys.holds_pk(lamp))) == []


def test_cancel_after_payment_restocks_and_owes_a_refund(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order_id = order_of(api, m, lamp, 2)
    pay(order_id)
    assert stock_of(lamp) == (3, 0, 2)
    body = api.post(f"/orders/{order_id}/cancel", token=m.buyer.access).body
    assert body["status"] == "cancelled"
    assert body["payment"]["status"] == "refund_owed"
    assert body["payment"]["refundOwed"] == body["totals"]["total"]
    assert stock_of(lamp) == (5, 0, 0)


def test_no_cancel_after_shipping_names_the_status(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order_id = order_of(api, m, lamp, 2)
    pay(order_id)
    assert api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access).status == 200
    before = table_items()
    body = problem(
        api.post(f"/orders/{order_id}/cancel", token=m.buyer.access), 409, "invalid_transition"
    )
    assert body["currentStatus"] == "shipped"
    body = problem(
        api.post(f"/admin/orders/{order_id}/cancel", json={"reason": "late"}, token=m.admin.access),
        409,
        "invalid_transition",
    )
    assert body["currentStatus"] == "shipped"
    assert table_items() == before
    assert stock_of(lamp) == (3, 0, 2)


# -- the admin ------------------------------------------------------------------------------


def test_ship_deliver_and_the_buyer_may_review(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order_id = order_of(api, m, lamp, 1)
    review = {"rating": 5, "title": "Lovely", "text": "Warm light."}
    problem(
        api.put(f"/products/{lamp}/reviews/me", json=review, token=m.buyer.access),
        403,
        "verified_buyer_required",
    )
    body = problem(
        api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access),
        409,
        "invalid_transition",
    )
    assert body["currentStatus"] == "pending_payment"
    pay(order_id)

    shipped = api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access)
    assert shipped.status == 200, shipped.text
    assert shipped.body["shipment"] == SHIP
    problem(
        api.put(f"/products/{lamp}/reviews/me", json=review, token=m.buyer.access),
        403,
        "verified_buyer_required",
    )
    delivered = api.post(f"/admin/orders/{order_id}/deliver", token=m.admin.access)
    assert delivered.status == 200, delivered.text
    assert [h["newStatus"] for h in delivered.body["history"]] == [
        "pending_payment",
        "confirmed",
        "shipped",
        "delivered",
    ]
    assert delivered.body["history"][-1]["actorId"] == m.admin.user_id
    assert stock_of(lamp) == (4, 0, 1)

    written = api.put(f"/products/{lamp}/reviews/me", json=review, token=m.buyer.access)
    assert written.status == 200, written.text
    other = register_and_login(api)
    problem(
        api.put(f"/products/{lamp}/reviews/me", json=review, token=other.access),
        403,
        "verified_buyer_required",
    )


def test_admin_cancel_with_a_reason(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order_id = order_of(api, m, lamp, 2)
    response = api.post(
        f"/admin/orders/{order_id}/cancel", json={"reason": "Suspected fraud"}, token=m.admin.access
    )
    assert response.status == 200, response.text
    assert response.body["cancelReason"] == "Suspected fraud"
    assert response.body["history"][-1]["reason"] == "Suspected fraud"
    assert stock_of(lamp) == (5, 0, 0)
    again = api.post(
        f"/admin/orders/{order_id}/cancel", json={"reason": "twice"}, token=m.admin.access
    )
    assert problem(again, 409, "invalid_transition")["currentStatus"] == "cancelled"


def test_admin_lists_by_status_and_by_days(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=50)
    a, b = order_of(api, m, lamp, 1), order_of(api, m, lamp, 1)
    pay(b)
    admin = m.admin.access

    def listed(**params: Any) -> list[str]:
        response = api.get("/admin/orders?" + query(**params), token=admin)
        assert response.status == 200, response.text
        return [o["orderId"] for o in response.body["items"]]

    assert listed(status="pending_payment") == [a]
    assert listed(status="confirmed") == [b]
    assert listed() == [b, a]
    from domain.clock import utcnow

    today = utcnow().date().isoformat()
    assert listed(**{"from": today, "to": today}) == [b, a]
    assert listed(**{"from": today, "to": today, "status": "confirmed"}) == [b]
    assert listed(**{"from": "2020-01-01", "to": "2020-01-31"}) == []
    assert listed(**{"from": today, "to": "2020-01-31"}) == []  # a range that ends before it starts
    first = api.get("/admin/orders?limit=1", token=admin).body
    rest = api.get("/admin/orders?" + query(limit=1, cursor=first["nextCursor"]), token=admin).body
    assert [o["orderId"] for o in first["items"] + rest["items"]] == [b, a]


# -- the seller -----------------------------------------------------------------------------


def test_sellers_see_the_lines_of_their_products_in_paid_orders(api: LambdaApi, m: Market) -> None:
    from tests.integration.catalog_helpers import activate, become_seller, create_product

    lamp = m.product(api, stock=5)
    rival = become_seller(api, "Rival")
    theirs = create_product(api, rival, m.category_id, sku="RIVAL-1", price=500)["productId"]
    activate(api, rival, m.admin, theirs, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 2, price=1999)
    put_cart_line(m.buyer.user_id, theirs, 1, price=500)
    order_id = place(api, m.buyer).body["orderId"]
    unpaid = order_of(api, m, lamp, 1)

    assert api.get("/sellers/me/orders", token=m.seller.access).body["items"] == []
    pay(order_id)

    mine = api.get("/sellers/me/orders", token=m.seller.access)
    assert mine.status == 200, mine.text
    (entry,) = mine.body["items"]
    assert entry["orderId"] == order_id
    assert entry["status"] == "confirmed"
    assert [(line["productId"], line["quantity"]) for line in entry["lines"]] == [(lamp, 2)]
    assert entry["shippingAddress"]["fullName"] == "Ada Lovelace"
    (other,) = api.get("/sellers/me/orders", token=rival.access).body["items"]
    assert [line["productId"] for line in other["lines"]] == [theirs]
    assert unpaid not in {e["orderId"] for e in mine.body["items"]}

    assert api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access).status == 200
    (entry,) = api.get("/sellers/me/orders", token=m.seller.access).body["items"]
    assert entry["status"] == "shipped"


def test_customers_and_admins_have_no_seller_orders(api: LambdaApi, m: Market) -> None:
    problem(api.get("/sellers/me/orders", token=m.buyer.access), 403, "forbidden_role")
    problem(api.get("/sellers/me/orders", token=m.admin.access), 403, "forbidden_role")
