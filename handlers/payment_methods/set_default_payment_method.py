"""POST /me/payment-methods/{paymentMethodId}/default: make a saved card the default."""

from __future__ import annotations

from typing import Annotated

from domain.payments.cards import make_default
from handlers.payment_methods.schemas import CardOut, PaymentMethod
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
cards = wiring.saved_cards()


@app.post(
    "/me/payment-methods/<paymentMethodId>/default",
    summary="Make a saved card the default",
    **documented(200, CardOut, 401, 403, 404),
)
def set_default_payment_method(
    paymentMethodId: Annotated[PaymentMethod, Path()],  # noqa: N803 - the path's own name
) -> Response[CardOut]:
    card = make_default(app.principal.user_id, paymentMethodId, cards=cards)
    return reply(CardOut.of(card))


lambda_handler = handler_for(app)
