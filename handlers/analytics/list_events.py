"""GET /admin/events: a day's event log, oldest first, a page at a time (admins)."""

from __future__ import annotations

from typing import Annotated

from domain.analytics import event_log
from handlers.analytics.schemas import Day, EventPage, LoggedEvent
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=ADMINS)
numbers = wiring.numbers()


@app.get("/admin/events", summary="The event log", **documented(200, EventPage, 401, 403, 404))
def list_events(
    day: Annotated[Day, Query(alias="date")],
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[EventPage]:
    page = event_log(day, cursor, limit, reader=numbers)
    items = [LoggedEvent.of(event) for event in page.items]
    return reply(EventPage(items=items, next_cursor=page.next_cursor))


lambda_handler = handler_for(app)
