"""The invoices queue's worker: ``order.confirmed`` renders the order's invoice,
``refund.succeeded`` a credit note. Safe to run again: each document's number is claimed
with its record, once, and a ready document is never rendered again (domain/invoices.py)."""

from __future__ import annotations

from domain.clock import utcnow
from domain.invoices import issue_credit_note, issue_invoice
from events.contracts import ORDER_CONFIRMED, REFUND_SUCCEEDED
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

ports = wiring.invoice_ports()


def render(record: Record) -> None:
    event = domain_event(record)
    if event.type == ORDER_CONFIRMED:
        issued = issue_invoice(
            event.subject, occurred_at=event.occurred_at, ports=ports, now=utcnow()
        )
    elif event.type == REFUND_SUCCEEDED:
        data = event.data
        issued = issue_credit_note(
            str(data["orderId"]),
            str(data["refundId"]),
            int(data["amount"]),
            str(data["currency"]),
            occurred_at=event.occurred_at,
            ports=ports,
            now=utcnow(),
        )
    else:
        logger.info("not an invoicing event", extra={"eventType": event.type})
        return
    number = None if issued is None else issued.number
    logger.info("invoice", extra={"eventType": event.type, "number": number})


lambda_handler = worker("sqs", render)
