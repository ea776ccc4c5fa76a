"""Steps the refund tests share: a paid order whose charge is in the local provider's
ledger (so the test mode can refund it), and the refund request."""

from __future__ import annotations

import itertools
from typing import Any

from tests.integration.helpers import Account
from tests.integration.order_helpers import Market, place, put_cart_line
from tests.support.lambda_api import ApiResponse, LambdaApi

_keys = itertools.count(1)


def refund_key() -> str:
    return f"refund-{next(_keys)}"


def charge_and_confirm(order_id: str) -> str:
    """What the checkout machine does for a paid order: a test-mode charge (ledger), then
    the move to ``confirmed`` with its reference. Returns the charge's id."""
    from domain.buying.lifecycle import Mover
    from domain.buying.model import OrderStatus
    from domain.buying.orders import move_order
    from domain.clock import utcnow
    from handlers.shared import wiring

    orders = wiring.orders()
    order = orders.order(order_id)
    assert order is not None
    charge = wiring.payment_provider().charge(
        order_id=order_id,
        amount=order.totals.total,
        currency=order.totals.currency,
        payment_method="pm_card_visa",
        idempotency_key=f"{order_id}:1",
    )
    move_order(
        order_id,
        OrderStatus.CONFIRMED,
        mover=Mover.SYSTEM,
        actor_id="system",
        reason="payment received",
        orders=orders,
        now=utcnow(),
        payment_reference=charge.reference,
    )
    return charge.reference


def paid_order(api: LambdaApi, m: Market, product_id: str, quantity: int = 2) -> dict[str, Any]:
    """A confirmed order of the buyer, charged in test mode; its body as the API shows it."""
    put_cart_line(m.buyer.user_id, product_id, quantity, price=1999)
    placed = place(api, m.buyer)
    assert placed.status == 201, placed.text
    order_id = placed.body["orderId"]
    charge_and_confirm(order_id)
    shown = api.get(f"/orders/{order_id}", token=m.buyer.access)
    assert shown.body["status"] == "confirmed", shown.text
    return dict(shown.body)


def ask_refund(
    api: LambdaApi,
    who: Account | None,
    order_id: str,
    amount: int,
    *,
    reason: str = "damaged in transit",
    restock: bool | None = None,
    key: str | None = None,
) -> ApiResponse:
    body: dict[str, Any] = {"amount": amount, "reason": reason}
    if restock is not None:
        body["restock"] = restock
    return api.post(
        f"/admin/orders/{order_id}/refunds",
        json=body,
        token=None if who is None else who.access,
        headers={"idempotency-key": key or refund_key()},
    )
