"""GET /orders: my orders, newest first, a page at a time."""

from __future__ import annotations

from typing import Annotated

from domain.buying.orders import my_orders
from handlers.orders.summaries import OrderPage, OrderSummaryOut
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=SIGNED_IN)
orders = wiring.order_reads()


@app.get("/orders", summary="My orders", **documented(200, OrderPage, 401, 404))
def list_orders(
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[OrderPage]:
    page = my_orders(app.principal.user_id, cursor, limit, orders=orders)
    return reply(
        OrderPage(items=[OrderSummaryOut.of(o) for o in page.items], next_cursor=page.next_cursor)
    )


lambda_handler = handler_for(app)
