"""Payments over HTTP on the local stack (serverless offline + the embedded AWS running the
checkout machine), with the local test-mode provider: immediate payments, a declined one
retried, a 3-D Secure one completed through the test mode's stand-in for Stripe.js (whose
Stripe-signed event reaches the stage's own webhook), and one never completed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.buying import checkout, listed_product, sign_up, stock_of, wait_for_status
from tests.e2e.conftest import admin_token_for, stack_with
from tests.support.http_api import HttpApi

# Long enough that a loaded 2-core CI machine sees the order waiting (checkout, then the
# machine's first task) before the window ends; CI once took over 6 s to get there.
WINDOW_SECONDS = 20


def _buy(http: HttpApi, admin: str, method: str) -> tuple[str, str, str]:
    """A buyer's order of one unit paid with ``method``: (buyer token, order id, product)."""
    product_id = listed_product(http, admin, stock=3)
    buyer = sign_up(http)
    added = http.post("/cart/items", json={"productId": product_id, "quantity": 1}, token=buyer)
    assert added.status == 200, added.text
    placed = checkout(http, buyer, method)
    assert placed.status == 201, placed.text
    return buyer, str(placed.body["orderId"]), product_id


def _waiting_for_action(http: HttpApi, token: str, order_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 45
    while True:
        order = http.get(f"/orders/{order_id}", token=token)
        assert order.status == 200, order.text
        payment = order.body["payment"]
        if payment["status"] == "requires_action" or time.monotonic() > deadline:
            assert payment["status"] == "requires_action", order.body
            return payment  # type: ignore[no-any-return]
        time.sleep(0.5)


def _attempts(http: HttpApi, token: str, order_id: str) -> list[dict[str, Any]]:
    listed = http.get(f"/orders/{order_id}/payments", token=token)
    assert listed.status == 200, listed.text
    return listed.body["attempts"]  # type: ignore[no-any-return]


def test_a_visa_payment_confirms_the_order(
    stack: tuple[str, str], http: HttpApi, admin_token: str
) -> None:
    buyer, order_id, _ = _buy(http, admin_token, "pm_card_visa")
    wait_for_status(http, buyer, order_id, "confirmed")
    (attempt,) = _attempts(http, buyer, order_id)
    assert (attempt["status"], attempt["card"]) == ("succeeded", {"brand": "visa", "last4": "4242"})


def test_a_declined_payment_retried_with_a_good_card_confirms_the_order(
    stack: tuple[str, str], http: HttpApi, admin_token: str
) -> None:
    buyer, order_id, product_id = _buy(http, admin_token, "pm_card_chargeDeclined")
    failed = wait_for_status(http, buyer, order_id, "payment_failed")
    assert failed["payment"]["status"] == "failed"
    body = {"paymentMethod": "pm_card_visa"}
    headers = {"Idempotency-Key": f"retry-{order_id}"}
    retried = http.post(f"/orders/{order_id}/payments", json=body, token=buyer, headers=headers)
    assert retried.status == 202, retried.text
    assert retried.body["status"] == "pending_payment"
    # the same request again (a client that lost the answer): the same order, no new attempt
    again = http.post(f"/orders/{order_id}/payments", json=body, token=buyer, headers=headers)
    assert again.status == 202, again.text
    wait_for_status(http, buyer, order_id, "confirmed")
    attempts = _attempts(http, buyer, order_id)
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, "declined"), (2, "succeeded")]
    assert stock_of(http, admin_token, product_id)["sold"] == 1


def test_a_payment_that_requires_authentication_is_completed_and_confirms_the_order(
    stack: tuple[str, str], http: HttpApi, admin_token: str
) -> None:
    buyer, order_id, _ = _buy(http, admin_token, "pm_card_authenticationRequired")
    payment = _waiting_for_action(http, buyer, order_id)
    assert payment["nextAction"] == "use_stripe_sdk"
    secret = payment["clientSecret"]
    assert secret.startswith("pi_test_")
    done = http.post(
        "/payments/test/authenticate", json={"clientSecret": secret, "outcome": "succeed"}
    )
    assert done.status == 200, done.text
    assert (done.body["status"], done.body["webhookStatus"]) == ("succeeded", 200)
    confirmed = wait_for_status(http, buyer, order_id, "confirmed")
    assert (confirmed["payment"]["status"], confirmed["payment"]["clientSecret"]) == ("paid", None)
    (attempt,) = _attempts(http, buyer, order_id)
    assert attempt["status"] == "succeeded"
    assert [e["type"] for e in attempt["events"]] == ["payment_intent.succeeded"]


@pytest.fixture(scope="module")
def short_window() -> Iterator[tuple[HttpApi, str]]:
    # A payment window of a few seconds, and no sweep: only the machine's timeout acts.
    minutes = str(WINDOW_SECONDS / 60)
    with stack_with(PAYMENT_WINDOW_MINUTES=minutes, HOLD_SWEEP_ENABLED="false") as urls:
        yield HttpApi(urls[0]), admin_token_for(urls)


def test_an_authentication_never_completed_is_cancelled_at_the_window_with_its_stock_back(
    short_window: tuple[HttpApi, str],
) -> None:
    http, admin = short_window
    buyer, order_id, product_id = _buy(http, admin, "pm_card_authenticationRequired")
    _waiting_for_action(http, buyer, order_id)
    assert stock_of(http, admin, product_id)["reserved"] == 1
    cancelled = wait_for_status(http, buyer, order_id, "cancelled", timeout=60)
    assert cancelled["cancelReason"] == "payment not received"
    assert cancelled["payment"]["clientSecret"] is None
    stock = stock_of(http, admin, product_id)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (3, 0, 0)
