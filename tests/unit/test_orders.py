"""Order moves on fakes: the transition table exhaustively, stock effects, who sees what."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from domain.buying.checkout import checkout
from domain.buying.lifecycle import TRANSITIONS, Mover, StockEffect
from domain.buying.model import Order, OrderStatus, Shipment
from domain.buying.orders import (
    DateRange,
    admin_orders,
    cancel_my_order,
    cancel_order,
    deliver_order,
    move_order,
    my_order,
    my_orders,
    seller_orders,
    ship_order,
)
from domain.errors import Conflict, NotFound
from tests.unit.order_fakes import FakeHolds, FakeOrders, at
from tests.unit.test_checkout import BUYER, LIMITS, PRICING, SELLER, VISA, line, product

ADMIN = "usr_01JD00000000000000000000AD"
S = OrderStatus
# How to bring a fresh order (pending_payment) to each status, by legal moves.
PATH_TO: dict[OrderStatus, list[tuple[OrderStatus, Mover]]] = {
    S.PENDING_PAYMENT: [],
    S.CONFIRMED: [(S.CONFIRMED, Mover.SYSTEM)],
    S.PAYMENT_FAILED: [(S.PAYMENT_FAILED, Mover.SYSTEM)],
    S.SHIPPED: [(S.CONFIRMED, Mover.SYSTEM), (S.SHIPPED, Mover.ADMIN)],
    S.DELIVERED: [
        (S.CONFIRMED, Mover.SYSTEM),
        (S.SHIPPED, Mover.ADMIN),
        (S.DELIVERED, Mover.ADMIN),
    ],
    S.CANCELLED: [(S.CANCELLED, Mover.SYSTEM)],
    S.REFUNDED: [(S.CONFIRMED, Mover.SYSTEM), (S.REFUNDED, Mover.ADMIN)],
}
SHIPMENT = Shipment("UPS", "1Z999", "2026-12-03")


class Shop:
    def __init__(self) -> None:
        self.store = FakeOrders()
        self.lamp = product(1500)
        self.bulb = product(250)
        self.store.add_product(self.lamp, 10)
        self.store.add_product(self.bulb, 10)

    def order(self, user: str = BUYER, key: str = "k", now: float = 0) -> Order:
        self.store.put_line(line(self.lamp, 2, user=user))
        self.store.put_line(line(self.bulb, 3, user=user))
        return checkout(
            user,
            key,
            VISA,
            store=self.store,
            orders=self.store,
            holds=FakeHolds(self.store),
            pricing=PRICING,
            limits=LIMITS,
            now=at(now),
        ).order

    def bring(self, order: Order, status: OrderStatus) -> Order:
        for n, (new, mover) in enumerate(PATH_TO[status], start=1):
            order = move_order(
                order.order_id,
                new,
                mover=mover,
                actor_id=ADMIN,
                reason="why",
                orders=self.store,
                now=at(n),
                shipment=SHIPMENT if new is S.SHIPPED else None,
            )
        return order

    def units(self, product_id: str) -> tuple[int, int, int]:
        i = self.store.stock[product_id]
        return i.available, i.reserved, i.sold


ALL_MOVES = list(itertools.product(S, S, Mover))


@pytest.mark.parametrize(
    ("old", "new", "mover"),
    ALL_MOVES,
    ids=[f"{o.value}->{n.value} by {m.value}" for o, n, m in ALL_MOVES],
)
def test_every_move_of_the_table_and_no_other(
    old: OrderStatus, new: OrderStatus, mover: Mover
) -> None:
    shop = Shop()
    order = shop.bring(shop.order(), old)
    before = {p: shop.units(p) for p in (shop.lamp.product_id, shop.bulb.product_id)}
    rule = TRANSITIONS.get((old, new))
    allowed = rule is not None and mover in rule[0]

    def move() -> Order:
        return move_order(
            order.order_id,
            new,
            mover=mover,
            actor_id="usr_x",
            reason="because",
            orders=shop.store,
            now=at(10),
            shipment=SHIPMENT if new is S.SHIPPED else None,
            payment_reference="pi_1",
        )

    if not allowed:
        with pytest.raises(Conflict) as caught:
            move()
        assert caught.value.code == "invalid_transition"
        assert caught.value.extra == {"currentStatus": old.value}
        assert shop.store.orders[order.order_id].status is old
        assert {p: shop.units(p) for p in before} == before
        shop.store.check_stock()
        return
    moved = move()
    assert rule is not None
    effect = rule[1]
    assert moved.status is new
    assert moved.version == order.version + 1
    assert moved.history[-1].old is old
    assert moved.history[-1].new is new
    assert moved.history[-1].actor_id == "usr_x"
    assert moved.history[-1].reason == "because"
    stored = shop.store.orders[order.order_id]
    assert stored.status is new
    for product_id, q in ((shop.lamp.product_id, 2), (shop.bulb.product_id, 3)):
        a, r, s = before[product_id]
        expected = {
            StockEffect.NONE: (a, r, s),
            StockEffect.COMMIT: (a, r - q, s + q),
            StockEffect.RELEASE: (a + q, r - q, s),
            StockEffect.RESTOCK: (a + q, r, s - q),
            StockEffect.RESERVE: (a - q, r + q, s),
        }[effect]
        assert shop.units(product_id) == expected, (effect, product_id)
    shop.store.check_stock()
    assert moved.refund_owed == (
        moved.totals.total if (old, new) == (S.CONFIRMED, S.CANCELLED) else 0
    )
    assert moved.cancel_reason == ("because" if new is S.CANCELLED else order.cancel_reason)
    if effect is StockEffect.COMMIT:
        assert {s.seller_id for s in seller_orders(SELLER, None, 10, orders=shop.store).items} == {
            SELLER
        }


def test_a_stale_read_cannot_move_an_order_twice() -> None:
    shop = Shop()
    order = shop.order()
    move_order(
        order.order_id,
        S.CONFIRMED,
        mover=Mover.SYSTEM,
        actor_id="system",
        reason=None,
        orders=shop.store,
        now=at(1),
    )
    from domain.buying.model import StatusChange

    with pytest.raises(Conflict) as caught:  # the same move from the old read
        shop.store.transition(
            order,
            StatusChange(S.PENDING_PAYMENT, S.CANCELLED, "system", at(2)),
            StockEffect.RELEASE,
        )
    assert caught.value.extra == {"currentStatus": "confirmed"}
    shop.store.check_stock()


def test_unknown_orders() -> None:
    shop = Shop()
    with pytest.raises(NotFound):
        move_order(
            "ord_nope",
            S.CONFIRMED,
            mover=Mover.SYSTEM,
            actor_id="system",
            reason=None,
            orders=shop.store,
            now=at(1),
        )


def test_the_buyer_sees_and_cancels_only_their_own() -> None:
    shop = Shop()
    mine, theirs = shop.order(), shop.order(user="usr_other", key="k2")
    assert (
        my_order(mine.order_id, user_id=BUYER, is_admin=False, orders=shop.store).order_id
        == mine.order_id
    )
    with pytest.raises(NotFound):
        my_order(theirs.order_id, user_id=BUYER, is_admin=False, orders=shop.store)
    assert (
        my_order(theirs.order_id, user_id=ADMIN, is_admin=True, orders=shop.store).user_id
        == "usr_other"
    )
    with pytest.raises(NotFound):
        cancel_my_order(theirs.order_id, user_id=BUYER, orders=shop.store, now=at(1))
    cancelled = cancel_my_order(mine.order_id, user_id=BUYER, orders=shop.store, now=at(1))
    assert cancelled.status is S.CANCELLED
    assert cancelled.refund_owed == 0
    assert cancelled.cancel_reason == "cancelled by the customer"
    assert [o.order_id for o in my_orders(BUYER, None, 10, orders=shop.store).items] == [
        mine.order_id
    ]
    shop.store.check_stock()


def test_a_paid_order_cancelled_by_its_buyer_owes_its_total_and_restocks() -> None:
    shop = Shop()
    order = shop.bring(shop.order(), S.CONFIRMED)
    cancelled = cancel_my_order(order.order_id, user_id=BUYER, orders=shop.store, now=at(5))
    assert cancelled.refund_owed == order.totals.total
    assert shop.units(shop.lamp.product_id) == (10, 0, 0)
    shop.store.check_stock()


def test_a_shipped_order_cannot_be_cancelled_by_anyone() -> None:
    shop = Shop()
    order = shop.bring(shop.order(), S.SHIPPED)
    with pytest.raises(Conflict) as caught:
        cancel_my_order(order.order_id, user_id=BUYER, orders=shop.store, now=at(5))
    assert caught.value.extra == {"currentStatus": "shipped"}
    with pytest.raises(Conflict):
        cancel_order(order.order_id, "late", admin_id=ADMIN, orders=shop.store, now=at(5))


def test_the_admin_ships_delivers_and_the_buyer_becomes_a_verified_buyer() -> None:
    shop = Shop()
    order = shop.bring(shop.order(), S.CONFIRMED)
    assert not shop.store.has_delivered(BUYER, shop.lamp.product_id)
    shipped = ship_order(order.order_id, SHIPMENT, admin_id=ADMIN, orders=shop.store, now=at(3))
    assert shipped.shipment == SHIPMENT
    assert not shop.store.has_delivered(BUYER, shop.lamp.product_id)
    delivered = deliver_order(order.order_id, admin_id=ADMIN, orders=shop.store, now=at(4))
    assert delivered.shipment == SHIPMENT
    assert [c.new for c in delivered.history] == [
        S.PENDING_PAYMENT,
        S.CONFIRMED,
        S.SHIPPED,
        S.DELIVERED,
    ]
    assert shop.store.has_delivered(BUYER, shop.lamp.product_id)
    assert not shop.store.has_delivered("usr_other", shop.lamp.product_id)
    (lines,) = seller_orders(SELLER, None, 10, orders=shop.store).items
    assert lines.status is S.DELIVERED


def test_expire_unpaid_only_past_the_deadline_and_once() -> None:
    shop = Shop()
    order = shop.order(now=0)
    assert not shop.store.expire_unpaid(order.order_id, at(14))
    assert shop.store.expire_unpaid(order.order_id, at(15))
    assert not shop.store.expire_unpaid(order.order_id, at(16))
    assert shop.store.orders[order.order_id].status is S.CANCELLED
    assert shop.units(shop.lamp.product_id) == (10, 0, 0)
    shop.store.check_stock()


def test_admin_lists_by_status_and_days() -> None:
    shop = Shop()
    a = shop.order(key="a")
    b = shop.bring(shop.order(key="b"), S.CONFIRMED)
    page = admin_orders(S.CONFIRMED, DateRange(), None, 10, orders=shop.store)
    assert [o.order_id for o in page.items] == [b.order_id]
    everything = admin_orders(None, DateRange(), None, 10, orders=shop.store)
    assert {o.order_id for o in everything.items} == {a.order_id, b.order_id}
    day = at(0).date()
    assert len(admin_orders(None, DateRange(day, day), None, 10, orders=shop.store).items) == 2
    after = day + timedelta(days=1)
    assert admin_orders(None, DateRange(after, None), None, 10, orders=shop.store).items == []
    assert (
        admin_orders(
            None, DateRange(None, day - timedelta(days=1)), None, 10, orders=shop.store
        ).items
        == []
    )
    assert admin_orders(None, DateRange(after, day), None, 10, orders=shop.store).items == []


def test_a_date_range_is_whole_utc_days() -> None:
    days = DateRange(date(2026, 11, 1), date(2026, 11, 30))
    assert days.since is not None
    assert days.since.isoformat() == "2026-11-01T00:00:00+00:00"
    assert days.before is not None
    assert days.before.isoformat() == "2026-12-01T00:00:00+00:00"
    assert not days.empty
    assert DateRange(date(2026, 12, 1), date(2026, 11, 1)).empty
