"""Plain in-memory fakes of the refunds' ports (domain/payments/refunds.py).

``FakeRefundBook`` is the order's partition: ``RefundRecords`` and the two
``OrderRepository`` methods refunds use, with the table's rules they rely on: the reserve
is conditional on ``refundable`` (and bumps the version), a settle on the refund still
being pending, a move on the status and version read (``concurrent_update`` otherwise).
``FakeRefundProvider`` refunds once per key and counts every call.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from domain.buying.lifecycle import StockEffect, moved_order
from domain.buying.model import Order, OrderStatus, Shipment, StatusChange
from domain.payments.ports import (
    Charge,
    PaymentUnavailable,
    ProviderRefund,
    RefundStatus,
)
from domain.payments.refunds import Refund, RefundExceeds, RefundExists
from tests.unit.order_fakes import check_move
from tests.unit.payment_fakes import NOW, an_order


def a_paid_order(
    order_id: str = "ord_1", *, status: OrderStatus = OrderStatus.CONFIRMED, **fields: object
) -> Order:
    """A paid order of 3739 (USD), as the move to ``confirmed`` leaves it."""
    order = an_order(order_id, status=status)
    total = order.totals.total
    values: dict[str, object] = {
        "paid_amount": total,
        "refundable": total,
        "payment_reference": "pi_1",
        **fields,
    }
    return dataclasses.replace(order, **values)  # type: ignore[arg-type]


class FakeRefundBook:
    def __init__(self, *orders: Order) -> None:
        self.orders = {order.order_id: order for order in orders}
        self.items: dict[tuple[str, str], Refund] = {}
        self.moves: list[tuple[StatusChange, StockEffect]] = []
        self.restocked: list[str] = []

    # -- OrderRepository (what refunds use) --------------------------------------------------

    def order(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def transition(
        self,
        order: Order,
        change: StatusChange,
        effect: StockEffect,
        *,
        shipment: Shipment | None = None,
        payment_reference: str | None = None,
        refund_owed: int = 0,
        cancel_reason: str | None = None,
        paid_amount: int | None = None,
    ) -> Order:
        check_move(self.orders.get(order.order_id), order)
        moved = moved_order(
            order,
            change,
            shipment=shipment,
            payment_reference=payment_reference,
            refund_owed=refund_owed,
            cancel_reason=cancel_reason,
            paid_amount=paid_amount,
        )
        self.orders[order.order_id] = moved
        self.moves.append((change, effect))
        if effect is StockEffect.RESTOCK:
            self.restocked.append(order.order_id)
        return moved

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        raise NotImplementedError

    # -- RefundRecords ------------------------------------------------------------------------

    def order_and_refunds(self, order_id: str) -> tuple[Order | None, list[Refund]]:
        return self.orders.get(order_id), self.refunds(order_id)

    def refunds(self, order_id: str) -> list[Refund]:
        found = [r for (oid, _), r in self.items.items() if oid == order_id]
        return sorted(found, key=lambda r: (r.created_at, r.refund_id))

    def by_provider_reference(self, reference: str) -> Refund | None:
        return next((r for r in self.items.values() if r.provider_reference == reference), None)

    def reserve(self, order: Order, refund: Refund) -> None:
        stored = self.orders[order.order_id]
        if stored.refundable < refund.amount:
            raise RefundExceeds("too much", refundable=stored.refundable)
        if (refund.order_id, refund.refund_id) in self.items:
            raise RefundExists(refund.refund_id)
        self.orders[order.order_id] = dataclasses.replace(
            stored, refundable=stored.refundable - refund.amount, version=stored.version + 1
        )
        self.items[(refund.order_id, refund.refund_id)] = refund

    def settle(
        self,
        refund: Refund,
        status: RefundStatus,
        provider_reference: str | None,
        now: datetime,
    ) -> bool:
        key = (refund.order_id, refund.refund_id)
        stored = self.items[key]
        if stored.status is not RefundStatus.PENDING:
            return False
        self.items[key] = stored._replace(
            status=status,
            provider_reference=provider_reference or stored.provider_reference,
            updated_at=now,
        )
        order = self.orders[refund.order_id]
        if status is RefundStatus.SUCCEEDED:
            order = dataclasses.replace(
                order,
                refunded_amount=order.refunded_amount + refund.amount,
                version=order.version + 1,
            )
        elif status is RefundStatus.FAILED:
            order = dataclasses.replace(
                order, refundable=order.refundable + refund.amount, version=order.version + 1
            )
        self.orders[refund.order_id] = order
        return True

    def accept_late_payment(self, order: Order, amount: int, reference: str) -> bool:
        stored = self.orders[order.order_id]
        if stored.status is not OrderStatus.CANCELLED or stored.paid_amount:
            return False
        self.orders[order.order_id] = dataclasses.replace(
            stored,
            paid_amount=amount,
            refundable=amount,
            refund_owed=amount,
            payment_reference=reference,
            version=stored.version + 1,
        )
        return True


class FakeRefundProvider:
    """PaymentProvider's refunds: once per key (a repeated key gets the first answer);
    ``answer`` is the status it gives new refunds; ``down`` raises PaymentUnavailable."""

    name = "fake"

    def __init__(self, answer: RefundStatus = RefundStatus.SUCCEEDED) -> None:
        self.answer = answer
        self.down = False
        self.calls: list[tuple[str, str, int]] = []  # (key, reference, amount)
        self.ledger: dict[str, ProviderRefund] = {}

    def charge(self, **_: object) -> Charge:
        raise NotImplementedError

    def refund(
        self, *, reference: str, amount: int, idempotency_key: str, reason: str | None = None
    ) -> ProviderRefund:
        self.calls.append((idempotency_key, reference, amount))
        if self.down:
            raise PaymentUnavailable("down")
        if idempotency_key not in self.ledger:
            self.ledger[idempotency_key] = ProviderRefund(f"re_{len(self.ledger) + 1}", self.answer)
        return self.ledger[idempotency_key]

    @property
    def refunded(self) -> int:
        return len(self.ledger)


__all__ = ["NOW", "FakeRefundBook", "FakeRefundProvider", "a_paid_order"]
