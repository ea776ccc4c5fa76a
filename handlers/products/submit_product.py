"""POST /products/{productId}/submit: the seller asks for review (draft/rejected -> pending)."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.products import submit_product
from handlers.products.schemas import ProductOut, etag
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import (
    SELLERS_ONLY,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=SELLERS_ONLY)
products = wiring.products()


@app.post(
    "/products/<productId>/submit",
    summary="Submit for review",
    **documented(200, ProductOut, 401, 403, 404, 409),
)
def submit(productId: Annotated[Identifier, Path()]) -> Response[ProductOut]:  # noqa: N803
    product = submit_product(productId, actor=actor_of(app.principal), products=products)
    return reply(ProductOut.of(product), headers=etag(product))


lambda_handler = handler_for(app)
