"""GET /products/{productId}: a product with its stock status and rating (one Query).

Shoppers see active products only; the product's seller and admins see it in any state.
"""

from __future__ import annotations

from typing import Annotated

from domain.catalog.products import product_detail
from handlers.products.schemas import ProductOut, etag
from handlers.shared import wiring
from handlers.shared.actors import optional_actor
from handlers.shared.http import PUBLIC, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=PUBLIC, optional_auth=True)
products = wiring.products()


@app.get("/products/<productId>", summary="A product", **documented(200, ProductOut, 404))
def get_product(productId: Annotated[Identifier, Path()]) -> Response[ProductOut]:  # noqa: N803
    detail = product_detail(productId, actor=optional_actor(app.caller), products=products)
    return reply(
        ProductOut.of(detail.product, detail.inventory, stock=True), headers=etag(detail.product)
    )


lambda_handler = handler_for(app)
