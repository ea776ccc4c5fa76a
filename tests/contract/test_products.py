"""ProductRepository: ``tests/unit/product_fakes.py: FakeProducts`` and
``repositories/catalog/products.py: DynamoProducts`` keep the same rules: a SKU is
claimed per seller, an edit is written only at the version read, a status change only
from the status read, and the lists keep their order across pages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from domain.catalog.model import BrowseQuery, Product, ProductSort, ProductStatus
from domain.catalog.ports import ProductRepository
from domain.errors import Conflict, PreconditionFailed
from domain.paging import Page
from tests.contract.builders import at, category, inventory, product

ACTIVE = ProductStatus.ACTIVE
OTHER_SELLER = "sel_01JD0000000000000000000002"


class World:
    """A product repository, and categories its products can be listed in."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.products: ProductRepository
        if kind == "fake":
            from tests.unit.product_fakes import FakeProducts

            self.products = FakeProducts()
        else:
            from repositories.catalog.products import DynamoProducts

            self.products = DynamoProducts()

    def category(self, name: str = "Lamps") -> str:
        made = category(name)
        if self.kind == "dynamo":  # the table's listing counts the product in its category
            from repositories.catalog.categories import DynamoCategories

            DynamoCategories().add_category(made)
        return made.category_id

    def listed(self, category_id: str, **fields: Any) -> Product:
        made = product(category_id, **fields)
        self.products.add_product(made, inventory(made.product_id))
        return made


@pytest.fixture
def world(kind: str) -> World:
    return World(kind)


