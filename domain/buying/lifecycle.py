"""An order's life: the one table of the moves between statuses, and who may make each.

    pending_payment ──paid──▶ confirmed ──ship──▶ shipped ──deliver──▶ delivered
          │  ├──declined──▶ payment_failed
          │  └──deadline passed / cancel──▶ cancelled
    confirmed ──cancel (customer, admin)──▶ cancelled   (stock back, refund owed)
    confirmed, shipped, delivered, cancelled (paid) ──fully refunded──▶ refunded
    payment_failed ──retry (customer)──▶ pending_payment   (stock held again, attempt + 1)

Every change is written conditional on the status it leaves, with its history entry, in
one transaction (the repositories). An illegal move is a 409 naming the current status.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.buying.model import OrderStatus
from domain.errors import Conflict

if TYPE_CHECKING:
    from domain.buying.model import Order, Shipment, StatusChange


class Mover(StrEnum):
    SYSTEM = "system"  # the state machine, the sweeper
    CUSTOMER = "customer"  # the order's own buyer
    ADMIN = "admin"


class StockEffect(StrEnum):
    """What a move does to the order's units."""

    NONE = "none"
    COMMIT = "commit"  # reserved -> sold (reservations deleted)
    RELEASE = "release"  # reserved -> available (reservations deleted)
    RESTOCK = "restock"  # sold -> available (a paid order cancelled before shipping)
    RESERVE = "reserve"  # available -> reserved (reservations put): a failed payment retried


S = OrderStatus
# (from, to) -> who may make the move, and what it does to stock
TRANSITIONS: dict[tuple[OrderStatus, OrderStatus], tuple[frozenset[Mover], StockEffect]] = {
    (S.PENDING_PAYMENT, S.CONFIRMED): (frozenset({Mover.SYSTEM}), StockEffect.COMMIT),
    (S.PENDING_PAYMENT, S.PAYMENT_FAILED): (frozenset({Mover.SYSTEM}), StockEffect.RELEASE),
    (S.PENDING_PAYMENT, S.CANCELLED): (
        frozenset({Mover.SYSTEM, Mover.CUSTOMER, Mover.ADMIN}),
        StockEffect.RELEASE,
    ),
    (S.CONFIRMED, S.SHIPPED): (frozenset({Mover.ADMIN}), StockEffect.NONE),
    (S.CONFIRMED, S.CANCELLED): (frozenset({Mover.CUSTOMER, Mover.ADMIN}), StockEffect.RESTOCK),
    (S.SHIPPED, S.DELIVERED): (frozenset({Mover.ADMIN}), StockEffect.NONE),
    # Refunds (domain/payments/refunds.py): the refund that gives back the last of what was
    # paid moves the order. Its stock effect is the refund's ``restock`` choice
    # (``refund_effect``): NONE here, RESTOCK when asked for and the units are still sold.
    (S.CONFIRMED, S.REFUNDED): (frozenset({Mover.ADMIN, Mover.SYSTEM}), StockEffect.NONE),
    (S.SHIPPED, S.REFUNDED): (frozenset({Mover.ADMIN, Mover.SYSTEM}), StockEffect.NONE),
    (S.DELIVERED, S.REFUNDED): (frozenset({Mover.ADMIN, Mover.SYSTEM}), StockEffect.NONE),
    (S.CANCELLED, S.REFUNDED): (frozenset({Mover.ADMIN, Mover.SYSTEM}), StockEffect.NONE),
    # The buyer retries a declined payment with another method (POST /orders/{id}/payments):
    # the units are held again first (409 if gone), then a new attempt runs.
    (S.PAYMENT_FAILED, S.PENDING_PAYMENT): (frozenset({Mover.CUSTOMER}), StockEffect.RESERVE),
}

# Statuses an order leaves only by a move above; the rest are final.
OPEN = frozenset(old for old, _ in TRANSITIONS)

# Statuses whose units count as sold (a paid order not cancelled): what a refund may restock.
UNITS_SOLD = frozenset({S.CONFIRMED, S.SHIPPED, S.DELIVERED})


def stock_effect(current: OrderStatus, new: OrderStatus, mover: Mover) -> StockEffect:
    """The move's effect on stock; ``Conflict(invalid_transition)`` if it is not allowed."""
    rule = TRANSITIONS.get((current, new))
    if rule is None or mover not in rule[0]:
        raise Conflict(
            f"an order that is {current.value} cannot become {new.value}",
            code="invalid_transition",
            currentStatus=current.value,
        )
    return rule[1]


def refund_effect(current: OrderStatus, mover: Mover, *, restock: bool) -> StockEffect:
    """The move to ``refunded``: allowed as the table says; its units go back on sale
    (sold -> available) only when the refund asks to restock and they are still sold (a
    cancelled order's were restocked by its cancel)."""
    stock_effect(current, OrderStatus.REFUNDED, mover)
    return StockEffect.RESTOCK if restock and current in UNITS_SOLD else StockEffect.NONE


def moved_order(
    order: Order,
    change: StatusChange,
    *,
    shipment: Shipment | None = None,
    payment_reference: str | None = None,
    refund_owed: int = 0,
    cancel_reason: str | None = None,
    paid_amount: int | None = None,
) -> Order:
    """The order as a move writes it: the new status, the version up, the change in its
    history, and what the move sets (the arguments of ``OrderRepository.transition``;
    the repository and the tests' fakes both build the moved order here)."""
    if paid_amount is not None:
        order = replace(order, paid_amount=paid_amount, refundable=paid_amount)
    return replace(
        order,
        status=change.new,
        version=order.version + 1,
        updated_at=change.at,
        shipment=shipment or order.shipment,
        payment_reference=payment_reference or order.payment_reference,
        refund_owed=refund_owed or order.refund_owed,
        cancel_reason=cancel_reason or order.cancel_reason,
        history=[*order.history, change],
    )
