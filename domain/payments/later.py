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
    ProviderRefund,
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

    def record_auto_refund(self, order_id: str, attempt: int, refund: ProviderRefund) -> None:
        """The automatic refund of a success that came too late, kept on the attempt."""


class WebhookEvents(Protocol):
    """The webhook's de-duplication: one claim per provider event id (``WEBHOOKEVENT#``)."""

    def claim(self, event_id: str, now: datetime) -> bool:
        """True the first time (a conditional put); False for an event seen before."""

    def release(self, event_id: str) -> None:
        """Forget a claim whose handling failed, so the provider's retry is handled."""


class RefundSettler(Protocol):
    """D's ``domain.payments.refunds.settle_refund_event`` as the webhook calls it (for
    ``charge.refunded``), bound to its ports in the wiring. Idempotent."""

    def __call__(self, event: ProviderEvent) -> None: ...


class OrderPayments(Protocol):
    """An order and its payment attempts, read together (one Query of its partition)."""

    def order_and_payments(self, order_id: str) -> tuple[Order | None, list[Payment], list[Refund]]:
        """The order, its attempts (oldest first) and its refunds (oldest first)."""
