"""Plain in-memory fakes of the cart's ports (domain/buying/ports.py): ``CartRepository``,
``HoldStore``, ``UnpaidOrders`` and ``AddressBook``.

They keep the rules repositories/buying/cart.py and repositories/buying/holds.py enforce
with conditions, over one shared store of products, stock and cart lines: a cart write
lands only if every line is still as read (same ``held``, ``holdUntil`` and ``updatedAt``,
or absent) and every product has the units it takes, all or nothing; a hold is released
only if it still holds exactly what was read until the same moment. tests/contract/
holds them to the real repositories. They store and hand out copies, and count writes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from domain.accounts.model import Address, Role, User, UserStatus
from domain.buying.cart import CartPolicy
from domain.buying.model import CartLine, Destination, HoldKind, HoldRef
from domain.buying.ports import LineWrite
from domain.buying.pricing import PricingPolicy
from domain.catalog.model import Inventory, Money, Product, ProductStatus
from domain.errors import Conflict
from domain.ids import new_id
from repositories.keys import hold_shard

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
USD = "USD"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def product(price: int = 1000, *, status: ProductStatus = ProductStatus.ACTIVE) -> Product:
    product_id = new_id("prd")
    return Product(
        product_id=product_id,
        seller_id="sel_01JD0000000000000000000001",
        name=f"Lamp {product_id[-4:]}",
        description="A lamp.",
        price=Money(price, USD),
        category_id="cat_01JD0000000000000000000001",
        sku=product_id[-8:],
        status=status,
        version=1,
        created_at=T0,
        updated_at=T0,
    )


@dataclass
class Order:
    """An unpaid order as far as its holds go: what it reserves, until when."""

    deadline: datetime
    reserved: dict[str, int]
    expired: bool = False


@dataclass
class Store:
    """The one table: products with their stock, cart lines, unpaid orders."""

    products: dict[str, Product] = field(default_factory=dict)
    stock: dict[str, Inventory] = field(default_factory=dict)
    lines: dict[tuple[str, str], CartLine] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    writes: int = 0

    def add(self, item: Product, available: int) -> str:
        self.products[item.product_id] = item
        self.stock[item.product_id] = Inventory(item.product_id, available, 0, 5, T0)
        return item.product_id

    def inventory(self, product_id: str) -> Inventory:
        return self.stock[product_id]

    def move(self, product_id: str, units: int) -> None:
        """available -> reserved (units > 0) or back."""
        stock = self.stock[product_id]
        self.stock[product_id] = replace(
            stock, available=stock.available - units, reserved=stock.reserved + units
        )

    def balanced(self, received: dict[str, int]) -> bool:
        """``received = available + reserved + sold``, nothing negative, and the reserved
        units are exactly those the lines and orders hold."""
        for pid, stock in self.stock.items():
            held = sum(ln.held for (_, p), ln in self.lines.items() if p == pid)
            held += sum(o.reserved.get(pid, 0) for o in self.orders.values() if not o.expired)
            if min(stock.available, stock.reserved, stock.sold) < 0:
                return False
            if stock.available + stock.reserved + stock.sold != received[pid]:
                return False
            if stock.reserved != held:
                return False
        return True


def _same(stored: CartLine | None, read: CartLine | None) -> bool:
    if read is None or stored is None:
        return read is None and stored is None
    return (stored.held, stored.hold_until, stored.updated_at) == (
        read.held,
        read.hold_until if read.held > 0 else None,
        read.updated_at,
    )


class FakeCarts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.fail_next_take = False  # a concurrent buyer takes the stock between read and write

    def cart(self, user_id: str) -> list[CartLine]:
        lines = sorted(self.store.lines.items())
        return [copy.deepcopy(line) for (owner, _), line in lines if owner == user_id]

    def products(self, product_ids: list[str]) -> dict[str, tuple[Product, Inventory | None]]:
        return {
            pid: (copy.deepcopy(self.store.products[pid]), copy.deepcopy(self.store.stock.get(pid)))
            for pid in dict.fromkeys(product_ids)
            if pid in self.store.products
        }

    def save(self, user_id: str, writes: list[LineWrite]) -> None:
        for write in writes:  # every condition first: all or nothing
            key = (user_id, write.product_id)
            if not _same(self.store.lines.get(key), write.before):
                raise Conflict("your cart changed meanwhile", code="cart_changed")
            stock = self.store.stock[write.product_id]
            if write.stock > 0 and (stock.available < write.stock or self.fail_next_take):
                self.fail_next_take = False
                raise Conflict(
                    "not enough stock", code="insufficient_stock", productId=write.product_id
                )
            if write.stock < 0 and stock.reserved < -write.stock:
                raise Conflict("your cart changed meanwhile", code="cart_changed")
        for write in writes:
            key = (user_id, write.product_id)
            if write.after is None:
                self.store.lines.pop(key, None)
            else:
                after = write.after
                if after.held <= 0:
                    after = replace(after, hold_until=None)
                self.store.lines[key] = copy.deepcopy(after)
            if write.stock:
                self.store.move(write.product_id, write.stock)
        self.store.writes += 1


class FakeHolds:
    """The hold indexes over the store: a cart line while it holds, an order's
    reservations and deadline while it is unpaid."""

    def __init__(self, store: Store, shards: int = 8) -> None:
        self.store = store
        self.shards = shards
        self.released: list[tuple[str, str]] = []

    def _cart_refs(self) -> list[HoldRef]:
        return [
            HoldRef(HoldKind.CART, ln.user_id, ln.product_id, ln.hold_until, ln.held)
            for ln in self.store.lines.values()
            if ln.held > 0 and ln.hold_until is not None
        ]

    def expired_holds(self, product_id: str, now: datetime, limit: int) -> list[HoldRef]:
        refs = [r for r in self._cart_refs() if r.product_id == product_id]
        refs += [
            HoldRef(HoldKind.ORDER, oid, product_id, o.deadline, o.reserved[product_id])
            for oid, o in self.store.orders.items()
            if not o.expired and product_id in o.reserved
        ]
        return _oldest(refs, now, limit)

    def due_holds(self, shard: int, now: datetime, limit: int) -> list[HoldRef]:
        refs = [r for r in self._cart_refs() if hold_shard(r.owner_id) % self.shards == shard]
        refs += [
            HoldRef(HoldKind.ORDER, oid, None, o.deadline)
            for oid, o in self.store.orders.items()
            if not o.expired and hold_shard(oid) % self.shards == shard
        ]
        return _oldest(refs, now, limit)

    def release_cart_hold(
        self, user_id: str, product_id: str, hold_until: datetime, held: int, now: datetime
    ) -> bool:
        line = self.store.lines.get((user_id, product_id))
        if held <= 0 or hold_until > now or line is None:
            return False
        if line.held != held or line.hold_until != hold_until:
            return False
        self.store.lines[(user_id, product_id)] = replace(line, held=0, hold_until=None)
        self.store.move(product_id, -held)
        self.store.writes += 1
        self.released.append((user_id, product_id))
        return True


def _oldest(refs: list[HoldRef], now: datetime, limit: int) -> list[HoldRef]:
    due = [r for r in refs if r.hold_until <= now]
    return sorted(due, key=lambda r: (r.hold_until, r.kind.value.upper(), r.owner_id))[:limit]


class FakeOrders:
    """``expire_unpaid``: an unpaid order past its deadline is cancelled once, its
    reservations given back."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.expired: list[str] = []

    def add(self, reserved: dict[str, int], deadline: datetime) -> str:
        order_id = new_id("ord")
        for pid, units in reserved.items():
            self.store.move(pid, units)
        self.store.orders[order_id] = Order(deadline, dict(reserved))
        return order_id

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        order = self.store.orders.get(order_id)
        if order is None or order.expired or order.deadline > now:
            return False
        order.expired = True
        for pid, units in order.reserved.items():
            self.store.move(pid, -units)
        self.store.writes += 1
        self.expired.append(order_id)
        return True


