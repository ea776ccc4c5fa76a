"""PATCH /products/{productId}: edit at a known version (If-Match), seller or admin."""

from __future__ import annotations

from typing import Annotated

from adapters.settings import settings
from domain.catalog.products import edit_product
from handlers.products.schemas import ProductOut, ProductPatch, etag, parse_if_match
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import (
    SELLERS_OR_ADMINS,
    Header,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=SELLERS_OR_ADMINS)
products, categories = wiring.products(), wiring.categories()
config = settings()


@app.patch(
    "/products/<productId>",
    summary="Edit a product",
    **documented(200, ProductOut, 401, 403, 404, 409, 412, 428),
)
def update_product(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: ProductPatch,
    if_match: Annotated[
        str,
        Header(
            alias="if-match",
            max_length=64,
            description="The product's ETag (its version) from the last read; 428 when absent.",
        ),
    ],
) -> Response[ProductOut]:
    product = edit_product(
        productId,
        body.changes(),
        if_match=parse_if_match(if_match),
        actor=actor_of(app.principal),
        products=products,
        categories=categories,
        store_currency=config.STORE_CURRENCY,
        images_base_url=config.IMAGES_BASE_URL,
    )
    return reply(ProductOut.of(product), headers=etag(product))


lambda_handler = handler_for(app)
