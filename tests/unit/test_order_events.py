"""Order items on the stream become order events (events/mapping.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.buying.model import OrderStatus, StatusChange
from events.mapping import events_from_record
from repositories.buying.items import history_item, order_item
from tests.unit.payment_fakes import NOW, an_order


def image(order: Any) -> dict[str, Any]:
    return dict(order_item(order).serialize())


def record(name: str, old: Any = None, new: Any = None) -> dict[str, Any]:
    change: dict[str, Any] = {"SequenceNumber": "1"}
    if old is not None:
        change["OldImage"] = old
    if new is not None:
        change["NewImage"] = new
    return {"eventID": "abc", "eventName": name, "dynamodb": change}


def test_a_new_unpaid_order_is_placed() -> None:
    order = an_order()
    (event,) = events_from_record(record("INSERT", new=image(order)))
    assert event.type == "order.placed"
    assert event.subject == "ord_1"
    assert event.event_id == "evt_abc"
    assert event.data == {
        "orderId": "ord_1",
        "userId": "usr_1",
        "status": "pending_payment",
        "total": 3739,
        "currency": "USD",
        "units": 2,
        "sellerIds": ["sel_1"],
        "lines": [{"productId": "prd_1", "sellerId": "sel_1", "quantity": 2, "amount": 3000}],
        "paymentDue": "2026-11-30T09:14:00.000000Z",
    }


def test_each_status_change_is_an_event_named_by_the_status_reached() -> None:
    before = an_order()
    for status, event_type in [
        (OrderStatus.CONFIRMED, "order.confirmed"),
        (OrderStatus.PAYMENT_FAILED, "order.payment_failed"),
        (OrderStatus.SHIPPED, "order.shipped"),
        (OrderStatus.DELIVERED, "order.delivered"),
    ]:
        after = dataclasses.replace(before, status=status, version=2)
        (event,) = events_from_record(record("MODIFY", image(before), image(after)))
        assert event.type == event_type
        assert event.data["from"] == "pending_payment"
        assert event.data["status"] == status.value


def test_a_cancellation_says_why() -> None:
    before = an_order()
    after = dataclasses.replace(
        before, status=OrderStatus.CANCELLED, cancel_reason="payment not received"
    )
    (event,) = events_from_record(record("MODIFY", image(before), image(after)))
    assert event.type == "order.cancelled"
    assert event.data["cancelReason"] == "payment not received"


def test_changes_that_keep_the_status_and_history_items_are_no_events() -> None:
    order = an_order()
    same = dataclasses.replace(order, version=2)
    assert events_from_record(record("MODIFY", image(order), image(same))) == []
    assert events_from_record(record("REMOVE", old=image(order))) == []
    confirmed = dataclasses.replace(order, status=OrderStatus.CONFIRMED)
    assert events_from_record(record("INSERT", new=image(confirmed))) == []
    entry = history_item("ord_1", StatusChange(None, OrderStatus.PENDING_PAYMENT, "usr_1", NOW))
    assert events_from_record(record("INSERT", new=dict(entry.serialize()))) == []
