"""Publishing domain events to the SNS topic the queues subscribe to."""

from __future__ import annotations

from adapters import aws
from events.contracts import DomainEvent


class SnsEventBus:
    def __init__(self, topic_arn: str) -> None:
        self.topic_arn = topic_arn

    def publish(self, event: DomainEvent) -> None:
        aws.client("sns").publish(
            TopicArn=self.topic_arn,
            Message=event.to_json(),
            MessageAttributes={"eventType": {"DataType": "String", "StringValue": event.type}},
        )
