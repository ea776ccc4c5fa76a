"""Orders: checkout's one transaction, every status move, and the order lists.

Keys and items: ``repositories/buying/items.py``. Each write here that moves stock keeps
``received = available + reserved + sold`` for every product in one transaction
(domain/buying/model.py), together with the hold records it creates or deletes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

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
    StockShort,
)
from domain.catalog.model import Inventory, Product, ProductStatus
from domain.clock import epoch, iso
from domain.errors import Conflict, NotFound
from domain.ids import id_floor
from repositories import keys
from repositories.buying.items import (
    CartLineItem,
    HistoryItem,
    IdempotencyItem,
    OrderItem,
    ReservationItem,
    SellerLinesItem,
    history_item,
    order_item,
    reservation_item,
    seller_lines_item,
    to_cart_line,
)
from repositories.buying.purchases import PurchaseItem
from repositories.buying.reads import DynamoOrderReads
from repositories.catalog.items import InventoryItem, ProductItem, to_inventory, to_product
from repositories.table import ConditionFailed, Item, Transaction

if TYPE_CHECKING:
    from domain.accounts.model import Address

PAID = (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _stock_key(product_id: str) -> InventoryItem:
    return InventoryItem(keys.product_pk(product_id), keys.INVENTORY)


class DynamoOrders(DynamoOrderReads):
    """``OrderRepository``, ``CheckoutRepository`` and ``OrderReads`` on the table."""

    # -- moves ------------------------------------------------------------------------------

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
        assert change.old is order.status, "a change leaves the order's own status"
        moved = moved_order(
            order,
            change,
            shipment=shipment,
            payment_reference=payment_reference,
            refund_owed=refund_owed,
            cancel_reason=cancel_reason,
            paid_amount=paid_amount,
        )
        stamp = iso(change.at)
        tx = Transaction()
        # The whole order is put again (its index keys follow its status: GSI2 moves to the
        # new status' partition, GSI5 goes once it is no longer unpaid), conditional on the
        # status and version it was read at.
        tx.put(
            order_item(moved),
            condition=(OrderItem.status == order.status.value)
            & (OrderItem.version == order.version),
            label="order",
        )
        tx.put(
            history_item(order.order_id, change),
            condition=HistoryItem.PK.does_not_exist(),
            label="history",
        )
        pk = keys.order_pk(order.order_id)
        for line in order.lines:
            q = line.quantity
            if effect in (StockEffect.COMMIT, StockEffect.RELEASE):
                tx.delete(
                    ReservationItem(pk, keys.reservation_sk(line.product_id)),
                    condition=ReservationItem.PK.exists(),
                    label=f"reservation:{line.product_id}",
                )
                into = (
                    InventoryItem.sold if effect is StockEffect.COMMIT else InventoryItem.available
                )
                tx.update(
                    _stock_key(line.product_id),
                    actions=[
                        InventoryItem.reserved.add(-q),
                        into.add(q),
                        InventoryItem.updated_at.set(stamp),
                    ],
                    condition=InventoryItem.reserved >= q,
                    label=f"stock:{line.product_id}",
                )
            elif effect is StockEffect.RESERVE:
                # A retried payment holds the units again until its new deadline.
                tx.update(
                    _stock_key(line.product_id),
                    actions=[
                        InventoryItem.available.add(-q),
                        InventoryItem.reserved.add(q),
                        InventoryItem.updated_at.set(stamp),
                    ],
                    condition=InventoryItem.available >= q,
                    label=f"stock:{line.product_id}",
                )
                tx.put(
                    reservation_item(
                        Reservation(order.order_id, line.product_id, q, moved.payment_due), stamp
                    ),
                    condition=ReservationItem.PK.does_not_exist(),
                    label=f"reservation:{line.product_id}",
                )
            elif effect is StockEffect.RESTOCK:
                tx.update(
                    _stock_key(line.product_id),
                    actions=[
                        InventoryItem.sold.add(-q),
                        InventoryItem.available.add(q),
                        InventoryItem.updated_at.set(stamp),
                    ],
                    condition=InventoryItem.sold >= q,
                    label=f"stock:{line.product_id}",
                )
            if change.new is OrderStatus.DELIVERED:
                tx.put(
                    PurchaseItem(
                        keys.user_pk(order.user_id),
                        keys.purchase_sk(line.product_id),
                        user_id=order.user_id,
                        product_id=line.product_id,
                        order_id=order.order_id,
                        created_at=stamp,
                        updated_at=stamp,
                    ),
                    label=f"purchase:{line.product_id}",
                )
        for seller_id in sorted(order.seller_ids):
            if effect is StockEffect.COMMIT:
                tx.put(seller_lines_item(moved, seller_id, change.at), label=f"seller:{seller_id}")
            elif order.status in PAID:
                tx.update(
                    SellerLinesItem(pk, keys.seller_line_sk(seller_id)),
                    actions=[
                        SellerLinesItem.status.set(change.new.value),
                        SellerLinesItem.updated_at.set(stamp),
                    ],
                    condition=SellerLinesItem.PK.exists(),
                    label=f"seller:{seller_id}",
                )
        try:
            tx.commit()
        except ConditionFailed as failed:
            label = failed.label or ""
            if effect is StockEffect.RESERVE and label.startswith("stock:"):
                product_id = label.removeprefix("stock:")
                raise Conflict(
                    f"product {product_id} no longer has the units this order needs",
                    code="insufficient_stock",
                    productId=product_id,
                ) from None
            raise self._why_not(order) from None
        return moved

    def _why_not(self, order: Order) -> Conflict | NotFound:
        """A move's transaction failed: the order moved meanwhile (its current status is
        named) or, at the same status and version, its stock records disagree."""
        current = self.order(order.order_id)
        if current is None:
            return NotFound("no such order", code="order_not_found")
        if current.status is not order.status:
            return Conflict(
                f"the order is {current.status.value} now",
                code="invalid_transition",
                currentStatus=current.status.value,
            )
        return Conflict(
            "the order changed meanwhile; read it again",
            code="concurrent_update",
            currentStatus=current.status.value,
        )

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
        except Conflict:  # paid, failed or released meanwhile: nothing left to do
            return False
        return True

    # -- checkout ---------------------------------------------------------------------------

    def idempotency_record(self, user_id: str, key: str, now: datetime) -> IdempotencyRecord | None:
        try:
            item = IdempotencyItem.get(
                keys.idempotency_pk(user_id, key), keys.IDEMPOTENCY, consistent_read=True
            )
        except DoesNotExist:
            return None
        if item.expires_at is not None and int(item.expires_at) <= epoch(now):
            return None  # expired, not yet deleted by TTL
        return IdempotencyRecord(
            user_id=user_id,
            key=key,
            request_hash=item.request_hash,
            order_id=item.order_id,
            status_code=int(item.status_code),
            expires_at=datetime.fromtimestamp(int(item.expires_at or 0), tz=now.tzinfo),
        )

    def cart_lines(self, user_id: str, now: datetime) -> list[CartLine]:
        live = []
        for item in CartLineItem.query(
            keys.cart_pk(user_id),
            CartLineItem.SK.startswith(keys.CART_LINE_PREFIX),
            consistent_read=True,
        ):
            if item.expires_at is not None and int(item.expires_at) <= epoch(now):
                continue  # past the cart's TTL, not yet deleted
            live.append(to_cart_line(item))
        return live

    def checkout_reads(
        self, user_id: str, product_ids: list[str], address_id: str | None
    ) -> tuple[dict[str, CheckoutStock], Address | None]:
        # Only checkout reads an address: its item class is loaded here, not by every
        # function that imports this module (cold starts).
        from repositories.accounts.items import AddressItem
        from repositories.accounts.items import to_address as to_account_address

        wanted = [
            (keys.product_pk(pid), sk)
            for pid in product_ids
            for sk in (keys.METADATA, keys.INVENTORY)
        ]
        if address_id is not None:
            wanted.append((keys.user_pk(user_id), keys.address_sk(address_id)))
        products: dict[str, Product] = {}
        stock: dict[str, Inventory] = {}
        address: Address | None = None
        for item in Item.batch_get(wanted, consistent_read=True):
            if isinstance(item, ProductItem):
                products[item.product_id] = to_product(item)
            elif isinstance(item, InventoryItem):
                stock[item.product_id] = to_inventory(item)
            elif isinstance(item, AddressItem):
                address = to_account_address(item)
        found = {pid: CheckoutStock(products.get(pid), stock.get(pid)) for pid in product_ids}
        return found, address

    def open_unpaid_orders(self, user_id: str, now: datetime, window: timedelta) -> int:
        # Order ids sort by creation, and an order waits for its payment at most `window`:
        # only the user's orders made since now - window can still be unpaid and open.
        floor = id_floor("ord", int((now - window).timestamp() * 1000))
        results = OrderItem.gsi1.query(
            keys.user_pk(user_id),
            keys.user_order_sk(floor) <= OrderItem.GSI1SK,
            filter_condition=(OrderItem.status == OrderStatus.PENDING_PAYMENT.value)
            & (OrderItem.payment_due > iso(now)),
        )
        return sum(1 for _ in results)

    def place_order(
        self,
        order: Order,
        cart: list[CartLine],
        prices: dict[str, int],
        record: IdempotencyRecord,
        now: datetime,
    ) -> None:
        stamp = iso(now)
        by_product = {line.product_id: line for line in cart}
        tx = Transaction()
        for line in order.lines:
            pid = line.product_id
            cart_line = by_product[pid]
            need = line.quantity - cart_line.held  # the hold's units are reserved already
            tx.update(
                _stock_key(pid),
                actions=[
                    InventoryItem.available.add(-need),
                    InventoryItem.reserved.add(need),
                    InventoryItem.updated_at.set(stamp),
                ],
                condition=(InventoryItem.available >= need)
                & (InventoryItem.reserved >= cart_line.held),
                label=f"stock:{pid}",
            )
            tx.delete(
                CartLineItem(keys.cart_pk(order.user_id), keys.cart_line_sk(pid)),
                condition=self._line_unchanged(cart_line),
                label=f"line:{pid}",
            )
            tx.put(
                reservation_item(
                    Reservation(order.order_id, pid, line.quantity, order.payment_due), stamp
                ),
                condition=ReservationItem.PK.does_not_exist(),
                label=f"reservation:{pid}",
            )
            tx.check(
                ProductItem,
                keys.product_pk(pid),
                keys.METADATA,
                condition=(ProductItem.status == ProductStatus.ACTIVE.value)
                & (ProductItem.price_amount == prices[pid]),
                label=f"price:{pid}",
            )
        tx.put(order_item(order), condition=OrderItem.PK.does_not_exist(), label="order")
        tx.put(
            history_item(order.order_id, order.history[0]),
            condition=HistoryItem.PK.does_not_exist(),
            label="history",
        )
        idempotency = IdempotencyItem(
            keys.idempotency_pk(record.user_id, record.key),
            keys.IDEMPOTENCY,
            request_hash=record.request_hash,
            order_id=record.order_id,
            status_code=record.status_code,
            expires_at=epoch(record.expires_at),
            created_at=stamp,
            updated_at=stamp,
        )
        tx.put(
            idempotency,
            condition=IdempotencyItem.PK.does_not_exist()
            | (IdempotencyItem.expires_at <= epoch(now)),
            label="key",
        )
        try:
            tx.commit()
        except ConditionFailed as failed:
            label = failed.label or ""
            if label == "key":
                raise KeyTaken() from None
            if label.startswith("stock:"):
                raise StockShort(label.removeprefix("stock:")) from None
            raise CheckoutRaced(label) from None

    @staticmethod
    def _line_unchanged(line: CartLine) -> Condition:
        condition: Condition = CartLineItem.quantity == line.quantity
        if line.held:
            condition = condition & (CartLineItem.held == line.held)
        else:
            condition = condition & (CartLineItem.held.does_not_exist() | (CartLineItem.held == 0))
        if line.hold_until is None:
            until: Condition = CartLineItem.hold_until.does_not_exist()
        else:
            until = CartLineItem.hold_until == iso(line.hold_until)
        unchanged: Condition = condition & until
        return unchanged
