"""POST /admin/orders/{orderId}/cancel: an admin cancels before shipping, with a reason."""

from __future__ import annotations

from typing import Annotated

from domain.buying.orders import cancel_order
from domain.clock import utcnow
from handlers.orders.requests import CancelRequest
from handlers.orders.schemas import OrderOut
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
orders = wiring.orders()


@app.post(
    "/admin/orders/<orderId>/cancel",
    summary="Cancel an order (admin)",
    **documented(200, OrderOut, 401, 403, 404, 409),
)
def admin_cancel(orderId: Annotated[Identifier, Path()], body: CancelRequest) -> Response[OrderOut]:  # noqa: N803
    order = cancel_order(
        orderId, body.reason, admin_id=app.principal.user_id, orders=orders, now=utcnow()
    )
    return reply(OrderOut.of(order))


lambda_handler = handler_for(app)
