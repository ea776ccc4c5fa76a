"""Domain events: what the rest of the system may learn about a committed change.

The table's stream is the outbox: an event exists only because the write that it
describes committed. ``event_id`` is derived from the stream record, so every consumer
can de-duplicate redeliveries by it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

USER_REGISTERED = "user.registered"
USER_DISABLED = "user.disabled"
USER_ROLE_CHANGED = "user.role_changed"

# Orders (issue 8). ``order.placed`` starts the checkout state machine (startCheckout);
# every later status change is an event of its own, named by the status it reaches, so
# notifications and analytics follow the committed order, never the machine's steps.
ORDER_PLACED = "order.placed"
ORDER_CONFIRMED = "order.confirmed"
ORDER_PAYMENT_FAILED = "order.payment_failed"
ORDER_CANCELLED = "order.cancelled"
ORDER_SHIPPED = "order.shipped"
ORDER_DELIVERED = "order.delivered"
# Refunds (issue 9): the order's move to ``refunded``, with the amount refunded in all.
ORDER_REFUNDED = "order.refunded"
ORDER_STATUS_EVENTS = {
    "confirmed": ORDER_CONFIRMED,
    "payment_failed": ORDER_PAYMENT_FAILED,
    "cancelled": ORDER_CANCELLED,
    "shipped": ORDER_SHIPPED,
    "delivered": ORDER_DELIVERED,
    "refunded": ORDER_REFUNDED,
}

# Products (issue 11, search): what the search index follows. Each carries the product's
# ``version`` (the optimistic version of its METADATA item) so a consumer can refuse a
# stale one; the stock event comes from the INVENTORY item, which has no version of its
# own, and carries the stock it reached instead.
PRODUCT_ACTIVATED = "product.activated"  # approved (pending_review -> active)
PRODUCT_EDITED = "product.edited"  # an active product's text, brand, category or images
PRODUCT_PRICE_CHANGED = "product.price_changed"
PRODUCT_ARCHIVED = "product.archived"
PRODUCT_REJECTED = "product.rejected"
PRODUCT_RATING_CHANGED = "product.rating_changed"
PRODUCT_STOCK_STATUS_CHANGED = "product.stock_status_changed"
PRODUCT_EVENTS = (
    PRODUCT_ACTIVATED,
    PRODUCT_EDITED,
    PRODUCT_PRICE_CHANGED,
    PRODUCT_ARCHIVED,
    PRODUCT_REJECTED,
    PRODUCT_RATING_CHANGED,
    PRODUCT_STOCK_STATUS_CHANGED,
)


class DomainEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = Field(alias="eventId", min_length=1)
    type: str = Field(min_length=1)
    version: int = 1
    occurred_at: str = Field(alias="occurredAt")
    subject: str = Field(description="the id the event is about (user, order …)")
    data: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)
