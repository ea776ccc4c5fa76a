"""What the buying rules need from storage and from a payment provider.

The repositories own every key, condition and transaction; each method below that changes
stock does so in one transaction that keeps ``received = available + reserved + sold``
(domain/buying/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.buying.lifecycle import StockEffect
from domain.buying.model import Order, Shipment, StatusChange


class ChargeOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"  # 3-D Secure: finishes later (the payments issue)


@dataclass(frozen=True)
class Charge:
    """What a provider says about one charge attempt."""

    outcome: ChargeOutcome
    reference: str  # the provider's id (a PaymentIntent id on Stripe)
    decline_code: str | None = None


class PaymentUnavailable(Exception):
    """The provider could not be reached or answered an error worth retrying.

    Its class name is the Step Functions ``errorType`` the machine retries on."""


class PaymentProvider(Protocol):
    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
    ) -> Charge:
        """Charge once per ``idempotency_key``: a repeated key returns the first answer and
        never charges again. Raises ``PaymentUnavailable`` on a transient failure."""


class OrderReader(Protocol):
    """An order without its history: what the checkout machine's first steps read."""

    def order(self, order_id: str) -> Order | None:
        """The order (its ``history`` empty), or None."""


class OrderRepository(Protocol):
    """Orders and their moves (repositories/buying/orders.py: ``DynamoOrders``)."""

    def order(self, order_id: str) -> Order | None:
        """The order with its status history (oldest first), or None."""

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
    ) -> Order:
        """Move ``order`` from ``change.old`` to ``change.new`` in one transaction:
        conditional on the order still being ``change.old`` at ``order.version`` (else
        ``Conflict(invalid_transition, currentStatus=…)`` read back), the history entry
        written, and ``effect`` applied to every line's stock (``COMMIT``: reservations
        deleted, reserved -> sold, the sellers' line items written; ``RELEASE``:
        reservations deleted, reserved -> available; ``RESTOCK``: sold -> available)."""

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        """Cancel the order ("payment not received") and release its holds if it is still
        ``pending_payment`` past its payment deadline; False (no write) otherwise. Safe to
        run twice and alongside the state machine."""


# -- the checkout state machine's payments (domain/buying/payments.py) -----------------


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"


@dataclass(frozen=True)
class Payment:
    """One payment attempt of an order, as the shop records it (``ORDER#``/``PAYMENT#``)."""

    order_id: str
    attempt: int
    idempotency_key: str  # what the provider was charged with: ``<orderId>:<attempt>``
    provider: str
    status: PaymentStatus
    amount: int
    currency: str
    reference: str | None
    decline_code: str | None
    at: datetime


class PaymentRecords(Protocol):
    """The order's payment attempts (repositories/buying/payments.py: ``DynamoPayments``)."""

    def payments(self, order_id: str) -> list[Payment]:
        """Every attempt recorded for the order, oldest first."""

    def record(self, payment: Payment) -> None:
        """Write the attempt (one item per attempt: writing it again changes nothing)."""


class CheckoutMachine(Protocol):
    """The checkout state machine (adapters/checkout_machine.py)."""

    def start(self, order_id: str) -> bool:
        """Start the order's one execution (named by the order id); False if it exists."""
