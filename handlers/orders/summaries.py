"""Orders as the lists show them (GET /orders, GET /admin/orders)."""

from __future__ import annotations

from datetime import datetime

from domain.buying.model import Order, OrderStatus
from handlers.orders.amounts import OrderAmountOut
from handlers.shared.schema import ResponseModel


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
