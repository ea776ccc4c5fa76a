"""POST /payments/webhook: the provider's events (public; Stripe-signed raw body).

Verified on the raw body (Stripe's scheme, 300 s tolerance), de-duplicated by event id,
applied once (``domain/payments/webhook.py``). A bad signature is a 400 and changes
nothing; every verified event is a 200, even one the shop cannot apply (the provider
retries a non-2xx answer for three days, and no retry would make it apply).
"""

from __future__ import annotations

from domain.clock import utcnow
from domain.payments.webhook import receive
from handlers.payments.acks import WebhookAck
from handlers.shared import wiring
from handlers.shared.http import PUBLIC, HttpApp, Response, documented, handler_for, reply

app = HttpApp(roles=PUBLIC)
payments, events, callbacks = (
    wiring.payment_records(),
    wiring.webhook_events(),
    wiring.task_callbacks(),
)
# The orders repository, its moves and the refunds (with the provider) serve only a
# success that came after the window (the order cancelled, the payment refunded) and
# charge.refunded: built on first use (cached per container), not at import; with Stripe
# the provider is its SDK.


@app.post(
    "/payments/webhook", summary="Payment provider events", **documented(200, WebhookAck, 400)
)
def webhook() -> Response[WebhookAck]:
    request = app.current_event
    result = receive(
        (request.decoded_body or "").encode(),
        request.headers.get("stripe-signature"),
        verifier=wiring.webhook_verifier(),
        events=events,
        payments=payments,
        orders=wiring.orders(),
        move=wiring.move_order(),
        callbacks=callbacks,
        refunds=wiring.webhook_refunds(),
        now=utcnow(),
    )
    return reply(WebhookAck(received=True, outcome=result.handled.value))


lambda_handler = handler_for(app)
