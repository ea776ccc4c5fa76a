"""The outbox relay: table stream records -> domain events -> the SNS topic."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from events.mapping import events_from_record
from handlers.shared import wiring
from handlers.shared.batch import EventType, logger, worker

bus = wiring.event_bus()


def publish(record: DynamoDBRecord) -> None:
    for event in events_from_record(record.raw_event):
        bus.publish(event)
        logger.info("published", extra={"eventType": event.type, "eventId": event.event_id})


lambda_handler = worker(EventType.DynamoDBStreams, publish)
