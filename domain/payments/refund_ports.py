"""What refunds need from storage (domain/payments/refunds.py).

Apart from the rules so that the functions that run them import this for type checking
only: a Protocol class is costly to build on a cold start.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from domain.buying.model import Order
    from domain.payments.ports import RefundStatus
    from domain.payments.refunds import Refund


class RefundRecords(Protocol):
    """Refunds on the single table (repositories/payments/refunds.py: ``DynamoRefunds``)."""

    def order_and_refunds(self, order_id: str) -> tuple[Order | None, list[Refund]]:
        """The order with its history and its refunds (oldest first): one Query of its
        partition."""

    def refunds(self, order_id: str) -> list[Refund]:
        """The order's refunds, oldest first (one Query)."""

    def by_provider_reference(self, reference: str) -> Refund | None:
        """The refund the provider calls ``reference`` (re_...), if it has answered."""

    def reserve(self, order: Order, refund: Refund) -> None:
        """One transaction: the order's ``refundable`` down by ``refund.amount`` only if it
        is at least that (and the version up, so a move read before it fails), and the
        refund put ``pending`` only if absent. ``RefundExceeds(refundable=…)`` or
        ``RefundExists``; nothing is written then."""

    def settle(
        self,
        refund: Refund,
        status: RefundStatus,
        provider_reference: str | None,
        now: datetime,
    ) -> bool:
        """One transaction, only if the refund is still ``pending``: the refund becomes
        ``status``; the order's ``refundedAmount`` goes up by its amount (succeeded) or its
        ``refundable`` is given it back (failed); ``pending`` records only the provider's
        reference. False (nothing written) when it is no longer pending."""

    def accept_late_payment(self, order: Order, amount: int, reference: str) -> bool:
        """A payment that succeeded after its order was cancelled unpaid: the order records
        it as paid and owed back (``paidAmount``, ``refundable``, ``refundOwed`` = amount,
        the charge's reference; its version up), only if it is still ``cancelled`` and
        records no payment yet. False (nothing written) otherwise."""
