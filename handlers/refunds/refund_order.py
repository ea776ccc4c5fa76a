"""POST /admin/orders/{orderId}/refunds: an admin refunds part or all of a paid order."""

from __future__ import annotations

from typing import Annotated

from domain.clock import utcnow
from domain.payments.refunds import refund_order
from handlers.refunds.schemas import IDEMPOTENCY_KEY_PATTERN, RefundBody, RefundOut
from handlers.shared import wiring
from handlers.shared.http import (
    ADMINS,
    Header,
    HttpApp,
    Path,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=ADMINS)
records, orders, provider = wiring.refund_records(), wiring.orders(), wiring.payment_provider()


@app.post(
    "/admin/orders/<orderId>/refunds",
    summary="Refund an order, in part or in full (admin)",
    **documented(201, RefundOut, 401, 403, 404, 409, 428),
)
def refund(
    orderId: Annotated[Identifier, Path()],  # noqa: N803
    body: RefundBody,
    idempotency_key: Annotated[
        str,
        Header(
            alias="idempotency-key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Unique per refund; a replay answers with the same refund "
            "(428 when absent, 422 when reused with another body).",
        ),
    ],
) -> Response[RefundOut]:
    done = refund_order(
        orderId,
        body.to_domain(),
        key=idempotency_key,
        actor_id=app.principal.user_id,
        records=records,
        orders=orders,
        provider=provider,
        now=utcnow(),
    )
    return reply(RefundOut.of(done), 201)


lambda_handler = handler_for(app)
