"""GET /search: active products by words, filters and sorts, with facets and highlights."""

from __future__ import annotations

import time
from typing import Annotated

from pydantic import Field

from domain.catalog.model import MAX_PRICE
from domain.search.ports import SearchQuery, SearchSort
from domain.search.queries import search_products, tidy
from handlers.search.schemas import Brand, MinRating, SearchPage, SearchText
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Identifier, Limit, QueryInt

app = HttpApp(roles=PUBLIC)
tree = wiring.category_tree()  # the engine on the first call (wiring.search_index)
Price = Annotated[QueryInt, Field(ge=0, le=MAX_PRICE)]


@app.get("/search", summary="Search the catalogue", **documented(200, SearchPage, 404))
def search(
    q: Annotated[SearchText, Query(description="Words; empty: every product")] = "",
    category: Annotated[Identifier | None, Query()] = None,
    minPrice: Annotated[Price | None, Query()] = None,  # noqa: N803 - the query's name
    maxPrice: Annotated[Price | None, Query()] = None,  # noqa: N803
    brand: Annotated[Brand | None, Query()] = None,
    inStock: Annotated[bool | None, Query()] = None,  # noqa: N803
    minRating: Annotated[MinRating | None, Query()] = None,  # noqa: N803
    sort: Annotated[SearchSort, Query()] = SearchSort.RELEVANCE,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[SearchPage]:
    query = SearchQuery(
        text=tidy(q),
        category_id=category,
        min_price=minPrice,
        max_price=maxPrice,
        brand=brand,
        in_stock=inStock,
        min_rating=minRating,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    results = search_products(
        query, index=wiring.search_index(), categories=tree, clock=time.monotonic()
    )
    return reply(SearchPage.of(results))


lambda_handler = handler_for(app)
