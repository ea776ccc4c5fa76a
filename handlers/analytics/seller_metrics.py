"""GET /sellers/me/metrics: the calling seller's own numbers, day by day and in total."""

from __future__ import annotations

from typing import Annotated

from domain.analytics import seller_numbers
from domain.catalog.model import seller_id_for
from handlers.analytics.schemas import Day, SellerMetrics
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

app = HttpApp(roles=SELLERS_ONLY)
numbers = wiring.numbers()


@app.get(
    "/sellers/me/metrics",
    summary="My numbers",
    description=(
        "Every day from `from` to `to` (UTC, both included) and the totals. A range is at "
        "most 92 days: longer is 422 `range_too_long`, `to` before `from` 422 `range_reversed`."
    ),
    **documented(200, SellerMetrics, 401, 403),
)
def my_metrics(
    first: Annotated[Day, Query(alias="from")],
    last: Annotated[Day, Query(alias="to")],
) -> Response[SellerMetrics]:
    seller_id = seller_id_for(app.principal.user_id)
    series = seller_numbers(seller_id, first, last, reader=numbers)
    return reply(SellerMetrics.of(seller_id, first, last, series))


lambda_handler = handler_for(app)
