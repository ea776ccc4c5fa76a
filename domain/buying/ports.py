"""What the buying rules need from storage and from a payment provider.

The repositories own every key, condition and transaction; each method below that changes
stock does so in one transaction that keeps ``received = available + reserved + sold``
(domain/buying/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from domain.buying.lifecycle import StockEffect
from domain.buying.model import (
    CartLine,
    Destination,
    HoldRef,
    Order,
    OrderStatus,
    Shipment,
    StatusChange,
)

if TYPE_CHECKING:  # annotations only: the cart's functions need not load these models
    from domain.accounts.model import Address
    from domain.buying.records import CheckoutStock, IdempotencyRecord, SellerLines
    from domain.catalog.model import Inventory, Product
    from domain.paging import Page


class OrderReader(Protocol):
    """An order without its history: what the checkout machine's first steps read."""

    def order(self, order_id: str) -> Order | None:
        """The order (its ``history`` empty), or None."""


class OrderRepository(Protocol):
    """Orders and their moves (repositories/buying/orders.py: ``DynamoOrders``)."""

    def order(self, order_id: str) -> Order | None:
        """The order with its status history (oldest first), or None."""

    def transition(
        self,
        order: Order,
        change: StatusChange,
        effect: StockEffect,
        *,
        shipment: Shipment | None = None,
        payment_reference: str | None = None,
        refund_owed: int = 0,
        cancel_reason: str | None = None,
        paid_amount: int | None = None,
    ) -> Order:
        """Move ``order`` from ``change.old`` to ``change.new`` in one transaction:
        conditional on the order still being ``change.old`` at ``order.version`` (else
        ``Conflict(invalid_transition, currentStatus=…)`` read back), the history entry
        written, and ``effect`` applied to every line's stock (``COMMIT``: reservations
        deleted, reserved -> sold, the sellers' line items written; ``RELEASE``:
        reservations deleted, reserved -> available; ``RESTOCK``: sold -> available).
        ``paid_amount`` (the move to ``confirmed``) sets what was paid and what may be
        refunded of it."""

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        """Cancel the order ("payment not received") and release its holds if it is still
        ``pending_payment`` past its payment deadline; False (no write) otherwise. Safe to
        run twice and alongside the state machine."""


# -- the checkout state machine (domain/buying/payments.py) ---------------------------


class CheckoutMachine(Protocol):
    """The checkout state machine (adapters/checkout_machine.py)."""

    def start(self, order_id: str, attempt: int = 1) -> bool:
        """Start the order's one execution per payment attempt (named by the order id,
        ``<orderId>-<attempt>`` for a retry); False if it exists."""


# -- the cart and its holds (domain/buying/cart.py, domain/buying/holds.py) -------------


class UnpaidOrders(Protocol):
    """The one move of ``OrderRepository`` that releasing expired holds needs."""

    def expire_unpaid(self, order_id: str, now: datetime) -> bool: ...


@dataclass(frozen=True)
class LineWrite:
    """One cart line as read (``before``; None: no item) and as it is to be (``after``;
    None: delete it), and the units it moves: ``stock`` > 0 takes that many from the
    product's available into reserved (only if ``available >= stock``), < 0 gives them
    back. ``stock == after.held - before.held``."""

    before: CartLine | None
    after: CartLine | None
    stock: int = 0

    @property
    def product_id(self) -> str:
        line = self.after or self.before
        assert line is not None
        return line.product_id


class CartRepository(Protocol):
    """A user's cart lines and the stock they hold (repositories/buying/cart.py)."""

    def cart(self, user_id: str) -> list[CartLine]:
        """Every stored line (one Query), those past ``expires_at`` included."""

    def products(self, product_ids: list[str]) -> dict[str, tuple[Product, Inventory | None]]:
        """The products that exist among ``product_ids``, with their stock (one
        BatchGetItem of each product's ``METADATA`` and ``INVENTORY``)."""

    def save(self, user_id: str, writes: list[LineWrite]) -> None:
        """All ``writes`` in one transaction: each line conditional on being as read
        (``before``: same ``held`` and ``holdUntil``, or absent), each stock move
        conditional on the units being there. Raises ``Conflict(insufficient_stock,
        productId=…)`` when a product has fewer available units than a write takes, and
        ``Conflict(cart_changed)`` when a line changed since it was read; nothing is
        written then."""


