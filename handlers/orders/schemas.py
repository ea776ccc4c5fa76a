"""Bodies of the checkout and order operations (docs/api.md, "Orders")."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from domain.buying.model import (
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShippingAddress,
    StatusChange,
)
from domain.buying.ports import SellerLines
from handlers.shared.schema import (
    CountryCode,
    Name,
    Phone,
    RequestModel,
    ResponseModel,
    ShortText,
)

PostalCode = Annotated[str, StringConstraints(min_length=1, max_length=20)]
# A payment method id as Stripe writes them (pm_card_visa, pm_1Nx…).
PaymentMethod = Annotated[str, StringConstraints(pattern=r"^pm_[A-Za-z0-9_]{1,100}$")]
# The Idempotency-Key header: 1 to 255 visible ASCII characters (no spaces).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"
Carrier = Annotated[str, StringConstraints(min_length=1, max_length=60)]
TrackingNumber = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 -]{0,63}$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500)]


def _date_text(value: object) -> object:
    # A date is the text YYYY-MM-DD (format "date"), nothing else: pydantic's lax mode
    # would read a number, or the text "0", as a Unix time.
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        raise ValueError("a date is a string YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_date_text), Field(strict=False)]
PaymentStatus = Literal["pending", "paid", "failed", "refund_owed", "not_charged"]


class ShippingAddressBody(RequestModel):
    full_name: Name
    line1: ShortText
    line2: ShortText | None = None
    city: Name
    region: Name | None = None
    postal_code: PostalCode
    country: CountryCode
    phone: Phone | None = None

    def to_domain(self) -> ShippingAddress:
        return ShippingAddress(**self.model_dump())


class ShipRequest(RequestModel):
    carrier: Carrier
    tracking_number: TrackingNumber
    estimated_delivery: Day | None = None

    def to_domain(self) -> Shipment:
        day = self.estimated_delivery
        return Shipment(self.carrier, self.tracking_number, day.isoformat() if day else None)


class CancelRequest(RequestModel):
    reason: Reason


# -- responses ------------------------------------------------------------------------------


class OrderAmountOut(ResponseModel):
    amount: int
    currency: str


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
        return "pending"
    if order.status is OrderStatus.PAYMENT_FAILED:
        return "failed"
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
    def of(cls, order: Order) -> OrderOut:
        currency = order.totals.currency

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


class OrderSummaryOut(ResponseModel):
    order_id: str
    user_id: str
    status: OrderStatus
    total: OrderAmountOut
    items: int  # units, all lines together
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order) -> OrderSummaryOut:
        return cls(
            order_id=order.order_id,
            user_id=order.user_id,
            status=order.status,
            total=OrderAmountOut(amount=order.totals.total, currency=order.totals.currency),
            items=sum(line.quantity for line in order.lines),
            created_at=order.created_at,
            updated_at=order.updated_at,
        )


class OrderPage(ResponseModel):
    items: list[OrderSummaryOut]
    next_cursor: str | None


class SellerOrderOut(ResponseModel):
    order_id: str
    status: OrderStatus
    paid_at: datetime
    lines: list[OrderLineOut]
    shipping_address: ShippingAddressOut

    @classmethod
    def of(cls, found: SellerLines, currency: str) -> SellerOrderOut:
        return cls(
            order_id=found.order_id,
            status=found.status,
            paid_at=found.paid_at,
            lines=[OrderLineOut.of(line, currency) for line in found.lines],
            shipping_address=ShippingAddressOut.of(found.shipping_address),
        )


class SellerOrderPage(ResponseModel):
    items: list[SellerOrderOut]
    next_cursor: str | None
