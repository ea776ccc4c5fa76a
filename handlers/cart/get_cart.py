"""GET /cart: my cart, every line at the current price, with flags and totals."""

from __future__ import annotations

from typing import Annotated

from domain.buying.cart import view_cart
from handlers.cart.schemas import CartOut
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    HttpApp,
    Query,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
carts = wiring.carts()
addresses = wiring.address_book()
pricing = wiring.pricing()


@app.get("/cart", summary="My cart", **documented(200, CartOut, 401, 403, 404))
def get_cart(
    addressId: Annotated[Identifier | None, Query()] = None,  # noqa: N803 - the query's name
) -> Response[CartOut]:
    cart = view_cart(
        app.principal.user_id,
        address_id=addressId,
        carts=carts,
        addresses=addresses,
        pricing=pricing,
        policy=wiring.cart_policy(),
    )
    return reply(CartOut.of(cart))


lambda_handler = handler_for(app)
