"""What GET /orders/{orderId}/payments answers (docs/payments.md). The webhook's and the
test stand-in's answers are in handlers/payments/acks.py, the requests in
handlers/payments/requests.py: each function builds only the models it uses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from handlers.orders.amounts import OrderAmountOut
from handlers.shared.schema import ResponseModel

if TYPE_CHECKING:
    from domain.payments.listing import PaymentsOfOrder
    from domain.payments.ports import Payment


# -- GET /orders/{orderId}/payments ------------------------------------------------------------


class ChargedCardOut(ResponseModel):
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
    card: ChargedCardOut | None
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
            card=None if card is None else ChargedCardOut(brand=card.brand, last4=card.last4),
            decline_code=payment.decline_code,
            created_at=payment.at,
            events=[
                ProviderEventOut(event_id=e.event_id, type=e.type, at=e.at) for e in payment.events
            ],
        )


class PaymentRefundOut(ResponseModel):
    reference: str
    amount: OrderAmountOut
    status: str
    reason: str
    automatic: bool


class OrderPaymentsOut(ResponseModel):
    order_id: str
    attempts: list[PaymentAttemptOut]
    refunds: list[PaymentRefundOut]

    @classmethod
    def of(cls, found: PaymentsOfOrder) -> OrderPaymentsOut:
        return cls(
            order_id=found.order_id,
            attempts=[PaymentAttemptOut.of(p) for p in found.attempts],
            refunds=[
                PaymentRefundOut(
                    reference=r.reference,
                    amount=OrderAmountOut(amount=r.amount, currency=r.currency),
                    status=r.status,
                    reason=r.reason,
                    automatic=r.automatic,
                )
                for r in found.refunds
            ],
        )
