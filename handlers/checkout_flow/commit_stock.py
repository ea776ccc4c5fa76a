"""Checkout task CommitStock: the paid order becomes ``confirmed``, its units sold.

In ``{"orderId", "paymentReference"}``; out ``{"orderId", "status"}``. Already confirmed:
nothing to do.
"""

from __future__ import annotations

from domain.buying.payments import commit_stock
from domain.clock import utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task

# The orders area's repository and move: built on the first call, not at import, while
# they live on its branch (buy-orders). Once merged they may move up here like the others.


def commit(event: Payload) -> Payload:
    status = commit_stock(
        str(event["orderId"]),
        event.get("paymentReference"),
        orders=wiring.orders(),
        move=wiring.move_order(),
        now=utcnow(),
    )
    return {"orderId": event["orderId"], "status": status.value}


lambda_handler = task(commit)
