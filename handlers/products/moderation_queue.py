"""GET /admin/products?status=: products by status; the review queue oldest first."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.model import ProductStatus
from domain.catalog.products import moderation_queue
from handlers.products.schemas import ProductPage, ProductSummaryOut
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=ADMINS)
products = wiring.products()


@app.get(
    "/admin/products", summary="Products by status", **documented(200, ProductPage, 401, 403, 404)
)
def queue(
    status: Annotated[ProductStatus, Query()] = ProductStatus.PENDING_REVIEW,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[ProductPage]:
    page = moderation_queue(status, cursor, limit, products=products)
    items = [ProductSummaryOut.of(p) for p in page.items]
    return reply(ProductPage(items=items, next_cursor=page.next_cursor))


lambda_handler = handler_for(app)
