"""The shop's numbers over HTTP against the local stack: a checkout goes through the
machine, the table's stream, publishEvents, SNS and the analytics queue to recordEvent,
and within seconds the day's numbers (an admin's) and the seller's own show the order."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.e2e.buying import PASSWORD, checkout, sign_up, wait_for_status
from tests.support.http_api import HttpApi


def _seller_with_product(http: HttpApi, admin_token: str, price: int) -> tuple[str, str]:
    """(the seller's token, an approved and stocked product of theirs)."""
    tag = uuid.uuid4().hex[:10]
    category = http.post("/categories", json={"name": f"Numbers {tag}"}, token=admin_token)
    assert category.status == 201, category.text
    email = f"numbers-{tag}@example.com"
    body = {"email": email, "password": PASSWORD, "firstName": "Sel", "lastName": "Ler"}
    assert http.post("/auth/register", json=body).status == 201
    signed_in = http.post("/auth/login", json={"email": email, "password": PASSWORD}).body
    shop = {"shopName": f"Shop {tag}", "contactEmail": email}
    assert http.post("/sellers", json=shop, token=signed_in["accessToken"]).status == 201
    token = http.post("/auth/refresh", json={"refreshToken": signed_in["refreshToken"]}).body[
        "accessToken"
    ]
    product = {
        "name": f"Kettle {tag}",
        "description": "Copper, whistles.",
        "price": {"amount": price, "currency": "USD"},
        "categoryId": category.body["categoryId"],
        "sku": f"KET-{tag}",
    }
    created = http.post("/products", json=product, token=token)
    assert created.status == 201, created.text
    product_id = str(created.body["productId"])
    assert http.post(f"/products/{product_id}/submit", token=token).status == 200
    approved = http.post(f"/admin/products/{product_id}/approve", token=admin_token)
    assert approved.status == 200, approved.text
    stocked = http.put(f"/products/{product_id}/inventory", json={"available": 5}, token=token)
    assert stocked.status == 200, stocked.text
    return token, product_id


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _shop_today(http: HttpApi, admin_token: str) -> dict[str, Any]:
    day = _today()
    shown = http.get(f"/admin/metrics?from={day}&to={day}", token=admin_token)
    assert shown.status == 200, shown.text
    return dict(shown.body["totals"])


def _usd(numbers: dict[str, Any]) -> dict[str, Any]:
    return next((m for m in numbers["money"] if m["currency"] == "USD"), {"revenue": 0})


def test_a_checkout_shows_in_the_days_numbers_and_the_sellers_own(
    http: HttpApi, admin_token: str
) -> None:
    seller, product_id = _seller_with_product(http, admin_token, price=1250)
    before = _shop_today(http, admin_token)
    buyer = sign_up(http)
    added = http.post("/cart/items", json={"productId": product_id, "quantity": 2}, token=buyer)
    assert added.status == 200, added.text
    placed = checkout(http, buyer)
    assert placed.status == 201, placed.text
    order = wait_for_status(http, buyer, placed.body["orderId"], "confirmed")
    total = order["totals"]["total"]["amount"]

    deadline = time.monotonic() + 20
    while True:
        now = _shop_today(http, admin_token)
        if now["ordersPaid"] > before["ordersPaid"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert now["ordersPaid"] >= before["ordersPaid"] + 1
    assert now["ordersPlaced"] >= before["ordersPlaced"] + 1
    assert _usd(now)["revenue"] >= _usd(before)["revenue"] + total

    day = _today()
    mine = http.get(f"/sellers/me/metrics?from={day}&to={day}", token=seller)
    assert mine.status == 200, mine.text
    assert mine.body["totals"]["money"] == [
        {"currency": "USD", "orders": 1, "units": 2, "revenue": 2 * 1250}
    ]
    assert mine.body["totals"]["products"] == [{"productId": product_id, "units": 2}]

    logged = http.get(f"/admin/events?date={day}&limit=100", token=admin_token)
    assert logged.status == 200, logged.text
    assert all("email" not in e["data"] for e in logged.body["items"])
