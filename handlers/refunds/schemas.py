"""A refund's request and answer (docs/payments.md, "Refunds")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StringConstraints

from domain.payments.refunds import Refund, RefundRequest
from handlers.orders.amounts import OrderAmountOut
from handlers.shared.schema import Integer, RequestModel, ResponseModel

MAX_REFUND = 10**11  # minor units: far above any order, below what a number loses precision at
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500)]
# The Idempotency-Key header, as the checkout's (handlers/checkout/schemas.py), which is not
# imported for it: that module loads the checkout's rules and models (cold start).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"


class RefundBody(RequestModel):
    amount: Annotated[
        Integer,
        Field(ge=1, le=MAX_REFUND, description="minor units of the order's currency"),
    ]
    reason: Reason
    restock: StrictBool = Field(
        default=False,
        description="put the order's units back on sale: only with the refund of "
        "everything still refundable, and only while they count as sold",
    )

    def to_domain(self) -> RefundRequest:
        return RefundRequest(self.amount, self.reason, self.restock)


class RefundOut(ResponseModel):
    refund_id: str
    order_id: str
    amount: OrderAmountOut
    reason: str
    restock: bool
    status: Literal["pending", "succeeded", "failed"]
    requested_by: str
    provider_reference: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, refund: Refund) -> RefundOut:
        return cls(
            refund_id=refund.refund_id,
            order_id=refund.order_id,
            amount=OrderAmountOut(amount=refund.amount, currency=refund.currency),
            reason=refund.reason,
            restock=refund.restock,
            status=refund.status.value,
            requested_by=refund.requested_by,
            provider_reference=refund.provider_reference,
            created_at=refund.created_at,
            updated_at=refund.updated_at,
        )
