"""The shop's numbers, by the rules alone: what each event adds, once; the reads' series
and ranges. Plain fakes of the domain's own ports (EventLog, Metrics, NumbersReader)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.analytics import (
    MAX_RANGE_DAYS,
    SELLER,
    SHOP,
    Increment,
    MalformedEvent,
    RecordedEvent,
    Row,
    increments_for,
    record_event,
    seller_numbers,
    shop_numbers,
)
from domain.buying.checkout import MAX_LINES
from domain.errors import RuleViolation
from domain.paging import Page


class FakeLog:
    def __init__(self) -> None:
        self.logged: dict[str, tuple[RecordedEvent, list[Increment]]] = {}

    def record(self, event: RecordedEvent, increments: list[Increment]) -> bool:
        if event.event_id in self.logged:
            return False
        self.logged[event.event_id] = (event, increments)
        return True


class FakeMetrics:
    def __init__(self) -> None:
        self.emitted: list[str] = []

    def emit(self, event: RecordedEvent) -> None:
        self.emitted.append(event.event_id)


class FakeReader:
    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.asked: list[tuple[str, date, date]] = []

    def shop_rows(self, first: date, last: date) -> list[Row]:
        self.asked.append(("shop", first, last))
        return self.rows

    def seller_rows(self, seller_id: str, first: date, last: date) -> list[Row]:
        self.asked.append((seller_id, first, last))
        return self.rows

    def events(self, day: date, cursor: str | None, limit: int) -> Page[RecordedEvent]:
        return Page([], None)


def event(kind: str, data: dict[str, Any], event_id: str = "evt_1") -> RecordedEvent:
    return RecordedEvent(event_id, kind, "2026-11-30T10:00:00.000000Z", "ord_1", data)


def line(seller: str, product: str, quantity: int, amount: int) -> dict[str, Any]:
    return {"sellerId": seller, "productId": product, "quantity": quantity, "amount": amount}


PAID = {
    "orderId": "ord_1",
    "total": 5300,
    "currency": "EUR",
    "lines": [
        line("sel_a", "prd_1", 2, 2000),
        line("sel_b", "prd_2", 1, 1000),
        line("sel_a", "prd_3", 1, 1500),
    ],
}


def test_a_paid_order_counts_for_the_shop_each_seller_and_each_product() -> None:
    found = increments_for(event("order.confirmed", PAID))
    assert found == [
        Increment(SHOP, {"ordersPaid": 1, "unitsSold": 4}),
        Increment(SHOP, {"revenue": 5300}, currency="EUR"),
        Increment(SELLER, {"orders": 1, "units": 3, "revenue": 3500}, "sel_a", "EUR"),
        Increment(SELLER, {"orders": 1, "units": 1, "revenue": 1000}, "sel_b", "EUR"),
        Increment(SELLER, {"units": 2}, "sel_a", product="prd_1"),
        Increment(SELLER, {"units": 1}, "sel_a", product="prd_3"),
        Increment(SELLER, {"units": 1}, "sel_b", product="prd_2"),
    ]


@pytest.mark.parametrize(
    ("kind", "counters"),
    [
        ("user.registered", {"signups": 1}),
        ("seller.opened", {"sellersOpened": 1}),
        ("order.placed", {"ordersPlaced": 1}),
        ("order.cancelled", {"cancellations": 1}),
        ("order.payment_failed", {"paymentFailures": 1}),
    ],
)
def test_each_fact_has_its_counter(kind: str, counters: dict[str, int]) -> None:
    assert increments_for(event(kind, {})) == [Increment(SHOP, counters)]


def test_refunds_count_from_refund_succeeded_and_order_refunded_adds_no_money() -> None:
    refund = {"orderId": "ord_1", "refundId": "ref_1", "amount": 700, "currency": "EUR"}
    assert increments_for(event("refund.succeeded", refund)) == [
        Increment(SHOP, {"refunds": 1, "refundedAmount": 700}, currency="EUR")
    ]
    assert increments_for(event("order.refunded", {**PAID, "amount": 700})) == []


@pytest.mark.parametrize(
    "data",
    [
        {**PAID, "lines": []},
        {**PAID, "currency": None},
        {**PAID, "lines": [line("sel_a", "prd_1", -1, 10)]},
        {**PAID, "lines": [{"productId": "prd_1", "quantity": 1, "amount": 1}]},
        {k: v for k, v in PAID.items() if k != "total"},
    ],
)
def test_a_malformed_paid_order_is_refused_before_anything_is_written(data: dict[str, Any]) -> None:
    log = FakeLog()
    with pytest.raises(MalformedEvent):
        record_event(event("order.confirmed", data), log=log)
    assert log.logged == {}


def test_the_largest_checkout_fits_one_transaction() -> None:
    lines = [line(f"sel_{i}", f"prd_{i}", 1, 100) for i in range(MAX_LINES)]
    found = increments_for(event("order.confirmed", {**PAID, "lines": lines}))
    assert len(found) + 1 <= 100  # the event log item, and every row


def test_an_order_too_large_for_one_transaction_is_refused_not_half_counted() -> None:
    lines = [line(f"sel_{i}", f"prd_{i}", 1, 100) for i in range(49)]
    with pytest.raises(MalformedEvent, match="one transaction"):
        increments_for(event("order.confirmed", {**PAID, "lines": lines}))


def test_recorded_once_metrics_once_and_no_personal_data() -> None:
    log, metrics = FakeLog(), FakeMetrics()
    registered = event("user.registered", {"userId": "usr_1", "email": "a@b.c", "phone": "+1"})
    assert record_event(registered, log=log, metrics=metrics) is True
    assert record_event(registered, log=log, metrics=metrics) is False
    assert metrics.emitted == ["evt_1"]
    assert log.logged["evt_1"][0].data == {"userId": "usr_1"}


def test_a_series_has_every_day_and_totals() -> None:
    rows = [
        Row("2026-11-02", {"ordersPaid": 2, "events": 3}),
        Row("2026-11-02", {"revenue": 900}, currency="EUR"),
        Row("2026-11-03", {"revenue": 100, "refunds": 1, "refundedAmount": 50}, currency="EUR"),
        Row("2026-11-03", {"revenue": 40}, currency="USD"),
    ]
    series = shop_numbers(date(2026, 11, 1), date(2026, 11, 3), reader=FakeReader(rows))
    assert [d.day for d in series.days] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert series.days[0].counts["ordersPaid"] == 0
    assert series.days[1].counts["ordersPaid"] == 2
    assert series.totals.by_currency == {
        "EUR": {"revenue": 1000, "refunds": 1, "refundedAmount": 50},
        "USD": {"revenue": 40, "refunds": 0, "refundedAmount": 0},
    }


def test_a_sellers_series_sums_products() -> None:
    rows = [
        Row("2026-11-02", {"units": 2}, product="prd_1"),
        Row("2026-11-03", {"units": 1}, product="prd_1"),
        Row("2026-11-03", {"orders": 1, "units": 1, "revenue": 10}, currency="EUR"),
    ]
    reader = FakeReader(rows)
    series = seller_numbers("sel_a", date(2026, 11, 2), date(2026, 11, 3), reader=reader)
    assert series.totals.by_product == {"prd_1": 3}
    assert reader.asked == [("sel_a", date(2026, 11, 2), date(2026, 11, 3))]


def test_ranges_are_capped_and_ordered() -> None:
    reader = FakeReader([])
    first = date(2026, 1, 1)
    assert len(shop_numbers(first, date(2026, 4, 2), reader=reader).days) == MAX_RANGE_DAYS
    with pytest.raises(RuleViolation) as too_long:
        shop_numbers(first, date(2026, 4, 3), reader=reader)
    assert too_long.value.code == "range_too_long"
    with pytest.raises(RuleViolation) as reversed_range:
        shop_numbers(date(2026, 1, 2), first, reader=reader)
    assert reversed_range.value.code == "range_reversed"
    assert len(reader.asked) == 1  # refused ranges read nothing
