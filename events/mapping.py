"""From a DynamoDB stream record to the domain events it means.

Pure functions: a record (``NewImage``/``OldImage`` in DynamoDB JSON) goes in, a list of
``DomainEvent`` comes out. One rule per entity ``type``; most changes mean nothing to
the outside world and map to no event.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from events.contracts import (
    ORDER_PAYMENT_RETRIED,
    ORDER_PLACED,
    ORDER_STATUS_EVENTS,
    PRODUCT_ACTIVATED,
    PRODUCT_ARCHIVED,
    PRODUCT_EDITED,
    PRODUCT_PRICE_CHANGED,
    PRODUCT_RATING_CHANGED,
    PRODUCT_REJECTED,
    PRODUCT_STOCK_LOW,
    PRODUCT_STOCK_STATUS_CHANGED,
    REFUND_REQUESTED,
    REFUND_SUCCEEDED,
    REVIEW_POSTED,
    SELLER_OPENED,
    USER_DISABLED,
    USER_REGISTERED,
    USER_ROLE_CHANGED,
    VERSIONS,
    DomainEvent,
)

Image = dict[str, Any]
Rule = Callable[[str, Image | None, Image | None], list[tuple[str, str, dict[str, Any]]]]


def deserialize(value: Mapping[str, Any]) -> Any:
    """One DynamoDB JSON attribute value to Python (numbers to int or Decimal)."""
    ((kind, raw),) = value.items()
    if kind == "S":
        return raw
    if kind == "N":
        number = Decimal(raw)
        return int(number) if number == number.to_integral_value() else number
    if kind == "BOOL":
        return bool(raw)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: deserialize(v) for k, v in raw.items()}
    if kind == "L":
        return [deserialize(v) for v in raw]
    if kind == "SS":
        return set(raw)
    if kind == "NS":
        return {Decimal(n) for n in raw}
    if kind == "B":
        return base64.b64decode(raw)
    raise ValueError(f"unknown DynamoDB type {kind}")


def image(raw: Mapping[str, Any] | None) -> Image | None:
    return None if raw is None else {k: deserialize(v) for k, v in raw.items()}


def _user(name: str, old: Image | None, new: Image | None) -> list[tuple[str, str, dict[str, Any]]]:
    if name == "INSERT" and new is not None:
        data = {k: new.get(k) for k in ("userId", "email", "firstName", "lastName", "role")}
        return [(USER_REGISTERED, new["userId"], data)]
    if name == "MODIFY" and old is not None and new is not None:
        found = []
        if old.get("status") != new.get("status") and new.get("status") == "disabled":
            found.append((USER_DISABLED, new["userId"], {"userId": new["userId"]}))
        if old.get("role") != new.get("role"):
            change = {"userId": new["userId"], "from": old.get("role"), "to": new.get("role")}
            found.append((USER_ROLE_CHANGED, new["userId"], change))
        return found
    return []


def _order_data(order: Image) -> dict[str, Any]:
    lines = order.get("lines") or []
    return {
        "orderId": order["orderId"],
        "userId": order.get("userId"),
        "status": order.get("status"),
        "total": int(order.get("subtotal", 0))
        + int(order.get("tax", 0))
        + int(order.get("shipping", 0)),
        "currency": order.get("currency"),
        "units": sum(int(line.get("quantity", 0)) for line in lines),
        "sellerIds": sorted({str(line.get("sellerId")) for line in lines}),
        # what notifications, invoices and the shop's numbers need of each line (issue 10);
        # ``amount`` is the line's price before tax (unit price x quantity, minor units)
        "lines": [
            {
                "productId": str(line.get("productId")),
                "sellerId": str(line.get("sellerId")),
                "quantity": int(line.get("quantity", 0)),
                "amount": int(line.get("unitPrice", 0)) * int(line.get("quantity", 0)),
            }
            for line in lines
        ],
    }


def _order(
    name: str, old: Image | None, new: Image | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """``order.placed`` when an order is written unpaid; ``order.<status>`` on each change of
    status after that (the order item carries the status; its history items do not count)."""
    if name == "INSERT" and new is not None and new.get("status") == "pending_payment":
        data = {**_order_data(new), "paymentDue": new.get("paymentDue")}
        return [(ORDER_PLACED, new["orderId"], data)]
    if name == "MODIFY" and old is not None and new is not None:
        status = new.get("status")
        event_type = ORDER_STATUS_EVENTS.get(str(status))
        if old.get("status") == "payment_failed" and status == "pending_payment":
            data = {**_order_data(new), "from": "payment_failed"}
            data["attempt"] = int(new.get("attempt") or 1)
            return [(ORDER_PAYMENT_RETRIED, new["orderId"], data)]
        if old.get("status") == status or event_type is None:
            return []
        data = {**_order_data(new), "from": old.get("status")}
        if new.get("cancelReason"):
            data["cancelReason"] = new["cancelReason"]
        if new.get("refundOwed"):
            data["refundOwed"] = int(new["refundOwed"])
        if new.get("shipment"):
            data["shipment"] = new["shipment"]
        if status == "refunded":  # issue 9: how much was refunded in all
            data["amount"] = int(new.get("refundedAmount") or 0)
        return [(event_type, new["orderId"], data)]
    return []


def _refund_data(refund: Image) -> dict[str, Any]:
    return {
        "orderId": refund["orderId"],
        "refundId": refund["refundId"],
        "amount": int(refund.get("amount", 0)),
        "currency": refund.get("currency"),
    }


def _refund(
    name: str, old: Image | None, new: Image | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """``refund.requested`` when a refund is reserved (written ``pending``);
    ``refund.succeeded`` (issue 10, invoices) when it moves from pending to succeeded."""
    if name == "INSERT" and new is not None and new.get("status") == "pending":
        return [(REFUND_REQUESTED, new["orderId"], _refund_data(new))]
    if (
        name == "MODIFY"
        and old is not None
        and new is not None
        and old.get("status") == "pending"
        and new.get("status") == "succeeded"
    ):
        return [(REFUND_SUCCEEDED, new["orderId"], _refund_data(new))]
    return []


# -- products (issue 11: the search index follows these) --------------------------------

# The fields of a product item a shopper searches or filters by (besides price, status and
# rating, which have events of their own).
_SEARCHED_FIELDS = ("name", "description", "brand", "categoryId", "attributes", "images", "sku")
_LEFT_ACTIVE = {"archived": PRODUCT_ARCHIVED, "rejected": PRODUCT_REJECTED}


def _product_data(product: Image) -> dict[str, Any]:
    return {
        "productId": product["productId"],
        "version": int(product.get("version", 0)),
        "status": product.get("status"),
        "sellerId": product.get("sellerId"),
    }


def _product(
    name: str, old: Image | None, new: Image | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """A product's METADATA item: its move into or out of the catalogue, and the changes
    of an active product that search shows (text, price, rating)."""
    if new is None:
        return []
    before = (old or {}).get("status") if name == "MODIFY" else None
    status = new.get("status")
    data = _product_data(new)
    subject = str(new["productId"])
    if status == "active" and before != "active":
        return [(PRODUCT_ACTIVATED, subject, {**data, "from": before})]
    if before == "active" and status != "active":
        # archived or rejected leave the catalogue; any other move away says where it went
        left = _LEFT_ACTIVE.get(str(status), PRODUCT_ARCHIVED)
        if left == PRODUCT_REJECTED:
            data["reason"] = new.get("rejectionReason")
        return [(left, subject, {**data, "from": before})]
    if before == "pending_review" and status == "rejected":  # issue 10: moderation said no
        return [
            (
                PRODUCT_REJECTED,
                subject,
                {**data, "from": before, "reason": new.get("rejectionReason")},
            )
        ]
    if name != "MODIFY" or old is None or status != "active":
        return []
    found: list[tuple[str, str, dict[str, Any]]] = []
    changed = [f for f in _SEARCHED_FIELDS if old.get(f) != new.get(f)]
    if changed:
        found.append((PRODUCT_EDITED, subject, {**data, "fields": changed}))
    if (old.get("priceAmount"), old.get("currency")) != (
        new.get("priceAmount"),
        new.get("currency"),
    ):
        price = {"from": int(old.get("priceAmount", 0)), "to": int(new.get("priceAmount", 0))}
        found.append(
            (PRODUCT_PRICE_CHANGED, subject, {**data, **price, "currency": new.get("currency")})
        )
    rating = (int(new.get("ratingCount", 0)), int(new.get("ratingTotal", 0)))
    if (int(old.get("ratingCount", 0)), int(old.get("ratingTotal", 0))) != rating:
        found.append(
            (
                PRODUCT_RATING_CHANGED,
                subject,
                {**data, "ratingCount": rating[0], "ratingTotal": rating[1]},
            )
        )
    return found


def _inventory(
    name: str, old: Image | None, new: Image | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """A product's INVENTORY item: a move between in stock (available > 0) and out; and
    (issue 10) ``available`` crossing from above the low-stock threshold to at or below it
    (each side judged by its own image's threshold: once per crossing, nothing while it
    stays low, again only after it went back above)."""
    if name != "MODIFY" or old is None or new is None:
        return []
    found: list[tuple[str, str, dict[str, Any]]] = []
    before, after = int(old.get("available", 0)), int(new.get("available", 0))
    if (before > 0) != (after > 0):
        data = {"productId": new["productId"], "inStock": after > 0, "available": after}
        found.append((PRODUCT_STOCK_STATUS_CHANGED, str(new["productId"]), data))
    threshold = int(new.get("lowStockThreshold", 0))
    if before > int(old.get("lowStockThreshold", 0)) and after <= threshold:
        low = {"productId": new["productId"], "available": after, "lowStockThreshold": threshold}
        found.append((PRODUCT_STOCK_LOW, str(new["productId"]), low))
    return found


def _review(
    name: str, _old: Image | None, new: Image | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """``review.posted`` when a Review item is written (an edit is a MODIFY: nothing)."""
    if name != "INSERT" or new is None:
        return []
    data = {
        "productId": new["productId"],
        "userId": new["userId"],
        "rating": int(new.get("rating", 0)),
    }
    return [(REVIEW_POSTED, str(new["productId"]), data)]


def _seller(
    name: str, _old: Image | None, new: Image | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """``seller.opened`` when a seller profile is created."""
    if name != "INSERT" or new is None:
        return []
    data = {"sellerId": new["sellerId"], "userId": new["userId"], "shopName": new.get("shopName")}
    return [(SELLER_OPENED, str(new["sellerId"]), data)]


RULES: dict[str, Rule] = {
    "User": _user,
    "Order": _order,
    "Refund": _refund,
    "Product": _product,
    "Inventory": _inventory,
    "Review": _review,
    "Seller": _seller,
}


def events_from_record(record: Mapping[str, Any]) -> list[DomainEvent]:
    """The events one stream record stands for (usually none)."""
    name = record["eventName"]
    change = record.get("dynamodb", {})
    old, new = image(change.get("OldImage")), image(change.get("NewImage"))
    kind = (new or old or {}).get("type")
    rule = RULES.get(str(kind))
    if rule is None:
        return []
    found = rule(name, old, new)
    occurred = str((new or old or {}).get("updatedAt", ""))
    events = []
    for index, (event_type, subject, data) in enumerate(found):
        suffix = f"-{index}" if len(found) > 1 else ""
        events.append(
            DomainEvent(
                event_id=f"evt_{record['eventID']}{suffix}",
                type=event_type,
                occurred_at=occurred,
                subject=subject,
                data=data,
                version=VERSIONS.get(event_type, 1),
            )
        )
    return events
