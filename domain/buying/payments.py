"""The checkout state machine's steps (statemachines/checkout.asl.json), one function each.

    ValidateOrder ─▶ ProcessPayment ─▶ paid? ─▶ CommitStock ─▶ order confirmed
         │                 │  └─declined──▶ ReleaseStock ─▶ order payment_failed
         │                 └─deadline / no answer─▶ ReleaseStock ─▶ order cancelled
         └─ deadline already passed ──────────────▶ ReleaseStock ─▶ order cancelled

Every step is safe to run again (a redelivered event, a retried task, a second
execution for one order): the charge is keyed ``<orderId>:<attempt>`` at the provider,
so a repeated attempt returns the first answer, and a step whose move is already made
does nothing. Order moves go through ``move`` (``domain.buying.orders.move_order``), which
applies the one transition table (domain/buying/lifecycle.py).

The errors raised here are named for the machine: their class name is the task's
``errorType`` on Step Functions, which ``Retry``/``Catch`` match.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

from domain.buying.lifecycle import Mover
from domain.buying.model import SYSTEM, Order, OrderStatus
from domain.errors import Conflict, NotFound
from domain.payments.ports import (
    ChargeOutcome,
    Payment,
    PaymentProvider,
    PaymentRecords,
    PaymentStatus,
    TaskCallbacks,
)

if TYPE_CHECKING:  # annotations only: Protocol classes cost a task's cold start
    from domain.buying.ports import CheckoutMachine, OrderReader, OrderRepository
    from domain.payments.later import AttemptStore

    class MoveOrder(Protocol):
        """``domain.buying.orders.move_order``: one move of the lifecycle, for one mover."""

        def __call__(
            self,
            order_id: str,
            new_status: OrderStatus,
            *,
            mover: Mover,
            actor_id: str,
            reason: str | None,
            orders: OrderRepository,
            now: datetime,
            payment_reference: str | None = None,
        ) -> Order: ...


# An order's first attempt; a buyer's retry with another method (POST /orders/{id}/payments)
# is the next (``Order.attempt``): a new key, a new charge; the same attempt again is
# never charged twice.
FIRST_ATTEMPT = 1
PROVIDER = "test"  # the local provider's name (each attempt records ``provider.name``)
PAID_REASON = "payment received"
NOT_PAID_REASON = "payment not received"


class OrderMissing(NotFound):
    code = "order_missing"


class OrderNotPending(Conflict):
    """The order is no longer waiting for its payment: nothing to charge."""

    code = "order_not_pending"


class OrderWasPaid(Conflict):
    """Asked to cancel an order for non-payment that has a succeeded payment."""

    code = "order_was_paid"


def idempotency_key(order_id: str, attempt: int) -> str:
    return f"{order_id}:{attempt}"


class PaymentDue(NamedTuple):
    """ValidateOrder's answer: what to charge, and how long the buyer has left to pay."""

    order_id: str
    status: OrderStatus
    amount: int
    currency: str
    payment_due: datetime
    attempt: int
    seconds_left: int  # whole seconds to the deadline (0 once it has passed)

    @property
    def payable(self) -> bool:
        return self.status is OrderStatus.PENDING_PAYMENT and self.seconds_left > 0


class PaymentResult(StrEnum):
    PAID = "paid"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"  # 3-D Secure: the payments issue waits for it


class PaymentAnswer(NamedTuple):
    outcome: PaymentResult
    reference: str | None
    decline_code: str | None = None


def _order(order_id: str, orders: OrderReader) -> Order:
    order = orders.order(order_id)
    if order is None:
        raise OrderMissing(f"order {order_id} does not exist")
    return order


def validate_order(order_id: str, *, orders: OrderReader, now: datetime) -> PaymentDue:
    """The order as the machine needs it; a settled order or a passed deadline is an
    answer (``payable`` False), not an error, so the machine routes on it."""
    order = _order(order_id, orders)
    left = int((order.payment_due - now).total_seconds())
    return PaymentDue(
        order_id=order.order_id,
        status=order.status,
        amount=order.totals.total,
        currency=order.totals.currency,
        payment_due=order.payment_due,
        attempt=order.attempt or FIRST_ATTEMPT,
        seconds_left=max(0, left),
    )


def _answer(payment: Payment) -> PaymentAnswer:
    outcome = {
        PaymentStatus.SUCCEEDED: PaymentResult.PAID,
        PaymentStatus.DECLINED: PaymentResult.DECLINED,
        PaymentStatus.REQUIRES_ACTION: PaymentResult.REQUIRES_ACTION,
    }[payment.status]
    return PaymentAnswer(outcome, payment.reference, payment.decline_code)


def task_output(answer: PaymentAnswer) -> dict[str, str | None]:
    """ProcessPayment's output, the same whether the function answers it or a callback
    (SendTaskSuccess) does: ``{outcome, reference, declineCode}``."""
    return {
        "outcome": answer.outcome.value,
        "reference": answer.reference,
        "declineCode": answer.decline_code,
    }


