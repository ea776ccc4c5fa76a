"""SMS through SNS (locally the embedded AWS keeps what was sent)."""

from __future__ import annotations

from adapters import aws
from domain.notifications import Message


class SnsSms:
    def send(self, message: Message) -> None:
        aws.client("sns").publish(PhoneNumber=message.to, Message=message.text[:1600])
