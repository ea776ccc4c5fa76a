"""Notification records: ``USER#<userId>`` / ``NOTIFICATION#<occurredAt>#<notificationId>``
(newest first is one Query backwards). Apart from the worker's reads
(repositories/notifications.py), so GET /me/notifications loads no order or product items."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import PutError

from domain.clock import iso
from domain.notifications import Message, NotificationPage, NotificationRecord
from repositories import keys
from repositories.cursors import IndexKeys, decode_cursor, take_page
from repositories.table import Item, is_condition_failure

TABLE_KEYS = IndexKeys("PK", ("PK", "SK"))


class NotificationItem(Item, discriminator="Notification"):
    notification_id = UnicodeAttribute(attr_name="notificationId")
    user_id = UnicodeAttribute(attr_name="userId")
    channel = UnicodeAttribute()
    template = UnicodeAttribute()
    recipient = UnicodeAttribute()
    subject = UnicodeAttribute()
    status = UnicodeAttribute()
    event_id = UnicodeAttribute(attr_name="eventId", null=True)
    sent_at = UnicodeAttribute(attr_name="sentAt", null=True)
    error = UnicodeAttribute(null=True)


def _key(message: Message) -> tuple[str, str]:
    return (
        keys.user_pk(message.user_id),
        keys.notification_record_sk(message.occurred_at, message.notification_id),
    )


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
            event_id=message.event_id or None,
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


def _record(item: NotificationItem) -> NotificationRecord:
    return NotificationRecord(
        notification_id=item.notification_id,
        channel=item.channel,
        template=item.template,
        subject=item.subject,
        status=item.status,
        event_id=item.event_id or "",
        created_at=item.created_at,
        sent_at=item.sent_at,
        error=item.error,
    )


class DynamoNotificationHistory:
    def page(self, user_id: str, cursor: str | None, limit: int) -> NotificationPage:
        partition = keys.user_pk(user_id)
        results = NotificationItem.query(
            partition,
            NotificationItem.SK.startswith(keys.NOTIFICATION_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, TABLE_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return NotificationPage([_record(i) for i in items], next_cursor)
