"""Saved cards over real HTTP (serverless offline, the embedded AWS, the checkout state
machine, the local test-mode card vault and provider): a buyer starts a setup, confirms it
with a test card through the stand-in for Stripe.js, saves the card, checks out paying
with the saved card's id, and the machine charges it (with the buyer's customer) and
confirms the order. Then the card is removed, and a checkout with it is declined."""

from __future__ import annotations

from tests.e2e.buying import checkout, listed_product, sign_up, wait_for_status
from tests.support.http_api import HttpApi


def test_save_a_card_then_pay_with_it(http: HttpApi, admin_token: str) -> None:
    product_id = listed_product(http, admin_token, stock=3)
    buyer = sign_up(http)

    started = http.post("/me/payment-methods/setup", token=buyer)
    assert started.status == 201, started.text
    seti = started.body["setupIntentId"]
    assert started.body["clientSecret"].startswith(f"{seti}_secret_")

    confirmed = http.post(
        f"/payments/test/setup-intents/{seti}/confirm", json={"paymentMethod": "pm_card_amex"}
    )
    assert confirmed.status == 200, confirmed.text
    assert confirmed.body["status"] == "succeeded"

    saved = http.post("/me/payment-methods", json={"setupIntentId": seti}, token=buyer)
    assert saved.status == 201, saved.text
    card = saved.body
    assert (card["brand"], card["last4"], card["isDefault"]) == ("amex", "8431", True)
    listed = http.get("/me/payment-methods", token=buyer)
    assert listed.status == 200, listed.text
    assert listed.body["items"] == [card]

    added = http.post("/cart/items", json={"productId": product_id, "quantity": 1}, token=buyer)
    assert added.status == 200, added.text
    placed = checkout(http, buyer, card["id"])
    assert placed.status == 201, placed.text
    order = wait_for_status(http, buyer, placed.body["orderId"], "confirmed")
    assert [h["newStatus"] for h in order["history"]][:2] == ["pending_payment", "confirmed"]

    removed = http.delete(f"/me/payment-methods/{card['id']}", token=buyer)
    assert removed.status == 204, removed.text
    assert http.get("/me/payment-methods", token=buyer).body["items"] == []
    added = http.post("/cart/items", json={"productId": product_id, "quantity": 1}, token=buyer)
    assert added.status == 200, added.text
    placed = checkout(http, buyer, card["id"])  # a detached card: the provider declines it
    assert placed.status == 201, placed.text
    wait_for_status(http, buyer, placed.body["orderId"], "payment_failed")