class HoldStore(Protocol):
    """The hold indexes and the release of a cart line's hold (repositories/buying/holds.py)."""

    def expired_holds(self, product_id: str, now: datetime, limit: int) -> list[HoldRef]:
        """A product's holds (cart lines and order reservations) expired by ``now``,
        oldest first (GSI4)."""

    def due_holds(self, shard: int, now: datetime, limit: int) -> list[HoldRef]:
        """Every hold of a sweep shard expired by ``now``, oldest first (GSI5): cart
        lines, and unpaid orders past their payment deadline."""

    def release_cart_hold(
        self, user_id: str, product_id: str, hold_until: datetime, held: int, now: datetime
    ) -> bool:
        """Give a cart line's ``held`` units back (reserved -> available), the line kept
        with ``held`` 0, in one transaction conditional on the line still holding exactly
        ``held`` until ``hold_until``; False (nothing written) when it no longer does."""


class AddressBook(Protocol):
    """Where a user ships to (repositories/buying/addresses.py: one Query of the profile)."""

    def destinations(self, user_id: str) -> tuple[str | None, dict[str, Destination]]:
        """The default shipping address's id (None: none), and the destination of each of
        the user's addresses by id."""


# -- checkout and the order lists (repositories/buying/orders.py: DynamoOrders) ---------
# What they exchange at run time (records, refusals) is in domain/buying/records.py: the
# functions import that, and these protocols only for type checking (a Protocol class is
# costly to build on a cold start).


class CheckoutRepository(Protocol):
    def idempotency_record(self, user_id: str, key: str, now: datetime) -> IdempotencyRecord | None:
        """The unexpired record of ``key``, or None (GetItem)."""

    def cart_lines(self, user_id: str, now: datetime) -> list[CartLine]:
        """The cart's lines that have not expired (Query)."""

    def checkout_reads(
        self, user_id: str, product_ids: list[str], address_id: str | None
    ) -> tuple[dict[str, CheckoutStock], Address | None]:
        """Each product with its stock, and the address if asked for (one BatchGetItem)."""

    def open_unpaid_orders(self, user_id: str, now: datetime, window: timedelta) -> int:
        """How many of the user's orders still wait for their payment (created within
        ``window`` of ``now`` and still ``pending_payment``: one Query of the newest)."""

    def place_order(
        self,
        order: Order,
        cart: list[CartLine],
        prices: dict[str, int],
        record: IdempotencyRecord,
        now: datetime,
    ) -> None:
        """One transaction: per line the stock (``quantity - held`` more from available,
        all of it to reserved), the cart line deleted (if unchanged), the reservation put,
        the product checked (still active at ``prices[product_id]``); the order, its first
        history entry and the idempotency record. ``StockShort``, ``CheckoutRaced`` or
        ``KeyTaken`` when a condition fails (nothing is written)."""


class OrderReads(Protocol):
    def order(self, order_id: str) -> Order | None:
        """The order with its status history (oldest first), or None."""

    def orders_of(self, user_id: str, cursor: str | None, limit: int) -> Page[Order]:
        """The user's orders, newest first (without history)."""

    def orders_by_status(
        self,
        status: OrderStatus,
        since: datetime | None,
        before: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> Page[Order]:
        """Orders in a status, newest first, created in ``[since, before)`` if given."""

    def orders_between(
        self, since: datetime | None, before: datetime | None, cursor: str | None, limit: int
    ) -> Page[Order]:
        """Every order created in ``[since, before)``, newest first."""

    def seller_lines(self, seller_id: str, cursor: str | None, limit: int) -> Page[SellerLines]:
        """A seller's lines of paid orders, newest payment first."""

    def has_delivered(self, user_id: str, product_id: str) -> bool:
        """Whether an order of the user holding the product was delivered."""


class HoldReleaser(Protocol):
    """Releases a product's expired holds (cart lines and unpaid orders), each in its own
    conditional transaction; returns how many units went back to available.

    The real one is the cart area's ``domain.buying.cart.release_expired(product_id, *,
    holds, orders, now)``, wired in ``handlers/shared/wiring.py: hold_releaser``."""

    def release_expired(self, product_id: str, now: datetime) -> int: ...
