"""Expired holds (issue 16): released by whoever meets them first, a buyer or the sweep.

An expired hold still counts as ``reserved`` on its product's inventory item until it is
released. Two paths release it, each hold in its own transaction, conditional on the hold
still being the expired one that was read, so they may race (or run twice) and release it
exactly once:

- a buyer who finds a product short calls ``release_expired`` for that product, then
  tries once more (the cart's add and change, and checkout);
- the scheduled sweep calls ``sweep`` over every shard of the expiry index.

A cart line's hold is released in place (``HoldStore.release_cart_hold``: the line stays,
holding nothing); an unpaid order's hold goes with its order (``expire_unpaid``: the order
is cancelled, "payment not received", and every reservation of it released).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.buying.model import HoldKind, HoldRef
from domain.buying.ports import HoldStore, UnpaidOrders
from domain.clock import utcnow

# Expired holds released per short product and request: enough for a product held by
# many abandoned carts, few enough that one request stays quick (each is a transaction).
RELEASE_BATCH = 25
# Pages of due holds the sweep reads per shard and run (the next run goes on).
SWEEP_PAGE = 100
SWEEP_PAGES = 10


def release(ref: HoldRef, *, holds: HoldStore, orders: UnpaidOrders, now: datetime) -> bool:
    """Release one expired hold; False when someone else did first (or it changed)."""
    if ref.hold_until > now:
        return False  # not expired: never released early
    if ref.kind is HoldKind.ORDER:
        return orders.expire_unpaid(ref.owner_id, now)
    if ref.product_id is None or ref.quantity <= 0:
        return False
    return holds.release_cart_hold(ref.owner_id, ref.product_id, ref.hold_until, ref.quantity, now)


def release_expired(
    product_id: str,
    *,
    holds: HoldStore,
    orders: UnpaidOrders,
    now: datetime | None = None,
    spare_user: str | None = None,
    limit: int = RELEASE_BATCH,
) -> int:
    """Release up to ``limit`` expired holds of one product (oldest first); the number
    released. ``spare_user``: a cart whose own expired hold is left alone (the buyer who
    asks is about to renew it)."""
    now = now or utcnow()
    released = 0
    seen: set[str] = set()  # an order with several lines of the product expires once
    for ref in holds.expired_holds(product_id, now, limit):
        if ref.kind is HoldKind.CART and ref.owner_id == spare_user:
            continue
        if ref.kind is HoldKind.ORDER:
            if ref.owner_id in seen:
                continue
            seen.add(ref.owner_id)
        if release(ref, holds=holds, orders=orders, now=now):
            released += 1
    return released


@dataclass(frozen=True)
class SweepReport:
    seen: int  # due holds read
    released: int  # of which this run released (the rest: released by someone else)


def sweep(
    *,
    holds: HoldStore,
    orders: UnpaidOrders,
    shards: int,
    now: datetime | None = None,
    page: int = SWEEP_PAGE,
    pages: int = SWEEP_PAGES,
) -> SweepReport:
    """Release every hold due by ``now`` in shards ``0..shards-1`` (GSI5), each in its own
    transaction. A shard is read again while its last page was full and released
    something (a released hold leaves the index), at most ``pages`` times a run."""
    now = now or utcnow()
    seen = released = 0
    for shard in range(shards):
        for _ in range(pages):
            due = holds.due_holds(shard, now, page)
            freed = sum(release(ref, holds=holds, orders=orders, now=now) for ref in due)
            seen += len(due)
            released += freed
            if len(due) < page or freed == 0:
                break
    return SweepReport(seen, released)
