"""The test mode's stand-in for Stripe.js finishing a payment that required action.

In Stripe test mode the buyer's browser completes 3-D Secure (``handleNextAction`` with
the PaymentIntent's client secret), and Stripe then sends ``payment_intent.succeeded`` or
``payment_intent.payment_failed`` to the shop's webhook. Locally,
``POST /payments/test/authenticate`` does both: it settles the test PaymentIntent once and
delivers the Stripe-shaped, Stripe-signed event to this stage's own webhook, so the
outcome takes the same path as on Stripe. A stage running Stripe answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from domain.errors import NotFound

TEST_PROVIDER = "test"


class AuthOutcome(StrEnum):
    SUCCEED = "succeed"
    FAIL = "fail"


@dataclass(frozen=True)
class SettledIntent:
    reference: str
    succeeded: bool
    event: dict[str, Any]  # the Stripe event that tells it (the same on every re-delivery)


class TestIntents(Protocol):
    """The test provider's PaymentIntents waiting for the buyer (adapters/local_payments.py)."""

    def settle_intent(self, client_secret: str, succeed: bool, now: datetime) -> SettledIntent:
        """Settle the intent whose client secret this is, once. ``NotFound`` for no such
        intent; ``Conflict(already_settled)`` if it was settled the other way. Settled the
        same way already: the same answer (and the same event) again."""


class EventDelivery(Protocol):
    def deliver(self, event: dict[str, Any], now: datetime) -> int | None:
        """POST the event, signed, to the stage's webhook; its HTTP status (None:
        unreachable)."""


@dataclass(frozen=True)
class Authenticated:
    reference: str
    status: str  # "succeeded" | "failed"
    webhook_status: int | None


def authenticate(
    client_secret: str,
    outcome: AuthOutcome,
    *,
    provider_name: str,
    intents: TestIntents,
    delivery: EventDelivery,
    now: datetime,
) -> Authenticated:
    if provider_name != TEST_PROVIDER:
        raise NotFound("no such operation on this stage", code="not_found")
    settled = intents.settle_intent(client_secret, outcome is AuthOutcome.SUCCEED, now)
    status = delivery.deliver(settled.event, now)
    return Authenticated(settled.reference, "succeeded" if settled.succeeded else "failed", status)
