"""POST /orders/{orderId}/payments: the buyer retries a declined payment with another
method (Idempotency-Key). The units are held again first (409 ``insufficient_stock`` if
gone), then a new attempt runs: a new execution of the checkout machine, a new charge."""

from __future__ import annotations

from typing import Annotated

from domain.clock import utcnow
from domain.payments.retry import retry_payment
from handlers.orders.schemas import OrderOut
from handlers.payments.requests import IDEMPOTENCY_KEY_PATTERN, RetryPaymentRequest
from handlers.shared import wiring
from handlers.shared.http import (
    CUSTOMERS_OR_SELLERS,
    Header,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=CUSTOMERS_OR_SELLERS)
orders, machine = wiring.orders(), wiring.checkout_machine()


@app.post(
    "/orders/<orderId>/payments",
    summary="Retry a declined payment with another method",
    **documented(202, OrderOut, 401, 403, 404, 409, 428),
)
def retry_order_payment(
    orderId: Annotated[Identifier, Path()],  # noqa: N803
    body: RetryPaymentRequest,
    idempotency_key: Annotated[
        str,
        Header(
            alias="idempotency-key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Unique per retry; a replay answers the same order and starts no "
            "other attempt (428 when absent, 422 when reused with another body).",
        ),
    ],
) -> Response[OrderOut]:
    order = retry_payment(
        orderId,
        body.payment_method,
        user_id=app.principal.user_id,
        key=idempotency_key,
        orders=orders,
        machine=machine,
        window=wiring.checkout_limits().payment_window,
        now=utcnow(),
    )
    return reply(OrderOut.of(order, buyer=True), 202)


lambda_handler = handler_for(app)
