"""GET /sellers/me/orders: the lines of my products in paid orders, newest first."""

from __future__ import annotations

from typing import Annotated

from adapters.settings import settings
from domain.buying.orders import seller_orders
from domain.catalog.model import seller_id_for
from handlers.orders.seller_schemas import SellerOrderOut, SellerOrderPage
from handlers.shared import wiring
from handlers.shared.http import (
    SELLERS_ONLY,
    HttpApp,
    Query,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=SELLERS_ONLY)
orders = wiring.order_reads()
currency = settings().STORE_CURRENCY


@app.get(
    "/sellers/me/orders",
    summary="My paid order lines",
    **documented(200, SellerOrderPage, 401, 403, 404),
)
def list_seller_orders(
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[SellerOrderPage]:
    page = seller_orders(seller_id_for(app.principal.user_id), cursor, limit, orders=orders)
    return reply(
        SellerOrderPage(
            items=[SellerOrderOut.of(s, currency) for s in page.items], next_cursor=page.next_cursor
        )
    )


lambda_handler = handler_for(app)
