"""GET /admin/metrics: the shop's numbers, day by day and in total (admins)."""

from __future__ import annotations

from typing import Annotated

from domain.analytics import shop_numbers
from handlers.analytics.schemas import Day, ShopMetrics
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Query, Response, documented, handler_for, reply

app = HttpApp(roles=ADMINS)
numbers = wiring.numbers()


@app.get(
    "/admin/metrics",
    summary="The shop's numbers",
    description=(
        "Every day from `from` to `to` (UTC, both included) and the totals. A range is at "
        "most 92 days: longer is 422 `range_too_long`, `to` before `from` 422 `range_reversed`."
    ),
    **documented(200, ShopMetrics, 401, 403),
)
def shop_metrics(
    first: Annotated[Day, Query(alias="from")],
    last: Annotated[Day, Query(alias="to")],
) -> Response[ShopMetrics]:
    series = shop_numbers(first, last, reader=numbers)
    return reply(ShopMetrics.of(first, last, series))


lambda_handler = handler_for(app)
