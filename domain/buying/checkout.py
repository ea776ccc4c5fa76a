"""Checkout: the cart becomes an order waiting for its payment, in one transaction.

``checkout`` reads (at most, on the path that succeeds the first time):

1. the idempotency record of the key (GetItem): a replay answers with its order;
2. the cart (Query);
3. the user's orders of the last payment window (Query): at most ``max_unpaid`` open;
4. every product of the cart with its stock, and the address if one is named (one
   BatchGetItem);

and, when the payment method may be one of the buyer's saved cards (issue 9), that card
(one GetItem, once per request: ``CardCustomers.card_customer``), for the customer to
charge it with;

then refuses (empty cart 422, products no longer sold 409, changed prices 409, short
lines 409) or writes everything in one TransactWriteItems (``CheckoutRepository.place_order``).

When a line is short, the product's expired holds are released first
(``HoldReleaser``, issue 16) and the cart is read once more; only then is the shortage a 409.
A condition that fails in the transaction (someone changed the cart, a price or the stock
between the read and the write) reads again; a key taken by a concurrent request with the
same key answers with that request's order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from domain.buying.model import (
    CartLine,
    Order,
    OrderLine,
    OrderStatus,
    ShippingAddress,
    StatusChange,
)
from domain.buying.pricing import PricingPolicy
from domain.buying.records import (
    CheckoutRaced,
    CheckoutStock,
    IdempotencyRecord,
    KeyTaken,
    StockShort,
)
from domain.catalog.model import ProductStatus
from domain.errors import Conflict, NotFound, RuleViolation
from domain.ids import new_id

if TYPE_CHECKING:
    from domain.buying.ports import CheckoutRepository, HoldReleaser, OrderRepository
    from domain.payments.cards import CardCustomers

IDEMPOTENCY_TTL = timedelta(hours=24)
ATTEMPTS = 3  # reads of the cart per checkout: the first, after releasing holds, after a race
# One transaction holds at most 100 actions: 4 per line + 3 (adapters/settings.py,
# CART_MAX_LINES). The cart keeps below it; a cart above it is refused, never half-written.
MAX_LINES = (100 - 3) // 4


class CheckoutLimits(NamedTuple):
    payment_window: timedelta
    max_unpaid: int  # MAX_OPEN_UNPAID_ORDERS (issue 13)


class CheckoutForm(NamedTuple):
    """What the buyer sends: where to ship (inline, or one of their addresses) and how
    they will pay. Exactly one of ``shipping_address`` and ``address_id``."""

    payment_method: str
    shipping_address: ShippingAddress | None = None
    address_id: str | None = None

    def fingerprint(self) -> str:
        """The request as the idempotency record remembers it (a replay must match)."""
        plain = {
            "payment_method": self.payment_method,
            "shipping_address": self.shipping_address._asdict() if self.shipping_address else None,
            "address_id": self.address_id,
        }
        canonical = json.dumps(plain, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class Placed(NamedTuple):
    order: Order
    replayed: bool  # the key was used before: this is that request's order


def checkout(
    user_id: str,
    idempotency_key: str,
    form: CheckoutForm,
    *,
    store: CheckoutRepository,
    orders: OrderRepository,
    holds: HoldReleaser,
    pricing: PricingPolicy,
    limits: CheckoutLimits,
    now: datetime,
    cards: CardCustomers | None = None,
) -> Placed:
    replay = _replay(user_id, idempotency_key, form, store=store, orders=orders, now=now)
    if replay is not None:
        return replay
    released = False
    customer: str | None = None
    looked_up = cards is None  # no saved cards (a caller that does not offer them)
    for _ in range(ATTEMPTS):
        cart = store.cart_lines(user_id, now)
        if not cart:
            # A retry of a request still in flight may find the cart already checked out
            # by it: answer with its order once it has committed (one more GetItem).
            replay = _replay(user_id, idempotency_key, form, store=store, orders=orders, now=now)
            if replay is not None:
                return replay
            raise RuleViolation("your cart is empty", code="empty_cart")
        if len(cart) > MAX_LINES:
            raise RuleViolation(
                f"a checkout takes at most {MAX_LINES} lines",
                code="cart_too_large",
                limit=MAX_LINES,
            )
        if not released:  # once per request: a re-read after a race needs no new count
            _within_unpaid_limit(user_id, store=store, limits=limits, now=now)
        stock, saved = store.checkout_reads(
            user_id, [line.product_id for line in cart], form.address_id
        )
        address = _address(form, saved)
        _refuse_unsold(cart, stock)
        _refuse_changed_prices(cart, stock)
        short = _short_lines(cart, stock)
        if short:
            if not released:
                released = True
                freed = sum(holds.release_expired(s["productId"], now) for s in short)
                if freed:
                    continue  # read again: the released units may cover the lines
            raise Conflict(
                "not enough stock for "
                + ", ".join(f"{s['productId']} ({s['available']} left)" for s in short),
                code="insufficient_stock",
                lines=short,
            )
        released = True
        if not looked_up:  # once per request, and only for a cart that can be ordered
            looked_up = True
            customer = None if cards is None else cards.card_customer(user_id, form.payment_method)
        order = _order(user_id, cart, stock, address, form, pricing, limits, now)
        if customer is not None:
            order = replace(order, customer_id=customer)
        record = IdempotencyRecord(
            user_id=user_id,
            key=idempotency_key,
            request_hash=form.fingerprint(),
            order_id=order.order_id,
            status_code=201,
            expires_at=now + IDEMPOTENCY_TTL,
        )
        prices = {line.product_id: line.unit_price for line in order.lines}
        try:
            store.place_order(order, cart, prices, record, now)
        except (KeyTaken, CheckoutRaced):
            # A concurrent request with this key may have won (its cart deletes and its
            # record fail ours): answer with its order, else read the cart again.
            replay = _replay(user_id, idempotency_key, form, store=store, orders=orders, now=now)
            if replay is not None:
                return replay
            continue
        except StockShort:
            continue  # read again: the next read names what is left
        return Placed(order, replayed=False)
    raise Conflict("the cart kept changing; try again", code="concurrent_update")


def _replay(
    user_id: str,
    key: str,
    form: CheckoutForm,
    *,
    store: CheckoutRepository,
    orders: OrderRepository,
    now: datetime,
) -> Placed | None:
    record = store.idempotency_record(user_id, key, now)
    if record is None:
        return None
    if record.request_hash != form.fingerprint():
        raise RuleViolation(
            "this Idempotency-Key was used with another request; use a new key",
            code="idempotency_key_reused",
        )
    order = orders.order(record.order_id)
    if order is None:  # pragma: no cover - the record and its order are written together
        raise NotFound("no such order", code="order_not_found")
    return Placed(order, replayed=True)


def _within_unpaid_limit(
    user_id: str, *, store: CheckoutRepository, limits: CheckoutLimits, now: datetime
) -> None:
    unpaid = store.open_unpaid_orders(user_id, now, limits.payment_window)
    if unpaid >= limits.max_unpaid:
        raise Conflict(
            f"you have {unpaid} orders waiting for payment; pay or cancel one first",
            code="too_many_unpaid_orders",
            limit=limits.max_unpaid,
        )


def _address(form: CheckoutForm, saved: Any) -> ShippingAddress:
    if form.shipping_address is not None:
        return form.shipping_address
    if saved is None:
        raise NotFound("no such address", code="address_not_found")
    return ShippingAddress(
        full_name=saved.full_name,
        line1=saved.line1,
        line2=saved.line2,
        city=saved.city,
        region=saved.region,
        postal_code=saved.postal_code,
        country=saved.country,
        phone=saved.phone,
    )


def _refuse_unsold(cart: list[CartLine], stock: dict[str, CheckoutStock]) -> None:
    unsold = [
        line.product_id
        for line in cart
        if (found := stock[line.product_id].product) is None
        or found.status is not ProductStatus.ACTIVE
        or stock[line.product_id].inventory is None
    ]
    if unsold:
        raise Conflict(
            "no longer sold: " + ", ".join(unsold) + "; remove them from your cart",
            code="products_unavailable",
            products=unsold,
        )


def _refuse_changed_prices(cart: list[CartLine], stock: dict[str, CheckoutStock]) -> None:
    changed = []
    for line in cart:
        product = stock[line.product_id].product
        assert product is not None
        if product.price.amount != line.price_seen.amount:
            changed.append(
                {
                    "productId": line.product_id,
                    "price": {"amount": product.price.amount, "currency": product.price.currency},
                    "priceSeen": {
                        "amount": line.price_seen.amount,
                        "currency": line.price_seen.currency,
                    },
                }
            )
    if changed:
        raise Conflict(
            "prices changed since they were added to your cart; review them and check out again",
            code="price_changed",
            prices=changed,
        )


def _short_lines(cart: list[CartLine], stock: dict[str, CheckoutStock]) -> list[dict[str, Any]]:
    """Lines the stock cannot cover: a line's own hold counts for it (its units are
    reserved already, whether or not its time is up, until something releases them)."""
    short = []
    for line in cart:
        inventory = stock[line.product_id].inventory
        assert inventory is not None
        if line.quantity - line.held > inventory.available:
            short.append(
                {
                    "productId": line.product_id,
                    "requested": line.quantity,
                    "available": inventory.available + line.held,
                }
            )
    return short


def _order(
    user_id: str,
    cart: list[CartLine],
    stock: dict[str, CheckoutStock],
    address: ShippingAddress,
    form: CheckoutForm,
    pricing: PricingPolicy,
    limits: CheckoutLimits,
    now: datetime,
) -> Order:
    destination = address.destination
    lines = []
    for line in cart:
        product = stock[line.product_id].product
        assert product is not None
        total = product.price.amount * line.quantity
        lines.append(
            OrderLine(
                product_id=product.product_id,
                seller_id=product.seller_id,
                name=product.name,
                sku=product.sku,
                quantity=line.quantity,
                unit_price=product.price.amount,
                tax=pricing.line_tax(total, destination),
            )
        )
    totals = pricing.totals([line.line_total for line in lines], destination)
    return Order(
        order_id=new_id("ord"),
        user_id=user_id,
        status=OrderStatus.PENDING_PAYMENT,
        lines=lines,
        totals=totals,
        shipping_address=address,
        payment_method=form.payment_method,
        payment_due=now + limits.payment_window,
        created_at=now,
        updated_at=now,
        history=[StatusChange(None, OrderStatus.PENDING_PAYMENT, user_id, now)],
    )