class FakeAddresses:
    def __init__(self) -> None:
        self.users: dict[str, tuple[User, list[Address]]] = {}
        self.reads = 0

    def add(self, user_id: str, country: str, region: str | None, *, default: bool) -> str:
        user, book = self.users.get(user_id) or (_user(user_id), [])
        address = Address(
            address_id=new_id("adr"),
            user_id=user_id,
            full_name="Ada Buyer",
            line1="1 Main St",
            city="Springfield",
            postal_code="12345",
            country=country,
            region=region,
            created_at=T0,
            updated_at=T0,
        )
        if default:
            user = replace(user, default_shipping_address_id=address.address_id)
        self.users[user_id] = (user, [*book, address])
        return address.address_id

    def destinations(self, user_id: str) -> tuple[str | None, dict[str, Destination]]:
        self.reads += 1
        user, book = self.users.get(user_id) or (_user(user_id), [])
        found = {a.address_id: Destination(a.country, a.region) for a in book}
        return user.default_shipping_address_id, found


def _user(user_id: str) -> User:
    return User(
        user_id=user_id,
        email=f"{user_id}@shop.example",
        first_name="Ada",
        last_name="Buyer",
        role=Role.CUSTOMER,
        status=UserStatus.ACTIVE,
        created_at=T0,
        updated_at=T0,
    )


@dataclass
class Shop:
    """Everything the cart rules take, over one store."""

    store: Store = field(default_factory=Store)
    policy: CartPolicy = field(default_factory=CartPolicy)
    pricing: PricingPolicy = field(
        default_factory=lambda: PricingPolicy(USD, {"*": 0, "US": 800, "US-CA": 725}, 499, 5000)
    )

    def __post_init__(self) -> None:
        self.carts = FakeCarts(self.store)
        self.holds = FakeHolds(self.store)
        self.orders = FakeOrders(self.store)
        self.addresses = FakeAddresses()

    def ports(self) -> dict[str, object]:
        return {
            "carts": self.carts,
            "holds": self.holds,
            "orders": self.orders,
            "addresses": self.addresses,
            "pricing": self.pricing,
            "policy": self.policy,
        }
