"""GET /orders/{orderId}/invoice: a redirect (302) to a short-lived download of my
order's invoice (an admin's: any), or with ``refundId`` of that refund's credit note."""

from __future__ import annotations

from typing import Annotated

from adapters.settings import settings
from domain.access import Role
from domain.invoices import document_url
from handlers.shared import wiring
from handlers.shared.http import (
    SIGNED_IN,
    HttpApp,
    Path,
    Query,
    Response,
    documented,
    handler_for,
    reply,
)
from handlers.shared.schema import Identifier

app = HttpApp(roles=SIGNED_IN)
records, orders, files = wiring.invoices(), wiring.order_reader(), wiring.invoice_files()


@app.get(
    "/orders/<orderId>/invoice",
    summary="Download an order's invoice or credit note",
    **documented(302, None, 401, 404, 409, 422),
)
def get_invoice(
    orderId: Annotated[Identifier, Path()],  # noqa: N803
    refundId: Annotated[Identifier | None, Query()] = None,  # noqa: N803
) -> Response[None]:
    caller = app.principal
    url = document_url(
        orderId,
        refund_id=refundId,
        user_id=caller.user_id,
        is_admin=caller.role is Role.ADMIN,
        records=records,
        orders=orders,
        files=files,
        expires_in=settings().INVOICE_URL_SECONDS,
    )
    return reply(None, 302, headers={"Location": url, "Cache-Control": "no-store"})


lambda_handler = handler_for(app)
