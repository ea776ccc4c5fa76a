"""Buying: carts and their stock holds, orders, their reservations and status history.

Stock accounting (one inventory item per product, ``domain.catalog.model.Inventory``):

    received = available + reserved + sold        (for every product, after every write)

- ``available``: units anyone may add to a cart or check out;
- ``reserved``: units held, by a cart line (``CartLine.held``, while cart holds are on) or by
  an unpaid order (``Reservation``), each hold with an expiry;
- ``sold``: units of paid orders not cancelled since.

Every write that moves units between those three moves the same number out of one and into
another in one transaction, together with the hold record it creates, changes or deletes.
An expired hold still counts as ``reserved`` until something releases it (a buyer who finds
the product short, or the scheduled sweep): see ``domain/buying/holds.py``.

Value types are NamedTuples (a dataclass costs about ten times as much to define, and every
buying function loads this module on its cold start); the two that are copied with a change
(``CartLine``, ``Order``) stay dataclasses, for ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from domain.catalog.model import Money


@dataclass(frozen=True)
class CartLine:
    """One product in a user's cart."""

    user_id: str
    product_id: str
    quantity: int
    price_seen: Money  # the unit price when the line was added or last changed
    added_at: datetime
    updated_at: datetime
    held: int = 0  # units of the product this line holds (0: holds off, or released)
    hold_until: datetime | None = None
    expires_at: datetime | None = None  # the cart's TTL: reads ignore the line from then on

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def hold_is_live(self, now: datetime) -> bool:
        return self.held > 0 and self.hold_until is not None and self.hold_until > now


class Cart(NamedTuple):
    user_id: str
    lines: list[CartLine]

    def line(self, product_id: str) -> CartLine | None:
        return next((line for line in self.lines if line.product_id == product_id), None)

    @property
    def held_units(self) -> int:
        return sum(line.held for line in self.lines)


class LineFlag(StrEnum):
    PRICE_CHANGED = "price_changed"  # the current price differs from the one seen
    SHORT = "short"  # fewer units can be had than the line asks for
    UNAVAILABLE = "unavailable"  # the product is no longer sold
    HOLD_EXPIRED = "hold_expired"  # holds on: the line's hold lapsed


class Totals(NamedTuple):
    """All in integer minor units of ``currency``."""

    subtotal: int
    tax: int
    shipping: int
    currency: str

    @property
    def total(self) -> int:
        return self.subtotal + self.tax + self.shipping


class Destination(NamedTuple):
    """Where an order ships: what tax and shipping depend on."""

    country: str  # ISO 3166-1 alpha-2
    region: str | None = None  # state or province code, when the address has one


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"  # paid; stock sold
    PAYMENT_FAILED = "payment_failed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"  # every unit of what was paid given back (issue 9, refunds)


class OrderLine(NamedTuple):
    """A product as it was bought: name and unit price are snapshots."""

    product_id: str
    seller_id: str
    name: str
    sku: str
    quantity: int
    unit_price: int
    tax: int

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class ShippingAddress(NamedTuple):
    full_name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None
    phone: str | None = None

    @property
    def destination(self) -> Destination:
        return Destination(self.country, self.region)


class Shipment(NamedTuple):
    carrier: str
    tracking_number: str
    estimated_delivery: str | None = None  # ISO date


class StatusChange(NamedTuple):
    """One entry of an order's history, written with the change it records."""

    old: OrderStatus | None
    new: OrderStatus
    actor_id: str  # a user id, or "system" for the state machine and the sweeper
    at: datetime
    reason: str | None = None


SYSTEM = "system"


class PaymentAction(NamedTuple):
    """What the buyer's client needs while the current payment attempt requires their
    action (3-D Secure): Stripe.js ``handleNextAction`` with the client secret."""

    client_secret: str
    next_action: str | None


@dataclass(frozen=True)
class Order:
    order_id: str
    user_id: str
    status: OrderStatus
    lines: list[OrderLine]
    totals: Totals
    shipping_address: ShippingAddress
    payment_method: str
    payment_due: datetime  # no payment by then: cancelled, its stock released
    created_at: datetime
    updated_at: datetime
    version: int = 1
    shipment: Shipment | None = None
    cancel_reason: str | None = None
    refund_owed: int = 0  # a paid order cancelled: settled in full by ``settleRefunds``
    payment_reference: str | None = None
    # Refunds (domain/payments/refunds.py): what was paid (set when confirmed), what the
    # refunds that succeeded gave back, and what may still be refunded (paid minus every
    # refund pending or succeeded: the amount a refund's write is conditional on).
    paid_amount: int = 0
    refunded_amount: int = 0
    refundable: int = 0
    history: list[StatusChange] = field(default_factory=list)
    # The provider's customer when ``payment_method`` is one of the buyer's saved cards
    # (issue 9, saved cards): ProcessPayment charges the card with it.
    customer_id: str | None = None
    # The payment attempt the order is on: 1 at checkout, +1 for each retry of a failed
    # payment (``POST /orders/{id}/payments``): a new idempotency key, a new charge.
    attempt: int = 1
    retry_key: str | None = None  # the Idempotency-Key of the retry that made this attempt
    # While the current attempt requires the buyer's action (read with the order).
    payment_action: PaymentAction | None = None

    @property
    def seller_ids(self) -> set[str]:
        return {line.seller_id for line in self.lines}

    def contains(self, product_id: str) -> bool:
        return any(line.product_id == product_id for line in self.lines)


class Reservation(NamedTuple):
    """Units an unpaid order holds of one product, until its payment deadline."""

    order_id: str
    product_id: str
    quantity: int
    hold_until: datetime


class HoldKind(StrEnum):
    CART = "cart"
    ORDER = "order"


class HoldRef(NamedTuple):
    """An entry of the hold indexes: who holds a product's units, until when."""

    kind: HoldKind
    owner_id: str  # the user (cart) or the order
    product_id: str | None  # None for an order's deadline entry (all its lines)
    hold_until: datetime
    quantity: int = 0  # units held (a cart line's ``held``); 0 for an order's deadline entry
