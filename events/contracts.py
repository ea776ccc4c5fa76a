"""Domain events: what the rest of the system may learn about a committed change.

The table's stream is the outbox: an event exists only because the write that it
describes committed. ``event_id`` is derived from the stream record, so every consumer
can de-duplicate redeliveries by it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

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
# A refund was asked for (an admin's, or a cancelled paid order's): settleRefunds makes
# sure the provider is asked, so a refund the provider could not take at once is retried.
REFUND_REQUESTED = "refund.requested"
# Invoices (issue 10, engineer I): a refund the provider confirmed (the Refund item's move
# pending -> succeeded), with {orderId, refundId, amount, currency}: the credit note's cue,
# and what the shop's numbers count as refunded. Kept in its own block.
REFUND_SUCCEEDED = "refund.succeeded"
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
# -- issue 10 (events and notifications) ----------------------------------------------------
# A failed payment tried again: the order's move payment_failed -> pending_payment.
ORDER_PAYMENT_RETRIED = "order.payment_retried"
# ``product.rejected`` also comes from moderation (pending_review -> rejected), with the
# moderator's ``reason``; ``product.stock_low``: the INVENTORY item's ``available`` crossed
# from above its ``lowStockThreshold`` to at or below it (once per crossing).
PRODUCT_STOCK_LOW = "product.stock_low"
REVIEW_POSTED = "review.posted"  # a Review item written (a buyer's first review of a product)
SELLER_OPENED = "seller.opened"  # a seller profile created
# Every event type there is, with the version of its ``data`` shape (docs/events.md is the
# catalogue; tests/unit/test_event_catalogue.py holds the catalogue, the samples and this
# table together). A change that removes or retypes a field gets a new version.
VERSIONS: dict[str, int] = {}

PRODUCT_EVENTS = (
    PRODUCT_ACTIVATED,
    PRODUCT_EDITED,
    PRODUCT_PRICE_CHANGED,
    PRODUCT_ARCHIVED,
    PRODUCT_REJECTED,
    PRODUCT_RATING_CHANGED,
    PRODUCT_STOCK_STATUS_CHANGED,
)


VERSIONS.update(
    dict.fromkeys(
        (
            USER_REGISTERED,
            USER_DISABLED,
            USER_ROLE_CHANGED,
            ORDER_PLACED,
            *ORDER_STATUS_EVENTS.values(),
            ORDER_PAYMENT_RETRIED,
            REFUND_REQUESTED,
            REFUND_SUCCEEDED,
            *PRODUCT_EVENTS,
            PRODUCT_STOCK_LOW,
            REVIEW_POSTED,
            SELLER_OPENED,
        ),
        1,
    )
)


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """One event, as published to SNS and read by every worker (JSON with camelCase names).

    A plain dataclass, not a pydantic model: every worker reads these, and pydantic would
    be most of what a worker imports (about a tenth of its cold start).
    """

    event_id: str
    type: str
    occurred_at: str
    subject: str  # the id the event is about (user, order …)
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 1

    def to_json(self) -> str:
        return json.dumps(
            {
                "eventId": self.event_id,
                "type": self.type,
                "version": self.version,
                "occurredAt": self.occurred_at,
                "subject": self.subject,
                "data": self.data,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> DomainEvent:
        """The event in ``text``; ``ValueError`` (so the message goes back to its queue,
        and in the end to the DLQ) when it is not one: a missing, empty or mistyped field,
        or a field the contract does not have."""
        body = json.loads(text)
        if not isinstance(body, dict):
            raise ValueError("an event is a JSON object")
        unknown = set(body) - _FIELDS
        if unknown:
            raise ValueError(f"unknown event fields: {sorted(unknown)}")
        for name in ("eventId", "type", "occurredAt", "subject"):
            if not isinstance(body.get(name), str):
                raise ValueError(f"{name} must be a string")
        if not body["eventId"] or not body["type"]:
            raise ValueError("eventId and type must not be empty")
        data, version = body.get("data", {}), body.get("version", 1)
        if not isinstance(data, dict):
            raise ValueError("data must be an object")
        if type(version) is not int:
            raise ValueError("version must be an integer")
        return cls(
            event_id=body["eventId"],
            type=body["type"],
            occurred_at=body["occurredAt"],
            subject=body["subject"],
            data=data,
            version=version,
        )


_FIELDS = {"eventId", "type", "version", "occurredAt", "subject", "data"}
