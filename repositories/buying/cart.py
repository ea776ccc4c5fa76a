"""Cart lines and the stock they hold: ``CART#<userId>`` / ``ITEM#<productId>``."""

from __future__ import annotations

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from domain.buying.model import CartLine
from domain.buying.ports import LineWrite
from domain.catalog.model import Inventory, Product
from domain.clock import iso, utcnow
from domain.errors import Conflict
from repositories import keys
from repositories.buying.cart_items import CartLineItem, cart_line_item, to_cart_line
from repositories.catalog.items import InventoryItem, ProductItem, to_inventory, to_product
from repositories.table import ConditionFailed, Item, Transaction

TAKE = "take:"
LINE = "line:"


def as_read(line: CartLine | None) -> Condition:
    """A cart line is still as it was read: absent, or holding the same units until the
    same moment, last changed at the same time."""
    if line is None:
        return CartLineItem.PK.does_not_exist()
    until = (
        CartLineItem.hold_until == iso(line.hold_until)
        if line.held > 0 and line.hold_until
        else CartLineItem.hold_until.does_not_exist()
    )
    same: Condition = (
        CartLineItem.PK.exists()
        & (CartLineItem.held == line.held)
        & until
        & (CartLineItem.updated_at == iso(line.updated_at))
    )
    return same


def move_stock(tx: Transaction, product_id: str, units: int, stamp: str) -> None:
    """``units`` > 0: available -> reserved (only if that many are available);
    < 0: reserved -> available. Keeps ``received = available + reserved + sold``."""
    item = InventoryItem(keys.product_pk(product_id), keys.INVENTORY)
    actions: list[Action] = [
        InventoryItem.available.add(-units),
        InventoryItem.reserved.add(units),
        InventoryItem.updated_at.set(stamp),
    ]
    if units > 0:
        tx.update(item, actions, InventoryItem.available >= units, label=f"{TAKE}{product_id}")
    elif units < 0:
        tx.update(item, actions, InventoryItem.reserved >= -units, label=f"give:{product_id}")


class DynamoCarts:
    def cart(self, user_id: str) -> list[CartLine]:
        return [
            to_cart_line(item)
            for item in CartLineItem.query(
                keys.cart_pk(user_id), CartLineItem.SK.startswith(keys.CART_LINE_PREFIX)
            )
        ]

    def products(self, product_ids: list[str]) -> dict[str, tuple[Product, Inventory | None]]:
        wanted = list(dict.fromkeys(product_ids))
        if not wanted:
            return {}
        found: dict[str, Product] = {}
        stock: dict[str, Inventory] = {}
        pairs = [(keys.product_pk(p), sk) for p in wanted for sk in (keys.METADATA, keys.INVENTORY)]
        for item in Item.batch_get(pairs):
            if isinstance(item, ProductItem):
                found[item.product_id] = to_product(item)
            elif isinstance(item, InventoryItem):
                stock[item.product_id] = to_inventory(item)
        return {pid: (product, stock.get(pid)) for pid, product in found.items()}

    def save(self, user_id: str, writes: list[LineWrite]) -> None:
        stamp = iso(utcnow())
        tx = Transaction()
        for write in writes:
            product_id = write.product_id
            label = f"{LINE}{product_id}"
            if write.after is not None:
                tx.put(cart_line_item(write.after), as_read(write.before), label)
            elif write.before is not None:
                item = CartLineItem(keys.cart_pk(user_id), keys.cart_line_sk(product_id))
                tx.delete(item, as_read(write.before), label)
            move_stock(tx, product_id, write.stock, stamp)
        if not len(tx):
            return
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label and failed.label.startswith(TAKE):
                raise Conflict(
                    "not enough stock",
                    code="insufficient_stock",
                    productId=failed.label.removeprefix(TAKE),
                ) from None
            raise Conflict(
                "your cart changed meanwhile; read it again", code="cart_changed"
            ) from None
