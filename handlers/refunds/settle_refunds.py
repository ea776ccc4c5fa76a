"""The refunds queue's worker: ``order.cancelled`` events with ``refundOwed`` (a paid order
cancelled before shipping is refunded in full) and ``refund.requested`` (every new refund:
one whose provider call failed is asked again, until the message's last try). Safe to run
again: a refund's provider key follows from its id, and it settles once."""

from __future__ import annotations

from domain.clock import utcnow
from domain.payments.refunds import finish_pending_refund, settle_owed_refund
from events.contracts import REFUND_REQUESTED
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

records, orders, provider = wiring.refund_records(), wiring.orders(), wiring.payment_provider()


def settle(record: Record) -> None:
    event = domain_event(record)
    if event.type == REFUND_REQUESTED:
        refund = finish_pending_refund(
            event.subject,
            str(event.data["refundId"]),
            records=records,
            orders=orders,
            provider=provider,
            now=utcnow(),
        )
    elif event.data.get("refundOwed"):
        refund = settle_owed_refund(
            event.subject, records=records, orders=orders, provider=provider, now=utcnow()
        )
    else:
        return  # cancelled before it was paid: nothing owed
    status = None if refund is None else refund.status.value
    logger.info(
        "refund", extra={"eventType": event.type, "orderId": event.subject, "refundStatus": status}
    )


lambda_handler = worker("sqs", settle)
