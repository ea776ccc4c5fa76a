"""The short answers of the webhook and of the test mode's stand-in for Stripe.js."""

from __future__ import annotations

from typing import Literal

from handlers.shared.schema import ResponseModel


class WebhookAck(ResponseModel):
    """The webhook's answer to the provider: received, and what became of the event."""

    received: bool
    outcome: str


class AuthenticatedOut(ResponseModel):
    payment_intent: str
    status: Literal["succeeded", "failed"]
    webhook_status: int | None  # what the stage's webhook answered (None: unreachable)
