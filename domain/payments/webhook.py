"""The payments webhook: what a verified provider event changes (``POST /payments/webhook``).

    provider ──event──▶ verify (handler) ──▶ claim event id ──▶ apply ──▶ 200
                                                 │ seen before: 200, nothing changes

- ``payment_intent.succeeded`` / ``payment_intent.payment_failed`` settle the attempt that
  required the buyer's action (conditional on it still requiring action: a repeated or
  out-of-order event changes nothing, so an order never moves backwards) and complete the
  machine's waiting ProcessPayment with ``{outcome, reference, declineCode}``; the machine
  then confirms the order or releases its stock, as for an immediate outcome.
- A success whose task no longer waits (the payment window passed) is refunded in full,
  automatically: the order was, or is now, cancelled "payment not received" with its
  stock back; the refunds area records the payment on it as paid and owed back and
  refunds it like any cancelled paid order (``WebhookRefunds.refund_late_payment``), so
  the order's paid and refunded amounts tell what happened to the buyer's money.
- ``charge.refunded`` goes to the refunds area (``WebhookRefunds.settle``).
- Anything else, and an event that does not match an attempt (unknown order or payment,
  other amount or currency), is acknowledged and changes nothing: the provider retries a
  non-2xx answer for days, and no retry would ever make such an event apply.

An event is handled once: its id is claimed with a conditional put before it is applied,
and the claim is given back if applying fails, so the provider's retry applies it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from domain.buying.lifecycle import Mover
from domain.buying.model import SYSTEM, OrderStatus
from domain.buying.payments import (
    NOT_PAID_REASON,
    PaymentAnswer,
    PaymentResult,
    task_output,
)
from domain.errors import Conflict, InvalidRequest
from domain.payments.ports import (
    BadSignature,
    Payment,
    PaymentEventEntry,
    PaymentStatus,
    ProviderEvent,
    TaskCallbacks,
    WebhookVerifier,
)

if TYPE_CHECKING:
    from domain.buying.payments import MoveOrder
    from domain.buying.ports import OrderRepository
    from domain.payments.later import AttemptStore, WebhookEvents, WebhookRefunds

logger = logging.getLogger("bazaar.payments")

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
REFUNDED = "charge.refunded"


class Handled(StrEnum):
    APPLIED = "applied"  # the attempt settled and the machine was told
    LATE = "refunded_late"  # a success after the window: refunded automatically
    SETTLED_ALREADY = "already_settled"  # a repeated or out-of-order event: logged only
    DUPLICATE = "duplicate"  # this event id was handled before
    IGNORED = "ignored"  # a type the shop does not act on
    UNMATCHED = "unmatched"  # no such order/payment, or another amount or currency


class WebhookResult(NamedTuple):
    handled: Handled
    reason: str | None = None


def handle_event(
    event: ProviderEvent,
    *,
    events: WebhookEvents,
    payments: AttemptStore,
    orders: OrderRepository,
    move: MoveOrder,
    callbacks: TaskCallbacks,
    refunds: WebhookRefunds,
    now: datetime,
) -> WebhookResult:
    """Apply one verified event, once per event id."""
    if event.type not in (SUCCEEDED, FAILED, REFUNDED):
        return WebhookResult(Handled.IGNORED, event.type)
    if not events.claim(event.event_id, now):
        return WebhookResult(Handled.DUPLICATE)
    try:
        if event.type == REFUNDED:
            refunds.settle(event)
            return WebhookResult(Handled.APPLIED)
        return _payment_event(
            event,
            payments=payments,
            orders=orders,
            move=move,
            callbacks=callbacks,
            refunds=refunds,
            now=now,
        )
    except BaseException:
        events.release(event.event_id)  # not applied: the provider's retry will be
        raise


def _unmatched(event: ProviderEvent, reason: str) -> WebhookResult:
    # No ids beyond the event's and the order's; never a secret.
    logger.warning(
        "webhook event not applied: %s",
        reason,
        extra={"eventId": event.event_id, "eventType": event.type, "orderId": event.order_id},
    )
    return WebhookResult(Handled.UNMATCHED, reason)


def _payment_event(
    event: ProviderEvent,
    *,
    payments: AttemptStore,
    orders: OrderRepository,
    move: MoveOrder,
    callbacks: TaskCallbacks,
    refunds: WebhookRefunds,
    now: datetime,
) -> WebhookResult:
    if not event.order_id or not event.reference:
        return _unmatched(event, "no order id or payment reference")
    attempt = next(
        (p for p in payments.payments(event.order_id) if p.reference == event.reference), None
    )
    if attempt is None:
        return _unmatched(event, "no such order or payment")
    if event.amount != attempt.amount or event.currency != attempt.currency.upper():
        return _unmatched(event, "the amount or currency differs from the payment's")
    entry = PaymentEventEntry(event.event_id, event.type, event.created)
    succeeded = event.type == SUCCEEDED
    status = PaymentStatus.SUCCEEDED if succeeded else PaymentStatus.DECLINED
    decline_code = None if succeeded else (event.decline_code or "card_declined")
    settled = payments.settle(
        attempt.order_id,
        attempt.attempt,
        status,
        decline_code=decline_code,
        card=None,
        event=entry,
    )
    if settled is None:  # settled before (by another event, or immediate): never backwards
        payments.log_event(attempt.order_id, attempt.attempt, entry)
        return WebhookResult(Handled.SETTLED_ALREADY, attempt.status.value)
    answer = PaymentAnswer(
        PaymentResult.PAID if succeeded else PaymentResult.DECLINED,
        settled.reference,
        settled.decline_code,
    )
    token = settled.task_token
    if token is not None and callbacks.succeed(token, task_output(answer)):
        return WebhookResult(Handled.APPLIED)
    if not succeeded:
        return WebhookResult(Handled.APPLIED, "the payment window had passed")
    return _late_success(settled, orders=orders, move=move, refunds=refunds, now=now)


def _late_success(
    payment: Payment,
    *,
    orders: OrderRepository,
    move: MoveOrder,
    refunds: WebhookRefunds,
    now: datetime,
) -> WebhookResult:
    """The buyer paid, but the machine no longer waits: the window passed. The order is
    (made) cancelled "payment not received", its stock back, and the payment refunded."""
    order = orders.order(payment.order_id)
    if order is None:
        return WebhookResult(Handled.UNMATCHED, "the order is gone")
    # The task no longer waiting means its window passed (the machine's timeout is whole
    # seconds, so it may end a moment before ``payment_due``): nobody else confirms it.
    if order.status is OrderStatus.PENDING_PAYMENT:
        try:
            order = move(
                order.order_id,
                OrderStatus.CANCELLED,
                mover=Mover.SYSTEM,
                actor_id=SYSTEM,
                reason=NOT_PAID_REASON,
                orders=orders,
                now=now,
            )
        except Conflict:
            order = orders.order(payment.order_id) or order
    if order.status is not OrderStatus.CANCELLED or payment.reference is None:
        logger.warning(
            "a late payment success for an order that is not cancelled",
            extra={"orderId": order.order_id, "status": order.status.value},
        )
        return WebhookResult(Handled.APPLIED, f"order is {order.status.value}")
    status = refunds.refund_late_payment(order.order_id, payment.amount, payment.reference)
    return WebhookResult(Handled.LATE, status)


def receive(
    payload: bytes,
    signature: str | None,
    *,
    verifier: WebhookVerifier,
    events: WebhookEvents,
    payments: AttemptStore,
    orders: OrderRepository,
    move: MoveOrder,
    callbacks: TaskCallbacks,
    refunds: WebhookRefunds,
    now: datetime,
) -> WebhookResult:
    """``POST /payments/webhook``: verify the raw body's signature, then handle the event.
    An unsigned, forged or stale request is a 400 ``invalid_signature`` and a signed body
    that is not an event a 400 ``invalid_event``: nothing is read or written for either."""
    try:
        event = verifier.verify(payload, signature, now)
    except BadSignature:
        raise InvalidRequest(
            "the Stripe-Signature header does not verify", code="invalid_signature"
        ) from None
    except ValueError:
        raise InvalidRequest("the body is not a provider event", code="invalid_event") from None
    return handle_event(
        event,
        events=events,
        payments=payments,
        orders=orders,
        move=move,
        callbacks=callbacks,
        refunds=refunds,
        now=now,
    )
