"""Logs every domain event once and adds it to its day's totals."""

from __future__ import annotations

from domain.analytics import RecordedEvent, record_event
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, worker

event_log = wiring.event_log()


def record_once(record: Record) -> None:
    event = domain_event(record)
    recorded = RecordedEvent(
        event_id=event.event_id,
        event_type=event.type,
        occurred_at=event.occurred_at,
        subject=event.subject,
        data=event.data,
    )
    record_event(recorded, log=event_log)


lambda_handler = worker("sqs", record_once)
