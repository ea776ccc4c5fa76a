"""Notification records and what the notification worker reads.

Records: ``USER#<userId>`` / ``NOTIFICATION#<occurredAt>#<notificationId>`` (newest first
is one Query backwards). Reads: the user's profile, a seller's profile, an order, a
product, each one GetItem by key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PutError

from domain.accounts.model import Channel
from domain.clock import iso
from domain.notifications import (
    Message,
    NotificationPage,
    NotificationRecord,
    OrderLineView,
    OrderView,
    ProductView,
    Recipient,
)
from repositories import keys
from repositories.accounts.items import UserItem
from repositories.buying.items import OrderItem
from repositories.catalog.items import ProductItem
from repositories.cursors import IndexKeys, decode_cursor, take_page
from repositories.sellers import SellerItem
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


def _get(model: Any, pk: str, sk: str) -> Any:
    try:
        return model.get(pk, sk)
    except DoesNotExist:
        return None


class DynamoNotificationReads:
    """What the worker reads: one GetItem each."""

    def recipient(self, user_id: str) -> Recipient | None:
        item = _get(UserItem, keys.user_pk(user_id), keys.PROFILE)
        if item is None or item.status == "disabled":
            return None
        prefs = item.preferences
        channels = (
            tuple(Channel(c) for c in prefs.notification_channels)
            if prefs is not None
            else (Channel.EMAIL,)
        )
        return Recipient(user_id, item.email, item.phone, channels, item.first_name)

    def seller_owner(self, seller_id: str) -> str | None:
        item = _get(SellerItem, keys.seller_pk(seller_id), keys.PROFILE)
        return None if item is None else str(item.user_id)

    def order(self, order_id: str) -> OrderView | None:
        item = _get(OrderItem, keys.order_pk(order_id), keys.METADATA)
        if item is None:
            return None
        lines = tuple(
            OrderLineView(
                product_id=line.product_id,
                seller_id=line.seller_id,
                name=line.name,
                quantity=int(line.quantity),
                unit_price=int(line.unit_price),
                amount=int(line.unit_price) * int(line.quantity),
            )
            for line in item.lines
        )
        a = item.shipping_address
        address = {
            "full_name": a.full_name,
            "line1": a.line1,
            "line2": a.line2 or "",
            "city": a.city,
            "region": a.region or "",
            "postal_code": a.postal_code,
            "country": a.country,
        }
        return OrderView(
            order_id=item.order_id,
            user_id=item.user_id,
            lines=lines,
            subtotal=int(item.subtotal),
            tax=int(item.tax),
            shipping=int(item.shipping),
            total=int(item.total),
            currency=item.currency,
            address=address,
        )

    def product(self, product_id: str) -> ProductView | None:
        item = _get(ProductItem, keys.product_pk(product_id), keys.METADATA)
        if item is None:
            return None
        return ProductView(item.product_id, item.seller_id, item.name)
