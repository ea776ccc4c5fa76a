"""The hold indexes and the release of a cart line's expired hold (issue 16).

GSI4 ``HOLDS#<productId>`` and GSI5 ``HOLDEXPIRY#<shard>`` sort a hold by
``<holdUntil>#<CART|ORDER>#<owner>``: everything expired by ``now`` sorts before
``<now>#~`` (``~`` sorts after the kinds), so "expired" is one key condition.
"""

from __future__ import annotations

from datetime import datetime

from domain.buying.model import HoldKind, HoldRef
from domain.clock import iso, parse_iso
from domain.errors import Conflict
from repositories import keys
from repositories.buying.cart_items import CartLineItem
from repositories.catalog.items import InventoryItem
from repositories.table import ConditionFailed, Item, Transaction


def expired_by(now: datetime) -> str:
    """The first sort key of a hold not yet expired at ``now`` (expired: until <= now)."""
    return f"{iso(now)}#~"


def hold_ref(item: Item) -> HoldRef | None:
    # The order items are loaded on first use (an index read meets them): the cart's
    # functions read the hold indexes only when a product is short.
    from repositories.buying.items import OrderItem, ReservationItem

    if isinstance(item, CartLineItem) and item.hold_until:
        return HoldRef(
            HoldKind.CART,
            item.user_id,
            item.product_id,
            parse_iso(item.hold_until),
            int(item.held or 0),
        )
    if isinstance(item, ReservationItem):
        return HoldRef(
            HoldKind.ORDER,
            item.order_id,
            item.product_id,
            parse_iso(item.hold_until),
            int(item.quantity),
        )
    if isinstance(item, OrderItem):
        return HoldRef(HoldKind.ORDER, item.order_id, None, parse_iso(item.payment_due))
    return None


class DynamoHolds:
    def expired_holds(self, product_id: str, now: datetime, limit: int) -> list[HoldRef]:
        import repositories.buying.items  # noqa: F401 - registers every kind of hold item

        expired = Item.GSI4SK < expired_by(now)  # noqa: SIM300 - the key reads first
        items = Item.gsi4.query(keys.holds_pk(product_id), expired, limit=limit)
        return [ref for ref in map(hold_ref, items) if ref is not None]

    def due_holds(self, shard: int, now: datetime, limit: int) -> list[HoldRef]:
        import repositories.buying.items  # noqa: F401 - registers every kind of hold item

        expired = Item.GSI5SK < expired_by(now)  # noqa: SIM300 - the key reads first
        items = Item.gsi5.query(keys.hold_expiry_pk(shard), expired, limit=limit)
        return [ref for ref in map(hold_ref, items) if ref is not None]

    def release_cart_hold(
        self, user_id: str, product_id: str, hold_until: datetime, held: int, now: datetime
    ) -> bool:
        if held <= 0 or hold_until > now:
            return False  # nothing held, or not expired: never released early
        stamp = iso(now)
        tx = Transaction()
        tx.update(
            CartLineItem(keys.cart_pk(user_id), keys.cart_line_sk(product_id)),
            actions=[
                CartLineItem.held.set(0),
                CartLineItem.hold_until.remove(),
                CartLineItem.GSI4PK.remove(),
                CartLineItem.GSI4SK.remove(),
                CartLineItem.GSI5PK.remove(),
                CartLineItem.GSI5SK.remove(),
            ],
            condition=CartLineItem.PK.exists()
            & (CartLineItem.held == held)
            & (CartLineItem.hold_until == iso(hold_until)),
            label="line",
        )
        tx.update(
            InventoryItem(keys.product_pk(product_id), keys.INVENTORY),
            actions=[
                InventoryItem.reserved.add(-held),
                InventoryItem.available.add(held),
                InventoryItem.updated_at.set(stamp),
            ],
            condition=InventoryItem.reserved >= held,
            label="stock",
        )
        try:
            tx.commit()
        except (ConditionFailed, Conflict):
            return False  # released (or renewed) by someone else first
        return True
