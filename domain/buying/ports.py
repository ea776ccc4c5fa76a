"""What the buying rules need from storage and from a payment provider.

The repositories own every key, condition and transaction; each method below that changes
stock does so in one transaction that keeps ``received = available + reserved + sold``
(domain/buying/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from domain.buying.lifecycle import StockEffect
from domain.buying.model import CartLine, Destination, HoldRef, Order, Shipment, StatusChange

if TYPE_CHECKING:  # annotations only: the cart's functions need not load these models
    from domain.catalog.model import Inventory, Product


class ChargeOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"  # 3-D Secure: finishes later (the payments issue)


@dataclass(frozen=True)
class Charge:
    """What a provider says about one charge attempt."""

    outcome: ChargeOutcome
    reference: str  # the provider's id (a PaymentIntent id on Stripe)
    decline_code: str | None = None


class PaymentUnavailable(Exception):
    """The provider could not be reached or answered an error worth retrying.

    Its class name is the Step Functions ``errorType`` the machine retries on."""


class PaymentProvider(Protocol):
    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
    ) -> Charge:
        """Charge once per ``idempotency_key``: a repeated key returns the first answer and
        never charges again. Raises ``PaymentUnavailable`` on a transient failure."""


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
    ) -> Order:
        """Move ``order`` from ``change.old`` to ``change.new`` in one transaction:
        conditional on the order still being ``change.old`` at ``order.version`` (else
        ``Conflict(invalid_transition, currentStatus=…)`` read back), the history entry
        written, and ``effect`` applied to every line's stock (``COMMIT``: reservations
        deleted, reserved -> sold, the sellers' line items written; ``RELEASE``:
        reservations deleted, reserved -> available; ``RESTOCK``: sold -> available)."""

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        """Cancel the order ("payment not received") and release its holds if it is still
        ``pending_payment`` past its payment deadline; False (no write) otherwise. Safe to
        run twice and alongside the state machine."""


# -- the checkout state machine's payments (domain/buying/payments.py) -----------------


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"


@dataclass(frozen=True)
class Payment:
    """One payment attempt of an order, as the shop records it (``ORDER#``/``PAYMENT#``)."""

    order_id: str
    attempt: int
    idempotency_key: str  # what the provider was charged with: ``<orderId>:<attempt>``
    provider: str
    status: PaymentStatus
    amount: int
    currency: str
    reference: str | None
    decline_code: str | None
    at: datetime


class PaymentRecords(Protocol):
    """The order's payment attempts (repositories/buying/payments.py: ``DynamoPayments``)."""

    def payments(self, order_id: str) -> list[Payment]:
        """Every attempt recorded for the order, oldest first."""

    def record(self, payment: Payment) -> None:
        """Write the attempt (one item per attempt: writing it again changes nothing)."""


class CheckoutMachine(Protocol):
    """The checkout state machine (adapters/checkout_machine.py)."""

    def start(self, order_id: str) -> bool:
        """Start the order's one execution (named by the order id); False if it exists."""


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
