"""What the buying rules need from storage and from a payment provider.

The repositories own every key, condition and transaction; each method below that changes
stock does so in one transaction that keeps ``received = available + reserved + sold``
(domain/buying/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from domain.buying.lifecycle import StockEffect
from domain.buying.model import CartLine, Order, OrderStatus, Shipment, StatusChange

if TYPE_CHECKING:
    from domain.accounts.model import Address
    from domain.buying.records import CheckoutStock, IdempotencyRecord, SellerLines
    from domain.paging import Page


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
