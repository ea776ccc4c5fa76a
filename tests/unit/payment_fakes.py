"""Plain in-memory fakes of the checkout machine's ports (domain/buying/ports.py).

``FakeOrders`` keeps the ``OrderRepository`` rules the steps rely on: a move is
conditional on the status it leaves and the version read (else ``Conflict`` naming the
current status). ``fake_move`` is ``domain.buying.orders.move_order`` as its signature
promises: the lifecycle's table, then one ``transition``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from domain.buying.lifecycle import Mover, StockEffect, moved_order, stock_effect
from domain.buying.model import (
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShippingAddress,
    StatusChange,
    Totals,
)
from domain.buying.ports import OrderRepository
from domain.errors import Conflict, NotFound
from domain.payments.ports import (
    Card,
    Charge,
    ChargeOutcome,
    Payment,
    PaymentEventEntry,
    PaymentStatus,
    PaymentUnavailable,
    ProviderEvent,
    ProviderRefund,
    RefundStatus,
)
from tests.unit.order_fakes import check_move

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def an_order(
    order_id: str = "ord_1",
    *,
    status: OrderStatus = OrderStatus.PENDING_PAYMENT,
    payment_method: str = "pm_card_visa",
    due_in: timedelta = timedelta(minutes=15),
) -> Order:
    created = NOW - timedelta(minutes=1)
    return Order(
        order_id=order_id,
        user_id="usr_1",
        status=status,
        lines=[OrderLine("prd_1", "sel_1", "Teapot", "TEA-1", 2, 1500, 0)],
        totals=Totals(subtotal=3000, tax=240, shipping=499, currency="USD"),
        shipping_address=ShippingAddress("Nia Ng", "1 Main St", "Springfield", "12345", "US"),
        payment_method=payment_method,
        payment_due=created + due_in,
        created_at=created,
        updated_at=created,
    )


@dataclasses.dataclass(frozen=True)
class Move:
    order_id: str
    old: OrderStatus
    new: OrderStatus
    effect: StockEffect
    reason: str | None
    payment_reference: str | None


class FakeOrders:
    """OrderRepository in memory; ``moves`` records every transition written."""

    def __init__(self, *orders: Order) -> None:
        self.orders = {order.order_id: order for order in orders}
        self.moves: list[Move] = []
        self.short: set[str] = set()  # products without the units a RESERVE takes

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
        if effect is StockEffect.RESERVE:
            for line in order.lines:
                if line.product_id in self.short:
                    raise Conflict("short", code="insufficient_stock", productId=line.product_id)
        moved = moved_order(
            order,  # as read, with what the caller changed (the repository puts it whole)
            change,
            shipment=shipment,
            payment_reference=payment_reference,
            refund_owed=refund_owed,
            cancel_reason=cancel_reason,
            paid_amount=paid_amount,
        )
        self.orders[order.order_id] = moved
        self.moves.append(
            Move(order.order_id, change.old, change.new, effect, change.reason, payment_reference)
        )
        return moved

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        raise NotImplementedError  # not a step of the machine


def fake_move(
    order_id: str,
    new: OrderStatus,
    *,
    mover: Mover,
    actor_id: str,
    reason: str | None,
    orders: OrderRepository,
    now: datetime,
    payment_reference: str | None = None,
) -> Order:
    order = orders.order(order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    effect = stock_effect(order.status, new, mover)
    change = StatusChange(order.status, new, actor_id, now, reason)
    return orders.transition(
        order,
        change,
        effect,
        payment_reference=payment_reference,
        cancel_reason=reason if new is OrderStatus.CANCELLED else None,
    )


class FakePayments:
    """PaymentRecords in memory: one record per (order, attempt), written once."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, int], Payment] = {}
        self.broken = False  # settle() raises, as a table that is unavailable would

    def payments(self, order_id: str) -> list[Payment]:
        found = [p for (oid, _), p in self.records.items() if oid == order_id]
        return sorted(found, key=lambda p: p.attempt)

    def record(self, payment: Payment) -> None:
        self.records.setdefault((payment.order_id, payment.attempt), payment)

    # -- AttemptStore: each change conditional on the attempt still requiring action --

    def remember_token(self, order_id: str, attempt: int, token: str) -> bool:
        found = self.records.get((order_id, attempt))
        if found is None or found.status is not PaymentStatus.REQUIRES_ACTION:
            return False
        self.records[(order_id, attempt)] = found._replace(task_token=token)
        return True

    def settle(
        self,
        order_id: str,
        attempt: int,
        status: PaymentStatus,
        *,
        decline_code: str | None,
        card: Card | None,
        event: PaymentEventEntry,
    ) -> Payment | None:
        if self.broken:
            raise RuntimeError("the table is unavailable")
        found = self.records.get((order_id, attempt))
        if found is None or found.status is not PaymentStatus.REQUIRES_ACTION:
            return None
        settled = found._replace(
            status=status,
            decline_code=decline_code or found.decline_code,
            card=card or found.card,
            client_secret=None,
            next_action=None,
            events=[*found.events, event],
        )
        self.records[(order_id, attempt)] = settled
        return settled

    def log_event(self, order_id: str, attempt: int, event: PaymentEventEntry) -> None:
        found = self.records.get((order_id, attempt))
        if found is not None:
            self.records[(order_id, attempt)] = found._replace(events=[*found.events, event])


