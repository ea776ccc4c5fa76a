"""Starts the checkout state machine for each placed order (``order.placed`` from the
outbox, through the checkout queue), once: the execution is named by the order id."""

from __future__ import annotations

from domain.buying.payments import start_checkout
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

machine = wiring.checkout_machine()


def start(record: Record) -> None:
    event = domain_event(record)
    started = start_checkout(event.subject, machine=machine)
    logger.info("checkout", extra={"orderId": event.subject, "started": started})


lambda_handler = worker("sqs", start)
