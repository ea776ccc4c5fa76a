"""DELETE /products/{productId}: archive (the seller's or an admin's); it leaves the catalogue."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.products import archive_product
from handlers.products.schemas import ProductOut, etag
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import (
    SELLERS_OR_ADMINS,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=SELLERS_OR_ADMINS)
products = wiring.products()


@app.delete(
    "/products/<productId>",
    summary="Archive a product",
    **documented(200, ProductOut, 401, 403, 404, 409),
)
def archive(productId: Annotated[Identifier, Path()]) -> Response[ProductOut]:  # noqa: N803
    product = archive_product(productId, actor=actor_of(app.principal), products=products)
    return reply(ProductOut.of(product), headers=etag(product))


lambda_handler = handler_for(app)
