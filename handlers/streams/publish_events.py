"""The outbox relay: table stream records -> domain events -> the SNS topic."""

from __future__ import annotations

from events.mapping import events_from_record
from handlers.shared import wiring
from handlers.shared.batch import Record, logger, worker

bus = wiring.event_bus()


def publish(record: Record) -> None:
    for event in events_from_record(record):
        bus.publish(event)
        logger.info("published", extra={"eventType": event.type, "eventId": event.event_id})


lambda_handler = worker("dynamodb", publish)
