"""GET /sellers/me/products: every product of the calling seller, in any status."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.model import ProductStatus
from domain.catalog.products import seller_products
from handlers.products.schemas import ProductPage, ProductSummaryOut
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import (
    SELLERS_ONLY,
    HttpApp,
    Query,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=SELLERS_ONLY)
products = wiring.products()


@app.get(
    "/sellers/me/products", summary="My products", **documented(200, ProductPage, 401, 403, 404)
)
def my_products(
    status: Annotated[ProductStatus | None, Query()] = None,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[ProductPage]:
    page = seller_products(actor_of(app.principal), status, cursor, limit, products=products)
    items = [ProductSummaryOut.of(p) for p in page.items]
    return reply(ProductPage(items=items, next_cursor=page.next_cursor))


lambda_handler = handler_for(app)
