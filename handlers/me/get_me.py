"""GET /me: the caller's profile with their addresses."""

from __future__ import annotations

from domain.accounts.services import profile
from handlers.me.schemas import MeOut
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.get("/me", summary="My profile", **documented(200, MeOut, 401, 404))
def get_me() -> Response[MeOut]:
    user, addresses = profile(app.principal.user_id, accounts=accounts)
    return reply(MeOut.of(user, addresses))


lambda_handler = handler_for(app)
