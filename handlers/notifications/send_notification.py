"""Sends the emails (SES) and SMS (SNS) that domain events call for, once each."""

from __future__ import annotations

from adapters.settings import settings
from domain.notifications import Event, notify
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

log, senders = wiring.notification_log(), wiring.notification_senders()
reads, renderer = wiring.notification_reads(), wiring.notification_renderer()


def send(record: Record) -> None:
    e = domain_event(record)
    event = Event(e.event_id, e.type, e.occurred_at, e.data)
    sent = notify(
        event,
        reads=reads,
        renderer=renderer,
        log=log,
        senders=senders,
        base_url=settings().APP_BASE_URL,
    )
    logger.info("notified", extra={"eventId": e.event_id, "eventType": e.type, "sent": sent})


lambda_handler = worker("sqs", send)
