"""What the payments routes answer (docs/api.md, "Payments")."""

from __future__ import annotations

from handlers.shared.schema import ResponseModel


class WebhookAck(ResponseModel):
    """The webhook's answer to the provider: received, and what became of the event."""

    received: bool
    outcome: str
