"""GET /orders/{orderId}/payments: my order's payment attempts and refunds (an admin's:
any order's). Card brand and last four only; never a task token or a client secret."""

from __future__ import annotations

from typing import Annotated

from domain.access import Role
from domain.payments.listing import payments_of_order
from handlers.payments.schemas import OrderPaymentsOut
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
payments = wiring.order_payments()


@app.get(
    "/orders/<orderId>/payments",
    summary="An order's payment attempts and refunds",
    **documented(200, OrderPaymentsOut, 401, 404),
)
def list_order_payments(orderId: Annotated[Identifier, Path()]) -> Response[OrderPaymentsOut]:  # noqa: N803
    caller = app.principal
    found = payments_of_order(
        orderId, user_id=caller.user_id, is_admin=caller.role is Role.ADMIN, payments=payments
    )
    return reply(OrderPaymentsOut.of(found))


lambda_handler = handler_for(app)
