"""Logs every domain event once and adds it to its day's numbers (and business metrics
to CloudWatch as EMF)."""

from __future__ import annotations

from domain.analytics import RecordedEvent, is_known, record_event
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

event_log = wiring.event_log()
metrics = wiring.business_metrics()


def record_once(record: Record) -> None:
    event = domain_event(record)
    recorded = RecordedEvent(
        event_id=event.event_id,
        event_type=event.type,
        occurred_at=event.occurred_at,
        subject=event.subject,
        data=event.data,
    )
    if not is_known(event.type):  # logged and acknowledged: a newer producer's event
        logger.warning("event type not counted", extra={"eventType": event.type})
    record_event(recorded, log=event_log, metrics=metrics)


lambda_handler = worker("sqs", record_once)
