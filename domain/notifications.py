"""Notifications: which messages an event sends, and sending each exactly once.

Redelivery is normal (SQS is at-least-once, the stream may replay), so each message has
an id derived from the event id; the log refuses to begin a message that was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from domain.accounts.model import Channel
from domain.clock import utcnow


@dataclass(frozen=True)
class Message:
    notification_id: str
    user_id: str
    channel: Channel
    to: str
    template: str
    subject: str
    text: str


class NotificationLog(Protocol):
    def begin(self, message: Message, now: datetime) -> bool:
        """Record the message as being sent; False if it was sent already."""

    def sent(self, message: Message, now: datetime) -> None: ...

    def failed(self, message: Message, error: str, now: datetime) -> None: ...


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


def _welcome(data: dict[str, Any]) -> tuple[str, str]:
    return (
        "Welcome to Bazaar",
        f"Hello {data.get('firstName') or 'there'},\n\n"
        "your Bazaar account is ready. Browse the catalogue, fill your cart, and follow\n"
        "your orders from your account page.\n\n— Bazaar\n",
    )


TEMPLATES = {"user.registered": ("welcome", _welcome)}


def messages_for(event_id: str, event_type: str, data: dict[str, Any]) -> list[Message]:
    """The messages an event sends (none for most events)."""
    template = TEMPLATES.get(event_type)
    if template is None or not data.get("email"):
        return []
    name, render = template
    subject, text = render(data)
    return [
        Message(
            notification_id=f"ntf_{event_id.removeprefix('evt_')}-email",
            user_id=str(data["userId"]),
            channel=Channel.EMAIL,
            to=str(data["email"]),
            template=name,
            subject=subject,
            text=text,
        )
    ]


def notify(
    event_id: str,
    event_type: str,
    data: dict[str, Any],
    *,
    log: NotificationLog,
    senders: dict[Channel, Sender],
    now: datetime | None = None,
) -> int:
    """Send what the event calls for, once each; returns how many were sent now."""
    sent = 0
    for message in messages_for(event_id, event_type, data):
        moment = now or utcnow()
        if not log.begin(message, moment):
            continue
        try:
            senders[message.channel].send(message)
        except Exception as exc:
            log.failed(message, type(exc).__name__, moment)
            raise
        log.sent(message, moment)
        sent += 1
    return sent
