"""The cart line item (``CART#<userId>`` / ``ITEM#<productId>``) and its mapping.

Apart from the other buying items (``repositories/buying/items.py`` re-exports it) so that
the cart's functions load this one item class, not every order item (cold starts).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from domain.buying.model import CartLine
from domain.catalog.model import Money
from domain.clock import epoch, iso, parse_iso
from repositories import keys
from repositories.table import ExpiringItem


class CartLineItem(ExpiringItem, discriminator="CartLine"):
    user_id = UnicodeAttribute(attr_name="userId")
    product_id = UnicodeAttribute(attr_name="productId")
    quantity = NumberAttribute()
    price_seen = NumberAttribute(attr_name="priceSeen")
    currency = UnicodeAttribute()
    held = NumberAttribute(default=0)
    hold_until = UnicodeAttribute(attr_name="holdUntil", null=True)


def to_cart_line(item: CartLineItem) -> CartLine:
    return CartLine(
        user_id=item.user_id,
        product_id=item.product_id,
        quantity=int(item.quantity),
        price_seen=Money(int(item.price_seen), item.currency),
        added_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        held=int(item.held or 0),
        hold_until=parse_iso(item.hold_until) if item.hold_until else None,
        expires_at=None
        if item.expires_at is None
        else datetime.fromtimestamp(int(item.expires_at), UTC),
    )


def cart_hold_keys(line: CartLine) -> dict[str, str | None]:
    """The hold index keys of a cart line: set while it holds units, removed otherwise."""
    if line.held <= 0 or line.hold_until is None:
        return {"GSI4PK": None, "GSI4SK": None, "GSI5PK": None, "GSI5SK": None}
    until = iso(line.hold_until)
    return {
        "GSI4PK": keys.holds_pk(line.product_id),
        "GSI4SK": keys.hold_sk(until, "cart", line.user_id),
        "GSI5PK": keys.hold_expiry_pk(keys.hold_shard(line.user_id)),
        "GSI5SK": keys.hold_expiry_sk(until, "cart", line.user_id, line.product_id),
    }


def cart_line_item(line: CartLine) -> CartLineItem:
    """The whole cart line item, its hold index keys set while it holds units."""
    return CartLineItem(
        keys.cart_pk(line.user_id),
        keys.cart_line_sk(line.product_id),
        **cart_hold_keys(line),  # type: ignore[arg-type]
        user_id=line.user_id,
        product_id=line.product_id,
        quantity=line.quantity,
        price_seen=line.price_seen.amount,
        currency=line.price_seen.currency,
        held=line.held,
        hold_until=iso(line.hold_until) if line.held > 0 and line.hold_until else None,
        expires_at=epoch(line.expires_at) if line.expires_at else None,
        created_at=iso(line.added_at),
        updated_at=iso(line.updated_at),
    )
