"""POST /admin/orders/{orderId}/ship: confirmed -> shipped, with the carrier's tracking."""

from __future__ import annotations

from typing import Annotated

from domain.buying.orders import ship_order
from domain.clock import utcnow
from handlers.orders.requests import ShipRequest
from handlers.orders.schemas import OrderOut
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
orders = wiring.orders()


@app.post(
    "/admin/orders/<orderId>/ship",
    summary="Ship an order",
    **documented(200, OrderOut, 401, 403, 404, 409),
)
def ship(orderId: Annotated[Identifier, Path()], body: ShipRequest) -> Response[OrderOut]:  # noqa: N803
    order = ship_order(
        orderId, body.to_domain(), admin_id=app.principal.user_id, orders=orders, now=utcnow()
    )
    return reply(OrderOut.of(order))


lambda_handler = handler_for(app)
