"""What search needs from a full-text engine: the ``SearchIndex`` port and its shapes.

Two adapters implement it (adapters/search_tantivy.py, embedded, on disk; and
adapters/search_opensearch.py), chosen by the ``SEARCH_ENGINE`` setting; both return the
same shapes, proven by one contract suite (tests/contract/test_search_index.py).

Order-safety lives in the engine: every document carries the source item's ``version``,
and a write applies only when its version is newer than what the index holds for that id
(a removal leaves a tombstone with its version, so a late, stale upsert cannot bring a
removed product back). Money is integer minor units, as everywhere.

The user's text is plain words: an adapter tokenises it itself and builds the engine's
query objects from the tokens; it never hands the text to a query-language parser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_SUGGESTIONS = 10
MAX_QUERY_CHARS = 200  # longer text is cut here (words past it are dropped), not refused
MAX_QUERY_TERMS = 12  # words past the twelfth are dropped
MAX_WORD_CHARS = 40  # longer words are dropped: the engines index none that long
MAX_DEPTH = 1000  # a cursor reaches at most this many hits into a result list
FUZZY_MIN_LETTERS = 5  # words this long or longer match with one typo (two from 8 up)

# Price-band facet edges in minor units: [0, 25.00), [25.00, 50.00), …, [500.00, ∞).
PRICE_BAND_EDGES: tuple[int, ...] = (0, 2_500, 5_000, 10_000, 25_000, 50_000)


class SearchSort(StrEnum):
    RELEVANCE = "relevance"  # with no text: newest first
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"
    RATING = "rating"  # best average first; unrated last


@dataclass(frozen=True)
class ProductDoc:
    """An active product as the index holds it (built from the table item)."""

    product_id: str
    version: int
    name: str
    brand: str | None
    category_ids: tuple[str, ...]  # its own category first, then the ancestors
    category_names: tuple[str, ...]  # the same order
    description: str
    price: int  # minor units
    currency: str
    in_stock: bool
    rating: float | None  # the average, None when unrated
    created_at: datetime
    attributes: tuple[tuple[str, str], ...] = ()  # ("colour", "black"): searchable words


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""  # "" matches every product (then filters and sorts only)
    category_id: str | None = None  # includes its subcategories
    min_price: int | None = None  # inclusive, minor units
    max_price: int | None = None  # inclusive
    brand: str | None = None  # exact (case-insensitive)
    in_stock: bool | None = None
    min_rating: float | None = None
    sort: SearchSort = SearchSort.RELEVANCE
    cursor: str | None = None  # opaque, from SearchResults.next_cursor of the same query
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class Highlight:
    """A fragment of a field's text and the [start, end) character offsets in it that
    matched (the client decides how to emphasise them: no markup crosses the port)."""

    field: str  # "name" | "description"
    text: str
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    product_id: str
    score: float  # the engine's relevance score (0.0 under other sorts with no text)
    name: str
    brand: str | None
    price: int
    currency: str
    rating: float | None
    in_stock: bool
    highlights: tuple[Highlight, ...] = ()


@dataclass(frozen=True)
class FacetCount:
    value: str  # a brand, or a category id
    count: int


@dataclass(frozen=True)
class PriceBand:
    min: int  # inclusive, minor units
    max: int | None  # exclusive; None: no upper edge
    count: int


@dataclass(frozen=True)
class Facets:
    """Counts over the whole matching set (all pages), before sorting and paging."""

    brands: tuple[FacetCount, ...] = ()  # most first, at most 20
    categories: tuple[FacetCount, ...] = ()  # every category id on the path, most first
    price_bands: tuple[PriceBand, ...] = ()  # every band of PRICE_BAND_EDGES, in order


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[SearchHit, ...]
    total: int  # matching products (all pages)
    facets: Facets = field(default_factory=Facets)
    next_cursor: str | None = None


@dataclass(frozen=True)
class OrderDoc:
    order_id: str
    version: int
    customer_email: str
    customer_name: str
    status: str
    total: int  # minor units
    currency: str
    created_at: datetime


@dataclass(frozen=True)
class OrderHit:
    order_id: str
    score: float
    customer_email: str
    customer_name: str
    status: str
    total: int
    currency: str
    created_at: datetime


class SearchIndex(Protocol):
    """A full-text index of active products (and of orders, for admins).

    An unknown or tampered cursor raises ``domain.paging.UnknownCursor``.
    """

    def upsert(self, doc: ProductDoc) -> bool:
        """Index ``doc``; False (nothing written) when the index already holds this
        product at ``doc.version`` or newer, or removed it at that version or newer."""

    def remove(self, product_id: str, version: int) -> bool:
        """Take the product out of search (archived, rejected); False (nothing written)
        when the index holds it, or its tombstone, at ``version`` or newer. Leaves a
        tombstone at ``version`` (also for a product it never held)."""

    def search(self, query: SearchQuery) -> SearchResults: ...

    def suggest(self, prefix: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Up to ``limit`` distinct product names for a search box, best first: the words
        before the last must match a name or brand word (a typo allowed from 5 letters), the
        last one is completed as a prefix (unless ``prefix`` ends in a space)."""

    def rebuild(self, docs: Iterable[ProductDoc]) -> int:
        """Build a new product index from ``docs`` alone and swap it in atomically
        (searches answer from the old one until the swap); returns how many were indexed.
        A write that lands in the live index during the rebuild is carried over to the new
        one before the swap when its version is newer (versions decide, as ever)."""

    def upsert_order(self, doc: OrderDoc) -> bool:
        """As ``upsert``, for an order (by ``doc.version``)."""

    def search_orders(self, text: str, limit: int = DEFAULT_LIMIT) -> list[OrderHit]:
        """Orders by id, customer email or name, or status; best match first."""