def _all_pages(read: Any, limit: int) -> list[str]:
    """Every id of a list read page by page (``read(cursor, limit)``), in order."""
    ids: list[str] = []
    cursor: str | None = None
    for _ in range(20):
        page: Page[Any] = read(cursor, limit)
        assert len(page.items) <= limit
        ids += [item.product_id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return ids
    raise AssertionError("the list did not end")


def test_a_product_reads_back_with_its_stock(world: World) -> None:
    lamp = world.listed(world.category())
    assert world.products.product(lamp.product_id) == lamp
    read, stock = world.products.product_with_inventory(lamp.product_id)
    assert read == lamp
    assert stock == inventory(lamp.product_id)
    assert world.products.product_with_inventory("prd_01JD0000000000000000000000") == (None, None)


def test_a_sku_is_unique_per_seller(world: World) -> None:
    lamps = world.category()
    world.listed(lamps, sku="LAMP-1")
    with pytest.raises(Conflict) as taken:
        world.listed(lamps, sku="LAMP-1")
    assert taken.value.code == "sku_taken"
    world.listed(lamps, sku="LAMP-1", seller_id=OTHER_SELLER)


def test_an_edit_is_written_at_the_version_read(world: World) -> None:
    lamp = world.listed(world.category(), sku="LAMP-1")
    edited = world.products.save_edits(lamp, replace(lamp, name="Desk lamp", sku="LAMP-2"), at(1))
    assert edited.version == 2
    stored = world.products.product(lamp.product_id)
    assert stored is not None
    assert (stored.name, stored.sku, stored.version) == ("Desk lamp", "LAMP-2", 2)
    with pytest.raises(PreconditionFailed) as stale:
        world.products.save_edits(lamp, replace(lamp, name="Stale"), at(2))
    assert stale.value.code == "version_mismatch"
    world.listed(lamp.category_id, sku="LAMP-1")  # the old SKU was given up


def test_an_edit_cannot_take_a_sku_already_listed(world: World) -> None:
    lamps = world.category()
    world.listed(lamps, sku="LAMP-1")
    other = world.listed(lamps, sku="LAMP-2")
    with pytest.raises(Conflict) as taken:
        world.products.save_edits(other, replace(other, sku="LAMP-1"), at(1))
    assert taken.value.code == "sku_taken"
    assert world.products.product(other.product_id) == other


def test_a_status_change_is_written_from_the_status_read(world: World) -> None:
    lamp = world.listed(world.category())
    pending = replace(lamp, status=ProductStatus.PENDING_REVIEW, status_changed_at=at(1))
    changed = world.products.change_status(lamp, pending, at(1))
    assert (changed.status, changed.version) == (ProductStatus.PENDING_REVIEW, 2)
    with pytest.raises(Conflict) as stale:
        world.products.change_status(lamp, replace(lamp, status=ACTIVE), at(2))
    assert stale.value.code == "invalid_product_state"


def test_archiving_gives_up_the_sku(world: World) -> None:
    lamp = world.listed(world.category(), sku="LAMP-1", status=ACTIVE)
    archived = replace(lamp, status=ProductStatus.ARCHIVED, status_changed_at=at(1))
    world.products.change_status(lamp, archived, at(1))
    world.listed(lamp.category_id, sku="LAMP-1")


def test_a_sellers_products_newest_first_across_pages(world: World) -> None:
    lamps = world.category()
    mine = [world.listed(lamps, when=i) for i in range(5)]
    world.listed(lamps, seller_id=OTHER_SELLER, when=9)
    seller = mine[0].seller_id

    def read(cursor: str | None, limit: int) -> Page[Any]:
        return world.products.by_seller(seller, None, cursor, limit)

    newest_first = [p.product_id for p in reversed(mine)]
    assert _all_pages(read, 2) == newest_first
    assert _all_pages(read, 5) == newest_first
    active = world.listed(lamps, status=ACTIVE, when=6)
    only_active = world.products.by_seller(seller, ACTIVE, None, 10)
    assert [p.product_id for p in only_active.items] == [active.product_id]


@pytest.mark.parametrize("oldest_first", [True, False])
def test_products_of_a_status_in_order_across_pages(world: World, oldest_first: bool) -> None:
    lamps = world.category()
    pending = [
        world.listed(lamps, status=ProductStatus.PENDING_REVIEW, when=i) for i in (3, 1, 4, 2)
    ]
    world.listed(lamps, when=0)  # a draft

    def read(cursor: str | None, limit: int) -> Page[Any]:
        return world.products.by_status(
            ProductStatus.PENDING_REVIEW, cursor, limit, oldest_first=oldest_first
        )

    ordered = sorted(pending, key=lambda p: p.created_at, reverse=not oldest_first)
    assert _all_pages(read, 3) == [p.product_id for p in ordered]


@pytest.mark.parametrize("sort", list(ProductSort))
def test_browsing_shows_active_products_in_order_across_pages(
    world: World, sort: ProductSort
) -> None:
    lamps, rugs = world.category("Lamps"), world.category("Rugs")
    shown = [
        world.listed(lamps, status=ACTIVE, price=price, when=when)
        for price, when in ((500, 3), (1500, 1), (1000, 4), (1000, 2))
    ]
    shown.append(world.listed(rugs, status=ACTIVE, price=700, when=5))
    world.listed(lamps, price=100, when=6)  # a draft is never shown

    def read(category_ids: list[str] | None, **query: Any) -> list[str]:
        def page(cursor: str | None, limit: int) -> Page[Any]:
            return world.products.browse(
                BrowseQuery(sort=sort, after=cursor, limit=limit, **query), category_ids
            )

        return _all_pages(page, 2)

    def expected(products: list[Product]) -> list[str]:
        if sort is ProductSort.NEWEST:
            ordered = sorted(products, key=lambda p: (p.created_at, p.product_id), reverse=True)
        else:
            ordered = sorted(
                products,
                key=lambda p: (p.price.amount, p.product_id),
                reverse=sort is ProductSort.PRICE_DESC,
            )
        return [p.product_id for p in ordered]

    assert read(None) == expected(shown)
    assert read([lamps]) == expected(shown[:4])
    assert read([lamps, rugs]) == expected(shown)
    in_range = [p for p in shown if 700 <= p.price.amount <= 1000]
    assert read(None, min_price=700, max_price=1000) == expected(in_range)
