"""The order as the order and checkout operations answer it (docs/api.md, "Orders").

Requests live apart (``handlers/orders/requests.py``, ``handlers/checkout/schemas.py``,
``handlers/orders/seller_schemas.py``), so each function builds only the models it uses."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.buying.model import Order, OrderLine, OrderStatus, ShippingAddress, StatusChange
from handlers.orders.amounts import OrderAmountOut
from handlers.shared.schema import ResponseModel

PaymentStatus = Literal[
    "pending", "requires_action", "paid", "failed", "refund_owed", "not_charged", "refunded"
]


# -- responses ------------------------------------------------------------------------------


class OrderLineOut(ResponseModel):
    product_id: str
    seller_id: str
    name: str
    sku: str
    quantity: int
    unit_price: OrderAmountOut
    line_total: OrderAmountOut
    tax: OrderAmountOut

    @classmethod
    def of(cls, line: OrderLine, currency: str) -> OrderLineOut:
        return cls(
            product_id=line.product_id,
            seller_id=line.seller_id,
            name=line.name,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=OrderAmountOut(amount=line.unit_price, currency=currency),
            line_total=OrderAmountOut(amount=line.line_total, currency=currency),
            tax=OrderAmountOut(amount=line.tax, currency=currency),
        )


class OrderTotalsOut(ResponseModel):
    subtotal: OrderAmountOut
    tax: OrderAmountOut
    shipping: OrderAmountOut
    total: OrderAmountOut


class ShippingAddressOut(ResponseModel):
    full_name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    phone: str | None

    @classmethod
    def of(cls, address: ShippingAddress) -> ShippingAddressOut:
        return cls(**{name: getattr(address, name) for name in cls.model_fields})


class OrderPaymentOut(ResponseModel):
    status: PaymentStatus
    method: str
    due_at: datetime
    reference: str | None
    refund_owed: OrderAmountOut | None
    # requires_action only, and only to the order's buyer: what Stripe.js needs to finish
    # the payment (``handleNextAction``); null otherwise.
    client_secret: str | None = None
    next_action: str | None = None


class ShipmentOut(ResponseModel):
    carrier: str
    tracking_number: str
    estimated_delivery: str | None


class StatusChangeOut(ResponseModel):
    old_status: OrderStatus | None
    new_status: OrderStatus
    actor_id: str
    at: datetime
    reason: str | None

    @classmethod
    def of(cls, change: StatusChange) -> StatusChangeOut:
        return cls(
            old_status=change.old,
            new_status=change.new,
            actor_id=change.actor_id,
            at=change.at,
            reason=change.reason,
        )


def payment_status(order: Order) -> PaymentStatus:
    if order.status is OrderStatus.PENDING_PAYMENT:
        return "requires_action" if order.payment_action is not None else "pending"
    if order.status is OrderStatus.PAYMENT_FAILED:
        return "failed"
    if order.status is OrderStatus.REFUNDED:
        return "refunded"
    if order.status is OrderStatus.CANCELLED:
        return "refund_owed" if order.refund_owed else "not_charged"
    return "paid"


class OrderOut(ResponseModel):
    order_id: str
    user_id: str
    status: OrderStatus
    lines: list[OrderLineOut]
    totals: OrderTotalsOut
    shipping_address: ShippingAddressOut
    payment: OrderPaymentOut
    shipment: ShipmentOut | None
    cancel_reason: str | None
    history: list[StatusChangeOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order, *, buyer: bool = False) -> OrderOut:
        """``buyer``: the caller is the order's own buyer (who alone sees a pending
        payment's client secret)."""
        currency = order.totals.currency
        action = order.payment_action if buyer else None

        def amount(value: int) -> OrderAmountOut:
            return OrderAmountOut(amount=value, currency=currency)

        shipment = order.shipment
        return cls(
            order_id=order.order_id,
            user_id=order.user_id,
            status=order.status,
            lines=[OrderLineOut.of(line, currency) for line in order.lines],
            totals=OrderTotalsOut(
                subtotal=amount(order.totals.subtotal),
                tax=amount(order.totals.tax),
                shipping=amount(order.totals.shipping),
                total=amount(order.totals.total),
            ),
            shipping_address=ShippingAddressOut.of(order.shipping_address),
            payment=OrderPaymentOut(
                status=payment_status(order),
                method=order.payment_method,
                due_at=order.payment_due,
                reference=order.payment_reference,
                refund_owed=amount(order.refund_owed) if order.refund_owed else None,
                client_secret=action.client_secret if action else None,
                next_action=action.next_action if action else None,
            ),
            shipment=None
            if shipment is None
            else ShipmentOut(
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                estimated_delivery=shipment.estimated_delivery,
            ),
            cancel_reason=order.cancel_reason,
            history=[StatusChangeOut.of(change) for change in order.history],
            created_at=order.created_at,
            updated_at=order.updated_at,
        )
