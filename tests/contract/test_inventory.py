"""InventoryRepository: ``tests/unit/stock_fakes.py: FakeInventory`` and
``repositories/catalog/inventory.py: DynamoInventory`` keep the same rules: a count is
written only over the figure read, an adjustment never takes stock below zero or above
``MAX_STOCK``, and the adjustments come back newest first."""

from __future__ import annotations

from typing import Any

import pytest

from domain.catalog.model import Inventory
from domain.catalog.stock import MAX_STOCK
from domain.errors import Conflict
from tests.contract.builders import adjustment, category, inventory, product


class World:
    """An inventory repository over one listed product, and a way to read its stock."""

    def __init__(self, kind: str) -> None:
        lamp = product(category("Lamps").category_id)
        self.product_id = lamp.product_id
        self.inventory: Any
        if kind == "fake":
            from tests.unit.product_fakes import FakeProducts
            from tests.unit.stock_fakes import FakeInventory

            products = FakeProducts()
            self.inventory = FakeInventory(products)
        else:
            from repositories.catalog.categories import DynamoCategories
            from repositories.catalog.inventory import DynamoInventory
            from repositories.catalog.products import DynamoProducts

            products = DynamoProducts()  # type: ignore[assignment]
            lamps = category("Lamps")
            DynamoCategories().add_category(lamps)
            lamp.category_id = lamps.category_id
            self.inventory = DynamoInventory()
        products.add_product(lamp, inventory(lamp.product_id, available=10))
        self.products = products

    def stock(self) -> Inventory:
        _, stock = self.products.product_with_inventory(self.product_id)
        assert stock is not None
        return stock


@pytest.fixture
def world(kind: str) -> World:
    return World(kind)


def test_a_count_is_written_over_the_figure_read(world: World) -> None:
    read = world.stock()
    counted = world.inventory.set_stock(
        read,
        available=7,
        low_stock_threshold=2,
        adjustment=adjustment(world.product_id, -3, count=7),
    )
    assert (counted.available, counted.low_stock_threshold) == (7, 2)
    assert (world.stock().available, world.stock().low_stock_threshold) == (7, 2)
    with pytest.raises(Conflict) as stale:
        world.inventory.set_stock(
            read, available=1, low_stock_threshold=2, adjustment=adjustment(world.product_id, -9)
        )
    assert stale.value.code == "stock_changed"
    assert world.stock().available == 7


def test_an_adjustment_never_takes_stock_below_zero(world: World) -> None:
    read = world.stock()
    assert world.inventory.adjust_stock(read, adjustment(world.product_id, -10)).available == 0
    with pytest.raises(Conflict) as short:
        world.inventory.adjust_stock(read, adjustment(world.product_id, -1))
    assert short.value.code == "insufficient_stock"
    assert world.stock().available == 0


def test_an_adjustment_never_takes_stock_above_the_maximum(world: World) -> None:
    read = world.stock()
    with pytest.raises(Conflict) as over:
        world.inventory.adjust_stock(read, adjustment(world.product_id, MAX_STOCK - 9))
    assert over.value.code == "stock_limit"
    assert world.stock().available == 10
    topped = world.inventory.adjust_stock(read, adjustment(world.product_id, MAX_STOCK - 10))
    assert topped.available == MAX_STOCK


def test_adjustments_come_back_newest_first(world: World) -> None:
    made = [adjustment(world.product_id, 1, when=i) for i in range(4)]
    for each in made:
        world.inventory.adjust_stock(world.stock(), each)
    assert world.stock().available == 14
    newest = world.inventory.adjustments(world.product_id, 3)
    assert [a.adjustment_id for a in newest] == [a.adjustment_id for a in reversed(made)][:3]
    assert newest[0] == made[-1]
