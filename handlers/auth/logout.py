"""POST /auth/logout: revoke the caller's refresh session."""

from __future__ import annotations

from domain.accounts.services import log_out
from handlers.auth.schemas import RefreshRequest
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.post("/auth/logout", summary="Sign out (revoke a refresh token)", **documented(204, None, 401))
def logout(body: RefreshRequest) -> Response[None]:
    log_out(body.refresh_token, user_id=app.principal.user_id, accounts=accounts)
    return reply(status=204)


lambda_handler = handler_for(app)
