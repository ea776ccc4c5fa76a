"""Steps the catalogue tests share: a category tree, a seller, products in each state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.integration.helpers import Account, make_admin, register_and_login
from tests.support.lambda_api import LambdaApi

USD = "USD"


def money(amount: int, currency: str = USD) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def create_category(api: LambdaApi, admin: Account, name: str, parent: str | None = None) -> str:
    body: dict[str, Any] = {"name": name}
    if parent:
        body["parentId"] = parent
    response = api.post("/categories", json=body, token=admin.access)
    assert response.status == 201, response.text
    return str(response.body["categoryId"])


def become_seller(api: LambdaApi, shop: str = "Shop") -> Account:
    """A new customer who opens a shop; returned with a token that carries the role."""
    customer = register_and_login(api)
    opened = api.post(
        "/sellers", json={"shopName": shop, "contactEmail": customer.email}, token=customer.access
    )
    assert opened.status == 201, opened.text
    refreshed = api.post("/auth/refresh", json={"refreshToken": customer.refresh})
    assert refreshed.status == 200, refreshed.text
    assert refreshed.body["role"] == "seller"
    customer.access = refreshed.body["accessToken"]
    customer.refresh = refreshed.body["refreshToken"]
    customer.role = "seller"
    return customer


def product_body(
    category_id: str, *, sku: str = "SKU-1", price: int = 1999, **extra: Any
) -> dict[str, Any]:
    return {
        "name": extra.pop("name", "Walnut desk lamp"),
        "description": "A warm lamp for a cold desk.",
        "price": money(price),
        "categoryId": category_id,
        "sku": sku,
        **extra,
    }


def create_product(
    api: LambdaApi, seller: Account, category_id: str, **fields: Any
) -> dict[str, Any]:
    response = api.post("/products", json=product_body(category_id, **fields), token=seller.access)
    assert response.status == 201, response.text
    return response.body  # type: ignore[no-any-return]


def activate(
    api: LambdaApi, seller: Account, admin: Account, product_id: str, stock: int = 10
) -> None:
    submitted = api.post(f"/products/{product_id}/submit", token=seller.access)
    assert submitted.status == 200, submitted.text
    approved = api.post(f"/admin/products/{product_id}/approve", token=admin.access)
    assert approved.status == 200, approved.text
    stocked = api.put(
        f"/products/{product_id}/inventory", json={"available": stock}, token=seller.access
    )
    assert stocked.status == 200, stocked.text


@dataclass
class Shop:
    admin: Account
    seller: Account
    customer: Account
    root: str
    child: str


def shop(api: LambdaApi) -> Shop:
    admin = make_admin(api)
    root = create_category(api, admin, "Home")
    child = create_category(api, admin, "Lighting", parent=root)
    return Shop(
        admin=admin,
        seller=become_seller(api),
        customer=register_and_login(api),
        root=root,
        child=child,
    )
