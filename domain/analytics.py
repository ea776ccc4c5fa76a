"""Analytics: each domain event is logged once and counted once in its day's numbers.

What is counted, and from which event (each fact from exactly one event type, so nothing
is counted twice):

| counter (shop, per day)        | from                                                |
|--------------------------------|-----------------------------------------------------|
| newUsers (``signups``)         | ``user.registered``                                 |
| newSellers                     | ``seller.opened``                                   |
| ordersPlaced                   | ``order.placed``                                    |
| ordersPaid, unitsSold          | ``order.confirmed`` (paid)                          |
| revenue (per currency)         | ``order.confirmed``: the order's total (all paid)   |
| cancellations                  | ``order.cancelled``                                 |
| paymentFailures                | ``order.payment_failed``                            |
| refunds, refundedAmount (per currency) | ``refund.succeeded``, one per refund, its amount |

``order.refunded`` is counted as nothing but an event: it carries the sum of the refunds
already counted one by one from ``refund.succeeded`` (and a partial refund never moves
the order to ``refunded``), so counting it too would count the money twice.

Per seller (from the paid order's ``lines``): orders (that had a line of theirs), units
and revenue (the lines' amounts: unit price x quantity, before tax and shipping), per
currency; and units per product, kept under the product's seller.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from domain.errors import RuleViolation
from domain.paging import Page

# A transaction holds at most 100 items. An order's increments are the event log item,
# two shop rows, one row per seller and one per product: 3 + sellers + products. The
# checkout takes at most 24 lines (domain.buying.checkout.MAX_LINES), so at most 51.
MAX_WRITES = 100


@dataclass(frozen=True)
class RecordedEvent:
    event_id: str
    event_type: str
    occurred_at: str
    subject: str
    data: dict[str, Any]

    @property
    def day(self) -> str:
        return self.occurred_at[:10]


SHOP = "shop"
SELLER = "seller"


@dataclass(frozen=True)
class Increment:
    """Counters to add to one row of a day's numbers.

    ``scope`` is the shop's or a seller's (``owner``: the seller id); a row is per
    ``currency`` (money) or per ``product`` (units) or neither (counts).
    """

    scope: str
    counters: dict[str, int]
    owner: str = ""
    currency: str = ""
    product: str = ""


class EventLog(Protocol):
    def record(self, event: RecordedEvent, increments: list[Increment]) -> bool:
        """Log the event and add its increments in one transaction; False if logged."""


class Metrics(Protocol):
    """Business metrics on the side (CloudWatch EMF: a log line, no call)."""

    def emit(self, event: RecordedEvent) -> None: ...


# Personal data stays out of the analytics log; the ids are enough to join on.
PRIVATE_FIELDS = frozenset(
    {"email", "firstName", "lastName", "phone", "address", "shippingAddress", "name"}
)

SIMPLE: dict[str, dict[str, int]] = {
    "user.registered": {"signups": 1},
    "seller.opened": {"sellersOpened": 1},
    "order.placed": {"ordersPlaced": 1},
    "order.cancelled": {"cancellations": 1},
    "order.payment_failed": {"paymentFailures": 1},
}
PAID = "order.confirmed"
REFUND_SUCCEEDED = "refund.succeeded"
# Known and logged, but not counted beyond the day's event count.
LOGGED_ONLY = frozenset(
    {
        "order.refunded",  # the sum of refunds counted from refund.succeeded
        "order.shipped",
        "order.delivered",
        "order.payment_retried",
        "refund.requested",
        "review.posted",
        "user.disabled",
        "user.role_changed",
    }
)


class MalformedEvent(ValueError):
    """An event whose data is not what its contract says (the message is retried, then
    waits in the DLQ)."""


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise MalformedEvent(f"{name} must be a non-empty string")
    return value


def _count(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if type(value) is not int or value < 0:
        raise MalformedEvent(f"{name} must be a whole number")
    return value


def _paid(data: dict[str, Any]) -> list[Increment]:
    currency = _text(data, "currency")
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise MalformedEvent("a paid order has lines")
    units = 0
    sellers: dict[str, dict[str, int]] = defaultdict(
        lambda: {"orders": 1, "units": 0, "revenue": 0}
    )
    products: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        if not isinstance(line, dict):
            raise MalformedEvent("a line is an object")
        seller, product = _text(line, "sellerId"), _text(line, "productId")
        quantity, amount = _count(line, "quantity"), _count(line, "amount")
        units += quantity
        sellers[seller]["units"] += quantity
        sellers[seller]["revenue"] += amount
        products[(seller, product)] += quantity
    increments = [
        Increment(SHOP, {"ordersPaid": 1, "unitsSold": units}),
        Increment(SHOP, {"revenue": _count(data, "total")}, currency=currency),
    ]
    increments += [
        Increment(SELLER, dict(counts), owner=seller, currency=currency)
        for seller, counts in sorted(sellers.items())
    ]
    increments += [
        Increment(SELLER, {"units": quantity}, owner=seller, product=product)
        for (seller, product), quantity in sorted(products.items())
    ]
    if len(increments) + 1 > MAX_WRITES:
        # Never half-counted: the message fails, and waits in the DLQ for a person.
        raise MalformedEvent(f"an order of {len(lines)} lines does not fit one transaction")
    return increments


def increments_for(event: RecordedEvent) -> list[Increment]:
    """What ``event`` adds to its day's numbers (nothing for an event not counted)."""
    kind, data = event.event_type, event.data
    if kind in SIMPLE:
        return [Increment(SHOP, dict(SIMPLE[kind]))]
    if kind == PAID:
        return _paid(data)
    if kind == REFUND_SUCCEEDED:
        amount = _count(data, "amount")
        currency = _text(data, "currency")
        return [Increment(SHOP, {"refunds": 1, "refundedAmount": amount}, currency=currency)]
    return []


