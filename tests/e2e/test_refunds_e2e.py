"""Refunds over HTTP against the local stack (serverless offline, the embedded AWS, the
checkout machine, the outbox and its queues), with the local test-mode provider."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.e2e.buying import (
    checkout,
    listed_product,
    sign_up,
    stock_of,
    wait_for_status,
)
from tests.support.http_api import HttpApi


def _paid_order(http: HttpApi, admin_token: str, stock: int, quantity: int) -> tuple[str, str, str]:
    """(product, buyer's token, order id) once the machine confirmed the order."""
    product_id = listed_product(http, admin_token, stock=stock)
    buyer = sign_up(http)
    added = http.post(
        "/cart/items", json={"productId": product_id, "quantity": quantity}, token=buyer
    )
    assert added.status == 200, added.text
    placed = checkout(http, buyer)
    assert placed.status == 201, placed.text
    order_id = placed.body["orderId"]
    wait_for_status(http, buyer, order_id, "confirmed")
    return product_id, buyer, order_id


def refund(
    http: HttpApi,
    admin_token: str,
    order_id: str,
    amount: int,
    *,
    restock: bool = False,
    key: str | None = None,
) -> Any:
    """A refund as a careful client asks for it: a request the emulator timed out (an
    answer that is not the API's own) is sent again with the same Idempotency-Key."""
    key = key or uuid.uuid4().hex
    for _ in range(3):
        answer = http.post(
            f"/admin/orders/{order_id}/refunds",
            json={"amount": amount, "reason": "refund over HTTP", "restock": restock},
            token=admin_token,
            headers={"Idempotency-Key": key},
        )
        try:
            body = answer.body if answer.status in (201, 409, 422) else None
        except ValueError:
            body = None
        if isinstance(body, dict) and ("refundId" in body or "code" in body):
            return answer
    return answer


def test_a_partial_refund_then_the_rest_refunds_the_order(http: HttpApi, admin_token: str) -> None:
    product_id, buyer, order_id = _paid_order(http, admin_token, stock=3, quantity=2)
    order = http.get(f"/orders/{order_id}", token=buyer).body
    total = order["totals"]["total"]["amount"]
    assert stock_of(http, admin_token, product_id)["available"] == 1

    first = refund(http, admin_token, order_id, 500)
    assert first.status == 201, first.text
    assert first.body["status"] == "succeeded"
    assert http.get(f"/orders/{order_id}", token=buyer).body["status"] == "confirmed"

    rest = refund(http, admin_token, order_id, total - 500, restock=True)
    assert rest.status == 201, rest.text
    shown = wait_for_status(http, buyer, order_id, "refunded", timeout=5)
    assert shown["payment"]["status"] == "refunded"
    assert stock_of(http, admin_token, product_id)["available"] == 3  # restocked

    more = refund(http, admin_token, order_id, 1)
    assert more.status == 409, more.text
    assert more.body["code"] == "refund_exceeds_paid"


def test_concurrent_refunds_over_http_never_pass_what_was_paid(
    http: HttpApi, admin_token: str
) -> None:
    _, buyer, order_id = _paid_order(http, admin_token, stock=1, quantity=1)
    total = http.get(f"/orders/{order_id}", token=buyer).body["totals"]["total"]["amount"]
    share = total // 3

    def ask(n: int) -> tuple[int, str]:
        answer = refund(http, admin_token, order_id, share, key=f"{order_id}-{n}")
        body = answer.body
        return answer.status, body["status"] if answer.status == 201 else body.get("code")

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(ask, range(10)))
    succeeded = [o for o in outcomes if o == (201, "succeeded")]
    assert len(succeeded) == 3, outcomes
    assert {code for status, code in outcomes if status != 201} <= {
        "refund_exceeds_paid",
        "concurrent_update",
    }, outcomes
    left = refund(http, admin_token, order_id, total - 3 * share + 1)
    assert left.status == 409, left.text
    assert left.body["refundable"] == total - 3 * share


def test_a_paid_order_cancelled_by_its_buyer_is_refunded_in_full(
    http: HttpApi, admin_token: str
) -> None:
    product_id, buyer, order_id = _paid_order(http, admin_token, stock=2, quantity=2)
    cancelled = http.post(f"/orders/{order_id}/cancel", token=buyer)
    assert cancelled.status == 200, cancelled.text
    assert cancelled.body["payment"]["status"] == "refund_owed"
    shown = wait_for_status(http, buyer, order_id, "refunded")  # settleRefunds, by the queue
    assert shown["payment"]["refundOwed"] is None
    assert shown["history"][-1]["oldStatus"] == "cancelled"
    assert stock_of(http, admin_token, product_id)["available"] == 2  # back once, by the cancel
