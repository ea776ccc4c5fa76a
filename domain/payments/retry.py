"""``POST /orders/{id}/payments``: the buyer retries a declined payment with another method.

    payment_failed ──retry──▶ pending_payment (units held again, new deadline, attempt + 1)
                                   └─▶ a new execution ``<orderId>-<attempt>``: a new key
                                       ``<orderId>:<attempt>``, a new charge

The move is the lifecycle's (``PAYMENT_FAILED -> PENDING_PAYMENT``, the buyer, stock
``RESERVE``): one transaction conditional on the status and version read, the units taken
from ``available`` only if they are there (409 ``insufficient_stock`` naming the product
otherwise). The request's ``Idempotency-Key`` is kept on the order: the same request again
answers the same order and (re)starts the same execution, never a third attempt.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.buying.lifecycle import Mover, stock_effect
from domain.buying.model import Order, OrderStatus, StatusChange
from domain.errors import Conflict, NotFound, RuleViolation

if TYPE_CHECKING:
    from domain.buying.ports import CheckoutMachine, OrderRepository

RETRY_REASON = "payment retried"


def _replayed(order: Order, key: str, payment_method: str) -> bool:
    if order.retry_key != key:
        return False
    if order.payment_method != payment_method:
        raise RuleViolation(
            "this Idempotency-Key was used with another request; use a new key",
            code="idempotency_key_reused",
        )
    return True


def retry_payment(
    order_id: str,
    payment_method: str,
    *,
    user_id: str,
    key: str,
    orders: OrderRepository,
    machine: CheckoutMachine,
    window: timedelta,
    now: datetime,
) -> Order:
    order = orders.order(order_id)
    if order is None or order.user_id != user_id:
        raise NotFound("no such order", code="order_not_found")
    if not _replayed(order, key, payment_method):
        effect = stock_effect(order.status, OrderStatus.PENDING_PAYMENT, Mover.CUSTOMER)
        retried = replace(
            order,
            payment_method=payment_method,
            payment_due=now + window,
            attempt=order.attempt + 1,
            retry_key=key,
        )
        change = StatusChange(order.status, OrderStatus.PENDING_PAYMENT, user_id, now, RETRY_REASON)
        try:
            order = orders.transition(retried, change, effect)
        except Conflict as exc:
            current = orders.order(order_id)  # a concurrent replay of this request won?
            if current is None or not _replayed(current, key, payment_method):
                raise exc from None
            order = current
    machine.start(order.order_id, order.attempt)
    return order
