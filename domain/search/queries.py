"""What shoppers and admins ask the search index (GET /search, /search/suggest,
/admin/orders/search). The engine does the matching; the rules here are what a request
means before it gets there (docs/search.md, "Limits")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import NotFound
from domain.search.ports import MAX_QUERY_CHARS, MAX_SUGGESTIONS, SearchResults

if TYPE_CHECKING:  # annotations only: not built on a cold start
    from typing import Protocol

    from domain.search.ports import OrderHit, SearchIndex, SearchQuery

    class CategoryIds(Protocol):
        """domain.catalog.categories.CategoryTree: a category and its subcategories."""

        def subtree(self, category_id: str, clock: float) -> list[str]: ...


def tidy(text: str) -> str:
    """The words of ``text``, single-spaced, cut at MAX_QUERY_CHARS (at a word's end)."""
    words = " ".join(text.split())
    if len(words) <= MAX_QUERY_CHARS:
        return words
    return words[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or words[:MAX_QUERY_CHARS]


def search_products(
    query: SearchQuery, *, index: SearchIndex, categories: CategoryIds, clock: float
) -> SearchResults:
    """Active products matching ``query``. An empty text matches every product (filters
    and sorts only; by relevance that is newest first). An unknown category is a 404, as
    when browsing; a minimum price above the maximum matches nothing."""
    if query.category_id is not None and not categories.subtree(query.category_id, clock):
        raise NotFound("no such category", code="category_not_found")
    if (
        query.min_price is not None
        and query.max_price is not None
        and query.min_price > query.max_price
    ):
        return SearchResults(hits=(), total=0)
    return index.search(query)


def suggest(prefix: str, *, index: SearchIndex, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to ``limit`` completions; nothing for a prefix with no letters or digits (the
    engine is not asked)."""
    text = tidy(prefix)
    if not any(c.isalnum() for c in text):
        return []
    return index.suggest(text, min(limit, MAX_SUGGESTIONS))


def search_orders(text: str, *, index: SearchIndex, limit: int) -> list[OrderHit]:
    """Orders by id, customer email or name, or status; nothing for an empty text."""
    words = tidy(text)
    if not any(c.isalnum() for c in words):
        return []
    return index.search_orders(words, limit)
