"""Checkout task ReleaseStock: the unpaid order's units go back on sale.

In ``{"orderId", "outcome": payment_failed|cancelled, "declineCode"}``; out
``{"orderId", "status"}``. An order already moved (by the sweep, the buyer, an earlier
run) is left as it is.
"""

from __future__ import annotations

from domain.buying.payments import Release, release_stock
from domain.clock import utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task

# The orders area's repository and move: built on the first call, not at import, while
# they live on its branch (buy-orders). Once merged they may move up here like the others.


def release(event: Payload) -> Payload:
    status = release_stock(
        str(event["orderId"]),
        Release(event["outcome"]),
        event.get("declineCode"),
        orders=wiring.orders(),
        payments=wiring.payment_records(),
        move=wiring.move_order(),
        now=utcnow(),
    )
    return {"orderId": event["orderId"], "status": status.value}


lambda_handler = task(release)
