"""PATCH /cart/items/{productId}: set a line's quantity (holds follow it)."""

from __future__ import annotations

from typing import Annotated

from domain.buying.cart import change_quantity
from handlers.cart.schemas import CartItemPatch, CartOut
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
carts = wiring.carts()
holds = wiring.holds()
orders = wiring.unpaid_orders()
addresses = wiring.address_book()
pricing = wiring.pricing()


@app.patch(
    "/cart/items/<productId>",
    summary="Change a quantity in my cart",
    **documented(200, CartOut, 401, 403, 404, 409),
)
def change_item(
    productId: Annotated[Identifier, Path()],  # noqa: N803 - the path's own name
    body: CartItemPatch,
) -> Response[CartOut]:
    cart = change_quantity(
        app.principal.user_id,
        productId,
        body.quantity,
        carts=carts,
        holds=holds,
        orders=orders,
        addresses=addresses,
        pricing=pricing,
        policy=wiring.cart_policy(),
    )
    return reply(CartOut.of(cart))


lambda_handler = handler_for(app)
