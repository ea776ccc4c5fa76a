"""Refunds a paid order cancelled before shipping, in full (``order.cancelled`` events with
``refundOwed`` from the outbox, through the refunds queue). Safe to run again: the
refund's id is the order's ``owed`` one and the provider's key follows from it."""

from __future__ import annotations

from domain.clock import utcnow
from domain.payments.refunds import settle_owed_refund
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

records, orders, provider = wiring.refund_records(), wiring.orders(), wiring.payment_provider()


def settle(record: Record) -> None:
    event = domain_event(record)
    if not event.data.get("refundOwed"):
        return  # cancelled before it was paid: nothing owed
    refund = settle_owed_refund(
        event.subject, records=records, orders=orders, provider=provider, now=utcnow()
    )
    status = None if refund is None else refund.status.value
    logger.info("refund owed", extra={"orderId": event.subject, "refundStatus": status})


lambda_handler = worker("sqs", settle)
