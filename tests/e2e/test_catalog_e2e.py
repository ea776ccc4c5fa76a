"""The catalogue over real HTTP: a customer opens a shop, lists a product with a photo
uploaded straight to the bucket, an admin approves it, and an anonymous shopper finds it
by category and price and sees its stock."""

from __future__ import annotations

import uuid

import requests

from tests.support.http_api import HttpApi

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_seller_lists_admin_approves_shopper_finds(http: HttpApi, admin_token: str) -> None:
    tag = uuid.uuid4().hex[:8]
    home = http.post("/categories", json={"name": f"Home {tag}"}, token=admin_token)
    assert home.status == 201, home.text
    lamps = http.post(
        "/categories",
        json={"name": f"Lamps {tag}", "parentId": home.body["categoryId"]},
        token=admin_token,
    )
    assert lamps.status == 201, lamps.text

    email = f"maker-{tag}@example.com"
    assert (
        http.post(
            "/auth/register",
            json={
                "email": email,
                "password": "maker-password",
                "firstName": "Mo",
                "lastName": "Ker",
            },
        ).status
        == 201
    )
    signed_in = http.post("/auth/login", json={"email": email, "password": "maker-password"}).body
    shop = http.post(
        "/sellers",
        json={"shopName": f"Mo's lamps {tag}", "contactEmail": email},
        token=signed_in["accessToken"],
    )
    assert shop.status == 201, shop.text
    seller = http.post("/auth/refresh", json={"refreshToken": signed_in["refreshToken"]}).body
    assert seller["role"] == "seller"
    token = seller["accessToken"]

    created = http.post(
        "/products",
        json={
            "name": "Walnut desk lamp",
            "description": "Warm light, walnut base.",
            "price": {"amount": 4500, "currency": "USD"},
            "categoryId": lamps.body["categoryId"],
            "sku": f"LAMP-{tag}",
            "brand": "Umbra",
        },
        token=token,
    )
    assert created.status == 201, created.text
    product_id = created.body["productId"]

    form = http.post(
        f"/products/{product_id}/images/uploads", json={"contentType": "image/png"}, token=token
    )
    assert form.status == 201, form.text
    uploaded = requests.post(
        form.body["url"],
        data=form.body["fields"],
        files={"file": ("lamp.png", PNG, "image/png")},
        timeout=30,
    )
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    image_url = form.body["imageUrl"]
    assert requests.get(image_url, timeout=30).content == PNG

    edited = http.patch(
        f"/products/{product_id}",
        json={"images": [{"url": image_url, "alt": "The lamp, lit"}]},
        token=token,
        headers={"If-Match": created.header("etag") or '"1"'},
    )
    assert edited.status == 200, edited.text
    assert http.post(f"/products/{product_id}/submit", token=token).status == 200
    assert http.get(f"/products/{product_id}").status == 404  # not public until approved

    queue = http.get("/admin/products?status=pending_review&limit=100", token=admin_token)
    assert product_id in [p["productId"] for p in queue.body["items"]]
    approved = http.post(f"/admin/products/{product_id}/approve", token=admin_token)
    assert approved.status == 200, approved.text
    stocked = http.put(f"/products/{product_id}/inventory", json={"available": 4}, token=token)
    assert stocked.status == 200, stocked.text

    found = http.get(
        f"/products?category={home.body['categoryId']}&minPrice=4000&maxPrice=5000&sort=price_asc"
    )
    assert found.status == 200, found.text
    assert [p["productId"] for p in found.body["items"]] == [product_id]
    assert found.body["items"][0]["image"] == {"url": image_url, "alt": "The lamp, lit"}

    detail = http.get(f"/products/{product_id}")
    assert detail.status == 200, detail.text
    assert detail.body["stock"] == {"status": "low", "available": 4}
    assert detail.body["status"] == "active"
