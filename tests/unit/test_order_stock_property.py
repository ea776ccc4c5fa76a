"""A stateful property test over the orders area's rules (on its fakes): carts with and
without holds, checkouts (with replays), payments, declines, cancels by buyer and admin,
shipping, delivery, expiry of unpaid orders and the release of expired holds. After every
step, for every product: nothing is negative, ``received = available + reserved + sold``,
and every reserved unit belongs to a cart hold or an unpaid order's reservation
(``FakeOrders.check_stock``). ``tests/contract/test_orders.py`` holds the fake to the table.

The cart's own moves (add, change, remove) are the cart area's; here a cart line is put as
the cart would put it (its hold taking units from available)."""

from __future__ import annotations

import contextlib

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.buying.checkout import CheckoutForm, checkout
from domain.buying.lifecycle import Mover
from domain.buying.model import OrderStatus, Shipment
from domain.buying.orders import cancel_my_order, move_order
from domain.errors import DomainError
from tests.unit.order_fakes import FakeHolds, FakeOrders, at
from tests.unit.test_checkout import ADDRESS, LIMITS, PRICING, line, product

USERS = ["usr_01JD00000000000000000000U1", "usr_01JD00000000000000000000U2"]
FORMS = [
    CheckoutForm("pm_card_visa", shipping_address=ADDRESS),
    CheckoutForm("pm_card_chargeDeclined", shipping_address=ADDRESS),
]
MOVES = [
    (OrderStatus.CONFIRMED, Mover.SYSTEM),
    (OrderStatus.PAYMENT_FAILED, Mover.SYSTEM),
    (OrderStatus.CANCELLED, Mover.SYSTEM),
    (OrderStatus.CANCELLED, Mover.ADMIN),
    (OrderStatus.SHIPPED, Mover.ADMIN),
    (OrderStatus.DELIVERED, Mover.ADMIN),
]


class OrderStock(RuleBasedStateMachine):
    @initialize()
    def shop(self) -> None:
        self.store = FakeOrders()
        self.holds = FakeHolds(self.store)
        self.products = [product(1000), product(250)]
        for p in self.products:
            self.store.add_product(p, 5)
        self.minute = 0.0

    @rule(
        user=st.sampled_from(USERS),
        which=st.integers(0, 1),
        quantity=st.integers(1, 4),
        hold=st.booleans(),
        hold_minutes=st.sampled_from([1, 15]),
    )
    def put_in_cart(
        self, user: str, which: int, quantity: int, hold: bool, hold_minutes: int
    ) -> None:
        p = self.products[which]
        if p.product_id in self.store.carts.get(user, {}):
            return  # one line per product (changing it is the cart's)
        held = quantity if hold and self.store.stock[p.product_id].available >= quantity else 0
        placed = line(
            p, quantity, held=held, until=self.minute + hold_minutes if held else None, user=user
        )
        self.store.put_line(placed)

    @rule(
        user=st.sampled_from(USERS),
        key=st.sampled_from(["a", "b", "c", "d"]),
        form=st.sampled_from(FORMS),
    )
    def check_out(self, user: str, key: str, form: CheckoutForm) -> None:
        with contextlib.suppress(DomainError):  # a refusal writes nothing: still checked
            checkout(
                user, key, form, store=self.store, orders=self.store, holds=self.holds,
                pricing=PRICING, limits=LIMITS, now=at(self.minute),
            )  # fmt: skip

    @rule(data=st.data(), move=st.sampled_from(MOVES))
    def move(self, data: st.DataObject, move: tuple[OrderStatus, Mover]) -> None:
        if not self.store.orders:
            return
        order_id = data.draw(st.sampled_from(sorted(self.store.orders)))
        new, mover = move
        shipment = Shipment("UPS", "1Z") if new is OrderStatus.SHIPPED else None
        with contextlib.suppress(DomainError):  # an illegal move writes nothing
            move_order(
                order_id, new, mover=mover, actor_id="usr_x", reason="why", orders=self.store,
                now=at(self.minute), shipment=shipment,
            )  # fmt: skip

    @rule(data=st.data())
    def buyer_cancels(self, data: st.DataObject) -> None:
        if not self.store.orders:
            return
        order = self.store.orders[data.draw(st.sampled_from(sorted(self.store.orders)))]
        with contextlib.suppress(DomainError):
            cancel_my_order(
                order.order_id, user_id=order.user_id, orders=self.store, now=at(self.minute)
            )

    @rule(minutes=st.sampled_from([1, 5, 16]))
    def time_passes(self, minutes: int) -> None:
        self.minute += minutes

    @rule(data=st.data())
    def sweep_an_order(self, data: st.DataObject) -> None:
        if self.store.orders:
            self.store.expire_unpaid(
                data.draw(st.sampled_from(sorted(self.store.orders))), at(self.minute)
            )

    @rule(which=st.integers(0, 1))
    def release_expired_holds(self, which: int) -> None:
        self.holds.release_expired(self.products[which].product_id, at(self.minute))

    @invariant()
    def stock_adds_up(self) -> None:
        self.store.check_stock()

    @invariant()
    def paid_orders_keep_their_units_sold_and_unpaid_ones_reserved(self) -> None:
        for order in self.store.orders.values():
            reserved = all(
                (order.order_id, li.product_id) in self.store.reservations for li in order.lines
            )
            if order.status is OrderStatus.PENDING_PAYMENT:
                assert reserved, order
            else:
                assert not any(
                    (order.order_id, li.product_id) in self.store.reservations for li in order.lines
                )


OrderStock.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_order_stock = OrderStock.TestCase
