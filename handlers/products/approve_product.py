"""POST /admin/products/{productId}/approve: pending_review -> active (in the catalogue)."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.products import approve_product
from handlers.products.schemas import ProductOut, etag
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
products = wiring.products()


@app.post(
    "/admin/products/<productId>/approve",
    summary="Approve a product",
    **documented(200, ProductOut, 401, 403, 404, 409),
)
def approve(productId: Annotated[Identifier, Path()]) -> Response[ProductOut]:  # noqa: N803
    product = approve_product(productId, products=products)
    return reply(ProductOut.of(product), headers=etag(product))


lambda_handler = handler_for(app)
