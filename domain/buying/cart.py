"""The cart: one line per product, its stock holds, and the cart priced.

Rules (docs/api.md, "Cart"):

- A line is a product and a quantity, 1 to ``CartPolicy.max_quantity``; only active
  products; at most ``max_lines`` lines. Adding a product already in the cart **adds to
  its quantity** (as a shop's "add to cart" button does); ``change_quantity`` sets it.
- **Holds on** (``hold_minutes > 0``): a line holds as many units as its quantity. Raising
  it takes the difference from the product's ``available`` into ``reserved`` in the same
  transaction as the line (409 ``insufficient_stock`` naming ``available``: the most the
  line can have); lowering or removing gives units back. Every change of the cart extends
  the hold of every holding line to ``now + hold_minutes``. One account holds at most
  ``max_held_per_product`` units of a product and ``max_held_total`` in all (409
  ``hold_limit`` naming ``limit``): stock hoarding, issue 13.
- **Holds off**: no stock moves; lines are just saved, stock is taken at checkout.
- **TTL**: every change sets every line's ``expires_at`` to ``now + ttl_days``; reads
  ignore lines past it before DynamoDB's TTL removes them.
- A product no longer active is flagged ``unavailable`` and its line's hold released on
  the next **read** of the priced cart (``GET /cart``, and the cart an add or a change
  answers with); totals leave it out. Adding or changing such a line is a 409
  ``product_unavailable``; removing it works.
- A short add or raise first releases the product's expired holds (domain/buying/holds.py)
  and tries once more (issue 16).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.buying.holds import release_expired
from domain.buying.model import CartLine, Destination, LineFlag, Totals
from domain.buying.ports import AddressBook, CartRepository, HoldStore, LineWrite, UnpaidOrders
from domain.buying.pricing import PricingPolicy
from domain.catalog.model import Inventory, Product, ProductStatus
from domain.clock import utcnow
from domain.errors import Conflict, NotFound, RuleViolation

Catalog = dict[str, tuple[Product, Inventory | None]]


@dataclass(frozen=True)
class CartPolicy:
    """The cart's settings (adapters/settings.py: ``CART_*``, ``HOLD_MAX_UNITS_*``)."""

    hold_minutes: float = 15
    max_quantity: int = 99
    max_lines: int = 20
    ttl_days: int = 30
    max_held_per_product: int = 10
    max_held_total: int = 50

    @property
    def holds_on(self) -> bool:
        return self.hold_minutes > 0


@dataclass(frozen=True)
class PricedLine:
    product_id: str
    name: str
    quantity: int
    unit_price: int  # the current price (the last known one for a product gone)
    price_seen: int
    line_total: int
    tax: int
    held: int  # units held now (0 when the hold lapsed or holds are off)
    hold_until: datetime | None
    flags: tuple[LineFlag, ...]


@dataclass(frozen=True)
class PricedCart:
    lines: list[PricedLine]
    totals: Totals  # over the lines that can be bought (not ``unavailable``)
    destination: Destination | None


def _is_sold(entry: tuple[Product, Inventory | None] | None) -> bool:
    return entry is not None and entry[0].status is ProductStatus.ACTIVE


# -- reading ----------------------------------------------------------------------------


def destination_of(
    user_id: str, address_id: str | None, *, addresses: AddressBook
) -> Destination | None:
    """``address_id``'s destination (404 when it is not the user's), else the default
    shipping address's, else None (tax at the ``"*"`` rate)."""
    default, book = addresses.destinations(user_id)
    if address_id is not None:
        if address_id not in book:
            raise NotFound("no such address", code="address_not_found")
        return book[address_id]
    return book.get(default) if default else None


def price_lines(
    lines: list[CartLine],
    catalog: Catalog,
    destination: Destination | None,
    *,
    pricing: PricingPolicy,
    policy: CartPolicy,
    now: datetime,
) -> PricedCart:
    """Each line at the current price with its flags, and the totals (pricing.py: tax per
    line, half to even; shipping flat, free from a threshold)."""
    priced: list[PricedLine] = []
    for line in sorted(lines, key=lambda ln: (ln.added_at, ln.product_id)):
        entry = catalog.get(line.product_id)
        product, stock = entry if entry else (None, None)
        unit_price = product.price.amount if product else line.price_seen.amount
        flags: list[LineFlag] = []
        if unit_price != line.price_seen.amount:
            flags.append(LineFlag.PRICE_CHANGED)
        if not _is_sold(entry):
            flags.append(LineFlag.UNAVAILABLE)
        else:
            if line.quantity > line.held + (stock.available if stock else 0):
                flags.append(LineFlag.SHORT)
            if policy.holds_on and not line.hold_is_live(now):
                flags.append(LineFlag.HOLD_EXPIRED)
        total = unit_price * line.quantity
        live = line.hold_is_live(now)
        priced.append(
            PricedLine(
                product_id=line.product_id,
                name=product.name if product else "",
                quantity=line.quantity,
                unit_price=unit_price,
                price_seen=line.price_seen.amount,
                line_total=total,
                tax=pricing.line_tax(total, destination),
                held=line.held if live else 0,
                hold_until=line.hold_until if line.held > 0 else None,
                flags=tuple(flags),
            )
        )
    buyable = [p.line_total for p in priced if LineFlag.UNAVAILABLE not in p.flags]
    return PricedCart(priced, pricing.totals(buyable, destination), destination)


