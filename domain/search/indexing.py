"""Keeping the search index within seconds of the table (issue 11, the flow half).

The indexer never trusts an event's copy of a product: an event only says *which*
product changed, and the product is read from the table as it is now, so a late or
repeated event writes the current state, never a stale one. What it writes carries a
version the engine compares (``SearchIndex.upsert`` applies only strictly newer ones):

    doc version = item version × 10¹³ + the read's time in milliseconds

The item's own version (bumped by every edit and status change) decides first, so a read
made at an older version can never win, whatever the clocks say; a review or a stock
change leaves the item's version alone, and then the later read wins. Two reads of the
same state at different times simply write the same document twice.

Only active products are searchable: any other status is a removal (with its version,
so the engine's tombstone refuses a stale upsert that arrives after it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from domain.catalog.model import Category, Inventory, Product, ProductStatus
from domain.search.ports import OrderDoc, ProductDoc

if TYPE_CHECKING:  # the ports are annotations only: a worker's cold start skips building them
    from typing import Protocol

    from domain.paging import Page
    from domain.search.ports import SearchIndex

    class SearchSources(Protocol):
        """The table reads the indexer makes (repositories/search.py)."""

        def listing(self, product_id: str) -> Listing | None:
            """A product and its stock: one Query of its partition."""

        def active_listings(self, cursor: str | None, limit: int) -> Page[Listing]:
            """A page of active products (a Query on the active-products index) with
            their stock (one BatchGetItem for the page)."""

        def order_record(self, order_id: str) -> OrderRecord | None:
            """An order and its buyer's email (two GetItems)."""

    class Categories(Protocol):
        """The category list (domain.catalog.categories.CategoryTree, cached a minute)."""

        def current(self, clock: float) -> list[Category]: ...

        def subtree(self, category_id: str, clock: float) -> list[str]:
            """Re-reads the list once when ``category_id`` is not in the cached copy."""


VERSION_SCALE = 10**13  # milliseconds since 1970 stay below this until the year 2286
REINDEX_PAGE = 100  # products per Query (and per BatchGetItem of their stock)


def doc_version(item_version: int, read_at: datetime) -> int:
    return item_version * VERSION_SCALE + int(read_at.timestamp() * 1000)


class Listing(NamedTuple):
    """A product as the table holds it, with its stock (None: no stock item)."""

    product: Product
    inventory: Inventory | None


class OrderRecord(NamedTuple):
    """What the admin's order search shows of an order: from the order and its buyer."""

    order_id: str
    version: int
    customer_email: str
    customer_name: str
    status: str
    total: int
    currency: str
    created_at: datetime


class CachedCategories:
    """The category list for indexing, cached a minute per container, like
    domain.catalog.categories.CategoryTree (without its tree code: a worker's cold start);
    an id not in the cached copy reads the list again once."""

    def __init__(self, read: Callable[[], list[Category]], max_age_seconds: float = 60) -> None:
        self._read = read
        self._max_age = max_age_seconds
        self._cached: tuple[float, list[Category]] | None = None

    def _load(self, clock: float) -> list[Category]:
        self._cached = (clock, self._read())
        return self._cached[1]

    def current(self, clock: float) -> list[Category]:
        if self._cached is None or clock - self._cached[0] > self._max_age:
            return self._load(clock)
        return self._cached[1]

    def subtree(self, category_id: str, clock: float) -> list[str]:
        """[category_id] when the list knows it (read again once if the copy does not),
        else []; the indexer needs no descendants."""
        known = any(c.category_id == category_id for c in self.current(clock))
        if not known and self._cached is not None and clock > self._cached[0]:
            known = any(c.category_id == category_id for c in self._load(clock))
        return [category_id] if known else []


class Outcome:
    """What one event did to the index (plain strings: logged as they are)."""

    INDEXED = "indexed"
    REMOVED = "removed"
    STALE = "stale"  # the index holds this version or a newer one already
    MISSING = "missing"  # no such product or order in the table


def product_doc(listing: Listing, categories: list[Category], read_at: datetime) -> ProductDoc:
    product, inventory = listing.product, listing.inventory
    by_id = {c.category_id: c for c in categories}
    own = by_id.get(product.category_id)
    path = own.path.split("/") if own is not None else [product.category_id]
    ids = tuple(reversed(path))  # its own first, then the ancestors
    names = tuple(by_id[i].name if i in by_id else "" for i in ids)
    rating = product.rating
    return ProductDoc(
        product_id=product.product_id,
        version=doc_version(product.version, read_at),
        name=product.name,
        brand=product.brand,
        category_ids=ids,
        category_names=names,
        description=product.description,
        price=product.price.amount,
        currency=product.price.currency,
        in_stock=inventory is not None and inventory.available > 0,
        rating=rating.total / rating.count if rating.count else None,
        created_at=product.created_at,
        attributes=tuple(sorted((str(k), str(v)) for k, v in product.attributes.items())),
    )


def index_product(
    product_id: str,
    *,
    sources: SearchSources,
    categories: Categories,
    index: SearchIndex,
    now: datetime,
    clock: float,
) -> str:
    """Bring one product's entry up to the table: indexed if active, removed if not."""
    listing = sources.listing(product_id)
    if listing is None:
        return Outcome.MISSING
    product = listing.product
    if product.status is not ProductStatus.ACTIVE:
        removed = index.remove(product_id, doc_version(product.version, now))
        return Outcome.REMOVED if removed else Outcome.STALE
    tree = categories.current(clock)
    if not any(c.category_id == product.category_id for c in tree):
        categories.subtree(product.category_id, clock)  # made since the copy: read again
        tree = categories.current(clock)
    doc = product_doc(listing, tree, now)
    return Outcome.INDEXED if index.upsert(doc) else Outcome.STALE


def index_order(order_id: str, *, sources: SearchSources, index: SearchIndex, now: datetime) -> str:
    """Bring one order's entry up to the table (the admins' order search)."""
    record = sources.order_record(order_id)
    if record is None:
        return Outcome.MISSING
    doc = OrderDoc(
        order_id=record.order_id,
        version=doc_version(record.version, now),
        customer_email=record.customer_email,
        customer_name=record.customer_name,
        status=record.status,
        total=record.total,
        currency=record.currency,
        created_at=record.created_at,
    )
    return Outcome.INDEXED if index.upsert_order(doc) else Outcome.STALE


def reindex(
    *,
    sources: SearchSources,
    categories: Categories,
    index: SearchIndex,
    now: Callable[[], datetime],
    clock: float,
    progress: Callable[[int], None] = lambda _count: None,
    page_size: int = REINDEX_PAGE,
) -> int:
    """Rebuild the product index from the table's active products (Queries on the
    active-products index, page by page, never a Scan) and swap it in atomically;
    ``progress(count)`` after each page. Returns how many products were indexed."""
    tree = categories.current(clock)

    def docs() -> Iterator[ProductDoc]:
        cursor: str | None = None
        seen = 0
        while True:
            page = sources.active_listings(cursor, page_size)
            read_at = now()
            for listing in page.items:
                if listing.product.status is ProductStatus.ACTIVE:
                    yield product_doc(listing, tree, read_at)
            seen += len(page.items)
            progress(seen)
            cursor = page.next_cursor
            if cursor is None:
                return

    return index.rebuild(docs())
