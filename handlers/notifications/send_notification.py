"""Sends the emails (SES) and SMS (SNS) that domain events call for, once each."""

from __future__ import annotations

from domain.notifications import notify
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, worker

log, senders = wiring.notification_log(), wiring.notification_senders()


def send(record: Record) -> None:
    event = domain_event(record)
    notify(event.event_id, event.type, event.data, log=log, senders=senders)


lambda_handler = worker("sqs", send)
