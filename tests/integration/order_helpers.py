"""Steps the checkout and order tests share.

Until the cart routes land (branch buy-cart), a cart is written straight into the table as
the cart's own items (``repositories/buying/items.py: CartLineItem``); a held line also
moves its units from available to reserved, as a hold does. Payment is the state
machine's: ``pay`` makes its move (``confirmed``) through the domain, as it will.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tests.integration.catalog_helpers import (
    activate,
    become_seller,
    create_category,
    create_product,
)
from tests.integration.helpers import Account, make_admin, register_and_login
from tests.support.lambda_api import ApiResponse, LambdaApi

_keys = itertools.count(1)

ADDRESS = {
    "fullName": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postalCode": "SW1Y 4JH",
    "country": "GB",
}


def new_key() -> str:
    return f"checkout-{next(_keys)}"


def checkout_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"shippingAddress": ADDRESS, "paymentMethod": "pm_card_visa"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def put_cart_line(
    user_id: str,
    product_id: str,
    quantity: int,
    *,
    price: int,
    held: int = 0,
    hold_minutes: float = 15,
) -> None:
    """A cart line as the cart writes it; ``held`` units move available -> reserved."""
    from domain.buying.model import CartLine
    from domain.catalog.model import Money
    from domain.clock import epoch, iso, utcnow
    from repositories import keys
    from repositories.buying.items import CartLineItem, cart_hold_keys
    from repositories.catalog.items import InventoryItem

    now = utcnow()
    until = now + timedelta(minutes=hold_minutes) if held else None
    line = CartLine(user_id, product_id, quantity, Money(price, "USD"), now, now, held, until)
    CartLineItem(
        keys.cart_pk(user_id),
        keys.cart_line_sk(product_id),
        **cart_hold_keys(line),  # type: ignore[arg-type]
        user_id=user_id,
        product_id=product_id,
        quantity=quantity,
        price_seen=price,
        currency="USD",
        held=held,
        hold_until=iso(until) if until else None,
        expires_at=epoch(now + timedelta(days=30)),
        created_at=iso(now),
        updated_at=iso(now),
    ).save()
    if held:
        InventoryItem(keys.product_pk(product_id), keys.INVENTORY).update(
            actions=[InventoryItem.available.add(-held), InventoryItem.reserved.add(held)],
            condition=InventoryItem.available >= held,
        )


def stock_of(product_id: str) -> tuple[int, int, int]:
    """(available, reserved, sold) as the table has them."""
    from repositories import keys
    from repositories.catalog.items import InventoryItem

    item = InventoryItem.get(keys.product_pk(product_id), keys.INVENTORY, consistent_read=True)
    return int(item.available), int(item.reserved or 0), int(item.sold or 0)


def cart_of(user_id: str) -> list[str]:
    from repositories import keys
    from repositories.buying.items import CartLineItem

    return [i.product_id for i in CartLineItem.query(keys.cart_pk(user_id), consistent_read=True)]


def place(
    api: LambdaApi,
    who: Account,
    key: str | None = None,
    body: dict[str, Any] | None = None,
) -> ApiResponse:
    return api.post(
        "/checkout",
        json=body or checkout_body(),
        token=who.access,
        headers={"idempotency-key": key or new_key()},
    )


def pay(order_id: str) -> None:
    """The state machine's move once the payment succeeded (CommitStock)."""
    from domain.buying.lifecycle import Mover
    from domain.buying.model import OrderStatus
    from domain.buying.orders import move_order
    from domain.clock import utcnow
    from handlers.shared import wiring

    move_order(
        order_id,
        OrderStatus.CONFIRMED,
        mover=Mover.SYSTEM,
        actor_id="system",
        reason=None,
        orders=wiring.orders(),
        now=utcnow(),
        payment_reference="pi_test",
    )


def record_delivered_purchase(user_id: str, product_id: str) -> str:
    """A verified buyer of ``product_id`` without the whole buying path: a delivered order
    of it, moved to ``delivered`` through the real repository (``scripts/seed.py:
    delivered_order``, which the demo data uses too). Returns the order id."""
    from handlers.shared import wiring
    from scripts.seed import delivered_order

    product = wiring.products().product(product_id)
    assert product is not None, product_id
    return delivered_order(user_id, product)


@dataclass
class Market:
    admin: Account
    seller: Account
    buyer: Account
    category_id: str

    def product(self, api: LambdaApi, stock: int = 10, price: int = 1999) -> str:
        made = create_product(api, self.seller, self.category_id, sku=new_key(), price=price)
        activate(api, self.seller, self.admin, made["productId"], stock=stock)
        return str(made["productId"])


def market(api: LambdaApi) -> Market:
    admin = make_admin(api)
    return Market(
        admin=admin,
        seller=become_seller(api),
        buyer=register_and_login(api),
        category_id=create_category(api, admin, f"Lamps {next(_keys)}"),
    )
