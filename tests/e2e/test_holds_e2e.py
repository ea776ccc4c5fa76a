"""Holds over HTTP on stacks of their own settings: an expired hold never blocks another
buyer, even with no scheduled release running (issue 16), and with holds switched off
twenty buyers racing for five units still leave exactly five orders."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.e2e.buying import checkout, listed_product, race, sign_up, stock_of, wait_for_status
from tests.e2e.conftest import admin_token_for, stack_with
from tests.support.http_api import HttpApi

HOLD_SECONDS = 3


@pytest.fixture(scope="module")
def short_holds() -> Iterator[tuple[HttpApi, str]]:
    # Holds of 3 s, and nothing that releases them on a schedule: only buyers do.
    with stack_with(CART_HOLD_MINUTES=str(HOLD_SECONDS / 60), HOLD_SWEEP_ENABLED="false") as urls:
        yield HttpApi(urls[0]), admin_token_for(urls)


@pytest.fixture(scope="module")
def holds_off() -> Iterator[tuple[HttpApi, str]]:
    with stack_with(CART_HOLD_MINUTES="0") as urls:
        yield HttpApi(urls[0]), admin_token_for(urls)


def test_an_expired_hold_does_not_block_the_next_buyer(short_holds: tuple[HttpApi, str]) -> None:
    http, admin = short_holds
    product_id = listed_product(http, admin, stock=2)
    first, second = sign_up(http, "first"), sign_up(http, "second")

    held = http.post("/cart/items", json={"productId": product_id, "quantity": 2}, token=first)
    assert held.status == 200, held.text
    refused = http.post("/cart/items", json={"productId": product_id, "quantity": 1}, token=second)
    assert refused.status == 409, refused.text  # the hold is live: nothing to take
    assert refused.body["available"] == 0

    time.sleep(HOLD_SECONDS + 1)
    taken = http.post("/cart/items", json={"productId": product_id, "quantity": 2}, token=second)
    assert taken.status == 200, taken.text  # the expired hold was released for this buyer
    placed = checkout(http, second)
    assert placed.status == 201, placed.text
    wait_for_status(http, second, placed.body["orderId"], "confirmed")

    # the first buyer is now treated like anyone else: the stock is gone
    late = checkout(http, first)
    assert late.status == 409, late.text
    stock = stock_of(http, admin, product_id)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (0, 0, 2)


def test_holds_off_twenty_buyers_race_for_five_units(holds_off: tuple[HttpApi, str]) -> None:
    http, admin = holds_off
    product_id = listed_product(http, admin, stock=5)
    results = race(http, product_id, [sign_up(http, f"racer{i}") for i in range(20)])

    assert all(added == 200 for added, _, _ in results), results  # no holds: carts always take
    orders = [order_id for _, status, order_id in results if status == 201]
    assert len(orders) == 5, results
    assert all(status == 409 for _, status, _ in results if status != 201), results
    stock = stock_of(http, admin, product_id)
    assert stock["available"] == 0
    assert stock["reserved"] + stock["sold"] == 5