def process_payment(
    order_id: str,
    attempt: int,
    *,
    orders: OrderReader,
    payments: AttemptStore,
    provider: PaymentProvider,
    now: datetime,
    task_token: str | None = None,
    callbacks: TaskCallbacks | None = None,
) -> PaymentAnswer:
    """Charge the order once. An order with a succeeded payment is answered from its
    record without charging; a repeated attempt gets the provider's first answer (same
    key). ``PaymentUnavailable`` (transient) propagates for the machine to retry.

    Under ``waitForTaskToken`` (``task_token`` given) the attempt keeps the token, and an
    immediate outcome (paid, declined) completes it here (``callbacks.succeed``). An
    attempt that requires the buyer's action returns without completing it: the webhook
    does, when the provider tells the end (``domain/payments/webhook.py``)."""
    recorded = payments.payments(order_id)
    paid = next((p for p in recorded if p.status is PaymentStatus.SUCCEEDED), None)
    if paid is not None:
        return _completed(_answer(paid), task_token, callbacks)
    order = _order(order_id, orders)
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise OrderNotPending(
            f"order {order_id} is {order.status.value}", currentStatus=order.status.value
        )
    mine = next((p for p in recorded if p.attempt == attempt), None)
    if mine is not None and mine.status is PaymentStatus.REQUIRES_ACTION:
        # A replay (a retried task, a second execution) while the buyer still has to act:
        # wait with the new token. If the webhook settled it meanwhile, answer that.
        if task_token is not None and payments.remember_token(order_id, attempt, task_token):
            return _answer(mine)
        settled = next(p for p in payments.payments(order_id) if p.attempt == attempt)
        return _completed(_answer(settled), task_token, callbacks)
    key = idempotency_key(order_id, attempt)
    charge = provider.charge(
        order_id=order_id,
        amount=order.totals.total,
        currency=order.totals.currency,
        payment_method=order.payment_method,
        idempotency_key=key,
        customer_id=order.customer_id,  # a saved card is charged with its customer
    )
    status = {
        ChargeOutcome.SUCCEEDED: PaymentStatus.SUCCEEDED,
        ChargeOutcome.DECLINED: PaymentStatus.DECLINED,
        ChargeOutcome.REQUIRES_ACTION: PaymentStatus.REQUIRES_ACTION,
    }[charge.outcome]
    waits = status is PaymentStatus.REQUIRES_ACTION
    payment = Payment(
        order_id=order_id,
        attempt=attempt,
        idempotency_key=key,
        provider=provider.name,
        status=status,
        amount=order.totals.total,
        currency=order.totals.currency,
        reference=charge.reference,
        decline_code=charge.decline_code,
        at=now,
        payment_method=order.payment_method,
        card=charge.card,
        client_secret=charge.client_secret if waits else None,
        next_action=charge.next_action if waits else None,
        task_token=task_token,
    )
    payments.record(payment)  # written once: a concurrent replay's record is the same
    if waits:
        return _answer(payment)
    return _completed(_answer(payment), task_token, callbacks)


def _completed(
    answer: PaymentAnswer, task_token: str | None, callbacks: TaskCallbacks | None
) -> PaymentAnswer:
    """Complete the waiting task with an outcome known now (requires_action never)."""
    if (
        task_token is not None
        and callbacks is not None
        and answer.outcome is not PaymentResult.REQUIRES_ACTION
    ):
        callbacks.succeed(task_token, task_output(answer))
    return answer


def _already(exc: Conflict, *statuses: OrderStatus) -> bool:
    """A refused move whose order already is where the move would take it (or past)."""
    current = exc.extra.get("currentStatus")
    return exc.code == "invalid_transition" and current in {s.value for s in statuses}


def commit_stock(
    order_id: str,
    payment_reference: str | None,
    *,
    orders: OrderRepository,
    move: MoveOrder,
    now: datetime,
) -> OrderStatus:
    """Paid: the order becomes ``confirmed`` and its reserved units sold. Already
    confirmed (or shipped since): nothing to do. Any other refusal (the buyer cancelled
    while the payment went through) propagates: a paid order the machine could not
    confirm is a failed execution, for a refund (the payments issue)."""
    try:
        moved = move(
            order_id,
            OrderStatus.CONFIRMED,
            mover=Mover.SYSTEM,
            actor_id=SYSTEM,
            reason=PAID_REASON,
            orders=orders,
            now=now,
            payment_reference=payment_reference,
        )
    except Conflict as exc:
        done = (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
        if _already(exc, *done):
            return OrderStatus(exc.extra["currentStatus"])
        raise
    return moved.status


class Release(StrEnum):
    """Why the machine releases an order's stock."""

    DECLINED = "payment_failed"
    NOT_PAID = "cancelled"


def release_stock(
    order_id: str,
    outcome: Release,
    decline_code: str | None,
    *,
    orders: OrderRepository,
    payments: PaymentRecords,
    move: MoveOrder,
    now: datetime,
) -> OrderStatus:
    """Not paid: the order becomes ``payment_failed`` (declined) or ``cancelled``
    ("payment not received"), and its reserved units available again. An order that has
    already left ``pending_payment`` is left alone (the sweep, the buyer or an earlier
    run moved it). An order with a succeeded payment is never cancelled for non-payment
    (``OrderWasPaid``)."""
    if outcome is Release.NOT_PAID and any(
        p.status is PaymentStatus.SUCCEEDED for p in payments.payments(order_id)
    ):
        raise OrderWasPaid(f"order {order_id} has a succeeded payment")
    if outcome is Release.DECLINED:
        new, reason = OrderStatus.PAYMENT_FAILED, f"payment declined ({decline_code or 'card'})"
    else:
        new, reason = OrderStatus.CANCELLED, NOT_PAID_REASON
    try:
        moved = move(
            order_id,
            new,
            mover=Mover.SYSTEM,
            actor_id=SYSTEM,
            reason=reason,
            orders=orders,
            now=now,
        )
    except Conflict as exc:
        if _already(exc, *(s for s in OrderStatus if s is not OrderStatus.PENDING_PAYMENT)):
            return OrderStatus(exc.extra["currentStatus"])
        raise
    return moved.status


def start_checkout(order_id: str, *, machine: CheckoutMachine) -> bool:
    """A placed order starts its one execution; a redelivered event starts nothing."""
    return machine.start(order_id)
