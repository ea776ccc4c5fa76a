"""Event log and the shop's numbers.

| item                 | PK                                    | SK                                |
|----------------------|---------------------------------------|-----------------------------------|
| event log            | EVENTLOG#<yyyy-mm-dd>                 | <occurredAt>#<eventId>            |
| shop counts          | METRICS#<yyyy-mm>                     | <yyyy-mm-dd>                      |
| shop money           | METRICS#<yyyy-mm>                     | <yyyy-mm-dd>#<CUR>                |
| seller money         | SELLERMETRICS#<sellerId>#<yyyy-mm>    | <yyyy-mm-dd>#<CUR>                |
| seller product units | SELLERMETRICS#<sellerId>#<yyyy-mm>    | <yyyy-mm-dd>#PRODUCT#<productId>  |

Month partitions sorted by day: a range of days is one Query per month it touches.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pynamodb.attributes import Attribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action

from domain.analytics import SELLER, Increment, RecordedEvent, Row
from domain.clock import iso, utcnow
from domain.paging import Page
from repositories import keys
from repositories.cursors import IndexKeys, decode_cursor, take_page
from repositories.table import ConditionFailed, Item, Transaction

TABLE_KEYS = IndexKeys("PK", ("PK", "SK"))


class EventLogItem(Item, discriminator="EventLog"):
    event_id = UnicodeAttribute(attr_name="eventId")
    event_type = UnicodeAttribute(attr_name="eventType")
    subject = UnicodeAttribute()
    occurred_at = UnicodeAttribute(attr_name="occurredAt")
    data = MapAttribute[str, object](null=True)


class MetricsItem(Item, discriminator="Metrics"):
    """One row of a day's numbers; only the counters an event added exist."""

    day = UnicodeAttribute()
    seller_id = UnicodeAttribute(attr_name="sellerId", null=True)
    currency = UnicodeAttribute(null=True)
    product_id = UnicodeAttribute(attr_name="productId", null=True)
    events = NumberAttribute(null=True)
    signups = NumberAttribute(null=True)
    sellers_opened = NumberAttribute(attr_name="sellersOpened", null=True)
    orders_placed = NumberAttribute(attr_name="ordersPlaced", null=True)
    orders_paid = NumberAttribute(attr_name="ordersPaid", null=True)
    cancellations = NumberAttribute(null=True)
    payment_failures = NumberAttribute(attr_name="paymentFailures", null=True)
    units_sold = NumberAttribute(attr_name="unitsSold", null=True)
    revenue = NumberAttribute(null=True)
    refunds = NumberAttribute(null=True)
    refunded_amount = NumberAttribute(attr_name="refundedAmount", null=True)
    orders = NumberAttribute(null=True)
    units = NumberAttribute(null=True)


# The counters by their stored (camelCase) name, which is the domain's name for them.
COUNTERS: dict[str, tuple[str, Attribute[Any]]] = {
    attribute.attr_name: (python_name, attribute)
    for python_name, attribute in MetricsItem.get_attributes().items()
    if isinstance(attribute, NumberAttribute)
}


def _row_key(event: RecordedEvent, increment: Increment) -> tuple[str, str]:
    sk = keys.metrics_sk(event.day, increment.currency, increment.product)
    if increment.scope == SELLER:
        return keys.seller_metrics_pk(increment.owner, event.day), sk
    return keys.metrics_pk(event.day), sk


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}-01")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _to_row(item: MetricsItem) -> Row:
    counters = {}
    for name, (python_name, _) in COUNTERS.items():
        value = getattr(item, python_name)
        if value is not None:
            counters[name] = int(value)
    return Row(item.day, counters, item.currency or "", item.product_id or "")


def _to_event(item: EventLogItem) -> RecordedEvent:
    data = item.data.as_dict() if item.data is not None else {}
    plain = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in data.items()}
    return RecordedEvent(item.event_id, item.event_type, item.occurred_at, item.subject, plain)


class DynamoEventLog:
    def record(self, event: RecordedEvent, increments: list[Increment]) -> bool:
        stamp = iso(utcnow())
        tx = Transaction()
        tx.put(
            EventLogItem(
                keys.event_log_pk(event.day),
                keys.time_key(event.occurred_at, event.event_id),
                event_id=event.event_id,
                event_type=event.event_type,
                subject=event.subject,
                occurred_at=event.occurred_at,
                data=event.data,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=EventLogItem.PK.does_not_exist(),
            label="log",
        )
        rows: dict[tuple[str, str], tuple[Increment, dict[str, int]]] = {}
        # Every event counts in its day's shop counts row (``events``).
        day_row = Increment("shop", {"events": 1})
        for increment in [day_row, *increments]:
            key = _row_key(event, increment)
            _, counters = rows.setdefault(key, (increment, {}))
            for name, amount in increment.counters.items():
                counters[name] = counters.get(name, 0) + amount
        for (pk, sk), (increment, counters) in rows.items():
            actions: list[Action] = [
                MetricsItem.day.set(event.day),
                MetricsItem.type.set(MetricsItem),
                MetricsItem.created_at.set(MetricsItem.created_at | stamp),
                MetricsItem.updated_at.set(stamp),
            ]
            if increment.scope == SELLER:
                actions.append(MetricsItem.seller_id.set(increment.owner))
            if increment.currency:
                actions.append(MetricsItem.currency.set(increment.currency))
            if increment.product:
                actions.append(MetricsItem.product_id.set(increment.product))
            for name, amount in counters.items():
                actions.append(COUNTERS[name][1].add(amount))
            tx.update(MetricsItem(pk, sk), actions=actions)
        try:
            tx.commit()
        except ConditionFailed:
            return False  # logged and counted before: a redelivery
        return True


class DynamoNumbers:
    """The reads: every one a Query on day-sorted month partitions."""

    def _rows(self, partition_of: Any, first: date, last: date) -> list[Row]:
        rows: list[Row] = []
        for month in _months(first, last):
            results = MetricsItem.query(
                partition_of(month),
                MetricsItem.SK.between(first.isoformat(), last.isoformat() + keys.DAY_END),
            )
            rows.extend(_to_row(item) for item in results)
        return rows

    def shop_rows(self, first: date, last: date) -> list[Row]:
        return self._rows(keys.metrics_pk, first, last)

    def seller_rows(self, seller_id: str, first: date, last: date) -> list[Row]:
        return self._rows(lambda month: keys.seller_metrics_pk(seller_id, month), first, last)

    def events(self, day: date, cursor: str | None, limit: int) -> Page[RecordedEvent]:
        pk = keys.event_log_pk(day.isoformat())
        results = EventLogItem.query(
            pk,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, TABLE_KEYS, pk),
        )
        items, next_cursor = take_page(results, limit)
        return Page([_to_event(item) for item in items], next_cursor)
