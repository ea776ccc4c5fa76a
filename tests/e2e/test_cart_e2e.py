"""The cart over real HTTP: holds keep stock from other buyers, and a hold that expired
never blocks one (issue 16), with no scheduled release involved: the buyer who finds the
product short releases it within the request."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.http_api import HttpApi


def _buyer(http: HttpApi, tag: str, name: str) -> dict[str, Any]:
    email = f"{name}-{tag}@example.com"
    body = {"email": email, "password": f"{name}-password", "firstName": name, "lastName": "B"}
    assert http.post("/auth/register", json=body).status == 201
    signed_in = http.post("/auth/login", json={"email": email, "password": body["password"]})
    assert signed_in.status == 200, signed_in.text
    return signed_in.body  # type: ignore[no-any-return]


def _listed(http: HttpApi, admin_token: str, tag: str, stock: int) -> tuple[str, str]:
    """A product of a new seller, active with ``stock`` units; with the seller's token."""
    category = http.post("/categories", json={"name": f"Cart {tag}"}, token=admin_token)
    assert category.status == 201, category.text
    owner = _buyer(http, tag, "seller")
    opened = http.post(
        "/sellers",
        json={"shopName": f"Shop {tag}", "contactEmail": f"seller-{tag}@example.com"},
        token=owner["accessToken"],
    )
    assert opened.status == 201, opened.text
    token = http.post("/auth/refresh", json={"refreshToken": owner["refreshToken"]}).body[
        "accessToken"
    ]
    created = http.post(
        "/products",
        json={
            "name": "Last lamp",
            "description": "Only a few.",
            "price": {"amount": 2500, "currency": "USD"},
            "categoryId": category.body["categoryId"],
            "sku": f"LAST-{tag}",
        },
        token=token,
    )
    assert created.status == 201, created.text
    product_id = str(created.body["productId"])
    assert http.post(f"/products/{product_id}/submit", token=token).status == 200
    assert http.post(f"/admin/products/{product_id}/approve", token=admin_token).status == 200
    stocked = http.put(f"/products/{product_id}/inventory", json={"available": stock}, token=token)
    assert stocked.status == 200, stocked.text
    return product_id, token


def _expire_hold(aws_url: str, user_id: str, product_id: str) -> None:
    """Time passing, for one cart line: its hold (and its hold index keys) ended a minute
    ago. Written straight to the embedded AWS, as nothing in the API moves the clock."""
    import botocore.session

    from repositories import keys

    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    client = botocore.session.get_session().create_client(
        "dynamodb",
        endpoint_url=aws_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    client.update_item(
        TableName="bazaar-dev",
        Key={"PK": {"S": keys.cart_pk(user_id)}, "SK": {"S": keys.cart_line_sk(product_id)}},
        UpdateExpression="SET holdUntil = :u, GSI4SK = :g4, GSI5SK = :g5",
        ExpressionAttributeValues={
            ":u": {"S": past},
            ":g4": {"S": keys.hold_sk(past, "cart", user_id)},
            ":g5": {"S": keys.hold_expiry_sk(past, "cart", user_id, product_id)},
        },
        ConditionExpression="attribute_exists(PK)",
    )


def test_an_expired_hold_never_blocks_another_buyer(
    http: HttpApi, admin_token: str, stack: tuple[str, str]
) -> None:
    tag = uuid.uuid4().hex[:8]
    product_id, seller_token = _listed(http, admin_token, tag, stock=2)
    first, second = _buyer(http, tag, "first"), _buyer(http, tag, "second")
    line = {"productId": product_id, "quantity": 2}

    held = http.post("/cart/items", json=line, token=first["accessToken"])
    assert held.status == 200, held.text
    assert held.body["items"][0]["held"] == 2
    assert http.get(f"/products/{product_id}").body["stock"]["available"] == 0
    short = http.post("/cart/items", json=line, token=second["accessToken"])
    assert short.status == 409, short.text
    assert (short.body["code"], short.body["available"]) == ("insufficient_stock", 0)

    _expire_hold(stack[1], first["userId"], product_id)
    got = http.post("/cart/items", json=line, token=second["accessToken"])
    assert got.status == 200, got.text
    assert got.body["items"][0]["held"] == 2

    stock = http.get(f"/products/{product_id}/inventory", token=seller_token).body
    assert (stock["available"], stock["reserved"]) == (0, 2)
    (lapsed,) = http.get("/cart", token=first["accessToken"]).body["items"]
    assert lapsed["held"] == 0
    assert set(lapsed["flags"]) == {"hold_expired", "short"}
    assert http.delete("/cart", token=second["accessToken"]).status == 204
    assert http.get(f"/products/{product_id}").body["stock"]["available"] == 2
