"""Retrying a declined payment (domain/payments/retry.py), with plain fakes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from domain.buying.lifecycle import StockEffect
from domain.buying.model import Order, OrderStatus
from domain.errors import Conflict, NotFound, RuleViolation
from domain.payments.retry import retry_payment
from tests.unit.payment_fakes import NOW, FakeMachine, FakeOrders, an_order

WINDOW = timedelta(minutes=15)


def failed() -> FakeOrders:
    return FakeOrders(
        an_order(status=OrderStatus.PAYMENT_FAILED, payment_method="pm_card_chargeDeclined")
    )


def retry(
    orders: FakeOrders,
    machine: FakeMachine,
    *,
    key: str = "k1",
    method: str = "pm_card_visa",
    user_id: str = "usr_1",
) -> Order:
    return retry_payment(
        "ord_1",
        method,
        user_id=user_id,
        key=key,
        orders=orders,
        machine=machine,
        window=WINDOW,
        now=NOW,
    )


def test_a_failed_payment_is_retried_as_a_new_attempt_with_its_stock_held_again() -> None:
    orders, machine = failed(), FakeMachine()
    order = retry(orders, machine)
    assert order.status is OrderStatus.PENDING_PAYMENT
    assert (order.attempt, order.payment_method, order.payment_due) == (
        2,
        "pm_card_visa",
        NOW + WINDOW,
    )
    (move,) = orders.moves
    assert (move.old, move.new, move.effect) == (
        OrderStatus.PAYMENT_FAILED,
        OrderStatus.PENDING_PAYMENT,
        StockEffect.RESERVE,
    )
    assert machine.started == ["ord_1-2"]


def test_the_same_request_again_moves_nothing_and_starts_nothing_new() -> None:
    orders, machine = failed(), FakeMachine()
    first = retry(orders, machine)
    again = retry(orders, machine)
    assert again == first
    assert len(orders.moves) == 1
    assert machine.started == ["ord_1-2"]


def test_the_same_key_for_another_method_is_refused() -> None:
    orders, machine = failed(), FakeMachine()
    retry(orders, machine)
    with pytest.raises(RuleViolation) as refused:
        retry(orders, machine, method="pm_card_mastercard")
    assert refused.value.code == "idempotency_key_reused"


def test_another_key_once_it_is_pending_again_is_an_invalid_transition() -> None:
    orders, machine = failed(), FakeMachine()
    retry(orders, machine)
    with pytest.raises(Conflict) as refused:
        retry(orders, machine, key="k2")
    assert (refused.value.code, refused.value.extra["currentStatus"]) == (
        "invalid_transition",
        "pending_payment",
    )


@pytest.mark.parametrize("status", [s for s in OrderStatus if s is not OrderStatus.PAYMENT_FAILED])
def test_only_a_failed_payment_can_be_retried(status: OrderStatus) -> None:
    orders, machine = FakeOrders(an_order(status=status)), FakeMachine()
    with pytest.raises(Conflict):
        retry(orders, machine)
    assert machine.started == []


def test_stock_gone_is_a_conflict_naming_the_product_and_nothing_starts() -> None:
    orders, machine = failed(), FakeMachine()
    orders.short.add("prd_1")
    with pytest.raises(Conflict) as refused:
        retry(orders, machine)
    assert (refused.value.code, refused.value.extra["productId"]) == ("insufficient_stock", "prd_1")
    assert orders.moves == []
    assert machine.started == []


def test_someone_elses_order_is_not_found() -> None:
    with pytest.raises(NotFound):
        retry(failed(), FakeMachine(), user_id="usr_other")


def test_a_third_attempt_after_a_second_decline() -> None:
    orders, machine = failed(), FakeMachine()
    second = retry(orders, machine)
    orders.orders["ord_1"] = dataclasses.replace(second, status=OrderStatus.PAYMENT_FAILED)
    third = retry(orders, machine, key="k2", method="pm_card_amex")
    assert third.attempt == 3
    assert machine.started == ["ord_1-2", "ord_1-3"]
