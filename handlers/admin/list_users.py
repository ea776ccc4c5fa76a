"""GET /admin/users: every account, newest first, a page at a time."""

from __future__ import annotations

from typing import Annotated

from domain.accounts.services import list_users
from handlers.admin.schemas import UserPage, UserSummary
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Query, Response, documented, handler_for, reply
from handlers.shared.schema import Cursor, Limit

app = HttpApp(roles=ADMINS)
accounts = wiring.accounts()


@app.get("/admin/users", summary="List users", **documented(200, UserPage, 401, 403, 404))
def users(
    limit: Annotated[Limit, Query()] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> Response[UserPage]:
    page = list_users(cursor, limit, accounts=accounts)
    return reply(
        UserPage(items=[UserSummary.of(u) for u in page.items], next_cursor=page.next_cursor)
    )


lambda_handler = handler_for(app)
