"""What the payments routes answer (docs/api.md, "Payments")."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from handlers.shared.schema import RequestModel, ResponseModel


class WebhookAck(ResponseModel):
    """The webhook's answer to the provider: received, and what became of the event."""

    received: bool
    outcome: str


# A test PaymentIntent's client secret: ``pi_test_<id>_secret_<random>``.
ClientSecret = Annotated[str, StringConstraints(pattern=r"^pi_[A-Za-z0-9_-]{1,200}$")]


class AuthenticateRequest(RequestModel):
    """What Stripe.js would do in the buyer's browser: complete (or fail) 3-D Secure."""

    client_secret: ClientSecret
    outcome: Literal["succeed", "fail"]


class AuthenticatedOut(ResponseModel):
    payment_intent: str
    status: Literal["succeeded", "failed"]
    webhook_status: int | None  # what the stage's webhook answered (None: unreachable)
