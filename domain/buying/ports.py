"""What the buying rules need from storage and from a payment provider.

The repositories own every key, condition and transaction; each method below that changes
stock does so in one transaction that keeps ``received = available + reserved + sold``
(domain/buying/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


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
