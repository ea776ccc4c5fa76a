"""What payments need from a provider (Stripe, or the local test mode) and from storage.

The shared contract of the payments area (issue 9): the checkout machine's ProcessPayment,
the webhook, retries, refunds and saved cards all go through these. Amounts are integer
minor units in the order's currency. Every provider call names an idempotency key the shop
derives from what it is doing (``<orderId>:<attempt>``, ``refund:<refundId>``,
``customer:<userId>``, ...): the same logical call sends the same key on every retry.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

# -- the provider -------------------------------------------------------------------------


class ChargeOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"  # 3-D Secure: the buyer acts, a webhook tells the end


class Card(NamedTuple):
    """All the shop ever keeps of a card: never its number."""

    brand: str
    last4: str
    exp_month: int | None = None
    exp_year: int | None = None


class Charge(NamedTuple):
    """What a provider says about one charge attempt (a PaymentIntent on Stripe)."""

    outcome: ChargeOutcome
    reference: str  # the provider's id (a PaymentIntent id on Stripe)
    decline_code: str | None = None
    # requires_action: what the client needs to finish it (Stripe.js handleNextAction)
    client_secret: str | None = None
    next_action: str | None = None  # e.g. "use_stripe_sdk", "redirect_to_url"
    card: Card | None = None


class RefundStatus(StrEnum):
    PENDING = "pending"  # asked of the provider, no answer yet (or answered "pending")
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ProviderRefund(NamedTuple):
    reference: str  # the provider's refund id (re_...)
    status: RefundStatus


class PaymentUnavailable(Exception):
    """The provider could not be reached or answered an error worth retrying.

    Its class name is the Step Functions ``errorType`` the machine retries on."""


class PaymentProvider(Protocol):
    @property
    def name(self) -> str:
        """ "stripe" or "test": recorded with every attempt. (Read-only, so a provider
        chosen per call by configuration can answer it; a class attribute still does.)"""
        ...

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
        """Create and confirm one charge per ``idempotency_key``: a repeated key returns the
        first answer and never charges again. ``customer_id`` when the method is a saved
        card. Raises ``PaymentUnavailable`` on a transient failure."""

    def refund(
        self, *, reference: str, amount: int, idempotency_key: str, reason: str | None = None
    ) -> ProviderRefund:
        """Refund ``amount`` of the charge ``reference``, once per ``idempotency_key``."""


# -- saved cards (the users seed: payment methods) ----------------------------------------


class SetupStart(NamedTuple):
    """A SetupIntent the client confirms with Stripe.js (or the local stand-in)."""

    reference: str  # seti_...
    client_secret: str


class SavedCard(NamedTuple):
    payment_method: str  # the provider's id (pm_...), the id the shop's API uses too
    card: Card


class CardVault(Protocol):
    def create_customer(self, *, user_id: str, email: str, idempotency_key: str) -> str:
        """The provider's customer for a user (cus_...); once per key."""

    def start_setup(self, *, customer_id: str, idempotency_key: str) -> SetupStart: ...

    def finish_setup(self, *, setup_reference: str, customer_id: str) -> SavedCard | None:
        """The card a confirmed SetupIntent of this customer attached; None if the intent
        is not (yet) succeeded or belongs to another customer."""

    def detach(self, *, payment_method: str) -> None: ...


# -- what the provider reports later (webhooks) --------------------------------------------


class ProviderEvent(NamedTuple):
    """A verified webhook event, reduced to what the shop acts on."""

    event_id: str  # evt_...
    type: str  # payment_intent.succeeded, payment_intent.payment_failed, charge.refunded, ...
    created: datetime
    reference: str | None  # the PaymentIntent id it concerns
    order_id: str | None  # metadata.orderId
    amount: int | None
    currency: str | None
    decline_code: str | None = None
    refunds: list[ProviderRefund] = []  # noqa: RUF012 - charge.refunded; never mutated
    raw: dict[str, Any] = {}  # noqa: RUF012 - never mutated


class BadSignature(Exception):
    """A webhook whose signature is missing, forged or outside the tolerance."""


class WebhookVerifier(Protocol):
    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        """Stripe's scheme (``t=<unix>,v1=<hex hmac-sha256 of "t.payload">``), 300 s tolerance;
        raises ``BadSignature``, or ``ValueError`` for a body that is not an event."""


# -- the shop's records --------------------------------------------------------------------


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"


class PaymentEventEntry(NamedTuple):
    """One provider event an attempt received (its log: ``GET /orders/{id}/payments``)."""

    event_id: str
    type: str
    at: datetime


class Payment(NamedTuple):
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
    payment_method: str | None = None
    card: Card | None = None
    client_secret: str | None = None  # requires_action only; the order's owner sees it
    next_action: str | None = None
    task_token: str | None = None  # the machine's waitForTaskToken token (never shown)
    # Payments that finish later: the provider events the attempt received.
    events: tuple[PaymentEventEntry, ...] = ()


class PaymentRecords(Protocol):
    """The order's payment attempts (repositories/buying/payments.py: ``DynamoPayments``)."""

    def payments(self, order_id: str) -> list[Payment]:
        """Every attempt recorded for the order, oldest first."""

    def record(self, payment: Payment) -> None:
        """Write the attempt (one item per attempt: writing it again changes nothing)."""


# -- payments that finish later (B: the machine's callback, the webhook) --------------------


class TaskCallbacks(Protocol):
    """Completes the checkout machine's waiting ProcessPayment task (SendTaskSuccess /
    SendTaskFailure; adapters/checkout_machine.py)."""

    def succeed(self, token: str, output: dict[str, Any]) -> bool:
        """True if the task took the output; False when it no longer waits (timed out,
        ended, unknown token): the caller decides what that means."""

    def fail(self, token: str, error: str, cause: str) -> bool: ...


# The storage ports of payments that finish later (the attempt's later changes, the
# webhook's de-duplication, refunds by webhook, an order with its attempts) are in
# domain/payments/later.py: annotations only, so no function builds them at import.
