"""POST /auth/login: exchange email and password for an access and a refresh token."""

from __future__ import annotations

from domain.accounts.services import log_in
from handlers.auth.schemas import LoginRequest, Tokens
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply
from handlers.shared.limits import limit_client

app = HttpApp(roles=PUBLIC)
accounts, hasher, tokens = wiring.accounts(), wiring.hasher(), wiring.tokens()
policy, limits = wiring.login_policy(), wiring.rate_limits()


@app.post("/auth/login", summary="Sign in", **documented(200, Tokens, 401, 403, 429))
def login(body: LoginRequest) -> Response[Tokens]:
    limit_client(limits.login, app.current_event.raw_event)
    signed_in = log_in(
        body.email, body.password, accounts=accounts, hasher=hasher, tokens=tokens, policy=policy
    )
    return reply(Tokens(**signed_in.__dict__))


lambda_handler = handler_for(app)
