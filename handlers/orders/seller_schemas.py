"""A seller's lines of paid orders (GET /sellers/me/orders)."""

from __future__ import annotations

from datetime import datetime

from domain.buying.model import OrderStatus
from domain.buying.records import SellerLines
from handlers.orders.schemas import OrderLineOut, ShippingAddressOut
from handlers.shared.schema import ResponseModel


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