def is_known(event_type: str) -> bool:
    return (
        event_type in SIMPLE
        or event_type in LOGGED_ONLY
        or event_type
        in (
            PAID,
            REFUND_SUCCEEDED,
        )
        or event_type.startswith("product.")
    )


def record_event(event: RecordedEvent, *, log: EventLog, metrics: Metrics | None = None) -> bool:
    """Log and count ``event`` once; False when it had been recorded already."""
    increments = increments_for(event)  # a malformed event raises before anything is written
    public = {k: v for k, v in event.data.items() if k not in PRIVATE_FIELDS}
    cleaned = RecordedEvent(
        event.event_id, event.event_type, event.occurred_at, event.subject, public
    )
    recorded = log.record(cleaned, increments)
    if recorded and metrics is not None:
        metrics.emit(event)
    return recorded


# -- reads ------------------------------------------------------------------------------

# A range is at most 92 days (a quarter): at most four month partitions, so four Queries
# of at most 31 days' rows each, well under a Query's 1 MB page, and a series a chart
# can show. Longer ranges are asked for quarter by quarter.
MAX_RANGE_DAYS = 92

SHOP_COUNTS = (
    "ordersPlaced",
    "ordersPaid",
    "cancellations",
    "paymentFailures",
    "unitsSold",
    "signups",
    "sellersOpened",
    "events",
)
SHOP_MONEY = ("revenue", "refunds", "refundedAmount")
SELLER_MONEY = ("orders", "units", "revenue")


@dataclass(frozen=True)
class Row:
    """One stored row of a day's numbers, as read."""

    day: str
    counters: dict[str, int]
    currency: str = ""
    product: str = ""


@dataclass
class DayNumbers:
    day: str
    counts: dict[str, int]
    by_currency: dict[str, dict[str, int]] = field(default_factory=dict)
    by_product: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Series:
    days: list[DayNumbers]
    totals: DayNumbers


class NumbersReader(Protocol):
    def shop_rows(self, first: date, last: date) -> list[Row]: ...

    def seller_rows(self, seller_id: str, first: date, last: date) -> list[Row]: ...

    def events(self, day: date, cursor: str | None, limit: int) -> Page[RecordedEvent]: ...


def check_range(first: date, last: date) -> None:
    if last < first:
        raise RuleViolation("from must not be after to", code="range_reversed")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise RuleViolation(
            f"a range is at most {MAX_RANGE_DAYS} days; ask for it quarter by quarter",
            code="range_too_long",
            limit=MAX_RANGE_DAYS,
        )


def _series(
    rows: list[Row], first: date, last: date, counts: tuple[str, ...], money: tuple[str, ...]
) -> Series:
    days: dict[str, DayNumbers] = {}
    day = first
    while day <= last:
        days[day.isoformat()] = DayNumbers(day.isoformat(), dict.fromkeys(counts, 0))
        day += timedelta(days=1)
    totals = DayNumbers("", dict.fromkeys(counts, 0))
    for row in rows:
        target = days.get(row.day)
        if target is None:
            continue
        for numbers in (target, totals):
            if row.product:
                units = row.counters.get("units", 0)
                numbers.by_product[row.product] = numbers.by_product.get(row.product, 0) + units
            elif row.currency:
                bucket = numbers.by_currency.setdefault(row.currency, dict.fromkeys(money, 0))
                for name in money:
                    bucket[name] += row.counters.get(name, 0)
            else:
                for name in counts:
                    numbers.counts[name] += row.counters.get(name, 0)
    return Series(list(days.values()), totals)


def shop_numbers(first: date, last: date, *, reader: NumbersReader) -> Series:
    check_range(first, last)
    return _series(reader.shop_rows(first, last), first, last, SHOP_COUNTS, SHOP_MONEY)


def seller_numbers(seller_id: str, first: date, last: date, *, reader: NumbersReader) -> Series:
    check_range(first, last)
    rows = reader.seller_rows(seller_id, first, last)
    return _series(rows, first, last, (), SELLER_MONEY)


def event_log(
    day: date, cursor: str | None, limit: int, *, reader: NumbersReader
) -> Page[RecordedEvent]:
    return reader.events(day, cursor, limit)
