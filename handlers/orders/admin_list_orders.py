"""GET /admin/orders: every order, newest first, by status and/or days (from, to)."""

from __future__ import annotations

from typing import Annotated

from domain.buying.model import OrderStatus
from domain.buying.orders import DateRange, admin_orders
from handlers.orders.requests import Day
from handlers.orders.summaries import OrderPage, OrderSummaryOut
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=ADMINS)
orders = wiring.order_reads()


@app.get("/admin/orders", summary="Orders (admin)", **documented(200, OrderPage, 401, 403, 404))
def admin_list_orders(
    status: Annotated[OrderStatus | None, Query()] = None,
    from_: Annotated[Day | None, Query(alias="from", description="First day (UTC)")] = None,
    to: Annotated[Day | None, Query(description="Last day (UTC), inclusive")] = None,
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[OrderPage]:
    page = admin_orders(status, DateRange(from_, to), cursor, limit, orders=orders)
    return reply(
        OrderPage(items=[OrderSummaryOut.of(o) for o in page.items], next_cursor=page.next_cursor)
    )


lambda_handler = handler_for(app)
