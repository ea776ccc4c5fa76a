"""Refunds: full or partial, never more than was paid, each asked of the provider once.

    admin (POST /admin/orders/{id}/refunds) ─┐
    settleRefunds (order.cancelled, owed) ───┼─▶ refund_order ─▶ reserve ─▶ provider ─▶ settle
    webhook: a payment after the cancel ─────┘                                   │
    webhook: charge.refunded ─▶ settle_refund_event ─▶ settle ──────────────────┤
                                                          all of it refunded? ─▶ order refunded

1. **Reserve** (one transaction): the order's ``refundable`` (what was paid minus every
   refund pending or succeeded) goes down by the amount, conditional on
   ``refundable >= amount``, and the refund is put ``pending``. The sum of refunds can
   never pass what was paid, whatever runs concurrently: the condition is in the write,
   not in a read before it.
2. **Ask the provider** with the key ``refund:<refundId>``: a retried request, a
   redelivered message or a crash after step 1 asks again with the same key and gets the
   provider's first answer, never a second refund.
3. **Settle**: succeeded → the order's ``refundedAmount`` goes up; failed → the amount is
   given back to ``refundable``; both conditional on the refund still being ``pending``,
   so a late webhook and the request that asked cannot settle it twice. A provider that
   answers ``pending`` leaves it for the webhook (``settle_refund_event``).
4. When what succeeded is all that was paid, the order moves to ``refunded``
   (``domain/buying/lifecycle.py``), putting its units back on sale if the refund that
   took the last of it asked to ``restock`` and they are still counted sold.

A refund's id is derived from the order and the caller's key (the admin's
``Idempotency-Key``, ``owed`` for a cancelled order's refund), so the same request
finds its own refund again instead of making another one.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from domain.buying.lifecycle import Mover, refund_effect
from domain.buying.model import SYSTEM, Order, OrderStatus, StatusChange
from domain.errors import Conflict, NotFound, RuleViolation
from domain.payments.ports import PaymentUnavailable, ProviderRefund, RefundStatus

if TYPE_CHECKING:
    from domain.buying.ports import OrderRepository
    from domain.payments.ports import PaymentProvider, ProviderEvent
    from domain.payments.refund_ports import RefundRecords

OWED_KEY = "owed"  # the one refund that settles a cancelled order's ``refundOwed``
OWED_REASON = "order cancelled after payment"
REFUNDED_REASON = "fully refunded"
MOVE_ATTEMPTS = 3


class Refund(NamedTuple):
    """One refund of an order (``ORDER#<orderId>`` / ``REFUND#<refundId>``)."""

    refund_id: str
    order_id: str
    amount: int
    currency: str
    reason: str
    restock: bool
    status: RefundStatus
    requested_by: str  # an admin's user id, or "system" (a cancelled order's refund)
    payment_reference: str  # the charge refunded (a PaymentIntent id on Stripe)
    fingerprint: str  # of the request (amount, reason, restock): a reused key must match
    closes: bool  # it took the last of the refundable amount: its success may close the order
    created_at: datetime
    updated_at: datetime
    provider_reference: str | None = None  # re_... once the provider answered


class RefundRequest(NamedTuple):
    amount: int  # minor units of the order's currency, > 0
    reason: str
    restock: bool = False

    def fingerprint(self) -> str:
        text = f"{self.amount}\n{self.restock}\n{self.reason}"
        return hashlib.sha256(text.encode()).hexdigest()


class RefundExceeds(Conflict):
    """The reserve's condition failed: less is refundable than asked for (or the order
    moved where nothing is)."""

    code = "refund_exceeds_paid"


class RefundExists(Exception):
    """The refund's item is there already: the same request again."""


def refund_id(order_id: str, key: str) -> str:
    """The refund a key asks for: the same order and key, the same refund."""
    digest = hashlib.sha256(f"{order_id}\n{key}".encode()).digest()
    return "rfd_" + base64.b32encode(digest).decode()[:26]


def provider_key(refund: Refund) -> str:
    """The provider's idempotency key for a refund (ports.py)."""
    return f"refund:{refund.refund_id}"


def _not_found() -> NotFound:
    return NotFound("no such order", code="order_not_found")


def _refundable(order: Order) -> None:
    if order.paid_amount <= 0 or order.payment_reference is None:
        raise Conflict(
            f"an order that is {order.status.value} and not paid has nothing to refund",
            code="order_not_refundable",
            currentStatus=order.status.value,
        )
    if order.refundable <= 0:
        raise RefundExceeds(
            "the order has been refunded in full",
            refundable=0,
            currentStatus=order.status.value,
        )


def refund_order(
    order_id: str,
    request: RefundRequest,
    *,
    key: str,
    actor_id: str,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund:
    """Refund ``request.amount`` of a paid order (the admin's route). The same ``key``
    again answers the same refund (and finishes it if it was left pending); with another
    body it is refused (``idempotency_key_reused``)."""
    order, existing = records.order_and_refunds(order_id)
    if order is None:
        raise _not_found()
    wanted = refund_id(order_id, key)
    mine = next((r for r in existing if r.refund_id == wanted), None)
    if mine is not None:
        return _replay(mine, request, records=records, orders=orders, provider=provider, now=now)
    _refundable(order)
    if request.amount > order.refundable:
        raise RefundExceeds(
            f"at most {order.refundable} of the {order.paid_amount} paid may still be refunded",
            refundable=order.refundable,
            currentStatus=order.status.value,
        )
    closes = request.amount == order.refundable
    if request.restock and not closes:
        raise RuleViolation(
            "only the refund of everything still refundable can restock the order's units",
            code="restock_needs_full_refund",
            refundable=order.refundable,
        )
    refund = Refund(
        refund_id=wanted,
        order_id=order_id,
        amount=request.amount,
        currency=order.totals.currency,
        reason=request.reason,
        restock=request.restock,
        status=RefundStatus.PENDING,
        requested_by=actor_id,
        payment_reference=order.payment_reference or "",
        fingerprint=request.fingerprint(),
        closes=closes,
        created_at=now,
        updated_at=now,
    )
    try:
        records.reserve(order, refund)
    except RefundExists:  # the same request, concurrently: answer with its refund
        return _replay_by_id(order_id, wanted, request, records, orders, provider, now)
    return _ask(refund, records=records, orders=orders, provider=provider, now=now)


def _replay_by_id(
    order_id: str,
    wanted: str,
    request: RefundRequest,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund:
    mine = next((r for r in records.refunds(order_id) if r.refund_id == wanted), None)
    if mine is None:  # pragma: no cover - the put that failed means it exists
        raise Conflict("the refund changed meanwhile; try again", code="concurrent_update")
    return _replay(mine, request, records=records, orders=orders, provider=provider, now=now)


def _replay(
    refund: Refund,
    request: RefundRequest,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund:
    if refund.fingerprint != request.fingerprint():
        raise RuleViolation(
            "this Idempotency-Key was used with another refund; use a new key",
            code="idempotency_key_reused",
        )
    if refund.status is RefundStatus.PENDING:
        return _ask(refund, records=records, orders=orders, provider=provider, now=now)
    return refund


def _ask(
    refund: Refund,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund:
    """Steps 2 to 4 for a reserved refund. The provider unreachable leaves it pending
    (reserved): the same request later asks again with the same key."""
    try:
        answer: ProviderRefund = provider.refund(
            reference=refund.payment_reference,
            amount=refund.amount,
            idempotency_key=provider_key(refund),
            reason=refund.reason,
        )
    except PaymentUnavailable:
        return refund
    return _settle(refund, answer, records=records, orders=orders, now=now)


def _settle(
    refund: Refund,
    answer: ProviderRefund,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    now: datetime,
) -> Refund:
    settled = refund._replace(
        status=answer.status, provider_reference=answer.reference, updated_at=now
    )
    if not records.settle(refund, answer.status, answer.reference, now):
        return settled  # settled meanwhile (the webhook, a concurrent replay)
    if answer.status is RefundStatus.SUCCEEDED:
        # Any success may be the last one: refunds settle in any order (the one that took
        # the last of the refundable amount may have succeeded before an earlier one).
        close_if_refunded(refund.order_id, records=records, orders=orders, now=now)
    return settled


def close_if_refunded(
    order_id: str, *, records: RefundRecords, orders: OrderRepository, now: datetime
) -> Order | None:
    """Move the order to ``refunded`` once refunds that succeeded add up to what was paid
    (and it owes nothing more then), restocking if the refund that took the last of it
    asked to. None when it is not (yet) fully refunded."""
    for _ in range(MOVE_ATTEMPTS):
        order, refunds = records.order_and_refunds(order_id)
        if order is None:
            raise _not_found()
        if order.status is OrderStatus.REFUNDED:
            return order
        if order.paid_amount <= 0 or order.refunded_amount < order.paid_amount:
            return None
        restock = any(
            r.closes and r.restock and r.status is RefundStatus.SUCCEEDED for r in refunds
        )
        effect = refund_effect(order.status, Mover.SYSTEM, restock=restock)
        change = StatusChange(order.status, OrderStatus.REFUNDED, SYSTEM, now, REFUNDED_REASON)
        try:
            # The order owes nothing once refunded: the move writes ``refundOwed`` 0.
            return orders.transition(replace(order, refund_owed=0), change, effect)
        except Conflict as exc:
            if exc.code in ("concurrent_update", "invalid_transition"):
                # A refund's write bumped the version meanwhile, or a concurrent success
                # closed the order first: read again (and find it refunded).
                continue
            raise
    raise Conflict("the order kept changing; try again", code="concurrent_update")


# -- a cancelled order's refund (settleRefunds, on order.cancelled with refundOwed) --------


def settle_owed_refund(
    order_id: str,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund | None:
    """Refund in full what a paid, cancelled order still owes (its units went back with
    the cancel). Safe to run again: the refund's id is the order's ``owed`` one. None when
    nothing is owed (settled already, or refunded by an admin meanwhile).
    ``PaymentUnavailable`` when the provider could not be asked (the refund stays
    reserved, pending): the worker's message fails and comes back later."""
    refund = _owed_refund(order_id, records=records, orders=orders, provider=provider, now=now)
    # Pending without the provider's id: not asked yet (not a provider's "pending").
    if (
        refund is not None
        and refund.status is RefundStatus.PENDING
        and not refund.provider_reference
    ):
        raise PaymentUnavailable(f"the refund of order {order_id} is still to be asked")
    return refund


def finish_pending_refund(
    order_id: str,
    refund_id: str,
    *,
    records: RefundRecords,
    provider: PaymentProvider,
    orders: OrderRepository,
    now: datetime,
) -> Refund | None:
    """Drive a refund that is still to be asked to its outcome (settleRefunds, on the
    ``refund.requested`` event every new refund makes): the provider is asked with the
    refund's own key, so a refund the request that made it has asked already is not made
    twice (the provider answers the first refund again, and only one settle applies).
    ``PaymentUnavailable`` when the provider still cannot be asked: the message comes back
    later, and after its last try waits in the refunds DLQ. None for an unknown refund."""
    refund = next((r for r in records.refunds(order_id) if r.refund_id == refund_id), None)
    if refund is None or refund.status is not RefundStatus.PENDING or refund.provider_reference:
        return refund  # settled, or asked and waiting for the provider's outcome (webhook)
    asked = _ask(refund, records=records, orders=orders, provider=provider, now=now)
    if asked.status is RefundStatus.PENDING and not asked.provider_reference:
        raise PaymentUnavailable(f"the refund {refund_id} is still to be asked")
    return asked


def _owed_refund(
    order_id: str,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund | None:
    order, existing = records.order_and_refunds(order_id)
    if order is None:
        raise _not_found()
    wanted = refund_id(order_id, OWED_KEY)
    mine = next((r for r in existing if r.refund_id == wanted), None)
    if mine is not None:
        if mine.status is RefundStatus.PENDING:
            return _ask(mine, records=records, orders=orders, provider=provider, now=now)
        if mine.status is RefundStatus.SUCCEEDED:  # a move lost to a race: close it now
            close_if_refunded(order_id, records=records, orders=orders, now=now)
        return mine
    if order.status is not OrderStatus.CANCELLED or order.refund_owed <= 0:
        return None
    if order.refundable <= 0:
        close_if_refunded(order_id, records=records, orders=orders, now=now)
        return None
    request = RefundRequest(order.refundable, OWED_REASON, restock=False)
    return refund_order(
        order_id,
        request,
        key=OWED_KEY,
        actor_id=SYSTEM,
        records=records,
        orders=orders,
        provider=provider,
        now=now,
    )


# -- a payment that arrived after its order was cancelled (the webhook) --------------------


def refund_late_payment(
    order_id: str,
    amount: int,
    reference: str,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    provider: PaymentProvider,
    now: datetime,
) -> Refund | None:
    """A payment that succeeded for an order already cancelled unpaid (the payment window
    closed first; the webhook finds it): the order records the payment as paid and owed
    back, then it is refunded in full like any cancelled paid order
    (``settle_owed_refund``: key ``refund:<the order's owed refund id>``). Safe to run
    again (a repeated event): the payment is recorded once and refunded once. None when
    the order is not a cancelled one (nothing of this function's to do)."""
    order = orders.order(order_id)
    if order is None:
        raise _not_found()
    if order.status is not OrderStatus.CANCELLED and order.status is not OrderStatus.REFUNDED:
        return None
    if order.paid_amount <= 0:
        records.accept_late_payment(order, amount, reference)
    return settle_owed_refund(
        order_id, records=records, orders=orders, provider=provider, now=now
    ) or _owed(order_id, records)


def _owed(order_id: str, records: RefundRecords) -> Refund | None:
    wanted = refund_id(order_id, OWED_KEY)
    return next((r for r in records.refunds(order_id) if r.refund_id == wanted), None)


# -- outcomes that arrive later (the webhook: charge.refunded, refund.failed) ---------------


def settle_refund_event(
    event: ProviderEvent,
    *,
    records: RefundRecords,
    orders: OrderRepository,
    now: datetime,
) -> list[Refund]:
    """Apply the provider's word on its refunds (``charge.refunded`` lists them,
    ``refund.updated``/``refund.failed`` name one): each of ours still pending becomes
    succeeded or failed, once (the settle is conditional on pending: a repeated event
    changes nothing). Refunds we did not ask for (made in the provider's dashboard) and
    answers that are still pending are left alone. Returns the refunds settled now."""
    settled = []
    for answer in event.refunds:
        if answer.status is RefundStatus.PENDING:
            continue
        refund = records.by_provider_reference(answer.reference)
        if refund is None or refund.status is not RefundStatus.PENDING:
            continue
        if event.order_id is not None and event.order_id != refund.order_id:
            continue  # not the order the event says: touch nothing
        if not records.settle(refund, answer.status, answer.reference, now):
            continue
        settled.append(refund._replace(status=answer.status, provider_reference=answer.reference))
        if answer.status is RefundStatus.SUCCEEDED:
            close_if_refunded(refund.order_id, records=records, orders=orders, now=now)
    return settled
