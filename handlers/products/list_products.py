"""GET /products: browse active products by category, price range and order."""

from __future__ import annotations

import time
from typing import Annotated

from pydantic import Field

from domain.catalog.model import MAX_PRICE, BrowseQuery, ProductSort
from domain.catalog.products import browse
from handlers.products.schemas import ProductPage, ProductSummaryOut
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Identifier, Limit, QueryInt

app = HttpApp(roles=PUBLIC)
products, tree = wiring.products(), wiring.category_tree()
Price = Annotated[QueryInt, Field(ge=0, le=MAX_PRICE)]


@app.get("/products", summary="Browse the catalogue", **documented(200, ProductPage, 404))
def list_products(
    category: Annotated[Identifier | None, Query()] = None,
    includeSubcategories: Annotated[bool, Query()] = True,  # noqa: N803 - the query's name
    minPrice: Annotated[Price | None, Query()] = None,  # noqa: N803
    maxPrice: Annotated[Price | None, Query()] = None,  # noqa: N803
    sort: Annotated[ProductSort, Query()] = ProductSort.NEWEST,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[ProductPage]:
    query = BrowseQuery(
        category_id=category,
        include_subcategories=includeSubcategories,
        min_price=minPrice,
        max_price=maxPrice,
        sort=sort,
        after=cursor,
        limit=limit,
    )
    page = browse(query, products=products, tree=tree, clock=time.monotonic())
    items = [ProductSummaryOut.of(p) for p in page.items]
    return reply(ProductPage(items=items, next_cursor=page.next_cursor))


lambda_handler = handler_for(app)
