"""POST /admin/orders/{orderId}/deliver: shipped -> delivered (no body)."""

from __future__ import annotations

from typing import Annotated

from domain.buying.orders import deliver_order
from domain.clock import utcnow
from handlers.orders.schemas import OrderOut
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
orders = wiring.orders()


@app.post(
    "/admin/orders/<orderId>/deliver",
    summary="Mark an order delivered",
    **documented(200, OrderOut, 401, 403, 404, 409),
)
def deliver(orderId: Annotated[Identifier, Path()]) -> Response[OrderOut]:  # noqa: N803
    order = deliver_order(orderId, admin_id=app.principal.user_id, orders=orders, now=utcnow())
    return reply(OrderOut.of(order))


lambda_handler = handler_for(app)
