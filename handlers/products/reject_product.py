"""POST /admin/products/{productId}/reject: pending_review -> rejected, with a reason."""

from __future__ import annotations

from typing import Annotated

from domain.catalog.products import reject_product
from handlers.products.schemas import ProductOut, RejectRequest, etag
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
products = wiring.products()


@app.post(
    "/admin/products/<productId>/reject",
    summary="Reject a product",
    **documented(200, ProductOut, 401, 403, 404, 409),
)
def reject(
    productId: Annotated[Identifier, Path()],  # noqa: N803
    body: RejectRequest,
) -> Response[ProductOut]:
    product = reject_product(productId, body.reason, products=products)
    return reply(ProductOut.of(product), headers=etag(product))


lambda_handler = handler_for(app)
