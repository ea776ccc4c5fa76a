"""GET /me/payment-methods: my saved cards (brand, last four, expiry, the default)."""

from __future__ import annotations

from domain.payments.cards import cards_of
from handlers.payment_methods.schemas import CardList, CardOut
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
cards = wiring.saved_cards()


@app.get("/me/payment-methods", summary="My saved cards", **documented(200, CardList, 401, 403))
def list_payment_methods() -> Response[CardList]:
    saved = cards_of(app.principal.user_id, cards=cards)
    return reply(CardList(items=[CardOut.of(card) for card in saved]))


lambda_handler = handler_for(app)
