"""GET /me/notifications: what was sent to me (docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.notifications import NotificationRecord
from handlers.shared.schema import ResponseModel


class NotificationOut(ResponseModel):
    notification_id: str
    channel: Literal["email", "sms"]
    template: str
    subject: str
    status: Literal["sending", "sent", "failed"]
    event_id: str
    created_at: datetime
    sent_at: datetime | None
    error: str | None

    @classmethod
    def of(cls, record: NotificationRecord) -> NotificationOut:
        return cls.model_validate(
            {
                "notification_id": record.notification_id,
                "channel": record.channel,
                "template": record.template,
                "subject": record.subject,
                "status": record.status,
                "event_id": record.event_id,
                "created_at": record.created_at,
                "sent_at": record.sent_at,
                "error": record.error,
            }
        )


class NotificationPageOut(ResponseModel):
    items: list[NotificationOut]
    next_cursor: str | None
