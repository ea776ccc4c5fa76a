"""Stock: available and reserved units, changed only by recorded adjustments."""

from __future__ import annotations

from datetime import datetime

from domain.catalog.model import (
    Actor,
    AdjustmentReason,
    Inventory,
    Product,
    StockAdjustment,
)
from domain.catalog.ports import InventoryRepository, ProductRepository
from domain.clock import utcnow
from domain.errors import NotFound, RuleViolation
from domain.ids import new_id

MAX_STOCK = 1_000_000
# What a seller may give as the reason of an adjustment: a stock count is a PUT instead.
MANUAL_REASONS = tuple(r for r in AdjustmentReason if r is not AdjustmentReason.STOCK_COUNT)


def _managed(
    product_id: str, actor: Actor, products: ProductRepository
) -> tuple[Product, Inventory]:
    product, inventory = products.product_with_inventory(product_id)
    if product is None or inventory is None or not actor.may_manage(product):
        raise NotFound("no such product", code="product_not_found")
    return product, inventory


def stock(
    product_id: str,
    *,
    actor: Actor,
    products: ProductRepository,
    inventories: InventoryRepository,
    history: int = 20,
) -> tuple[Inventory, list[StockAdjustment]]:
    _, inventory = _managed(product_id, actor, products)
    return inventory, inventories.adjustments(product_id, history)


def set_stock(
    product_id: str,
    available: int,
    *,
    low_stock_threshold: int | None,
    note: str | None,
    actor: Actor,
    products: ProductRepository,
    inventories: InventoryRepository,
    now: datetime | None = None,
) -> Inventory:
    """Replace the available figure (a stock count); recorded as an adjustment."""
    now = now or utcnow()
    if not 0 <= available <= MAX_STOCK:
        raise RuleViolation(f"stock is 0 to {MAX_STOCK}", code="stock_range")
    _, inventory = _managed(product_id, actor, products)
    adjustment = StockAdjustment(
        adjustment_id=new_id("adj"),
        product_id=product_id,
        delta=available - inventory.available,
        reason=AdjustmentReason.STOCK_COUNT,
        available_after=available,
        actor_id=actor.user_id,
        created_at=now,
        note=note,
    )
    threshold = (
        inventory.low_stock_threshold if low_stock_threshold is None else low_stock_threshold
    )
    return inventories.set_stock(
        inventory, available=available, low_stock_threshold=threshold, adjustment=adjustment
    )


def adjust_stock(
    product_id: str,
    delta: int,
    reason: AdjustmentReason,
    *,
    note: str | None,
    actor: Actor,
    products: ProductRepository,
    inventories: InventoryRepository,
    now: datetime | None = None,
) -> Inventory:
    """Add (restock, return) or remove (damage, correction) units; never below zero."""
    now = now or utcnow()
    if delta == 0 or abs(delta) > MAX_STOCK:
        raise RuleViolation(f"a delta is non-zero and at most {MAX_STOCK}", code="delta_range")
    if reason is AdjustmentReason.STOCK_COUNT:
        raise RuleViolation("a stock count is PUT /inventory", code="invalid_reason")
    _, inventory = _managed(product_id, actor, products)
    adjustment = StockAdjustment(
        adjustment_id=new_id("adj"),
        product_id=product_id,
        delta=delta,
        reason=reason,
        actor_id=actor.user_id,
        created_at=now,
        note=note,
    )
    return inventories.adjust_stock(inventory, adjustment)
