"""Search over real HTTP through serverless offline (issue 11): the stream, SNS, the search
queue and indexProducts run as deployed. A seller's product approved is found by a
misspelt word within seconds; archived it is gone; a price edit moves it across a price
filter."""

from __future__ import annotations

import random
import string
import time
import uuid
from collections.abc import Callable
from typing import Any

from tests.e2e.buying import PASSWORD
from tests.support.http_api import HttpApi

WITHIN_SECONDS = 20.0


def _word() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=9))


def _seller(http: HttpApi) -> str:
    email = f"search-seller-{uuid.uuid4().hex[:10]}@example.com"
    registered = http.post(
        "/auth/register",
        json={"email": email, "password": PASSWORD, "firstName": "Sel", "lastName": "Ler"},
    )
    assert registered.status == 201, registered.text
    signed_in = http.post("/auth/login", json={"email": email, "password": PASSWORD}).body
    opened = http.post(
        "/sellers",
        json={"shopName": f"Search {email[:20]}", "contactEmail": email},
        token=signed_in["accessToken"],
    )
    assert opened.status == 201, opened.text
    refreshed = http.post("/auth/refresh", json={"refreshToken": signed_in["refreshToken"]})
    return str(refreshed.body["accessToken"])


def _found(http: HttpApi, path: str) -> list[str]:
    response = http.get(path)
    assert response.status == 200, response.text
    return [hit["productId"] for hit in response.body["items"]]


def _eventually(check: Callable[[], Any], what: str) -> float:
    """Seconds until ``check()`` is truthy; fails after WITHIN_SECONDS."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < WITHIN_SECONDS, f"not within {WITHIN_SECONDS} s: {what}"
        time.sleep(0.25)
    return time.monotonic() - started


def test_approved_found_misspelt_archived_gone_price_filter_follows(
    http: HttpApi, admin_token: str
) -> None:
    word = _word()
    typo = word[:4] + word[5:]  # one letter dropped
    root = http.post("/categories", json={"name": f"Kitchen {word}"}, token=admin_token)
    assert root.status == 201, root.text
    pots = http.post(
        "/categories",
        json={"name": f"Teapots {word}", "parentId": root.body["categoryId"]},
        token=admin_token,
    )
    token = _seller(http)
    created = http.post(
        "/products",
        json={
            "name": f"Cast iron {word} teapot",
            "description": "Holds a litre, keeps it hot.",
            "price": {"amount": 2500, "currency": "USD"},
            "categoryId": pots.body["categoryId"],
            "sku": f"POT-{word}",
            "brand": "Ironleaf",
        },
        token=token,
    )
    assert created.status == 201, created.text
    product_id = created.body["productId"]
    assert http.post(f"/products/{product_id}/submit", token=token).status == 200
    approved = http.post(f"/admin/products/{product_id}/approve", token=admin_token)
    assert approved.status == 200, approved.text

    _eventually(lambda: _found(http, f"/search?q={typo}") == [product_id], "found by a typo")
    in_root = f"/search?q={word}&category={root.body['categoryId']}"
    assert _found(http, in_root) == [product_id]  # a category includes its subcategories
    suggested = http.get(f"/search/suggest?q={word[:5]}")
    assert any(word in s.lower() for s in suggested.body["suggestions"]), suggested.text

    cheap = f"/search?q={word}&maxPrice=3000"
    assert _found(http, cheap) == [product_id]
    current = http.get(f"/products/{product_id}", token=token)
    edited = http.patch(
        f"/products/{product_id}",
        json={"price": {"amount": 4500, "currency": "USD"}},
        token=token,
        headers={"If-Match": str(current.body["version"])},
    )
    assert edited.status == 200, edited.text
    _eventually(lambda: _found(http, cheap) == [], "out of the price filter")
    assert _found(http, f"/search?q={word}&minPrice=4000&maxPrice=5000") == [product_id]

    archived = http.delete(f"/products/{product_id}", token=token)
    assert archived.status in (200, 204), archived.text
    _eventually(lambda: _found(http, f"/search?q={word}") == [], "gone once archived")
