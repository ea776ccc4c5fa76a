"""The safety net, every minute: releases cart holds and unpaid orders past their expiry,
found through the hold-expiry index (GSI5, sharded), each in its own transaction. Safe
to run twice and alongside the state machine and buyers (``domain.buying.holds.sweep``)."""

from __future__ import annotations

from domain.buying.holds import sweep
from domain.clock import utcnow
from handlers.shared import wiring
from handlers.shared.tasks import Payload, task
from repositories import keys

holds, orders = wiring.holds(), wiring.unpaid_orders()


def sweep_once(_event: Payload) -> Payload:
    report = sweep(holds=holds, orders=orders, now=utcnow(), shards=keys.HOLD_SHARDS)
    return {"seen": report.seen, "released": report.released}


lambda_handler = task(sweep_once)
