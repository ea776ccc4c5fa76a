"""POST /payments/test/authenticate: the test mode's stand-in for Stripe.js (3-D Secure).

Settles the test PaymentIntent of ``clientSecret`` (``succeed`` or ``fail``) once, and
delivers Stripe's event for it, signed, to this stage's own webhook: the outcome then
takes the path it takes on Stripe. 404 on a stage that runs Stripe.
"""

from __future__ import annotations

from domain.clock import utcnow
from domain.payments.testmode import AuthOutcome, authenticate
from handlers.payments.acks import AuthenticatedOut
from handlers.payments.requests import AuthenticateRequest
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)
provider = wiring.payment_provider()


@app.post(
    "/payments/test/authenticate",
    summary="Complete a test payment's 3-D Secure (test mode only)",
    **documented(200, AuthenticatedOut, 404, 409),
)
def authenticate_test_payment(body: AuthenticateRequest) -> Response[AuthenticatedOut]:
    done = authenticate(
        body.client_secret,
        AuthOutcome(body.outcome),
        provider_name=provider.name,
        intents=wiring.test_intents(),
        delivery=wiring.test_event_delivery(),
        now=utcnow(),
    )
    return reply(
        AuthenticatedOut(
            payment_intent=done.reference, status=done.status, webhook_status=done.webhook_status
        )
    )


lambda_handler = handler_for(app)
