"""POST /products: a seller lists a product (as a draft)."""

from __future__ import annotations

from adapters.settings import settings
from domain.catalog.products import create_product
from handlers.products.schemas import ProductOut, ProductRequest, etag
from handlers.shared import wiring
from handlers.shared.actors import actor_of
from handlers.shared.http import SELLERS_ONLY, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SELLERS_ONLY)
products, categories = wiring.products(), wiring.categories()
currency = settings().STORE_CURRENCY


@app.post("/products", summary="List a product", **documented(201, ProductOut, 401, 403, 409))
def add_product(body: ProductRequest) -> Response[ProductOut]:
    product = create_product(
        body.form(),
        actor=actor_of(app.principal),
        products=products,
        categories=categories,
        store_currency=currency,
    )
    return reply(ProductOut.of(product), 201, headers=etag(product))


lambda_handler = handler_for(app)
