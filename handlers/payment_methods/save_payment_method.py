"""POST /me/payment-methods: keep the card a confirmed SetupIntent attached."""

from __future__ import annotations

from domain.clock import utcnow
from domain.payments.cards import save_card
from handlers.payment_methods.schemas import CardOut, SaveCardRequest
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


@app.post("/me/payment-methods", summary="Save a card", **documented(201, CardOut, 401, 403, 409))
def save_payment_method(body: SaveCardRequest) -> Response[CardOut]:
    card = save_card(
        app.principal.user_id,
        body.setup_intent_id,
        make_default=body.make_default,
        cards=cards,
        vault=vault,
        now=utcnow(),
    )
    return reply(CardOut.of(card), 201)


lambda_handler = handler_for(app)