class FakeCallbacks:
    """TaskCallbacks: records each completion; ``gone`` tokens no longer wait (timed out)."""

    def __init__(self) -> None:
        self.succeeded: list[tuple[str, dict[str, object]]] = []
        self.failed: list[tuple[str, str]] = []
        self.gone: set[str] = set()

    def succeed(self, token: str, output: dict[str, object]) -> bool:
        if token in self.gone:
            return False
        self.succeeded.append((token, output))
        self.gone.add(token)  # a token completes once
        return True

    def fail(self, token: str, error: str, cause: str) -> bool:
        if token in self.gone:
            return False
        self.failed.append((token, error))
        self.gone.add(token)
        return True


class FakeProvider:
    """PaymentProvider: succeeds for ``pm_card_visa``, declines anything else; one charge
    per key; ``down`` makes every call raise ``PaymentUnavailable``."""

    def __init__(self) -> None:
        self.ledger: dict[str, Charge] = {}
        self.calls: list[str] = []
        self.refunds: dict[str, tuple[str, int]] = {}
        self.refund_calls: list[str] = []
        self.down = False

    name = "fake"

    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Charge:
        self.calls.append(idempotency_key)
        if self.down:
            raise PaymentUnavailable("down")
        if idempotency_key not in self.ledger:
            if payment_method == "pm_card_visa":
                answer = Charge(
                    ChargeOutcome.SUCCEEDED, f"pi_{len(self.ledger) + 1}", card=Card("visa", "4242")
                )
            elif payment_method == "pm_card_authenticationRequired":
                pi = f"pi_{len(self.ledger) + 1}"
                answer = Charge(
                    ChargeOutcome.REQUIRES_ACTION,
                    pi,
                    client_secret=f"{pi}_secret_x",
                    next_action="use_stripe_sdk",
                    card=Card("visa", "3184"),
                )
            else:
                answer = Charge(
                    ChargeOutcome.DECLINED, f"pi_{len(self.ledger) + 1}", "card_declined"
                )
            self.ledger[idempotency_key] = answer
        return self.ledger[idempotency_key]

    def refund(
        self, *, reference: str, amount: int, idempotency_key: str, reason: str | None = None
    ) -> ProviderRefund:
        self.refund_calls.append(idempotency_key)
        if idempotency_key not in self.refunds:
            self.refunds[idempotency_key] = (reference, amount)
        return ProviderRefund(f"re_{idempotency_key}", RefundStatus.SUCCEEDED)

    @property
    def charged(self) -> int:
        return len(self.ledger)


class FakeMachine:
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, order_id: str, attempt: int = 1) -> bool:
        name = order_id if attempt <= 1 else f"{order_id}-{attempt}"
        if name in self.started:
            return False
        self.started.append(name)
        return True


class FakeWebhookEvents:
    """WebhookEvents: a set of claimed ids."""

    def __init__(self) -> None:
        self.claimed: set[str] = set()

    def claim(self, event_id: str, now: datetime) -> bool:
        if event_id in self.claimed:
            return False
        self.claimed.add(event_id)
        return True

    def release(self, event_id: str) -> None:
        self.claimed.discard(event_id)


class FakeWebhookRefunds:
    """WebhookRefunds: records what the webhook hands the refunds area; a late payment is
    refunded once per order (as the real one: the order's owed refund has one id)."""

    def __init__(self) -> None:
        self.settled: list[str] = []
        self.late: dict[str, tuple[int, str]] = {}
        self.late_calls = 0

    def settle(self, event: ProviderEvent) -> None:
        self.settled.append(event.event_id)

    def refund_late_payment(self, order_id: str, amount: int, reference: str) -> str | None:
        self.late_calls += 1
        self.late.setdefault(order_id, (amount, reference))
        return "succeeded"
