"""GET /admin/orders/search: orders by id, customer email or name, or status (admins)."""

from __future__ import annotations

from typing import Annotated

from domain.search.queries import search_orders
from handlers.search.schemas import OrderHitOut, OrderSearchOut, SearchText
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Limit

app = HttpApp(roles=ADMINS)


@app.get(
    "/admin/orders/search",
    summary="Search orders (admin)",
    **documented(200, OrderSearchOut, 401, 403),
)
def search(
    q: Annotated[SearchText, Query(description="Order id, email, name or status")] = "",
    limit: Annotated[Limit, Query()] = 20,
) -> Response[OrderSearchOut]:
    hits = search_orders(q, index=wiring.search_index(), limit=limit)  # engine on first call
    return reply(OrderSearchOut(items=[OrderHitOut.of(h) for h in hits]))


lambda_handler = handler_for(app)
