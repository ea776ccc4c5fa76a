"""Domain objects for the contract tests, with valid ids (the keys' patterns need them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.catalog.model import (
    AdjustmentReason,
    Category,
    Inventory,
    Money,
    Product,
    ProductStatus,
    StockAdjustment,
)
from domain.ids import new_id

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def category(
    name: str, parent: Category | None = None, *, slug: str | None = None, when: float = 0
) -> Category:
    category_id = new_id("cat")
    return Category(
        category_id=category_id,
        name=name,
        slug=slug or name.lower(),
        parent_id=parent.category_id if parent else None,
        path=f"{parent.path}/{category_id}" if parent else category_id,
        created_at=at(when),
        updated_at=at(when),
    )


def product(
    category_id: str,
    *,
    seller_id: str = "sel_01JD0000000000000000000001",
    sku: str | None = None,
    price: int = 1000,
    status: ProductStatus = ProductStatus.DRAFT,
    when: float = 0,
) -> Product:
    product_id = new_id("prd")
    return Product(
        product_id=product_id,
        seller_id=seller_id,
        name="Lamp",
        description="A lamp.",
        price=Money(price, "USD"),
        category_id=category_id,
        sku=sku or product_id[-8:],
        status=status,
        version=1,
        created_at=at(when),
        updated_at=at(when),
        status_changed_at=at(when),
    )


def inventory(product_id: str, available: int = 0, when: float = 0) -> Inventory:
    return Inventory(product_id, available, 0, 5, at(when))


def adjustment(
    product_id: str, delta: int, *, when: float = 0, count: int | None = None
) -> StockAdjustment:
    """An adjustment ``when`` seconds after T0; its id sorts by ``when`` (as a ULID made
    then would, to the millisecond)."""
    return StockAdjustment(
        adjustment_id=f"adj_{int(when * 1000):010d}{new_id('adj')[-16:]}",
        product_id=product_id,
        delta=delta,
        reason=AdjustmentReason.STOCK_COUNT if count is not None else AdjustmentReason.RESTOCK,
        actor_id="usr_01JD0000000000000000000001",
        created_at=at(when),
        available_after=count,
    )
