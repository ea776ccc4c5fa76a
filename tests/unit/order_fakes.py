"""Plain in-memory fakes of the orders area's ports (domain/buying/ports.py).

``FakeOrders`` keeps the rules of ``repositories/buying/orders.py: DynamoOrders`` in
dictionaries: every write is checked in full before anything changes (like a
TransactWriteItems), a move is conditional on the status and version it leaves, stock moves
between available, reserved and sold exactly as the table's updates do, and an idempotency
key is taken once. ``tests/contract/test_orders.py`` holds it to the real repository.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from domain.accounts.model import Address
from domain.buying.lifecycle import StockEffect, moved_order
from domain.buying.model import (
    CartLine,
    Order,
    OrderStatus,
    Reservation,
    Shipment,
    StatusChange,
)
from domain.buying.records import (
    CheckoutRaced,
    CheckoutStock,
    IdempotencyRecord,
    KeyTaken,
    SellerLines,
    StockShort,
)
from domain.catalog.model import Inventory, Money, Product, ProductStatus
from domain.errors import Conflict, NotFound
from domain.paging import Page

T0 = datetime(2026, 11, 30, 9, 0, 0, tzinfo=UTC)
PAID = (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def check_move(stored: Order | None, order: Order) -> Order:
    """The condition every move of an order is written under (``OrderRepository.
    transition``): the order exists with the status and version it was read with."""
    if stored is None:
        raise NotFound("no such order", code="order_not_found")
    if stored.status is not order.status:
        raise Conflict(
            f"the order is {stored.status.value} now",
            code="invalid_transition",
            currentStatus=stored.status.value,
        )
    if stored.version != order.version:
        raise Conflict(
            "the order changed meanwhile",
            code="concurrent_update",
            currentStatus=stored.status.value,
        )
    return stored


@dataclass
class FakeOrders:
    """OrderRepository, CheckoutRepository and OrderReads in memory."""

    products: dict[str, Product] = field(default_factory=dict)
    stock: dict[str, Inventory] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)  # units ever put in stock
    carts: dict[str, dict[str, CartLine]] = field(default_factory=dict)
    addresses: dict[tuple[str, str], Address] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    reservations: dict[tuple[str, str], Reservation] = field(default_factory=dict)
    seller_items: dict[tuple[str, str], SellerLines] = field(default_factory=dict)
    purchases: dict[tuple[str, str], str] = field(default_factory=dict)  # (user, product)
    records: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    # Test hooks: a stale idempotency read (a concurrent request's record not yet seen).
    stale_record_reads: int = 0

    # -- set-up ---------------------------------------------------------------------------

    def add_product(self, product: Product, available: int) -> None:
        self.products[product.product_id] = copy.deepcopy(product)
        self.stock[product.product_id] = Inventory(product.product_id, available, 0, 5, T0)
        self.received[product.product_id] = available

    def put_line(self, line: CartLine) -> None:
        """A cart line; its hold (``held``) moves units from available to reserved."""
        inventory = self.stock[line.product_id]
        assert inventory.available >= line.held
        inventory.available -= line.held
        inventory.reserved += line.held
        self.carts.setdefault(line.user_id, {})[line.product_id] = line

    # -- reads ----------------------------------------------------------------------------

    def order(self, order_id: str) -> Order | None:
        self.calls.append("order")
        return copy.deepcopy(self.orders.get(order_id))

    def idempotency_record(self, user_id: str, key: str, now: datetime) -> IdempotencyRecord | None:
        self.calls.append("idempotency_record")
        if self.stale_record_reads:
            self.stale_record_reads -= 1
            return None
        record = self.records.get((user_id, key))
        if record is None or record.expires_at <= now:
            return None
        return record

    def cart_lines(self, user_id: str, now: datetime) -> list[CartLine]:
        self.calls.append("cart_lines")
        return sorted(self.carts.get(user_id, {}).values(), key=lambda line: line.product_id)

    def checkout_reads(
        self, user_id: str, product_ids: list[str], address_id: str | None
    ) -> tuple[dict[str, CheckoutStock], Address | None]:
        self.calls.append("checkout_reads")
        found = {
            pid: CheckoutStock(
                copy.deepcopy(self.products.get(pid)), copy.deepcopy(self.stock.get(pid))
            )
            for pid in product_ids
        }
        address = None if address_id is None else self.addresses.get((user_id, address_id))
        return found, copy.deepcopy(address)

    def open_unpaid_orders(self, user_id: str, now: datetime, window: timedelta) -> int:
        self.calls.append("open_unpaid_orders")
        return sum(
            1
            for o in self.orders.values()
            if o.user_id == user_id
            and o.status is OrderStatus.PENDING_PAYMENT
            and o.payment_due > now
            and o.created_at >= now - window
        )

    # -- checkout -------------------------------------------------------------------------

    def place_order(
        self,
        order: Order,
        cart: list[CartLine],
        prices: dict[str, int],
        record: IdempotencyRecord,
        now: datetime,
    ) -> None:
        self.calls.append("place_order")
        by_product = {line.product_id: line for line in cart}
        stored_cart = self.carts.get(order.user_id, {})
        # Every condition first (nothing changes unless all hold), in the table's order:
        # product checks, cart line deletes, puts (order, history, reservations, key),
        # then the stock updates.
        for line in order.lines:
            product = self.products.get(line.product_id)
            if (
                product is None
                or product.status is not ProductStatus.ACTIVE
                or product.price.amount != prices[line.product_id]
            ):
                raise CheckoutRaced(f"price:{line.product_id}")
        for line in order.lines:
            stored = stored_cart.get(line.product_id)
            seen = by_product[line.product_id]
            if stored is None or (stored.quantity, stored.held, stored.hold_until) != (
                seen.quantity,
                seen.held,
                seen.hold_until,
            ):
                raise CheckoutRaced(f"line:{line.product_id}")
        existing = self.records.get((record.user_id, record.key))
        if existing is not None and existing.expires_at > now:
            raise KeyTaken()
        for line in order.lines:
            held = by_product[line.product_id].held
            inventory = self.stock[line.product_id]
            if inventory.available < line.quantity - held or inventory.reserved < held:
                raise StockShort(line.product_id)
        for line in order.lines:
            held = by_product[line.product_id].held
            inventory = self.stock[line.product_id]
            need = line.quantity - held
            inventory.available -= need
            inventory.reserved += need
            del stored_cart[line.product_id]
            self.reservations[(order.order_id, line.product_id)] = Reservation(
                order.order_id, line.product_id, line.quantity, order.payment_due
            )
        self.orders[order.order_id] = copy.deepcopy(order)
        self.records[(record.user_id, record.key)] = record

    # -- moves ----------------------------------------------------------------------------

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
        self.calls.append("transition")
        check_move(self.orders.get(order.order_id), order)
        for line in order.lines:  # the stock conditions, before anything changes
            inventory = self.stock[line.product_id]
            if effect in (StockEffect.COMMIT, StockEffect.RELEASE):
                if (order.order_id, line.product_id) not in self.reservations:
                    raise Conflict("the stock records disagree", code="concurrent_update")
                if inventory.reserved < line.quantity:
                    raise Conflict("the stock records disagree", code="concurrent_update")
            if effect is StockEffect.RESTOCK and inventory.sold < line.quantity:
                raise Conflict("the stock records disagree", code="concurrent_update")
            if effect is StockEffect.RESERVE and inventory.available < line.quantity:
                raise Conflict("short", code="insufficient_stock", productId=line.product_id)
        for line in order.lines:
            inventory = self.stock[line.product_id]
            q = line.quantity
            if effect in (StockEffect.COMMIT, StockEffect.RELEASE):
                del self.reservations[(order.order_id, line.product_id)]
                inventory.reserved -= q
                if effect is StockEffect.COMMIT:
                    inventory.sold += q
                else:
                    inventory.available += q
            elif effect is StockEffect.RESTOCK:
                inventory.sold -= q
                inventory.available += q
            elif effect is StockEffect.RESERVE:
                inventory.available -= q
                inventory.reserved += q
                self.reservations[(order.order_id, line.product_id)] = Reservation(
                    order.order_id, line.product_id, q, order.payment_due
                )
            if change.new is OrderStatus.DELIVERED:
                self.purchases[(order.user_id, line.product_id)] = order.order_id
        moved = moved_order(
            order,
            change,
            shipment=shipment,
            payment_reference=payment_reference,
            refund_owed=refund_owed,
            cancel_reason=cancel_reason,
            paid_amount=paid_amount,
        )
        for seller_id in order.seller_ids:
            if effect is StockEffect.COMMIT:
                self.seller_items[(order.order_id, seller_id)] = SellerLines(
                    order.order_id,
                    seller_id,
                    change.new,
                    [line for line in order.lines if line.seller_id == seller_id],
                    order.shipping_address,
                    change.at,
                )
            elif order.status in PAID:
                item = self.seller_items[(order.order_id, seller_id)]
                self.seller_items[(order.order_id, seller_id)] = item._replace(status=change.new)
        self.orders[order.order_id] = copy.deepcopy(moved)
        return moved

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        order = self.order(order_id)
        if order is None or order.status is not OrderStatus.PENDING_PAYMENT:
            return False
        if order.payment_due > now:
            return False
        change = StatusChange(
            OrderStatus.PENDING_PAYMENT,
            OrderStatus.CANCELLED,
            "system",
            now,
            "payment not received",
        )
        try:
            self.transition(
                order, change, StockEffect.RELEASE, cancel_reason="payment not received"
            )
        except Conflict:
            return False
        return True

    # -- lists ----------------------------------------------------------------------------

    @staticmethod
    def _page[T](items: list[T], key: list[str], cursor: str | None, limit: int) -> Page[T]:
        """Newest first by ``key``; the cursor is the last key shown."""
        ordered = sorted(zip(key, items, strict=True), key=lambda pair: pair[0], reverse=True)
        if cursor is not None:
            if cursor not in key:
                from domain.paging import UnknownCursor

                raise UnknownCursor()
            ordered = [pair for pair in ordered if pair[0] < cursor]
        page = ordered[:limit]
        more = len(ordered) > limit
        return Page([copy.deepcopy(i) for _, i in page], page[-1][0] if more else None)

    def orders_of(self, user_id: str, cursor: str | None, limit: int) -> Page[Order]:
        mine = [o for o in self.orders.values() if o.user_id == user_id]
        return self._page(
            [replace(o, history=[]) for o in mine], [o.order_id for o in mine], cursor, limit
        )

    def orders_by_status(
        self,
        status: OrderStatus,
        since: datetime | None,
        before: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> Page[Order]:
        found = [o for o in self._within(since, before) if o.status is status]
        return self._page(found, [o.order_id for o in found], cursor, limit)

    def orders_between(
        self, since: datetime | None, before: datetime | None, cursor: str | None, limit: int
    ) -> Page[Order]:
        found = self._within(since, before)
        return self._page(found, [o.order_id for o in found], cursor, limit)

    def _within(self, since: datetime | None, before: datetime | None) -> list[Order]:
        return [
            replace(o, history=[])
            for o in self.orders.values()
            if (since is None or o.created_at >= since)
            and (before is None or o.created_at < before)
        ]

    def seller_lines(self, seller_id: str, cursor: str | None, limit: int) -> Page[SellerLines]:
        found = [s for (_, sid), s in self.seller_items.items() if sid == seller_id]
        return self._page(
            found, [f"{s.paid_at.isoformat()}#{s.order_id}" for s in found], cursor, limit
        )

    def has_delivered(self, user_id: str, product_id: str) -> bool:
        return (user_id, product_id) in self.purchases

    # -- the invariant --------------------------------------------------------------------

    def check_stock(self) -> None:
        """received = available + reserved + sold, nothing negative, and every reserved
        unit belongs to a cart hold or a reservation."""
        for pid, inventory in self.stock.items():
            assert min(inventory.available, inventory.reserved, inventory.sold) >= 0, inventory
            total = inventory.available + inventory.reserved + inventory.sold
            assert total == self.received[pid], (pid, inventory, self.received[pid])
            held = sum(
                line.held
                for cart in self.carts.values()
                for line in cart.values()
                if line.product_id == pid
            ) + sum(r.quantity for (_, p), r in self.reservations.items() if p == pid)
            assert held == inventory.reserved, (pid, held, inventory)


@dataclass
class FakeHolds:
    """HoldReleaser: releases the expired cart holds of a product in the fake's carts."""

    orders: FakeOrders
    released: list[str] = field(default_factory=list)

    def release_expired(self, product_id: str, now: datetime) -> int:
        self.released.append(product_id)
        freed = 0
        for cart in self.orders.carts.values():
            line = cart.get(product_id)
            if line is not None and line.held and line.hold_until and line.hold_until <= now:
                inventory = self.orders.stock[product_id]
                inventory.reserved -= line.held
                inventory.available += line.held
                freed += line.held
                cart[product_id] = replace(line, held=0, hold_until=None)
        for (order_id, pid), reservation in list(self.orders.reservations.items()):
            expired = pid == product_id and reservation.hold_until <= now
            if expired and self.orders.expire_unpaid(order_id, now):
                freed += reservation.quantity
        return freed


def money(amount: int) -> Money:
    return Money(amount, "USD")
