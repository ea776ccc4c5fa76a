"""Buying over real HTTP, through `serverless offline`, the embedded AWS, the table's
stream and the checkout state machine: a buyer fills a cart, checks out, the machine
charges the test card and confirms the order, an admin ships and delivers it, and the
buyer reviews what they bought; a declined card ends `payment_failed` with its stock back;
twenty buyers racing for five units leave exactly five orders and exact stock."""

from __future__ import annotations

from tests.e2e.buying import checkout, listed_product, race, sign_up, stock_of, wait_for_status
from tests.support.http_api import HttpApi


def test_buy_ship_deliver_review(http: HttpApi, admin_token: str) -> None:
    product_id = listed_product(http, admin_token, stock=3)
    buyer = sign_up(http)

    added = http.post("/cart/items", json={"productId": product_id, "quantity": 2}, token=buyer)
    assert added.status == 200, added.text
    cart = http.get("/cart", token=buyer)
    assert cart.status == 200, cart.text
    assert [line["quantity"] for line in cart.body["items"]] == [2]
    assert cart.body["totals"]["subtotal"] == 5000

    placed = checkout(http, buyer)
    assert placed.status == 201, placed.text
    order_id = placed.body["orderId"]
    assert placed.body["status"] == "pending_payment"

    confirmed = wait_for_status(http, buyer, order_id, "confirmed")
    assert [h["newStatus"] for h in confirmed["history"]][:2] == ["pending_payment", "confirmed"]
    assert stock_of(http, admin_token, product_id)["available"] == 1
    assert http.get("/cart", token=buyer).body["items"] == []

    shipped = http.post(
        f"/admin/orders/{order_id}/ship",
        json={"carrier": "Royal Mail", "trackingNumber": "RM123456789GB"},
        token=admin_token,
    )
    assert shipped.status == 200, shipped.text
    assert shipped.body["status"] == "shipped"
    delivered = http.post(f"/admin/orders/{order_id}/deliver", token=admin_token)
    assert delivered.status == 200, delivered.text

    review = http.put(
        f"/products/{product_id}/reviews/me",
        json={"rating": 5, "title": "Pours well", "text": "No drips at all."},
        token=buyer,
    )
    assert review.status in (200, 201), review.text
    stranger = sign_up(http, "stranger")
    refused = http.put(
        f"/products/{product_id}/reviews/me",
        json={"rating": 1, "title": "Never bought it", "text": "But I have opinions."},
        token=stranger,
    )
    assert refused.status in (403, 409, 422), refused.text


def test_declined_card_ends_payment_failed_with_stock_back(http: HttpApi, admin_token: str) -> None:
    product_id = listed_product(http, admin_token, stock=2)
    buyer = sign_up(http)
    added = http.post("/cart/items", json={"productId": product_id, "quantity": 2}, token=buyer)
    assert added.status == 200, added.text
    assert stock_of(http, admin_token, product_id)["available"] == 0  # held in the cart

    placed = checkout(http, buyer, "pm_card_chargeDeclined")
    assert placed.status == 201, placed.text
    failed = wait_for_status(http, buyer, placed.body["orderId"], "payment_failed")
    assert failed["status"] == "payment_failed"
    stock = stock_of(http, admin_token, product_id)
    assert (stock["available"], stock["reserved"]) == (2, 0)


def test_twenty_buyers_race_for_five_units(http: HttpApi, admin_token: str) -> None:
    product_id = listed_product(http, admin_token, stock=5)
    results = race(http, product_id, [sign_up(http, f"racer{i}") for i in range(20)])

    orders = [order_id for _, status, order_id in results if status == 201]
    assert len(orders) == 5, results
    # everyone else was told the stock was short: at the cart (holds) or at checkout
    refused = [r for r in results if r[1] != 201]
    assert all(r[0] == 409 or r[1] == 409 for r in refused), refused
    stock = stock_of(http, admin_token, product_id)
    assert stock["available"] == 0
    assert stock["reserved"] + stock.get("sold", 0) == 5
