"""DELETE /cart/items/{productId}: remove a line, giving its held units back."""

from __future__ import annotations

from typing import Annotated

from domain.buying.cart import remove_from_cart
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


@app.delete(
    "/cart/items/<productId>",
    summary="Remove a product from my cart",
    **documented(204, None, 401, 403, 404, 409),
)
def remove_item(productId: Annotated[Identifier, Path()]) -> Response[None]:  # noqa: N803
    remove_from_cart(app.principal.user_id, productId, carts=carts, policy=wiring.cart_policy())
    return reply(status=204)


lambda_handler = handler_for(app)
