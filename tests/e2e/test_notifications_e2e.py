"""Notifications over HTTP against the local stack (serverless offline, the embedded AWS,
the checkout machine, the outbox relay and the filtered notifications queue): what a
checkout, a shipment and a sale past the low-stock threshold put in the outbox."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tests.e2e.buying import checkout, listed_product, sign_up, wait_for_status
from tests.support.http_api import HttpApi

SHIP = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784"}
Outbox = Callable[..., list[dict[str, Any]]]


def _paid(http: HttpApi, admin_token: str, stock: int, quantity: int) -> tuple[str, str, str]:
    product_id = listed_product(http, admin_token, stock=stock)
    buyer = sign_up(http)
    added = http.post(
        "/cart/items", json={"productId": product_id, "quantity": quantity}, token=buyer
    )
    assert added.status == 200, added.text
    placed = checkout(http, buyer)
    assert placed.status == 201, placed.text
    order_id = str(placed.body["orderId"])
    wait_for_status(http, buyer, order_id, "confirmed")
    return product_id, buyer, order_id


def _mails(outbox: Outbox, to: str, subject: str) -> list[dict[str, Any]]:
    def found(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            m
            for m in sent
            if any(to in address for address in m["to"]) and subject in (m["subject"] or "")
        ]

    return found(outbox(until=lambda sent: bool(found(sent)), timeout=30))


def _listed(http: HttpApi, token: str, template: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        items = http.get("/me/notifications", token=token).body["items"]
        mine = [n for n in items if n["template"] == template and n["status"] == "sent"]
        if mine or time.monotonic() > deadline:
            assert mine, items
            return mine[0]  # type: ignore[no-any-return]
        time.sleep(0.5)


def test_a_checkout_mails_the_confirmation_and_shipping_the_tracking(
    http: HttpApi, admin_token: str, outbox: Outbox
) -> None:
    _product_id, buyer, order_id = _paid(http, admin_token, stock=20, quantity=1)
    email = http.get("/me", token=buyer).body["email"]
    (confirmation,) = _mails(outbox, email, f"Your order {order_id} is confirmed")
    assert "Shipping to:" in confirmation["text"]
    record = _listed(http, buyer, "order_confirmed")
    assert record["channel"] == "email"
    assert record["eventId"].startswith("evt_")

    shipped = http.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=admin_token)
    assert shipped.status == 200, shipped.text
    (mail,) = _mails(outbox, email, f"Your order {order_id} is on its way")
    assert "1Z999AA10123456784" in mail["text"]
    assert _listed(http, buyer, "order_shipped")["status"] == "sent"


def test_a_sale_past_the_threshold_mails_the_seller(
    http: HttpApi, admin_token: str, outbox: Outbox
) -> None:
    product_id, _buyer, _order_id = _paid(http, admin_token, stock=6, quantity=2)  # 6 -> 4
    name = http.get(f"/products/{product_id}").body["name"]
    (mail,) = _mails(outbox, "@example.com", f"{name} is running low")
    assert "<strong>4</strong> left" in mail["text"]
