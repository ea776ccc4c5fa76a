"""POST /me/password: change the password (current one required); other sessions end."""

from __future__ import annotations

from domain.accounts.services import change_password
from handlers.me.schemas import ChangePasswordRequest
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SIGNED_IN)
accounts, hasher = wiring.accounts(), wiring.hasher()


@app.post("/me/password", summary="Change my password", **documented(204, None, 401, 403))
def change_my_password(body: ChangePasswordRequest) -> Response[None]:
    caller = app.principal
    change_password(
        caller.user_id,
        body.current_password,
        body.new_password,
        session_id=caller.session_id,
        accounts=accounts,
        hasher=hasher,
    )
    return reply(status=204)


lambda_handler = handler_for(app)
