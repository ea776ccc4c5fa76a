"""POST /auth/password/forgot: email a reset link (the answer never says if one was sent).

The link is mailed from here rather than through the stream: its token exists in clear
only in this email, and the table keeps only its hash.
"""

from __future__ import annotations

from adapters.settings import settings
from domain.accounts.services import request_password_reset
from handlers.auth.schemas import Accepted, ForgotPasswordRequest
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)
accounts, mailer, policy = wiring.accounts(), wiring.mailer(), wiring.login_policy()
reset_url = f"{settings().APP_BASE_URL.rstrip('/')}/reset-password"


@app.post(
    "/auth/password/forgot", summary="Ask for a password reset link", **documented(202, Accepted)
)
def forgot_password(body: ForgotPasswordRequest) -> Response[Accepted]:
    request_password_reset(
        body.email, accounts=accounts, mailer=mailer, reset_url=reset_url, policy=policy
    )
    detail = "if an account exists for this email, a reset link is on its way"
    return reply(Accepted(detail=detail), 202)


lambda_handler = handler_for(app)
