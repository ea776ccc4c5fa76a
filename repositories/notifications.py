"""Notification records: ``USER#<userId>`` / ``NOTIFICATION#<notificationId>``."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import PutError

from domain.clock import iso
from domain.notifications import Message
from repositories import keys
from repositories.table import Item, is_condition_failure


class NotificationItem(Item, discriminator="Notification"):
    notification_id = UnicodeAttribute(attr_name="notificationId")
    user_id = UnicodeAttribute(attr_name="userId")
    channel = UnicodeAttribute()
    template = UnicodeAttribute()
    recipient = UnicodeAttribute()
    subject = UnicodeAttribute()
    status = UnicodeAttribute()
    sent_at = UnicodeAttribute(attr_name="sentAt", null=True)
    error = UnicodeAttribute(null=True)


def _key(message: Message) -> tuple[str, str]:
    return keys.user_pk(message.user_id), keys.notification_sk(message.notification_id)


class DynamoNotificationLog:
    def begin(self, message: Message, now: datetime) -> bool:
        stamp = iso(now)
        item = NotificationItem(
            *_key(message),
            notification_id=message.notification_id,
            user_id=message.user_id,
            channel=message.channel.value,
            template=message.template,
            recipient=message.to,
            subject=message.subject,
            status="sending",
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            item.save(
                condition=NotificationItem.PK.does_not_exist() | (NotificationItem.status != "sent")
            )
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def sent(self, message: Message, now: datetime) -> None:
        NotificationItem(*_key(message)).update(
            actions=[
                NotificationItem.status.set("sent"),
                NotificationItem.sent_at.set(iso(now)),
                NotificationItem.updated_at.set(iso(now)),
                NotificationItem.error.remove(),
            ]
        )

    def failed(self, message: Message, error: str, now: datetime) -> None:
        NotificationItem(*_key(message)).update(
            actions=[
                NotificationItem.status.set("failed"),
                NotificationItem.error.set(error[:200]),
                NotificationItem.updated_at.set(iso(now)),
            ]
        )
