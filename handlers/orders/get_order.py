"""GET /orders/{orderId}: my order (an admin's: any) with its lines, totals and history."""

from __future__ import annotations

from typing import Annotated

from domain.access import Role
from domain.buying.orders import my_order
from handlers.orders.schemas import OrderOut
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
orders = wiring.order_reads()


@app.get("/orders/<orderId>", summary="An order", **documented(200, OrderOut, 401, 404))
def get_order(orderId: Annotated[Identifier, Path()]) -> Response[OrderOut]:  # noqa: N803
    caller = app.principal
    order = my_order(
        orderId, user_id=caller.user_id, is_admin=caller.role is Role.ADMIN, orders=orders
    )
    return reply(OrderOut.of(order, buyer=order.user_id == caller.user_id))


lambda_handler = handler_for(app)
