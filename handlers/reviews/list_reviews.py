"""GET /products/{productId}/reviews: newest first, a page at a time."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.reviews import product_reviews
from handlers.reviews.schemas import ReviewOut, ReviewPage
from handlers.shared import wiring
from handlers.shared.actors import optional_actor
from handlers.shared.http import (
    PUBLIC,
    HttpApp,
    Path,
    Query,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Cursor, Identifier, Limit

app = HttpApp(roles=PUBLIC, optional_auth=True)
products, reviews = wiring.products(), wiring.reviews()


@app.get(
    "/products/<productId>/reviews",
    summary="Reviews of a product",
    **documented(200, ReviewPage, 404),
)
def list_reviews(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[ReviewPage]:
    page = product_reviews(
        productId,
        cursor,
        limit,
        actor=optional_actor(app.caller),
        products=products,
        reviews=reviews,
    )
    return reply(
        ReviewPage(items=[ReviewOut.of(r) for r in page.items], next_cursor=page.next_cursor)
    )


lambda_handler = handler_for(app)
