"""POST /auth/password/forgot: email a reset link (the answer never says if one was sent).

The link is mailed from here rather than through the stream: its token exists in clear
only in this email, and the table keeps only its hash.

Each request counts against its client's limit (a 429 past it) and the address's reset
emails: past those, nothing is sent and the answer is the very same 202; the refusal is
logged (the address only as a hash prefix) and counted as a metric.
"""

from __future__ import annotations

from adapters.settings import settings
from domain.accounts.rules import normalise_email
from domain.accounts.services import ResetOutcome, request_password_reset
from domain.errors import TooManyRequests
from domain.limits import email_subject
from handlers.auth.schemas import Accepted, ForgotPasswordRequest
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply
from handlers.shared.limits import client_address, count_refusal

app = HttpApp(roles=PUBLIC)
accounts, mailer, policy = wiring.accounts(), wiring.mailer(), wiring.login_policy()
counter, limits = wiring.hit_counter(), wiring.rate_limits()
reset_url = f"{settings().APP_BASE_URL.rstrip('/')}/reset-password"


@app.post(
    "/auth/password/forgot",
    summary="Ask for a password reset link",
    **documented(202, Accepted, 429),
)
def forgot_password(body: ForgotPasswordRequest) -> Response[Accepted]:
    try:
        outcome = request_password_reset(
            body.email,
            accounts=accounts,
            mailer=mailer,
            reset_url=reset_url,
            policy=policy,
            counter=counter,
            limits=limits,
            client=client_address(app.current_event.raw_event),
        )
    except TooManyRequests as refused:
        count_refusal("RateLimited", limits.forgot.scope, retryAfter=refused.retry_after)
        raise
    if outcome is ResetOutcome.REFUSED:
        address = email_subject(normalise_email(body.email))[:12]
        count_refusal("ResetEmailRefused", limits.reset_email.scope, emailSha256=address)
    detail = "if an account exists for this email, a reset link is on its way"
    return reply(Accepted(detail=detail), 202)


lambda_handler = handler_for(app)
