"""Logs every domain event once and adds it to its day's totals."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from domain.analytics import RecordedEvent, record_event
from handlers.shared import wiring
from handlers.shared.batch import EventType, domain_event, worker

event_log = wiring.event_log()


def record_once(record: SQSRecord) -> None:
    event = domain_event(record.body)
    recorded = RecordedEvent(
        event_id=event.event_id,
        event_type=event.type,
        occurred_at=event.occurred_at,
        subject=event.subject,
        data=event.data,
    )
    record_event(recorded, log=event_log)


lambda_handler = worker(EventType.SQS, record_once)
