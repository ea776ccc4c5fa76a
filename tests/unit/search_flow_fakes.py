"""Plain fakes of the search flow's ports: the ``SearchIndex`` (versions and tombstones
as the port states them; matching is a plain word test, relevance is not its business),
the table reads (``SearchSources``) and the category list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from domain.catalog.model import Category, Inventory, Money, Product, ProductStatus
from domain.paging import Page
from domain.search.indexing import Listing, OrderRecord
from domain.search.ports import (
    OrderDoc,
    OrderHit,
    ProductDoc,
    SearchHit,
    SearchQuery,
    SearchResults,
)

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@dataclass
class FakeSearchIndex:
    docs: dict[str, ProductDoc] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # live or tombstone
    orders: dict[str, OrderDoc] = field(default_factory=dict)
    queries: list[SearchQuery] = field(default_factory=list)
    rebuilds: int = 0

    def upsert(self, doc: ProductDoc) -> bool:
        if self.versions.get(doc.product_id, -1) >= doc.version:
            return False
        self.docs[doc.product_id] = doc
        self.versions[doc.product_id] = doc.version
        return True

    def remove(self, product_id: str, version: int) -> bool:
        if self.versions.get(product_id, -1) >= version:
            return False
        self.docs.pop(product_id, None)
        self.versions[product_id] = version
        return True

    def search(self, query: SearchQuery) -> SearchResults:
        self.queries.append(query)
        words = query.text.lower().split()
        hits = [
            SearchHit(d.product_id, 1.0, d.name, d.brand, d.price, d.currency, d.rating, d.in_stock)
            for d in self.docs.values()
            if all(w in d.name.lower() for w in words)
        ]
        return SearchResults(hits=tuple(hits), total=len(hits))

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        names = sorted(d.name for d in self.docs.values())
        return [n for n in names if n.lower().startswith(prefix.lower())][:limit]

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        fresh = {d.product_id: d for d in docs}
        self.rebuilds += 1
        self.docs = fresh
        self.versions.update({i: d.version for i, d in fresh.items()})
        return len(fresh)

    def upsert_order(self, doc: OrderDoc) -> bool:
        held = self.orders.get(doc.order_id)
        if held is not None and held.version >= doc.version:
            return False
        self.orders[doc.order_id] = doc
        return True

    def search_orders(self, text: str, limit: int = 20) -> list[OrderHit]:
        found = [
            OrderHit(
                o.order_id,
                1.0,
                o.customer_email,
                o.customer_name,
                o.status,
                o.total,
                o.currency,
                o.created_at,
            )
            for o in self.orders.values()
            if text.lower()
            in f"{o.order_id} {o.customer_email} {o.customer_name} {o.status}".lower()
        ]
        return found[:limit]


@dataclass
class FakeSources:
    listings: dict[str, Listing] = field(default_factory=dict)
    records: dict[str, OrderRecord] = field(default_factory=dict)
    pages_read: int = 0

    def listing(self, product_id: str) -> Listing | None:
        return self.listings.get(product_id)

    def active_listings(self, cursor: str | None, limit: int) -> Page[Listing]:
        self.pages_read += 1
        active = sorted(
            (x for x in self.listings.values() if x.product.status is ProductStatus.ACTIVE),
            key=lambda x: x.product.product_id,
        )
        start = int(cursor or 0)
        following = str(start + limit) if start + limit < len(active) else None
        return Page(active[start : start + limit], following)

    def order_record(self, order_id: str) -> OrderRecord | None:
        return self.records.get(order_id)


@dataclass
class FakeCategories:
    categories: list[Category] = field(default_factory=list)
    reads: int = 0
    made_since: list[Category] = field(default_factory=list)  # not in the cached copy yet

    def current(self, clock: float) -> list[Category]:
        self.reads += 1
        return self.categories

    def subtree(self, category_id: str, clock: float) -> list[str]:
        found = [c.category_id for c in self.categories if category_id in c.path.split("/")]
        if not found:
            self.categories = self.categories + self.made_since
            self.made_since = []
            found = [c.category_id for c in self.categories if category_id in c.path.split("/")]
        return found


def category(category_id: str, name: str, path: str) -> Category:
    parent = path.rsplit("/", 1)[0] if "/" in path else None
    return Category(category_id, name, name.lower(), parent, path, created_at=T0, updated_at=T0)


def listing(
    product_id: str = "prd_1",
    *,
    version: int = 1,
    status: ProductStatus = ProductStatus.ACTIVE,
    available: int | None = 5,
    **changes: object,
) -> Listing:
    product = Product(
        product_id=product_id,
        seller_id="sel_1",
        name="Wireless headphones",
        description="Over-ear",
        price=Money(5999, "USD"),
        category_id="cat_b",
        sku=f"SKU-{product_id}",
        status=status,
        version=version,
        created_at=T0,
        updated_at=T0,
        brand="Sonora",
    )
    product = replace(product, **changes)  # type: ignore[arg-type]
    stock = None if available is None else Inventory(product_id, available, 0, 5, T0)
    return Listing(product, stock)
