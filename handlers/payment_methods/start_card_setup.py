"""POST /me/payment-methods/setup: a SetupIntent for the client to confirm (Stripe.js)."""

from __future__ import annotations

from domain.clock import utcnow
from domain.payments.cards import start_setup
from handlers.payment_methods.schemas import SetupOut
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    HttpApp,
    Response,
    documented,
    handler_for,
    reply,
)

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
cards, vault = wiring.saved_cards(), wiring.card_vault()


@app.post(
    "/me/payment-methods/setup",
    summary="Start saving a card",
    **documented(201, SetupOut, 401, 403),
)
def start_card_setup() -> Response[SetupOut]:
    started = start_setup(app.principal.user_id, cards=cards, vault=vault, now=utcnow())
    return reply(SetupOut.of(started), 201)


lambda_handler = handler_for(app)
