"""What the buying tests over HTTP share: buyers, a listed product, checkout, polling."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.support.http_api import HttpApi

PASSWORD = "buyer-password"
ADDRESS = {
    "fullName": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postalCode": "SW1Y 4JH",
    "country": "GB",
}


def _tag() -> str:
    return uuid.uuid4().hex[:10]


def sign_up(http: HttpApi, name: str = "buyer") -> str:
    email = f"{name}-{_tag()}@example.com"
    registered = http.post(
        "/auth/register",
        json={"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Buyer"},
    )
    assert registered.status == 201, registered.text
    login = http.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status == 200, login.text
    return str(login.body["accessToken"])


def listed_product(http: HttpApi, admin_token: str, *, stock: int, price: int = 2500) -> str:
    """A seller's product, approved and stocked."""
    tag = _tag()
    category = http.post("/categories", json={"name": f"Buying {tag}"}, token=admin_token)
    assert category.status == 201, category.text
    email = f"seller-{tag}@example.com"
    assert (
        http.post(
            "/auth/register",
            json={"email": email, "password": PASSWORD, "firstName": "Sel", "lastName": "Ler"},
        ).status
        == 201
    )
    signed_in = http.post("/auth/login", json={"email": email, "password": PASSWORD}).body
    opened = http.post(
        "/sellers",
        json={"shopName": f"Shop {tag}", "contactEmail": email},
        token=signed_in["accessToken"],
    )
    assert opened.status == 201, opened.text
    seller = http.post("/auth/refresh", json={"refreshToken": signed_in["refreshToken"]}).body
    token = seller["accessToken"]
    created = http.post(
        "/products",
        json={
            "name": f"Teapot {tag}",
            "description": "Cast iron, holds a litre.",
            "price": {"amount": price, "currency": "USD"},
            "categoryId": category.body["categoryId"],
            "sku": f"POT-{tag}",
        },
        token=token,
    )
    assert created.status == 201, created.text
    product_id = str(created.body["productId"])
    assert http.post(f"/products/{product_id}/submit", token=token).status == 200
    approved = http.post(f"/admin/products/{product_id}/approve", token=admin_token)
    assert approved.status == 200, approved.text
    stocked = http.put(f"/products/{product_id}/inventory", json={"available": stock}, token=token)
    assert stocked.status == 200, stocked.text
    return product_id


def checkout(http: HttpApi, token: str, method: str = "pm_card_visa") -> Any:
    """A checkout as a careful client makes it: a request that got no answer of the API's
    own (the emulator's function timeout under load answers 200 with an error body) is
    sent again with the same Idempotency-Key, which is what the key is for."""
    key = _tag()
    for _ in range(3):
        placed = http.post(
            "/checkout",
            json={"shippingAddress": ADDRESS, "paymentMethod": method},
            token=token,
            headers={"Idempotency-Key": key},
        )
        try:
            body = placed.body if placed.status in (201, 409, 422) else None
        except ValueError:
            body = None
        if isinstance(body, dict) and ("orderId" in body or "code" in body):
            return placed
    return placed


def wait_for_status(
    http: HttpApi, token: str, order_id: str, status: str, timeout: float = 45
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        order = http.get(f"/orders/{order_id}", token=token)
        assert order.status == 200, order.text
        if order.body["status"] == status or time.monotonic() > deadline:
            assert order.body["status"] == status, order.body
            return order.body  # type: ignore[no-any-return]
        time.sleep(0.5)


def stock_of(http: HttpApi, admin_token: str, product_id: str) -> dict[str, Any]:
    inventory = http.get(f"/products/{product_id}/inventory", token=admin_token)
    assert inventory.status == 200, inventory.text
    return inventory.body  # type: ignore[no-any-return]


def race(
    http: HttpApi, product_id: str, buyers: list[str]
) -> list[tuple[int, int | None, str | None]]:
    """Each buyer adds one unit and checks out, ten at a time: (add, checkout, order id)."""

    def buy(token: str) -> tuple[int, int | None, str | None]:
        added = http.post("/cart/items", json={"productId": product_id, "quantity": 1}, token=token)
        if added.status != 200:
            return added.status, None, None
        placed = checkout(http, token)
        return added.status, placed.status, placed.body.get("orderId")

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(buy, buyers))
