"""What the notification worker reads: the user's profile, a seller's profile, an order,
a product, each one GetItem by key (the records: repositories/notification_records.py)."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from domain.accounts.model import Channel
from domain.notifications import OrderLineView, OrderView, ProductView, Recipient
from repositories import keys
from repositories.accounts.items import UserItem
from repositories.buying.items import OrderItem
from repositories.catalog.items import ProductItem
from repositories.notification_records import (
    DynamoNotificationHistory,
    DynamoNotificationLog,
    NotificationItem,
)
from repositories.sellers import SellerItem

__all__ = ["DynamoNotificationHistory", "DynamoNotificationLog", "NotificationItem"]


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
