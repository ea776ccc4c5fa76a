"""The safety net, every minute: releases cart holds and unpaid orders past their expiry,
found through the hold-expiry index (GSI5, sharded), each in its own transaction. Safe
to run twice and alongside the state machine (``domain.buying.cart.sweep``)."""

from __future__ import annotations

from typing import Any

from domain.clock import utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task


def sweep_once(_event: Payload) -> Payload:
    # The cart area's sweep and hold repository, imported on use.
    from domain.buying import cart  # type: ignore[attr-defined,unused-ignore]
    from repositories import keys
    from repositories.buying import holds  # type: ignore[attr-defined,unused-ignore]

    released: Any = cart.sweep(
        holds=holds.DynamoHolds(),
        orders=wiring.checkout_orders(),
        now=utcnow(),
        shards=keys.HOLD_SHARDS,
    )
    return {"released": released if isinstance(released, int | dict | list) else str(released)}


lambda_handler = task(sweep_once)
