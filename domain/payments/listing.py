"""``GET /orders/{id}/payments``: an order's payment attempts and refunds (owner or admin).

Never card data beyond brand and last four, never the machine's task token or a client
secret: the answer is built from ``Payment`` by the handler's model, which has no field
for either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from domain.buying.model import SYSTEM
from domain.errors import NotFound
from domain.payments.ports import Payment

if TYPE_CHECKING:
    from domain.payments.later import OrderPayments


class RefundLine(NamedTuple):
    reference: str
    amount: int
    currency: str
    status: str
    reason: str
    automatic: bool


class PaymentsOfOrder(NamedTuple):
    order_id: str
    attempts: list[Payment]
    refunds: list[RefundLine]


def payments_of_order(
    order_id: str, *, user_id: str, is_admin: bool, payments: OrderPayments
) -> PaymentsOfOrder:
    """The owner's (an admin's: any) order's attempts, oldest first, and its refunds.
    Anyone else's order is a 404, as if it did not exist."""
    order, attempts, recorded = payments.order_and_payments(order_id)
    if order is None or (order.user_id != user_id and not is_admin):
        raise NotFound("no such order", code="order_not_found")
    # Automatic: the shop refunded by itself (a paid order cancelled, a payment that came
    # after the window), not an admin.
    refunds = [
        RefundLine(
            r.provider_reference or r.refund_id,
            r.amount,
            r.currency,
            r.status.value,
            r.reason,
            automatic=r.requested_by == SYSTEM,
        )
        for r in recorded
    ]
    return PaymentsOfOrder(order.order_id, attempts, refunds)