def _release_unsold(
    user_id: str, lines: list[CartLine], catalog: Catalog, carts: CartRepository
) -> list[CartLine]:
    """Give back the holds of lines whose product is no longer sold (one transaction);
    the lines as they are afterwards. A concurrent change wins: the next read retries."""
    writes = [
        LineWrite(line, replace(line, held=0, hold_until=None), -line.held)
        for line in lines
        if line.held > 0 and not _is_sold(catalog.get(line.product_id))
    ]
    if not writes:
        return lines
    try:
        carts.save(user_id, writes)
    except Conflict:
        return lines
    released = {w.product_id: w.after for w in writes if w.after is not None}
    return [released.get(line.product_id, line) for line in lines]


def view_cart(
    user_id: str,
    *,
    address_id: str | None = None,
    carts: CartRepository,
    addresses: AddressBook,
    pricing: PricingPolicy,
    policy: CartPolicy,
    now: datetime | None = None,
) -> PricedCart:
    """The cart priced: one Query (lines) + one BatchGetItem (their products and stock)
    + the address lookup (one Query); one transaction more only when a line's product is
    no longer sold and the line still holds units."""
    now = now or utcnow()
    lines = [line for line in carts.cart(user_id) if not line.is_expired(now)]
    catalog = carts.products([line.product_id for line in lines]) if lines else {}
    lines = _release_unsold(user_id, lines, catalog, carts)
    destination = destination_of(user_id, address_id, addresses=addresses)
    return price_lines(lines, catalog, destination, pricing=pricing, policy=policy, now=now)


# -- changing ---------------------------------------------------------------------------


def _check_quantity(quantity: int, policy: CartPolicy) -> None:
    if not 1 <= quantity <= policy.max_quantity:
        raise RuleViolation(
            f"a quantity is 1 to {policy.max_quantity}",
            code="quantity_range",
            maxQuantity=policy.max_quantity,
        )


def _refresh(
    line: CartLine,
    entry: tuple[Product, Inventory | None] | None,
    policy: CartPolicy,
    now: datetime,
) -> LineWrite:
    """Another line of a cart being changed: its TTL renewed, its hold extended (or given
    back when its product is no longer sold and that is known)."""
    expires = now + timedelta(days=policy.ttl_days)
    if line.held > 0 and entry is not None and not _is_sold(entry):
        return LineWrite(
            line, replace(line, held=0, hold_until=None, expires_at=expires), -line.held
        )
    if line.held > 0 and policy.holds_on:
        until = now + timedelta(minutes=policy.hold_minutes)
        return LineWrite(line, replace(line, hold_until=until, expires_at=expires))
    return LineWrite(line, replace(line, expires_at=expires))


def _check_holds(writes: list[LineWrite], target: CartLine, policy: CartPolicy) -> None:
    """Stock hoarding (issue 13): the units this account would hold, per product and in all."""
    if target.held > policy.max_held_per_product:
        raise Conflict(
            f"one account holds at most {policy.max_held_per_product} units of a product",
            code="hold_limit",
            limit=policy.max_held_per_product,
            scope="product",
        )
    total = sum(w.after.held for w in writes if w.after is not None)
    if total > policy.max_held_total:
        raise Conflict(
            f"one account holds at most {policy.max_held_total} units in all",
            code="hold_limit",
            limit=policy.max_held_total,
            scope="total",
        )


