"""Orders: ``tests/unit/order_fakes.py: FakeOrders`` and ``repositories/buying/orders.py:
DynamoOrders`` keep the same rules: the checkout transaction moves stock exactly and is
all-or-nothing (a changed cart line, a changed price, short stock or a used key writes
nothing), a move is conditional on the status and version it leaves, stock effects are
exact, an unpaid order expires once, and the lists and the verified-buyer marker agree."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.buying.lifecycle import StockEffect
from domain.buying.model import (
    CartLine,
    Order,
    OrderLine,
    OrderStatus,
    ShippingAddress,
    StatusChange,
    Totals,
)
from domain.buying.records import CheckoutRaced, IdempotencyRecord, KeyTaken, StockShort
from domain.catalog.model import Money, ProductStatus
from domain.errors import Conflict
from domain.ids import new_id
from tests.contract.builders import category, inventory, product

NOW = datetime.now(UTC).replace(microsecond=0)
BUYER = "usr_01JD0000000000000000000001"
ADDRESS = ShippingAddress("Ada Lovelace", "1 Road", "London", "N1", "GB")


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


class World:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.lamp = product("cat_x", status=ProductStatus.ACTIVE, price=1500)
        self.orders: Any
        if kind == "fake":
            from tests.unit.order_fakes import FakeOrders

            self.orders = FakeOrders()
            self.orders.add_product(self.lamp, 10)
        else:
            from repositories.buying.orders import DynamoOrders
            from repositories.catalog.categories import DynamoCategories
            from repositories.catalog.products import DynamoProducts

            lamps = category("Lamps")
            DynamoCategories().add_category(lamps)
            self.lamp.category_id = lamps.category_id
            DynamoProducts().add_product(self.lamp, inventory(self.lamp.product_id, 10))
            self.orders = DynamoOrders()

    def put_line(self, quantity: int, held: int = 0, user: str = BUYER) -> CartLine:
        line = CartLine(
            user, self.lamp.product_id, quantity, Money(1500, "USD"), NOW, NOW, held,
            at(15) if held else None,
        )  # fmt: skip
        if self.kind == "fake":
            self.orders.put_line(line)
        else:
            from tests.integration.order_helpers import put_cart_line

            put_cart_line(user, self.lamp.product_id, quantity, price=1500, held=held)
            line = self.orders.cart_lines(user, NOW)[0]
        return line

    def units(self) -> tuple[int, int, int]:
        if self.kind == "fake":
            i = self.orders.stock[self.lamp.product_id]
            return i.available, i.reserved, i.sold
        from tests.integration.order_helpers import stock_of

        return stock_of(self.lamp.product_id)

    def new_order(self, quantity: int, user: str = BUYER, when: float = 0) -> Order:
        made = at(when)
        return Order(
            order_id=new_id("ord"),
            user_id=user,
            status=OrderStatus.PENDING_PAYMENT,
            lines=[
                OrderLine(
                    self.lamp.product_id, self.lamp.seller_id, "Lamp", "SKU", quantity, 1500, 0
                )
            ],
            totals=Totals(1500 * quantity, 0, 0, "USD"),
            shipping_address=ADDRESS,
            payment_method="pm_card_visa",
            payment_due=made + timedelta(minutes=15),
            created_at=made,
            updated_at=made,
            history=[StatusChange(None, OrderStatus.PENDING_PAYMENT, user, made)],
        )

    def place(
        self, quantity: int, *, held: int = 0, key: str | None = None, line: CartLine | None = None
    ) -> Order:
        line = line or self.put_line(quantity, held)
        order = self.new_order(quantity)
        record = IdempotencyRecord(
            BUYER, key or new_id("key"), "hash", order.order_id, 201, at(24 * 60)
        )
        self.orders.place_order(order, [line], {self.lamp.product_id: 1500}, record, NOW)
        return order

    def move(self, order: Order, new: OrderStatus, effect: StockEffect, when: float = 1) -> Order:
        moved: Order = self.orders.transition(
            order, StatusChange(order.status, new, "system", at(when)), effect
        )
        return moved


@pytest.fixture
def w(kind: str) -> World:
    return World(kind)


def test_checkout_moves_stock_and_the_order_reads_back(w: World) -> None:
    order = w.place(3)
    assert w.units() == (7, 3, 0)
    assert w.orders.cart_lines(BUYER, NOW) == []
    stored = w.orders.order(order.order_id)
    assert stored == order
    assert w.orders.open_unpaid_orders(BUYER, at(1), timedelta(minutes=15)) == 1


def test_checkout_converts_a_hold(w: World) -> None:
    w.place(3, held=3)
    assert w.units() == (7, 3, 0)


@pytest.mark.parametrize("race", ["quantity", "held", "deleted"])
def test_a_cart_line_changed_since_the_read_writes_nothing(w: World, race: str) -> None:
    line = w.put_line(2)
    if race == "quantity":
        w.put_line(3)  # the buyer changed it meanwhile
    elif race == "held":
        line = replace(line, held=1, hold_until=at(5))
    else:
        line = replace(line, product_id=line.product_id)
        w.orders.place_order(
            w.new_order(2), [line], {w.lamp.product_id: 1500},
            IdempotencyRecord(BUYER, "first", "h", "ord_x", 201, at(60)), NOW,
        )  # fmt: skip
    before = w.units()
    with pytest.raises(CheckoutRaced):
        w.place(2, line=line)
    assert w.units() == before


def test_a_changed_price_writes_nothing(w: World) -> None:
    line = w.put_line(2)
    order = w.new_order(2)
    record = IdempotencyRecord(BUYER, "k", "h", order.order_id, 201, at(60))
    with pytest.raises(CheckoutRaced) as caught:
        w.orders.place_order(order, [line], {w.lamp.product_id: 1400}, record, NOW)
    assert caught.value.label == f"price:{w.lamp.product_id}"
    assert w.units() == (10, 0, 0)
    assert w.orders.order(order.order_id) is None


def test_short_stock_writes_nothing(w: World) -> None:
    with pytest.raises(StockShort) as caught:
        w.place(11)
    assert caught.value.product_id == w.lamp.product_id
    assert w.units() == (10, 0, 0)


def test_a_key_is_taken_once(w: World) -> None:
    w.place(1, key="same")
    with pytest.raises(KeyTaken):
        w.place(1, key="same")
    assert w.units() == (9, 1, 0)
    record = w.orders.idempotency_record(BUYER, "same", NOW)
    assert record is not None
    assert record.request_hash == "hash"
    assert w.orders.idempotency_record(BUYER, "other", NOW) is None
    assert w.orders.idempotency_record(BUYER, "same", at(25 * 60)) is None  # expired


def test_moves_are_conditional_on_status_and_version(w: World) -> None:
    order = w.place(2)
    w.move(order, OrderStatus.CONFIRMED, StockEffect.COMMIT)
    with pytest.raises(Conflict) as caught:
        w.move(order, OrderStatus.CANCELLED, StockEffect.RELEASE, when=2)
    assert caught.value.code == "invalid_transition"
    assert caught.value.extra == {"currentStatus": "confirmed"}
    assert w.units() == (8, 0, 2)


def test_stock_effects(w: World) -> None:
    paid = w.move(w.place(2), OrderStatus.CONFIRMED, StockEffect.COMMIT)
    assert w.units() == (8, 0, 2)
    (lines,) = w.orders.seller_lines(w.lamp.seller_id, None, 10).items
    assert (lines.order_id, lines.status) == (paid.order_id, OrderStatus.CONFIRMED)
    cancelled = w.move(paid, OrderStatus.CANCELLED, StockEffect.RESTOCK, when=2)
    assert w.units() == (10, 0, 0)
    assert (
        w.orders.seller_lines(w.lamp.seller_id, None, 10).items[0].status is OrderStatus.CANCELLED
    )
    assert [c.new for c in w.orders.order(cancelled.order_id).history] == [
        OrderStatus.PENDING_PAYMENT, OrderStatus.CONFIRMED, OrderStatus.CANCELLED,
    ]  # fmt: skip
    w.move(w.place(3), OrderStatus.PAYMENT_FAILED, StockEffect.RELEASE)
    assert w.units() == (10, 0, 0)


def test_delivery_makes_a_verified_buyer(w: World) -> None:
    order = w.move(w.place(1), OrderStatus.CONFIRMED, StockEffect.COMMIT)
    order = w.move(order, OrderStatus.SHIPPED, StockEffect.NONE, when=2)
    assert not w.orders.has_delivered(BUYER, w.lamp.product_id)
    w.move(order, OrderStatus.DELIVERED, StockEffect.NONE, when=3)
    assert w.orders.has_delivered(BUYER, w.lamp.product_id)
    assert not w.orders.has_delivered("usr_other", w.lamp.product_id)


def test_an_unpaid_order_expires_once_after_its_deadline(w: World) -> None:
    order = w.place(4)
    assert not w.orders.expire_unpaid(order.order_id, at(14))
    assert w.orders.expire_unpaid(order.order_id, at(15))
    assert not w.orders.expire_unpaid(order.order_id, at(16))
    assert w.units() == (10, 0, 0)
    stored = w.orders.order(order.order_id)
    assert stored.status is OrderStatus.CANCELLED
    assert stored.cancel_reason == "payment not received"
    assert w.orders.open_unpaid_orders(BUYER, at(16), timedelta(minutes=15)) == 0


def test_lists_newest_first(w: World) -> None:
    first = w.place(1)
    time.sleep(0.002)  # ids sort by creation to the millisecond
    second = w.place(1)
    page = w.orders.orders_of(BUYER, None, 1)
    assert [o.order_id for o in page.items] == [second.order_id]
    rest = w.orders.orders_of(BUYER, page.next_cursor, 1)
    assert [o.order_id for o in rest.items] == [first.order_id]
    pending = w.orders.orders_by_status(OrderStatus.PENDING_PAYMENT, at(-1), at(1), None, 10)
    assert [o.order_id for o in pending.items] == [second.order_id, first.order_id]
    assert w.orders.orders_between(at(1), None, None, 10).items == []
