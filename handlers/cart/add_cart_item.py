"""POST /cart/items: add a product (or that many more of it); holds its units when
cart holds are on."""

from __future__ import annotations

from domain.buying.cart import add_to_cart
from handlers.cart.schemas import AddCartItemRequest, CartOut
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    HttpApp,
    Response,
    documented,
    handler_for,
    reply,
)

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
carts = wiring.carts()
holds = wiring.holds()
orders = wiring.unpaid_orders()
addresses = wiring.address_book()
pricing = wiring.pricing()


@app.post("/cart/items", summary="Add to my cart", **documented(200, CartOut, 401, 403, 404, 409))
def add_item(body: AddCartItemRequest) -> Response[CartOut]:
    cart = add_to_cart(
        app.principal.user_id,
        body.product_id,
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
