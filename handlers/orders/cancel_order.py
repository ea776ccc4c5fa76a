"""POST /orders/{orderId}/cancel: the buyer cancels before shipping (no body)."""

from __future__ import annotations

from typing import Annotated

from domain.buying.orders import cancel_my_order
from domain.clock import utcnow
from handlers.orders.schemas import OrderOut
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
orders = wiring.orders()


@app.post(
    "/orders/<orderId>/cancel",
    summary="Cancel my order",
    **documented(200, OrderOut, 401, 403, 404, 409),
)
def cancel_order(orderId: Annotated[Identifier, Path()]) -> Response[OrderOut]:  # noqa: N803
    order = cancel_my_order(orderId, user_id=app.principal.user_id, orders=orders, now=utcnow())
    return reply(OrderOut.of(order))


lambda_handler = handler_for(app)
