"""The payments routes' request bodies (their answers: handlers/payments/schemas.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from handlers.shared.schema import RequestModel

# A test PaymentIntent's client secret: ``pi_test_<id>_secret_<random>``.
ClientSecret = Annotated[str, StringConstraints(pattern=r"^pi_[A-Za-z0-9_-]{1,200}$")]


class AuthenticateRequest(RequestModel):
    """What Stripe.js would do in the buyer's browser: complete (or fail) 3-D Secure."""

    client_secret: ClientSecret
    outcome: Literal["succeed", "fail"]


# -- POST /orders/{orderId}/payments ----------------------------------------------------------


# A payment method id as Stripe writes them (the checkout's pattern:
# handlers/checkout/schemas.py ``PaymentMethod``; tests/unit/test_one_place.py checks they agree).
PaymentMethod = Annotated[str, StringConstraints(pattern=r"^pm_[A-Za-z0-9_]{1,100}$")]
# The Idempotency-Key header, as the checkout's (handlers/checkout/schemas.py; the same test).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"


class RetryPaymentRequest(RequestModel):
    """Another payment method for an order whose payment was declined."""

    payment_method: PaymentMethod
