"""POST /checkout: the cart becomes an order waiting for its payment (Idempotency-Key)."""

from __future__ import annotations

from typing import Annotated

from domain.buying.checkout import checkout
from domain.clock import utcnow
from handlers.checkout.schemas import IDEMPOTENCY_KEY_PATTERN, CheckoutRequest
from handlers.orders.schemas import OrderOut
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    Header,
    HttpApp,
    Response,
    documented,
    handler_for,
    reply,
)

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
orders, holds = wiring.orders(), wiring.hold_releaser()
pricing, limits = wiring.pricing(), wiring.checkout_limits()
cards = wiring.card_customers()  # a saved card's id pays with its customer (issue 9)


@app.post(
    "/checkout", summary="Check out the cart", **documented(201, OrderOut, 401, 403, 404, 409, 428)
)
def place_order(
    body: CheckoutRequest,
    idempotency_key: Annotated[
        str,
        Header(
            alias="idempotency-key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Unique per checkout attempt; a replay answers with the same order "
            "(428 when absent, 422 when reused with another body).",
        ),
    ],
) -> Response[OrderOut]:
    placed = checkout(
        app.principal.user_id,
        idempotency_key,
        body.form(),
        store=orders,
        orders=orders,
        holds=holds,
        pricing=pricing,
        limits=limits,
        now=utcnow(),
        cards=cards,
    )
    return reply(
        OrderOut.of(placed.order), 201, headers={"Location": f"/orders/{placed.order.order_id}"}
    )


lambda_handler = handler_for(app)
