"""The stock equation, on the real repositories (moto in-process): random sequences of
cart adds, changes and removals with holds, checkouts (and their replays), payments,
declines, cancels by buyer and admin, time passing, buyers releasing expired holds and the
scheduled sweep. After every step, for every product:

- no counter is negative, and ``received = available + reserved + sold``;
- every reserved unit belongs to a hold on the product's hold index (a cart line's ``held``
  or an unpaid order's reservation), and every such hold to a live cart line or an unpaid
  order: no order without its hold, no hold without its order or cart.

The clock is the test's (every domain call takes ``now``), so holds and payment deadlines
expire in the middle of a sequence without waiting.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.buying.cart import CartPolicy, add_to_cart, change_quantity, remove_from_cart
from domain.buying.checkout import CheckoutForm, checkout
from domain.buying.holds import sweep
from domain.buying.lifecycle import Mover
from domain.buying.model import SYSTEM, OrderStatus, ShippingAddress
from domain.buying.orders import cancel_my_order, move_order
from domain.errors import DomainError
from tests.integration.catalog_helpers import shop
from tests.support.lambda_api import LambdaApi

START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
STOCK = 6
POLICY = CartPolicy(
    hold_minutes=10,
    max_quantity=99,
    max_lines=20,
    ttl_days=30,
    max_held_per_product=10,
    max_held_total=50,
)
ADDRESS = ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "GB")
CARDS = ["pm_card_visa", "pm_card_chargeDeclined"]


def _wired() -> dict[str, Any]:
    from handlers.shared import wiring

    return {
        "carts": wiring.carts(),
        "holds": wiring.holds(),
        "orders": wiring.orders(),
        "releaser": wiring.hold_releaser(),
        "addresses": wiring.address_book(),
        "pricing": wiring.pricing(),
        "limits": wiring.checkout_limits(),
        "products": wiring.products(),
    }


@pytest.mark.usefixtures("aws")
def test_stock_adds_up_after_every_step(api: LambdaApi) -> None:
    s = shop(api)
    seller_id = "sel_" + s.seller.user_id.removeprefix("usr_")
    wired = _wired()

    class Buying(RuleBasedStateMachine):
        @initialize()
        def stock_two_products(self) -> None:
            self.products = [_listed(seller_id, s.child, price) for price in (1200, 450)]
            tag = uuid.uuid4().hex[:12].upper()
            self.users = [f"usr_PROP{tag}{n}" for n in range(3)]
            self.orders: list[str] = []
            self.now = START
            self.keys = 0

        # -- the cart -------------------------------------------------------------------

        @rule(user=st.integers(0, 2), which=st.integers(0, 1), quantity=st.integers(1, 4))
        def add(self, user: int, which: int, quantity: int) -> None:
            with contextlib.suppress(DomainError):
                add_to_cart(
                    self.users[user],
                    self.products[which],
                    quantity,
                    carts=wired["carts"],
                    holds=wired["holds"],
                    orders=wired["orders"],
                    addresses=wired["addresses"],
                    pricing=wired["pricing"],
                    policy=POLICY,
                    now=self.now,
                )

        @rule(user=st.integers(0, 2), which=st.integers(0, 1), quantity=st.integers(1, 6))
        def change(self, user: int, which: int, quantity: int) -> None:
            with contextlib.suppress(DomainError):
                change_quantity(
                    self.users[user],
                    self.products[which],
                    quantity,
                    carts=wired["carts"],
                    holds=wired["holds"],
                    orders=wired["orders"],
                    addresses=wired["addresses"],
                    pricing=wired["pricing"],
                    policy=POLICY,
                    now=self.now,
                )

        @rule(user=st.integers(0, 2), which=st.integers(0, 1))
        def remove(self, user: int, which: int) -> None:
            with contextlib.suppress(DomainError):
                remove_from_cart(
                    self.users[user],
                    self.products[which],
                    carts=wired["carts"],
                    policy=POLICY,
                    now=self.now,
                )

        # -- checkout and the order's life ----------------------------------------------

        @rule(
            user=st.integers(0, 2),
            which=st.integers(0, 1),
            quantity=st.integers(1, 3),
            card=st.sampled_from(CARDS),
        )
        def fill_and_check_out(self, user: int, which: int, quantity: int, card: str) -> None:
            self.add(user, which, quantity)
            self.check_out(user, card, replay=False)

        @rule(user=st.integers(0, 2), card=st.sampled_from(CARDS), replay=st.booleans())
        def check_out(self, user: int, card: str, replay: bool) -> None:
            if not replay or self.keys == 0:
                self.keys += 1
            key = f"key-{self.keys}"
            with contextlib.suppress(DomainError):
                placed = checkout(
                    self.users[user],
                    key,
                    CheckoutForm(card, shipping_address=ADDRESS),
                    store=wired["orders"],
                    orders=wired["orders"],
                    holds=wired["releaser"],
                    pricing=wired["pricing"],
                    limits=wired["limits"],
                    now=self.now,
                )
                if placed.order.order_id not in self.orders:
                    self.orders.append(placed.order.order_id)

        def _move(self, index: int, new: OrderStatus, mover: Mover) -> None:
            if not self.orders:
                return
            order_id = self.orders[index % len(self.orders)]
            with contextlib.suppress(DomainError):
                move_order(
                    order_id,
                    new,
                    mover=mover,
                    actor_id=SYSTEM,
                    reason="property test",
                    orders=wired["orders"],
                    now=self.now,
                )

        @rule(index=st.integers(0, 20))
        def paid(self, index: int) -> None:
            self._move(index, OrderStatus.CONFIRMED, Mover.SYSTEM)

        @rule(index=st.integers(0, 20))
        def declined(self, index: int) -> None:
            self._move(index, OrderStatus.PAYMENT_FAILED, Mover.SYSTEM)

        @rule(index=st.integers(0, 20))
        def admin_cancels(self, index: int) -> None:
            self._move(index, OrderStatus.CANCELLED, Mover.ADMIN)

        @rule(index=st.integers(0, 20))
        def shipped(self, index: int) -> None:
            self._move(index, OrderStatus.SHIPPED, Mover.ADMIN)

        @rule(index=st.integers(0, 20))
        def buyer_cancels(self, index: int) -> None:
            if not self.orders:
                return
            order_id = self.orders[index % len(self.orders)]
            order = wired["orders"].order(order_id)
            with contextlib.suppress(DomainError):
                cancel_my_order(
                    order_id, user_id=order.user_id, orders=wired["orders"], now=self.now
                )

        # -- time, and what releases expired holds ---------------------------------------

        @rule(minutes=st.sampled_from([1, 6, 11, 20]))
        def time_passes(self, minutes: int) -> None:
            self.now += timedelta(minutes=minutes)

        @rule(which=st.integers(0, 1))
        def a_buyer_finds_it_short(self, which: int) -> None:
            wired["releaser"].release_expired(self.products[which], self.now)

        @rule()
        def the_sweep_runs(self) -> None:
            from repositories import keys

            sweep(
                holds=wired["holds"], orders=wired["orders"], shards=keys.HOLD_SHARDS, now=self.now
            )

        # -- what must hold after every step ---------------------------------------------

        @invariant()
        def stock_adds_up(self) -> None:
            for product_id in getattr(self, "products", []):
                _, inventory = wired["products"].product_with_inventory(product_id)
                counters = (inventory.available, inventory.reserved, inventory.sold)
                assert min(counters) >= 0, (product_id, counters)
                assert sum(counters) == STOCK, (product_id, counters)
                holders = _holds_of(product_id)
                assert inventory.reserved == sum(q for _, q, _ in holders), (
                    product_id,
                    inventory.reserved,
                    holders,
                )
                for kind, quantity, owner in holders:
                    assert quantity > 0
                    if kind == "Reservation":
                        order = wired["orders"].order(owner)
                        assert order is not None
                        assert order.status is OrderStatus.PENDING_PAYMENT, (owner, order.status)
            for order_id in getattr(self, "orders", []):
                order = wired["orders"].order(order_id)
                held = {p for kind, _, p in _reservations_of(order_id)}
                if order.status is OrderStatus.PENDING_PAYMENT:
                    assert held == {line.product_id for line in order.lines}, order_id
                else:
                    assert held == set(), (order_id, order.status)

    Buying.TestCase.settings = settings(
        max_examples=10,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    Buying.TestCase().runTest()


def _listed(seller_id: str, category_id: str, price: int) -> str:
    """An active product with ``STOCK`` units, put straight through its repository."""
    from domain.catalog.model import Inventory, Money, Product, ProductStatus
    from domain.ids import new_id
    from handlers.shared import wiring

    product = Product(
        product_id=new_id("prd"),
        seller_id=seller_id,
        name="Teapot",
        description="Cast iron.",
        price=Money(price, "USD"),
        category_id=category_id,
        sku=f"SKU-{uuid.uuid4().hex[:10]}",
        status=ProductStatus.ACTIVE,
        version=1,
        created_at=START,
        updated_at=START,
        status_changed_at=START,
    )
    wiring.products().add_product(product, Inventory(product.product_id, STOCK, 0, 5, START))
    return product.product_id


def _holds_of(product_id: str) -> list[tuple[str, int, str]]:
    """Every hold on the product's hold index: (item type, units, order id or user id)."""
    from repositories import keys
    from repositories.buying.items import CartLineItem, ReservationItem
    from repositories.table import Item

    found = []
    for item in Item.gsi4.query(keys.holds_pk(product_id)):
        if isinstance(item, CartLineItem):
            found.append(("CartLine", int(item.held), item.user_id))
        else:
            assert isinstance(item, ReservationItem), item
            found.append(("Reservation", int(item.quantity), item.order_id))
    return found


def _reservations_of(order_id: str) -> list[tuple[str, int, str]]:
    from repositories import keys
    from repositories.buying.items import ReservationItem

    return [
        ("Reservation", int(i.quantity), i.product_id)
        for i in ReservationItem.query(
            keys.order_pk(order_id), ReservationItem.SK.startswith(keys.RESERVATION_PREFIX)
        )
    ]
