"""Plain in-memory fakes of the catalogue ports the product rules use
(``ProductRepository``, ``CategoryRepository``, ``ImageStore``).

They keep the same rules as repositories/catalog/products.py (tests/contract/ holds them
to it): a SKU is claimed per seller and given up on archiving, an edit is written only
at the version read, a status change only from the status read, browsing sees active
products only, and the lists page in order. They store and hand out copies, as a
database would, so a rule that mutates what it read changes nothing until it writes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.accounts.model import Page, Role
from domain.catalog import products as rules
from domain.catalog.categories import CategoryTree
from domain.catalog.model import (
    Actor,
    BrowseQuery,
    Category,
    Inventory,
    Money,
    Product,
    ProductSort,
    ProductStatus,
    ProductSummary,
)
from domain.catalog.ports import CategoryRepository, ImageStore, ProductRepository
from domain.errors import Conflict, PreconditionFailed
from tests.unit import catalog_fakes

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
USD = "USD"
IMAGES_BASE_URL = "https://images.example.com"


def summary_of(product: Product) -> ProductSummary:
    return ProductSummary(
        product_id=product.product_id,
        seller_id=product.seller_id,
        name=product.name,
        price=product.price,
        category_id=product.category_id,
        brand=product.brand,
        image=product.images[0] if product.images else None,
        rating=product.rating,
        status=product.status,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


class FakeCategories(catalog_fakes.FakeCategories):
    """The categories fake (held to the table by tests/contract/), with a shorthand to
    add one by id and a count of reads of the whole list."""

    def __init__(self) -> None:
        super().__init__()
        self.full_reads = 0

    def add(self, category_id: str, parent_id: str | None = None) -> Category:
        parent = self.categories[parent_id] if parent_id else None
        category = Category(
            category_id=category_id,
            name=category_id.title(),
            slug=category_id.replace("_", "-"),
            parent_id=parent_id,
            path=f"{parent.path}/{category_id}" if parent else category_id,
            created_at=T0,
            updated_at=T0,
        )
        self.add_category(category)
        return category

    def all_categories(self) -> list[Category]:
        self.full_reads += 1
        return super().all_categories()


class FakeProducts:
    """ProductRepository in memory."""

    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.inventories: dict[str, Inventory] = {}
        self.skus: dict[tuple[str, str], str] = {}  # (seller, sku) -> product id
        self.browsed: list[tuple[BrowseQuery, list[str] | None]] = []
        self.writes = 0

    def add_product(self, product: Product, inventory: Inventory) -> None:
        if (product.seller_id, product.sku) in self.skus:
            raise Conflict("you already list a product with this SKU", code="sku_taken")
        self.skus[(product.seller_id, product.sku)] = product.product_id
        self.products[product.product_id] = copy.deepcopy(product)
        self.inventories[product.product_id] = copy.deepcopy(inventory)
        self.writes += 1

    def product(self, product_id: str) -> Product | None:
        return copy.deepcopy(self.products.get(product_id))

    def product_with_inventory(self, product_id: str) -> tuple[Product | None, Inventory | None]:
        return self.product(product_id), copy.deepcopy(self.inventories.get(product_id))

    def save_edits(self, before: Product, after: Product, now: datetime) -> Product:
        stored = self.products.get(before.product_id)
        if stored is None or stored.version != before.version:
            raise PreconditionFailed(
                "the product changed since you read it", code="version_mismatch"
            )
        if after.sku != before.sku:
            if (after.seller_id, after.sku) in self.skus:
                raise Conflict("you already list a product with this SKU", code="sku_taken")
            del self.skus[(before.seller_id, before.sku)]
            self.skus[(after.seller_id, after.sku)] = after.product_id
        saved = replace(
            copy.deepcopy(after),
            version=before.version + 1,
            updated_at=now,
            rating=stored.rating,  # the rating sums are never written by an edit
            status=stored.status,
        )
        self.products[before.product_id] = saved
        self.writes += 1
        return copy.deepcopy(saved)

    def change_status(self, before: Product, after: Product, now: datetime) -> Product:
        stored = self.products.get(before.product_id)
        if stored is None or stored.status is not before.status:
            raise Conflict("the product's status changed meanwhile", code="invalid_product_state")
        if after.status is ProductStatus.ARCHIVED:  # an archived product gives up its SKU
            self.skus.pop((stored.seller_id, stored.sku), None)
        saved = replace(
            stored,
            status=after.status,
            status_changed_at=after.status_changed_at or now,
            rejection_reason=after.rejection_reason,
            version=stored.version + 1,
            updated_at=now,
        )
        self.products[before.product_id] = saved
        self.writes += 1
        return copy.deepcopy(saved)

    def browse(self, query: BrowseQuery, category_ids: list[str] | None) -> Page[ProductSummary]:
        self.browsed.append((query, None if category_ids is None else list(category_ids)))
        found = [
            p
            for p in self.products.values()
            if p.status is ProductStatus.ACTIVE
            and (category_ids is None or p.category_id in category_ids)
            and (query.min_price is None or p.price.amount >= query.min_price)
            and (query.max_price is None or p.price.amount <= query.max_price)
        ]
        if query.sort is ProductSort.NEWEST:
            found.sort(key=lambda p: (p.status_changed_at or p.created_at, p.product_id))
            found.reverse()
        else:
            found.sort(key=lambda p: (p.price.amount, p.product_id))
            if query.sort is ProductSort.PRICE_DESC:
                found.reverse()
        return _page(found, query.after, query.limit)

    def by_seller(
        self, seller_id: str, status: ProductStatus | None, cursor: str | None, limit: int
    ) -> Page[ProductSummary]:
        mine = [
            p
            for p in self.products.values()
            if p.seller_id == seller_id and (status is None or p.status is status)
        ]
        mine.sort(key=lambda p: (p.created_at, p.product_id), reverse=True)
        return _page(mine, cursor, limit)

    def by_status(
        self, status: ProductStatus, cursor: str | None, limit: int, *, oldest_first: bool
    ) -> Page[ProductSummary]:
        found = [p for p in self.products.values() if p.status is status]
        found.sort(
            key=lambda p: (p.status_changed_at or p.created_at, p.product_id),
            reverse=not oldest_first,
        )
        return _page(found, cursor, limit)


def _page(products: list[Product], cursor: str | None, limit: int) -> Page[ProductSummary]:
    """A page of a sorted list; the cursor (opaque to the rules) is where the next starts."""
    start = int(cursor) if cursor else 0
    shown = products[start : start + limit]
    more = start + limit < len(products)
    return Page([summary_of(p) for p in shown], str(start + limit) if more else None)


@dataclass
class FakeImages:
    """ImageStore in memory: the forms it was asked for."""

    base_url: str = IMAGES_BASE_URL
    forms: list[dict[str, Any]] = field(default_factory=list)

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, Any]:
        asked = {
            "key": key,
            "content_type": content_type,
            "max_bytes": max_bytes,
            "expires_in": expires_in,
        }
        self.forms.append(asked)
        return {
            "url": "https://bucket.example.com/",
            "fields": {"key": key, "Content-Type": content_type, "policy": "p"},
        }

    def public_url(self, key: str) -> str:
        return f"{self.base_url}/{key}"


# Checked against the protocols by a type checker; nothing at run time.
_ports: tuple[ProductRepository, CategoryRepository, ImageStore] = (
    FakeProducts(),
    FakeCategories(),
    FakeImages(),
)


def seller(name: str = "ada") -> Actor:
    return Actor(user_id=f"usr_{name.upper():0<26}", role=Role.SELLER)


def admin() -> Actor:
    return Actor(user_id="usr_" + "A" * 26, role=Role.ADMIN)


def customer() -> Actor:
    return Actor(user_id="usr_" + "C" * 26, role=Role.CUSTOMER)


class Catalog:
    """The product rules wired to the fakes: categories home > lighting, and garden."""

    def __init__(self) -> None:
        self.products = FakeProducts()
        self.categories = FakeCategories()
        self.images = FakeImages()
        self.categories.add("home")
        self.categories.add("lighting", "home")
        self.categories.add("lamps", "lighting")
        self.categories.add("garden")
        self.tree = CategoryTree(self.categories)
        self.clock = T0

    def tick(self, seconds: float = 1) -> datetime:
        self.clock += timedelta(seconds=seconds)
        return self.clock

    def form(self, **overrides: Any) -> rules.ProductForm:
        values: dict[str, Any] = {
            "name": "Walnut desk lamp",
            "description": "A warm lamp.",
            "price": Money(1999, USD),
            "category_id": "lighting",
            "sku": "SKU-1",
        }
        values.update(overrides)
        return rules.ProductForm(**values)

    def create(self, actor: Actor | None = None, **overrides: Any) -> Product:
        return rules.create_product(
            self.form(**overrides),
            actor=actor or seller(),
            products=self.products,
            categories=self.categories,
            store_currency=USD,
            now=self.tick(),
        )

    def edit(
        self,
        product_id: str,
        changes: dict[str, Any],
        *,
        if_match: int | None,
        actor: Actor | None = None,
    ) -> Product:
        return rules.edit_product(
            product_id,
            changes,
            if_match=if_match,
            actor=actor or seller(),
            products=self.products,
            categories=self.categories,
            store_currency=USD,
            images_base_url=IMAGES_BASE_URL,
            now=self.tick(),
        )

    def submit(self, product_id: str, actor: Actor | None = None) -> Product:
        return rules.submit_product(
            product_id, actor=actor or seller(), products=self.products, now=self.tick()
        )

    def approve(self, product_id: str) -> Product:
        return rules.approve_product(product_id, products=self.products, now=self.tick())

    def reject(self, product_id: str, reason: str = "blurry") -> Product:
        return rules.reject_product(product_id, reason, products=self.products, now=self.tick())

    def archive(self, product_id: str, actor: Actor | None = None) -> Product:
        return rules.archive_product(
            product_id, actor=actor or seller(), products=self.products, now=self.tick()
        )

    def in_state(self, status: ProductStatus, **overrides: Any) -> Product:
        """A new product of ``seller()`` brought to ``status`` by the rules themselves."""
        product = self.create(**overrides)
        if status is ProductStatus.DRAFT:
            return product
        product = self.submit(product.product_id)
        if status is ProductStatus.REJECTED:
            product = self.reject(product.product_id)
        elif status in (ProductStatus.ACTIVE, ProductStatus.ARCHIVED):
            product = self.approve(product.product_id)
            if status is ProductStatus.ARCHIVED:
                product = self.archive(product.product_id)
        assert product.status is status
        return product

    def browse(self, clock: float = 1000.0, **query: Any) -> Page[ProductSummary]:
        return rules.browse(
            BrowseQuery(**query), products=self.products, tree=self.tree, clock=clock
        )
