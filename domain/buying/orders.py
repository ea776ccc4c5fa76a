"""Orders after checkout: every status move, and who may see which orders.

Every move goes through ``move_order`` (or ``_move`` once the order is read): the one
transition table (``domain/buying/lifecycle.py``) says whether the mover may make it and
what it does to stock, and ``OrderRepository.transition`` writes it conditional on the
status it leaves, with its history entry, in one transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from domain.buying.lifecycle import Mover, stock_effect
from domain.buying.model import Order, OrderStatus, Shipment, StatusChange
from domain.errors import NotFound
from domain.paging import Page

if TYPE_CHECKING:
    from domain.buying.ports import OrderReads, OrderRepository
    from domain.buying.records import SellerLines

CUSTOMER_CANCEL_REASON = "cancelled by the customer"


def _not_found() -> NotFound:
    return NotFound("no such order", code="order_not_found")


def move_order(
    order_id: str,
    new_status: OrderStatus,
    *,
    mover: Mover,
    actor_id: str,
    reason: str | None,
    orders: OrderRepository,
    now: datetime,
    shipment: Shipment | None = None,
    payment_reference: str | None = None,
) -> Order:
    """Move an order (the state machine's, the sweeper's and the admin's entry point).

    ``Conflict(invalid_transition, currentStatus=…)`` when the table does not allow the
    move from the order's current status for ``mover``; ``NotFound(order_not_found)``."""
    order = orders.order(order_id)
    if order is None:
        raise _not_found()
    return _move(
        order,
        new_status,
        mover=mover,
        actor_id=actor_id,
        reason=reason,
        orders=orders,
        now=now,
        shipment=shipment,
        payment_reference=payment_reference,
    )


def _move(
    order: Order,
    new_status: OrderStatus,
    *,
    mover: Mover,
    actor_id: str,
    reason: str | None,
    orders: OrderRepository,
    now: datetime,
    shipment: Shipment | None = None,
    payment_reference: str | None = None,
) -> Order:
    effect = stock_effect(order.status, new_status, mover)
    paid_cancel = order.status is OrderStatus.CONFIRMED and new_status is OrderStatus.CANCELLED
    return orders.transition(
        order,
        StatusChange(order.status, new_status, actor_id, now, reason),
        effect,
        shipment=shipment,
        payment_reference=payment_reference,
        # Refunds are the payments issue's; until then a paid order cancelled owes its total.
        refund_owed=order.totals.total if paid_cancel else 0,
        cancel_reason=reason if new_status is OrderStatus.CANCELLED else None,
        # What a refund may give back (domain/payments/refunds.py): the total, once paid.
        paid_amount=order.totals.total if new_status is OrderStatus.CONFIRMED else None,
    )


# -- the buyer ---------------------------------------------------------------------------


def my_order(order_id: str, *, user_id: str, is_admin: bool, orders: OrderReads) -> Order:
    """The caller's own order; an admin's any. Anyone else's is a 404, as if it did not
    exist."""
    order = orders.order(order_id)
    if order is None or (order.user_id != user_id and not is_admin):
        raise _not_found()
    return order


def my_orders(user_id: str, cursor: str | None, limit: int, *, orders: OrderReads) -> Page[Order]:
    return orders.orders_of(user_id, cursor, limit)


def cancel_my_order(
    order_id: str, *, user_id: str, orders: OrderRepository, now: datetime
) -> Order:
    """The buyer cancels while ``pending_payment`` or ``confirmed``: holds or sold stock go
    back; a paid order then owes a refund of its total."""
    order = orders.order(order_id)
    if order is None or order.user_id != user_id:
        raise _not_found()
    return _move(
        order,
        OrderStatus.CANCELLED,
        mover=Mover.CUSTOMER,
        actor_id=user_id,
        reason=CUSTOMER_CANCEL_REASON,
        orders=orders,
        now=now,
    )


# -- the admin ---------------------------------------------------------------------------


class DateRange(NamedTuple):
    """Whole UTC days, both ends inclusive (``from``/``to`` of the admin's list)."""

    first: date | None = None
    last: date | None = None

    @property
    def since(self) -> datetime | None:
        return None if self.first is None else datetime.combine(self.first, time(), UTC)

    @property
    def before(self) -> datetime | None:
        if self.last is None:
            return None
        return datetime.combine(self.last + timedelta(days=1), time(), UTC)

    @property
    def empty(self) -> bool:
        return self.first is not None and self.last is not None and self.first > self.last


def admin_orders(
    status: OrderStatus | None,
    days: DateRange,
    cursor: str | None,
    limit: int,
    *,
    orders: OrderReads,
) -> Page[Order]:
    """Newest first: by status (GSI2) or all (GSI3), within the days if given. A range
    that ends before it starts is an empty page."""
    if days.empty:
        return Page([], None)
    if status is not None:
        return orders.orders_by_status(status, days.since, days.before, cursor, limit)
    return orders.orders_between(days.since, days.before, cursor, limit)


def ship_order(
    order_id: str, shipment: Shipment, *, admin_id: str, orders: OrderRepository, now: datetime
) -> Order:
    return move_order(
        order_id,
        OrderStatus.SHIPPED,
        mover=Mover.ADMIN,
        actor_id=admin_id,
        reason=None,
        orders=orders,
        now=now,
        shipment=shipment,
    )


def deliver_order(order_id: str, *, admin_id: str, orders: OrderRepository, now: datetime) -> Order:
    return move_order(
        order_id,
        OrderStatus.DELIVERED,
        mover=Mover.ADMIN,
        actor_id=admin_id,
        reason=None,
        orders=orders,
        now=now,
    )


def cancel_order(
    order_id: str, reason: str, *, admin_id: str, orders: OrderRepository, now: datetime
) -> Order:
    return move_order(
        order_id,
        OrderStatus.CANCELLED,
        mover=Mover.ADMIN,
        actor_id=admin_id,
        reason=reason,
        orders=orders,
        now=now,
    )


# -- the seller --------------------------------------------------------------------------


def seller_orders(
    seller_id: str, cursor: str | None, limit: int, *, orders: OrderReads
) -> Page[SellerLines]:
    """The lines of the seller's products in paid orders, newest payment first."""
    return orders.seller_lines(seller_id, cursor, limit)
