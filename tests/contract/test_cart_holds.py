"""CartRepository and HoldStore: ``tests/unit/cart_fakes.py`` (``FakeCarts``, ``FakeHolds``)
and ``repositories/buying/cart.py: DynamoCarts`` / ``repositories/buying/holds.py:
DynamoHolds`` keep the same rules: a cart write lands whole or not at all, only over lines
as read and only while the product has the units it takes; the hold indexes list exactly
the expired holds, oldest first; a hold is released once, only while it is still the
expired hold that was read."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from domain.buying.model import CartLine, HoldKind
from domain.buying.ports import LineWrite
from domain.catalog.model import Inventory, Money, ProductStatus
from domain.errors import Conflict
from repositories.keys import HOLD_SHARDS, hold_shard
from tests.contract.builders import T0, category, inventory, product

ADA = "usr_01JD00000000000000000000AD"
BOB = "usr_01JD00000000000000000000B0"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class World:
    """Two active products (10 and 3 units) and the cart and hold stores over them."""

    def __init__(self, kind: str) -> None:
        lamps = category("Lamps")
        self.lamp = product(lamps.category_id, status=ProductStatus.ACTIVE, price=1500)
        self.desk = product(lamps.category_id, status=ProductStatus.ACTIVE, price=9000)
        self.carts: Any
        self.holds: Any
        if kind == "fake":
            from tests.unit.cart_fakes import FakeCarts, FakeHolds, Store

            store = Store()
            store.add(self.lamp, 10)
            store.add(self.desk, 3)
            self.carts, self.holds = FakeCarts(store), FakeHolds(store, HOLD_SHARDS)
        else:
            from repositories.buying.cart import DynamoCarts
            from repositories.buying.holds import DynamoHolds
            from repositories.catalog.categories import DynamoCategories
            from repositories.catalog.products import DynamoProducts

            DynamoCategories().add_category(lamps)
            DynamoProducts().add_product(self.lamp, inventory(self.lamp.product_id, 10))
            DynamoProducts().add_product(self.desk, inventory(self.desk.product_id, 3))
            self.carts, self.holds = DynamoCarts(), DynamoHolds()

    def stock(self, product_id: str) -> Inventory:
        found = self.carts.products([product_id])[product_id][1]
        assert found is not None
        return found

    def line(
        self, user: str, product_id: str, quantity: int, *, until: float | None = 15
    ) -> CartLine:
        return CartLine(
            user_id=user,
            product_id=product_id,
            quantity=quantity,
            price_seen=Money(1500, "USD"),
            added_at=T0,
            updated_at=T0,
            held=quantity if until is not None else 0,
            hold_until=at(until) if until is not None else None,
            expires_at=T0 + timedelta(days=30),
        )

    def hold(self, user: str, product_id: str, quantity: int, until: float = 15) -> CartLine:
        line = self.line(user, product_id, quantity, until=until)
        self.carts.save(user, [LineWrite(None, line, quantity)])
        return line


@pytest.fixture
def world(kind: str) -> World:
    return World(kind)


def test_a_line_and_its_hold_round_trip(world: World) -> None:
    line = world.hold(ADA, world.lamp.product_id, 4)
    assert world.carts.cart(ADA) == [line]
    assert world.carts.cart(BOB) == []
    stock = world.stock(world.lamp.product_id)
    assert (stock.available, stock.reserved) == (6, 4)
    found = world.carts.products([world.lamp.product_id, "prd_01JD0000000000000000000000"])
    assert list(found) == [world.lamp.product_id]
    assert found[world.lamp.product_id][0].price.amount == 1500


def test_a_write_takes_units_only_while_they_are_there_and_all_or_nothing(world: World) -> None:
    lamp, desk = world.lamp.product_id, world.desk.product_id
    with pytest.raises(Conflict) as short:
        world.carts.save(
            ADA,
            [
                LineWrite(None, world.line(ADA, lamp, 2), 2),
                LineWrite(None, world.line(ADA, desk, 4), 4),
            ],
        )
    assert (short.value.code, short.value.extra) == ("insufficient_stock", {"productId": desk})
    assert world.carts.cart(ADA) == []
    assert world.stock(lamp).available == 10


def test_a_write_lands_only_over_lines_as_read(world: World) -> None:
    lamp = world.lamp.product_id
    read = world.hold(ADA, lamp, 2)
    renewed = world.line(ADA, lamp, 2, until=30)
    world.carts.save(ADA, [LineWrite(read, renewed, 0)])
    for stale in (None, read):  # absent, or at its old hold
        with pytest.raises(Conflict) as changed:
            world.carts.save(ADA, [LineWrite(stale, world.line(ADA, lamp, 3, until=40), 1)])
        assert changed.value.code == "cart_changed"
    with pytest.raises(Conflict):
        world.carts.save(ADA, [LineWrite(read, None, -2)])
    assert world.carts.cart(ADA) == [renewed]
    world.carts.save(ADA, [LineWrite(renewed, None, -2)])
    assert world.carts.cart(ADA) == []
    assert (world.stock(lamp).available, world.stock(lamp).reserved) == (10, 0)


def test_a_products_expired_holds_oldest_first(world: World) -> None:
    lamp = world.lamp.product_id
    world.hold(ADA, lamp, 1, until=15)
    world.hold(BOB, lamp, 2, until=10)
    world.hold(BOB, world.desk.product_id, 1, until=5)
    assert world.holds.expired_holds(lamp, at(9), 25) == []
    refs = world.holds.expired_holds(lamp, at(15), 25)  # ending at 15 is ended at 15
    assert [(r.kind, r.owner_id, r.quantity, r.hold_until) for r in refs] == [
        (HoldKind.CART, BOB, 2, at(10)),
        (HoldKind.CART, ADA, 1, at(15)),
    ]
    assert len(world.holds.expired_holds(lamp, at(15), 1)) == 1


def test_the_sweep_index_lists_due_holds_by_shard(world: World) -> None:
    world.hold(ADA, world.lamp.product_id, 1, until=10)
    shard = hold_shard(ADA)
    due = world.holds.due_holds(shard, at(11), 100)
    assert [(r.owner_id, r.product_id) for r in due] == [(ADA, world.lamp.product_id)]
    assert world.holds.due_holds(shard, at(9), 100) == []
    others = [s for s in range(HOLD_SHARDS) if s != shard]
    assert all(world.holds.due_holds(s, at(11), 100) == [] for s in others)


def test_a_hold_is_released_once_and_only_while_expired_and_unchanged(world: World) -> None:
    lamp = world.lamp.product_id
    world.hold(ADA, lamp, 3, until=15)
    assert not world.holds.release_cart_hold(ADA, lamp, at(15), 3, at(14))  # not yet
    assert not world.holds.release_cart_hold(ADA, lamp, at(15), 2, at(16))  # not what it holds
    assert world.holds.release_cart_hold(ADA, lamp, at(15), 3, at(16))
    assert not world.holds.release_cart_hold(ADA, lamp, at(15), 3, at(16))  # once
    (line,) = world.carts.cart(ADA)
    assert (line.quantity, line.held, line.hold_until) == (3, 0, None)
    assert (world.stock(lamp).available, world.stock(lamp).reserved) == (10, 0)
    assert world.holds.expired_holds(lamp, at(16), 25) == []
    assert world.holds.due_holds(hold_shard(ADA), at(16), 25) == []


def test_a_renewed_hold_is_not_released(world: World) -> None:
    lamp = world.lamp.product_id
    read = world.hold(ADA, lamp, 3, until=15)
    world.carts.save(ADA, [LineWrite(read, world.line(ADA, lamp, 3, until=40), 0)])
    assert not world.holds.release_cart_hold(ADA, lamp, at(15), 3, at(16))
    assert world.stock(lamp).reserved == 3


# -- AddressBook: FakeAddresses and repositories/buying/addresses.py: DynamoAddressBook ---


def test_a_users_destinations_and_default(kind: str) -> None:
    """The raw read of the profile partition finds what the accounts repository wrote."""
    from domain.accounts.model import Address, Credentials, Role, User, UserStatus
    from domain.buying.model import Destination

    user = User(ADA, "ada@shop.example", "Ada", "Buyer", Role.CUSTOMER, UserStatus.ACTIVE, T0, T0)

    def address(address_id: str, country: str, region: str | None) -> Address:
        return Address(address_id, ADA, "Ada", "1 Main St", "Town", "12345", country, T0, T0,
                       region=region)  # fmt: skip

    home = "adr_01JD0000000000000000000001"
    work = "adr_01JD0000000000000000000002"
    book: Any
    if kind == "fake":
        from tests.unit.cart_fakes import FakeAddresses

        book = FakeAddresses()
        assert book.destinations(ADA) == (None, {})
        book.users[ADA] = (
            replace(user, default_shipping_address_id=work),
            [address(home, "GB", None), address(work, "US", "CA")],
        )
    else:
        from repositories.accounts.repository import DynamoAccounts
        from repositories.buying.addresses import DynamoAddressBook

        accounts, book = DynamoAccounts(), DynamoAddressBook()
        assert book.destinations(ADA) == (None, {})
        accounts.add_user(user, Credentials(user.email, ADA, "hash", Role.CUSTOMER, user.status))
        accounts.add_address(user, address(home, "GB", None), default_shipping=False,
                             default_billing=True)  # fmt: skip
        accounts.add_address(user, address(work, "US", "CA"), default_shipping=True,
                             default_billing=False)  # fmt: skip
    assert book.destinations(ADA) == (
        work,
        {home: Destination("GB", None), work: Destination("US", "CA")},
    )
    assert book.destinations(BOB) == (None, {})
