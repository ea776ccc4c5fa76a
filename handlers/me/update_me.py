"""PATCH /me: change names, phone, date of birth, avatar or preferences."""

from __future__ import annotations

from domain.accounts.services import update_profile
from handlers.me.schemas import MeOut, UpdateMeRequest
from handlers.shared import wiring
from handlers.shared.http import SIGNED_IN, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=SIGNED_IN)
accounts = wiring.accounts()


@app.patch("/me", summary="Update my profile", **documented(200, MeOut, 401, 404))
def update_me(body: UpdateMeRequest) -> Response[MeOut]:
    user = update_profile(app.principal.user_id, body.changes(), accounts=accounts)
    return reply(MeOut.of(user))


lambda_handler = handler_for(app)
