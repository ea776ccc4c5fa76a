"""What the payments routes answer (docs/api.md, "Payments")."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import StringConstraints

from handlers.checkout.schemas import PaymentMethod
from handlers.orders.amounts import OrderAmountOut
from handlers.shared.schema import RequestModel, ResponseModel

if TYPE_CHECKING:
    from domain.payments.listing import PaymentsOfOrder
    from domain.payments.ports import Payment


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


# -- GET /orders/{orderId}/payments ------------------------------------------------------------


class CardOut(ResponseModel):
    """All that is ever shown of a card."""

    brand: str
    last4: str


class ProviderEventOut(ResponseModel):
    event_id: str
    type: str
    at: datetime


class PaymentAttemptOut(ResponseModel):
    attempt: int
    status: Literal["succeeded", "declined", "requires_action"]
    amount: OrderAmountOut
    provider: str
    reference: str | None
    payment_method: str | None
    card: CardOut | None
    decline_code: str | None
    created_at: datetime
    events: list[ProviderEventOut]

    @classmethod
    def of(cls, payment: Payment) -> PaymentAttemptOut:
        card = payment.card
        return cls(
            attempt=payment.attempt,
            status=payment.status.value,
            amount=OrderAmountOut(amount=payment.amount, currency=payment.currency),
            provider=payment.provider,
            reference=payment.reference,
            payment_method=payment.payment_method,
            card=None if card is None else CardOut(brand=card.brand, last4=card.last4),
            decline_code=payment.decline_code,
            created_at=payment.at,
            events=[
                ProviderEventOut(event_id=e.event_id, type=e.type, at=e.at) for e in payment.events
            ],
        )


class RefundOut(ResponseModel):
    reference: str
    amount: OrderAmountOut
    status: str
    reason: str
    automatic: bool


class OrderPaymentsOut(ResponseModel):
    order_id: str
    attempts: list[PaymentAttemptOut]
    refunds: list[RefundOut]

    @classmethod
    def of(cls, found: PaymentsOfOrder) -> OrderPaymentsOut:
        return cls(
            order_id=found.order_id,
            attempts=[PaymentAttemptOut.of(p) for p in found.attempts],
            refunds=[
                RefundOut(
                    reference=r.reference,
                    amount=OrderAmountOut(amount=r.amount, currency=r.currency),
                    status=r.status,
                    reason=r.reason,
                    automatic=r.automatic,
                )
                for r in found.refunds
            ],
        )


# -- POST /orders/{orderId}/payments ----------------------------------------------------------


class RetryPaymentRequest(RequestModel):
    """Another payment method for an order whose payment was declined."""

    payment_method: PaymentMethod
