"""DELETE /me/payment-methods/{paymentMethodId}: detach and forget a saved card."""

from __future__ import annotations

from typing import Annotated

from domain.payments.cards import remove_card
from handlers.payment_methods.schemas import PaymentMethod
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
cards, vault = wiring.saved_cards(), wiring.card_vault()


@app.delete(
    "/me/payment-methods/<paymentMethodId>",
    summary="Remove a saved card",
    **documented(204, None, 401, 403, 404, 409),
)
def delete_payment_method(
    paymentMethodId: Annotated[PaymentMethod, Path()],  # noqa: N803 - the path's own name
) -> Response[None]:
    remove_card(app.principal.user_id, paymentMethodId, cards=cards, vault=vault)
    return reply(status=204)


lambda_handler = handler_for(app)