def _set_line(
    user_id: str,
    product_id: str,
    quantity_for: Callable[[CartLine | None], int],
    *,
    carts: CartRepository,
    holds: HoldStore,
    orders: UnpaidOrders,
    addresses: AddressBook,
    pricing: PricingPolicy,
    policy: CartPolicy,
    now: datetime,
) -> PricedCart:
    stored = carts.cart(user_id)
    live = [line for line in stored if not line.is_expired(now)]
    current = next((line for line in live if line.product_id == product_id), None)
    before = next((line for line in stored if line.product_id == product_id), None)
    quantity = quantity_for(current)
    _check_quantity(quantity, policy)
    if current is None and len(live) >= policy.max_lines:
        raise Conflict(
            f"a cart holds at most {policy.max_lines} products",
            code="cart_full",
            limit=policy.max_lines,
        )
    wanted = [line.product_id for line in live if line.product_id != product_id] + [product_id]
    for attempt in (1, 2):
        catalog = carts.products(wanted)
        entry = catalog.get(product_id)
        if not _is_sold(entry):
            if current is None:
                raise NotFound("no such product", code="product_not_found")
            raise Conflict("this product is no longer sold", code="product_unavailable")
        assert entry is not None
        product, stock = entry
        expires = now + timedelta(days=policy.ttl_days)
        after = CartLine(
            user_id=user_id,
            product_id=product_id,
            quantity=quantity,
            price_seen=product.price,
            added_at=current.added_at if current else now,
            updated_at=now,
            held=quantity if policy.holds_on else 0,
            hold_until=now + timedelta(minutes=policy.hold_minutes) if policy.holds_on else None,
            expires_at=expires,
        )
        take = after.held - (before.held if before else 0)
        writes = [
            _refresh(line, catalog.get(line.product_id), policy, now)
            for line in live
            if line.product_id != product_id
        ]
        writes.append(LineWrite(before, after, take))
        if policy.holds_on:
            _check_holds(writes, after, policy)
        available = stock.available if stock else 0
        if take > available:
            if attempt == 1 and _reclaim(product_id, user_id, holds, orders, now):
                continue
            raise _short(after.quantity - take + available)
        try:
            carts.save(user_id, writes)
        except Conflict as failed:
            if failed.code != "insufficient_stock":
                raise
            if attempt == 1:
                _reclaim(product_id, user_id, holds, orders, now)
                continue
            fresh = carts.products([product_id]).get(product_id)
            left = fresh[1].available if fresh and fresh[1] else 0
            raise _short(after.quantity - take + left) from None
        lines = [w.after for w in writes if w.after is not None]
        catalog[product_id] = (product, _taken(stock, take))
        destination = destination_of(user_id, None, addresses=addresses)
        return price_lines(lines, catalog, destination, pricing=pricing, policy=policy, now=now)
    raise AssertionError("unreachable: the second attempt returns or raises")  # pragma: no cover


def _reclaim(
    product_id: str, user_id: str, holds: HoldStore, orders: UnpaidOrders, now: datetime
) -> int:
    return release_expired(product_id, holds=holds, orders=orders, now=now, spare_user=user_id)


def _short(available: int) -> Conflict:
    return Conflict(
        f"not enough stock: {max(available, 0)} available",
        code="insufficient_stock",
        available=max(available, 0),
    )


def _taken(stock: Inventory | None, take: int) -> Inventory | None:
    if stock is None:
        return None
    return replace(stock, available=stock.available - take, reserved=stock.reserved + take)


def add_to_cart(
    user_id: str,
    product_id: str,
    quantity: int,
    *,
    carts: CartRepository,
    holds: HoldStore,
    orders: UnpaidOrders,
    addresses: AddressBook,
    pricing: PricingPolicy,
    policy: CartPolicy,
    now: datetime | None = None,
) -> PricedCart:
    """Add ``quantity`` of a product: a new line, or that many more on its line."""
    _check_quantity(quantity, policy)

    def more(current: CartLine | None) -> int:
        total = quantity + (current.quantity if current else 0)
        if total > policy.max_quantity:
            raise Conflict(
                f"a line holds at most {policy.max_quantity} units",
                code="quantity_limit",
                limit=policy.max_quantity,
                quantity=current.quantity if current else 0,
            )
        return total

    return _set_line(
        user_id,
        product_id,
        more,
        carts=carts,
        holds=holds,
        orders=orders,
        addresses=addresses,
        pricing=pricing,
        policy=policy,
        now=now or utcnow(),
    )


def change_quantity(
    user_id: str,
    product_id: str,
    quantity: int,
    *,
    carts: CartRepository,
    holds: HoldStore,
    orders: UnpaidOrders,
    addresses: AddressBook,
    pricing: PricingPolicy,
    policy: CartPolicy,
    now: datetime | None = None,
) -> PricedCart:
    """Set a line's quantity (the line must be in the cart: else 404)."""

    def exactly(current: CartLine | None) -> int:
        if current is None:
            raise NotFound("this product is not in your cart", code="cart_item_not_found")
        return quantity

    return _set_line(
        user_id,
        product_id,
        exactly,
        carts=carts,
        holds=holds,
        orders=orders,
        addresses=addresses,
        pricing=pricing,
        policy=policy,
        now=now or utcnow(),
    )


def remove_from_cart(
    user_id: str,
    product_id: str,
    *,
    carts: CartRepository,
    policy: CartPolicy,
    now: datetime | None = None,
) -> None:
    """Remove a line, giving its held units back; the other lines' holds are extended."""
    now = now or utcnow()
    stored = carts.cart(user_id)
    live = [line for line in stored if not line.is_expired(now)]
    target = next((line for line in live if line.product_id == product_id), None)
    if target is None:
        raise NotFound("this product is not in your cart", code="cart_item_not_found")
    writes = [_refresh(line, None, policy, now) for line in live if line is not target]
    writes.append(LineWrite(target, None, -target.held))
    carts.save(user_id, writes)


def clear_cart(user_id: str, *, carts: CartRepository, now: datetime | None = None) -> None:
    """Delete every line (those past their TTL too), giving every held unit back."""
    now = now or utcnow()
    stored = carts.cart(user_id)
    if stored:
        carts.save(user_id, [LineWrite(line, None, -line.held) for line in stored])
