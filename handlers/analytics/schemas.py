"""Bodies of the shop's numbers (admins) and a seller's own."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from domain.analytics import DayNumbers, RecordedEvent, Series
from handlers.shared.schema import ResponseModel


def _day_text(value: object) -> object:
    # A day is the text "YYYY-MM-DD" (format "date") and nothing else: not a datetime,
    # not a number of days since 1970.
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("a day is written YYYY-MM-DD")
    return value


# A day in a query string (a range is at most 92 days: 422 beyond).
Day = Annotated[date, BeforeValidator(_day_text), Field(strict=False)]


class Money(ResponseModel):
    currency: str
    revenue: int
    refunds: int
    refunded_amount: int


class ShopDay(ResponseModel):
    date: str | None = None  # absent on the totals
    orders_placed: int
    orders_paid: int
    cancellations: int
    payment_failures: int
    units_sold: int
    new_users: int
    new_sellers: int
    events: int
    money: list[Money]

    @classmethod
    def of(cls, numbers: DayNumbers) -> ShopDay:
        c = numbers.counts
        return cls(
            date=numbers.day or None,
            orders_placed=c["ordersPlaced"],
            orders_paid=c["ordersPaid"],
            cancellations=c["cancellations"],
            payment_failures=c["paymentFailures"],
            units_sold=c["unitsSold"],
            new_users=c["signups"],
            new_sellers=c["sellersOpened"],
            events=c["events"],
            money=[
                Money(
                    currency=cur,
                    revenue=m["revenue"],
                    refunds=m["refunds"],
                    refunded_amount=m["refundedAmount"],
                )
                for cur, m in sorted(numbers.by_currency.items())
            ],
        )


class ShopMetrics(ResponseModel):
    from_: str = Field(alias="from")
    to: str
    days: list[ShopDay]
    totals: ShopDay

    @classmethod
    def of(cls, first: date, last: date, series: Series) -> ShopMetrics:
        return cls(
            from_=first.isoformat(),
            to=last.isoformat(),
            days=[ShopDay.of(d) for d in series.days],
            totals=ShopDay.of(series.totals),
        )


class SellerMoney(ResponseModel):
    currency: str
    orders: int
    units: int
    revenue: int


class ProductUnits(ResponseModel):
    product_id: str
    units: int


class SellerDay(ResponseModel):
    date: str | None = None
    money: list[SellerMoney]
    products: list[ProductUnits]

    @classmethod
    def of(cls, numbers: DayNumbers) -> SellerDay:
        return cls(
            date=numbers.day or None,
            money=[
                SellerMoney(
                    currency=cur, orders=m["orders"], units=m["units"], revenue=m["revenue"]
                )
                for cur, m in sorted(numbers.by_currency.items())
            ],
            products=[
                ProductUnits(product_id=p, units=u) for p, u in sorted(numbers.by_product.items())
            ],
        )


class SellerMetrics(ResponseModel):
    seller_id: str
    from_: str = Field(alias="from")
    to: str
    days: list[SellerDay]
    totals: SellerDay

    @classmethod
    def of(cls, seller_id: str, first: date, last: date, series: Series) -> SellerMetrics:
        return cls(
            seller_id=seller_id,
            from_=first.isoformat(),
            to=last.isoformat(),
            days=[SellerDay.of(d) for d in series.days],
            totals=SellerDay.of(series.totals),
        )


class LoggedEvent(ResponseModel):
    event_id: str
    type: str
    occurred_at: str
    subject: str
    data: dict[str, Any]

    @classmethod
    def of(cls, event: RecordedEvent) -> LoggedEvent:
        return cls(
            event_id=event.event_id,
            type=event.event_type,
            occurred_at=event.occurred_at,
            subject=event.subject,
            data=event.data,
        )


class EventPage(ResponseModel):
    items: list[LoggedEvent]
    next_cursor: str | None
