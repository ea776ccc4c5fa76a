"""POST /auth/password/reset: set a new password with a reset token; all sessions end."""

from __future__ import annotations

from domain.accounts.services import reset_password
from handlers.auth.schemas import ResetPasswordRequest
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)
accounts, hasher = wiring.accounts(), wiring.hasher()


@app.post("/auth/password/reset", summary="Reset the password", **documented(204, None, 400))
def reset(body: ResetPasswordRequest) -> Response[None]:
    reset_password(body.token, body.new_password, accounts=accounts, hasher=hasher)
    return reply(status=204)


lambda_handler = handler_for(app)
