"""GET /me/notifications: the messages sent to me, newest first, a page at a time."""

from __future__ import annotations

from typing import Annotated

from domain.notifications import my_notifications
from handlers.notifications.schemas import NotificationOut, NotificationPageOut
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=SIGNED_IN)
history = wiring.notification_history()


@app.get(
    "/me/notifications",
    summary="My notifications",
    **documented(200, NotificationPageOut, 401, 404),
)
def list_notifications(
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[NotificationPageOut]:
    page = my_notifications(app.principal.user_id, cursor, limit, history=history)
    items = [NotificationOut.of(record) for record in page.items]
    return reply(NotificationPageOut(items=items, next_cursor=page.next_cursor))


lambda_handler = handler_for(app)
