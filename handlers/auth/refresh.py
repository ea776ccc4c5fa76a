"""POST /auth/refresh: rotate a refresh token and get a new access token."""

from __future__ import annotations

from domain.accounts.services import refresh_session
from handlers.auth.schemas import RefreshRequest, Tokens
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)
accounts, tokens, policy = wiring.accounts(), wiring.tokens(), wiring.login_policy()


@app.post("/auth/refresh", summary="Rotate a refresh token", **documented(200, Tokens, 401))
def refresh(body: RefreshRequest) -> Response[Tokens]:
    signed_in = refresh_session(body.refresh_token, accounts=accounts, tokens=tokens, policy=policy)
    return reply(Tokens(**signed_in.__dict__))


lambda_handler = handler_for(app)
