"""PATCH /admin/users/{userId}: change a user's role or status (disabled users cannot sign in)."""

from __future__ import annotations

from typing import Annotated

from domain.accounts.services import set_user_access
from handlers.admin.schemas import UpdateUserRequest, UserSummary
from handlers.shared import wiring
from handlers.shared.http import ADMINS, HttpApp, Path, Response, documented, handler_for, reply
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
accounts = wiring.accounts()


@app.patch(
    "/admin/users/<userId>",
    summary="Change a user's role or status",
    **documented(200, UserSummary, 401, 403, 404, 409),
)
def update_user(
    userId: Annotated[Identifier, Path()],  # noqa: N803 - the path's own name
    body: UpdateUserRequest,
) -> Response[UserSummary]:
    user = set_user_access(
        userId,
        role=body.role,
        status=body.status,
        acting_admin_id=app.principal.user_id,
        accounts=accounts,
    )
    return reply(UserSummary.of(user))


lambda_handler = handler_for(app)
