"""Checkout's rules on fakes: refusals, holds converted or stock taken, idempotency."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from domain.buying.checkout import CheckoutForm, CheckoutLimits, Placed, checkout
from domain.buying.model import CartLine, OrderStatus, ShippingAddress
from domain.buying.pricing import PricingPolicy
from domain.catalog.model import Money, Product, ProductStatus
from domain.errors import Conflict, DomainError, NotFound, RuleViolation
from domain.ids import new_id
from tests.unit.order_fakes import T0, FakeHolds, FakeOrders, at

BUYER = "usr_01JD0000000000000000000001"
SELLER = "sel_01JD0000000000000000000002"
ADDRESS = ShippingAddress("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "GB")
VISA = CheckoutForm("pm_card_visa", shipping_address=ADDRESS)
PRICING = PricingPolicy(
    "USD", {"GB": 2000, "US-CA": 725}, shipping_flat=499, free_shipping_from=5000
)
LIMITS = CheckoutLimits(payment_window=timedelta(minutes=15), max_unpaid=3)


def product(price: int = 1000, status: ProductStatus = ProductStatus.ACTIVE) -> Product:
    return Product(
        product_id=new_id("prd"),
        seller_id=SELLER,
        name="Lamp",
        description="A lamp.",
        price=Money(price, "USD"),
        category_id="cat_01JD0000000000000000000003",
        sku=new_id("sku")[-8:],
        status=status,
        version=1,
        created_at=T0,
        updated_at=T0,
    )


def line(
    p: Product,
    quantity: int,
    *,
    held: int = 0,
    until: float | None = None,
    seen: int | None = None,
    user: str = BUYER,
) -> CartLine:
    return CartLine(
        user_id=user,
        product_id=p.product_id,
        quantity=quantity,
        price_seen=Money(p.price.amount if seen is None else seen, "USD"),
        added_at=T0,
        updated_at=T0,
        held=held,
        hold_until=None if until is None else at(until),
    )


class World:
    def __init__(self) -> None:
        self.store = FakeOrders()
        self.holds = FakeHolds(self.store)

    def stocked(self, available: int, price: int = 1000, **kw: Any) -> Product:
        p = product(price, **kw)
        self.store.add_product(p, available)
        return p

    def buy(
        self, key: str = "key-1", form: CheckoutForm = VISA, *, user: str = BUYER, now: float = 1
    ) -> Placed:
        placed = checkout(
            user,
            key,
            form,
            store=self.store,
            orders=self.store,
            holds=self.holds,
            pricing=PRICING,
            limits=LIMITS,
            now=at(now),
        )
        self.store.check_stock()
        return placed


@pytest.fixture
def w() -> World:
    return World()


def refused(w: World, kind: type[DomainError], code: str, **kw: Any) -> DomainError:
    before = (dict(w.store.orders), {k: dict(v) for k, v in w.store.carts.items()})
    with pytest.raises(kind) as caught:
        w.buy(**kw)
    assert caught.value.code == code
    assert (dict(w.store.orders), {k: dict(v) for k, v in w.store.carts.items()}) == before
    w.store.check_stock()
    return caught.value


# -- what an order is ------------------------------------------------------------------------


def test_holds_off_the_stock_is_taken_at_checkout(w: World) -> None:
    lamp, bulb = w.stocked(5, 1500), w.stocked(10, 250)
    w.store.put_line(line(lamp, 2))
    w.store.put_line(line(bulb, 4))

    placed = w.buy()

    order = placed.order
    assert not placed.replayed
    assert order.status is OrderStatus.PENDING_PAYMENT
    assert order.payment_due == at(1) + timedelta(minutes=15)
    assert {(o.product_id, o.quantity, o.unit_price) for o in order.lines} == {
        (lamp.product_id, 2, 1500),
        (bulb.product_id, 4, 250),
    }
    # GB 20 %, per line, half even; 4000 >= free shipping? no: 3000 + 1000 = 4000 < 5000
    assert (order.totals.subtotal, order.totals.tax, order.totals.shipping) == (4000, 800, 499)
    assert order.totals.total == 5299
    assert [(c.old, c.new, c.actor_id) for c in order.history] == [
        (None, OrderStatus.PENDING_PAYMENT, BUYER)
    ]
    assert w.store.stock[lamp.product_id].available == 3
    assert w.store.stock[lamp.product_id].reserved == 2
    assert w.store.stock[bulb.product_id].reserved == 4
    assert w.store.carts[BUYER] == {}
    assert {r.quantity for r in w.store.reservations.values()} == {2, 4}


def test_holds_on_the_cart_hold_becomes_the_order_hold(w: World) -> None:
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 3, held=3, until=15))  # reserved 3, available 2

    w.buy()

    inventory = w.store.stock[lamp.product_id]
    assert (inventory.available, inventory.reserved) == (2, 3)


def test_a_partly_held_line_takes_the_rest_from_available(w: World) -> None:
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 2, held=2, until=15))
    w.store.carts[BUYER][lamp.product_id] = replace(
        w.store.carts[BUYER][lamp.product_id], quantity=4
    )
    w.buy()
    inventory = w.store.stock[lamp.product_id]
    assert (inventory.available, inventory.reserved) == (1, 4)


def test_an_expired_own_hold_not_yet_released_still_counts_for_its_line(w: World) -> None:
    lamp = w.stocked(2)
    w.store.put_line(line(lamp, 2, held=2, until=-5))  # expired five minutes before
    w.buy(now=1)
    assert w.store.stock[lamp.product_id].reserved == 2


def test_a_saved_address_is_snapshotted(w: World) -> None:
    from domain.accounts.model import Address

    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 1))
    w.store.addresses[(BUYER, "adr_1")] = Address(
        "adr_1",
        BUYER,
        "Grace Hopper",
        "1 Navy Way",
        "Arlington",
        "22201",
        "US",
        T0,
        T0,
        region="CA",
    )
    order = w.buy(form=CheckoutForm("pm_card_visa", address_id="adr_1")).order
    assert order.shipping_address.full_name == "Grace Hopper"
    assert order.totals.tax == 72  # 1000 at 7.25 % = 72.5, half even: 72


# -- refusals (nothing written) --------------------------------------------------------------


def test_an_empty_cart_is_refused(w: World) -> None:
    refused(w, RuleViolation, "empty_cart")


def test_a_cart_beyond_one_transaction_is_refused(w: World) -> None:
    for _ in range(25):  # 4 x 25 + 3 > 100 actions
        w.store.put_line(line(w.stocked(5), 1))
    error = refused(w, RuleViolation, "cart_too_large")
    assert error.extra == {"limit": 24}


def test_an_unknown_address_is_refused(w: World) -> None:
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 1))
    refused(w, NotFound, "address_not_found", form=CheckoutForm("pm_card_visa", address_id="adr_x"))


@pytest.mark.parametrize("status", [s for s in ProductStatus if s is not ProductStatus.ACTIVE])
def test_products_no_longer_sold_are_listed(w: World, status: ProductStatus) -> None:
    gone, fine = w.stocked(5, status=status), w.stocked(5)
    w.store.put_line(line(gone, 1))
    w.store.put_line(line(fine, 1))
    error = refused(w, Conflict, "products_unavailable")
    assert error.extra["products"] == [gone.product_id]


def test_changed_prices_are_listed_with_the_new_price(w: World) -> None:
    lamp, bulb = w.stocked(5, 1200), w.stocked(5, 300)
    w.store.put_line(line(lamp, 1, seen=1000))
    w.store.put_line(line(bulb, 1))
    error = refused(w, Conflict, "price_changed")
    assert error.extra["prices"] == [
        {
            "productId": lamp.product_id,
            "price": {"amount": 1200, "currency": "USD"},
            "priceSeen": {"amount": 1000, "currency": "USD"},
        }
    ]


def test_a_short_line_names_what_is_left(w: World) -> None:
    lamp, bulb = w.stocked(2), w.stocked(9)
    w.store.put_line(line(lamp, 3))
    w.store.put_line(line(bulb, 9))
    error = refused(w, Conflict, "insufficient_stock")
    assert error.extra["lines"] == [{"productId": lamp.product_id, "requested": 3, "available": 2}]
    assert w.holds.released == [lamp.product_id]  # tried once, nothing to release


def test_short_releases_expired_holds_then_succeeds(w: World) -> None:
    lamp = w.stocked(3)
    other = "usr_01JD0000000000000000000009"
    w.store.put_line(line(lamp, 3, held=3, until=-1, user=other))  # expired, not released
    w.store.put_line(line(lamp, 2))

    order = w.buy(now=1).order

    assert w.holds.released == [lamp.product_id]
    assert order.lines[0].quantity == 2
    inventory = w.store.stock[lamp.product_id]
    assert (inventory.available, inventory.reserved) == (1, 2)
    assert w.store.carts[other][lamp.product_id].held == 0


def test_live_holds_of_others_are_not_released(w: World) -> None:
    lamp = w.stocked(3)
    other = "usr_01JD0000000000000000000009"
    w.store.put_line(line(lamp, 3, held=3, until=30, user=other))
    w.store.put_line(line(lamp, 1))
    refused(w, Conflict, "insufficient_stock")
    assert w.store.carts[other][lamp.product_id].held == 3


def test_an_expired_unpaid_order_is_cancelled_to_free_its_units(w: World) -> None:
    lamp = w.stocked(2)
    other = "usr_01JD0000000000000000000009"
    w.store.put_line(line(lamp, 2, user=other))
    first = w.buy(user=other, key="k-other", now=0).order
    w.store.put_line(line(lamp, 1))

    w.buy(now=20)  # the other order's deadline (15 minutes) has passed

    assert w.store.orders[first.order_id].status is OrderStatus.CANCELLED
    assert w.store.orders[first.order_id].cancel_reason == "payment not received"


def test_the_unpaid_order_cap(w: World) -> None:
    lamp = w.stocked(10)
    for n in range(3):
        w.store.put_line(line(lamp, 1))
        w.buy(key=f"k{n}", now=n)
    w.store.put_line(line(lamp, 1))
    error = refused(w, Conflict, "too_many_unpaid_orders", key="k3", now=4)
    assert error.extra == {"limit": 3}
    # once one has lapsed, another may be placed
    w.buy(key="k4", now=16)


# -- idempotency --------------------------------------------------------------------------------


def test_a_replay_answers_with_the_same_order_and_writes_nothing(w: World) -> None:
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 2))
    first = w.buy()
    w.store.put_line(line(lamp, 1))  # a new cart meanwhile: the replay must not buy it

    again = w.buy(now=2)

    assert again.replayed
    assert again.order.order_id == first.order.order_id
    assert len(w.store.orders) == 1
    assert w.store.stock[lamp.product_id].available == 3  # the new line holds nothing (holds off)
    assert lamp.product_id in w.store.carts[BUYER]


def test_the_same_key_with_another_body_is_refused(w: World) -> None:
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 2))
    w.buy()
    w.store.put_line(line(lamp, 1))
    refused(
        w,
        RuleViolation,
        "idempotency_key_reused",
        form=CheckoutForm("pm_card_chargeDeclined", shipping_address=ADDRESS),
    )


def test_keys_are_per_user(w: World) -> None:
    lamp = w.stocked(5)
    other = "usr_01JD0000000000000000000009"
    w.store.put_line(line(lamp, 1))
    w.store.put_line(line(lamp, 1, user=other))
    a = w.buy(key="same")
    b = w.buy(key="same", user=other)
    assert a.order.order_id != b.order.order_id


def test_a_concurrent_request_with_the_key_makes_one_order(w: World) -> None:
    """The loser read no record (the winner had not committed), then its transaction
    failed on the winner's writes: it answers with the winner's order."""
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 2))
    winner = w.buy()
    w.store.put_line(line(lamp, 2))  # the loser read this cart before the winner wrote
    w.store.stale_record_reads = 1

    loser = w.buy(now=1)

    assert loser.replayed
    assert loser.order.order_id == winner.order.order_id
    assert len(w.store.orders) == 1


def test_a_fingerprint_covers_every_field() -> None:
    base = CheckoutForm("pm_card_visa", shipping_address=ADDRESS)
    assert (
        base.fingerprint() == CheckoutForm("pm_card_visa", shipping_address=ADDRESS).fingerprint()
    )
    others = [
        CheckoutForm("pm_card_chargeDeclined", shipping_address=ADDRESS),
        CheckoutForm("pm_card_visa", shipping_address=ADDRESS._replace(city="Leeds")),
        CheckoutForm("pm_card_visa", address_id="adr_1"),
    ]
    assert len({f.fingerprint() for f in [base, *others]}) == 4


# -- races between the read and the write --------------------------------------------------------


class RacingOrders(FakeOrders):
    """Something happens between the read and the transaction, once."""

    def __init__(self, race: Any) -> None:
        super().__init__()
        self.race = race

    def place_order(self, *args: Any, **kwargs: Any) -> None:
        race, self.race = self.race, None
        if race is not None:
            race(self)
        super().place_order(*args, **kwargs)


def test_stock_taken_between_read_and_write_reads_again(w: World) -> None:
    lamp = w.stocked(3)
    w.store = RacingOrders(lambda s: setattr(s.stock[lamp.product_id], "available", 1))
    w.store.add_product(lamp, 3)
    w.holds = FakeHolds(w.store)
    w.store.put_line(line(lamp, 2))
    w.store.received[lamp.product_id] = 1  # what the racing sale left in this fake's books
    with pytest.raises(Conflict) as caught:
        w.buy()
    assert caught.value.code == "insufficient_stock"
    assert caught.value.extra["lines"] == [
        {"productId": lamp.product_id, "requested": 2, "available": 1}
    ]
    assert w.store.orders == {}


def test_a_price_changed_between_read_and_write_is_a_409(w: World) -> None:
    lamp = w.stocked(3, 1000)
    w.store = RacingOrders(
        lambda s: setattr(s.products[lamp.product_id], "price", Money(1100, "USD"))
    )
    w.store.add_product(lamp, 3)
    w.holds = FakeHolds(w.store)
    w.store.put_line(line(lamp, 1))
    with pytest.raises(Conflict) as caught:
        w.buy()
    assert caught.value.code == "price_changed"
    assert w.store.orders == {}
