"""The storage ports of payments that finish later (issue 9, B).

Apart from ``domain/payments/ports.py`` because they are used in annotations only: a
``Protocol`` class costs a function's cold start to build, and every payment function
imports the shared contract. Import this module under ``TYPE_CHECKING``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from domain.payments.ports import (
    Card,
    Payment,
    PaymentEventEntry,
    PaymentRecords,
    PaymentStatus,
    ProviderEvent,
)

if TYPE_CHECKING:
    from domain.buying.model import Order
    from domain.payments.refunds import Refund


class AttemptStore(PaymentRecords, Protocol):
    """``PaymentRecords`` and the changes an attempt that finishes later goes through."""

    def remember_token(self, order_id: str, attempt: int, token: str) -> bool:
        """Store the newest task token on an attempt that still requires action (a
        replayed ProcessPayment waits with a new token); False if it no longer does."""

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
        """Move the attempt from ``requires_action`` to ``status`` with the event in its
        log, conditional on it still requiring action; None (nothing written) otherwise."""

    def log_event(self, order_id: str, attempt: int, event: PaymentEventEntry) -> None:
        """Append the event to the attempt's log (no other change)."""


class WebhookEvents(Protocol):
    """The webhook's de-duplication: one claim per provider event id (``WEBHOOKEVENT#``)."""

    def claim(self, event_id: str, now: datetime) -> bool:
        """True the first time (a conditional put); False for an event seen before."""

    def release(self, event_id: str) -> None:
        """Forget a claim whose handling failed, so the provider's retry is handled."""


class WebhookRefunds(Protocol):
    """The refunds area as the webhook calls it, bound to its ports in the wiring (the
    refund records, the orders, the provider, the clock). Both are idempotent."""

    def settle(self, event: ProviderEvent) -> None:
        """``charge.refunded`` / ``refund.failed``: ``refunds.settle_refund_event``."""

    def refund_late_payment(self, order_id: str, amount: int, reference: str) -> str | None:
        """A success for an order already cancelled unpaid: ``refunds.refund_late_payment``
        (recorded on the order as paid and owed back, then refunded in full like any
        cancelled paid order). The refund's status, or None when the order is not a
        cancelled one."""


class OrderPayments(Protocol):
    """An order and its payment attempts, read together (one Query of its partition)."""

    def order_and_payments(self, order_id: str) -> tuple[Order | None, list[Payment], list[Refund]]:
        """The order, its attempts (oldest first) and its refunds (oldest first)."""
