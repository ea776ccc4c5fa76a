"""DELETE /cart: empty my cart, giving every held unit back."""

from __future__ import annotations

from domain.buying.cart import clear_cart
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


@app.delete("/cart", summary="Empty my cart", **documented(204, None, 401, 403, 409))
def empty_cart() -> Response[None]:
    clear_cart(app.principal.user_id, carts=carts)
    return reply(status=204)


lambda_handler = handler_for(app)
