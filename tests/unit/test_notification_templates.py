"""What each event sends, rendered by the real templates (Jinja2) with plain fakes of the
notification ports (domain/notifications.py): recipients, channels, money, escaping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from adapters.templates import FOLDER, JinjaRenderer
from domain.accounts.model import Channel
from domain.notifications import (
    PLANS,
    Event,
    Message,
    OrderLineView,
    OrderView,
    ProductView,
    Recipient,
    messages_for,
    money,
    notify,
)

BASE = "https://shop.example"
BUYER = Recipient("usr_1", "nia@example.com", "+447700900123", (Channel.EMAIL,), "Nia")
OWNER = Recipient("usr_2", "shop@example.com", None, (Channel.EMAIL,), "Sam")
OTHER = Recipient("usr_3", "other@example.com", None, (Channel.EMAIL,), "Ola")


class FakeReads:
    def __init__(self, *recipients: Recipient) -> None:
        self.recipients = {r.user_id: r for r in recipients}
        self.owners = {"sel_1": "usr_2", "sel_2": "usr_3"}
        self.orders = {
            "ord_1": OrderView(
                "ord_1",
                "usr_1",
                (
                    OrderLineView("prd_1", "sel_1", "Teapot <Deluxe>", 2, 1500, 3000),
                    OrderLineView("prd_2", "sel_2", "Cup", 1, 450, 450),
                ),
                subtotal=3450,
                tax=276,
                shipping=499,
                total=4225,
                currency="USD",
                address={
                    "full_name": "Nia Ng",
                    "line1": "1 Main St",
                    "line2": "",
                    "city": "Springfield",
                    "region": "",
                    "postal_code": "12345",
                    "country": "US",
                },
            )
        }
        self.products = {"prd_1": ProductView("prd_1", "sel_1", "Teapot <Deluxe>")}

    def recipient(self, user_id: str) -> Recipient | None:
        return self.recipients.get(user_id)

    def seller_owner(self, seller_id: str) -> str | None:
        return self.owners.get(seller_id)

    def order(self, order_id: str) -> OrderView | None:
        return self.orders.get(order_id)

    def product(self, product_id: str) -> ProductView | None:
        return self.products.get(product_id)


class FakeLog:
    def __init__(self) -> None:
        self.status: dict[tuple[str, str], str] = {}

    def begin(self, message: Message, now: datetime) -> bool:
        key = (message.user_id, message.notification_id)
        if self.status.get(key) == "sent":
            return False
        self.status[key] = "sending"
        return True

    def sent(self, message: Message, now: datetime) -> None:
        self.status[(message.user_id, message.notification_id)] = "sent"

    def failed(self, message: Message, error: str, now: datetime) -> None:
        self.status[(message.user_id, message.notification_id)] = f"failed: {error}"


class FakeSender:
    def __init__(self) -> None:
        self.sent: list[Message] = []
        self.down = False

    def send(self, message: Message) -> None:
        if self.down:
            raise ConnectionError("provider down")
        self.sent.append(message)


ORDER = {"orderId": "ord_1", "userId": "usr_1", "total": 4225, "currency": "USD"}


def event(event_type: str, **data: Any) -> Event:
    return Event("evt_abc", event_type, "2026-11-30T09:00:00.000000Z", {**ORDER, **data})


def send(e: Event, reads: FakeReads | None = None) -> list[Message]:
    return messages_for(
        e, reads=reads or FakeReads(BUYER, OWNER, OTHER), renderer=JinjaRenderer(), base_url=BASE
    )


def test_money_from_minor_units() -> None:
    assert money(4225, "USD") == "$42.25"
    assert money(123456789, "EUR") == "€1,234,567.89"
    assert money(500, "JPY") == "¥500"
    assert money(5, "CHF") == "0.05 CHF"
    assert money(-1000, "GBP") == "-£10.00"


def test_the_confirmation_has_lines_totals_and_address_and_each_seller_their_lines() -> None:
    messages = send(event("order.confirmed"))
    buyer, *sellers = messages
    assert (buyer.to, buyer.template) == ("nia@example.com", "order_confirmed")
    assert "Teapot <Deluxe> x 2 @ $15.00 = $30.00" in buyer.text  # text: not escaped
    assert "Cup x 1 @ $4.50 = $4.50" in buyer.text
    assert "Total:    $42.25" in buyer.text
    assert "1 Main St" in buyer.text
    assert "12345 Springfield" in buyer.text
    assert buyer.html is not None
    assert "Teapot &lt;Deluxe&gt;" in buyer.html
    assert "<Deluxe>" not in buyer.html
    by_owner = {m.to: m for m in sellers}
    assert set(by_owner) == {"shop@example.com", "other@example.com"}
    mine = by_owner["shop@example.com"].text
    assert "Teapot" in mine
    assert "Cup" not in mine
    assert "Your total: $30.00" in mine
    assert "Cup" in by_owner["other@example.com"].text
    assert "Teapot" not in by_owner["other@example.com"].text


@pytest.mark.parametrize(
    ("event_type", "data", "expected"),
    [
        ("order.payment_failed", {}, ["try again at https://shop.example/orders/ord_1"]),
        (
            "order.shipped",
            {"shipment": {"carrier": "UPS", "trackingNumber": "1Z9"}},
            ["Carrier:  UPS", "Tracking: 1Z9"],
        ),
        ("order.delivered", {}, ["https://shop.example/products/prd_1#review"]),
        ("order.cancelled", {"cancelReason": "payment_expired"}, ["(payment expired)"]),
        ("order.refunded", {"amount": 1000}, ["we refunded $10.00"]),
    ],
)
def test_the_buyers_mails(event_type: str, data: dict[str, Any], expected: list[str]) -> None:
    (message,) = send(event(event_type, **data))
    assert message.to == "nia@example.com"
    assert message.text.startswith("Hello Nia,")
    for part in expected:
        assert part in message.text, message.text


@pytest.mark.parametrize(
    ("event_type", "data", "expected"),
    [
        ("product.activated", {}, "was approved"),
        ("product.rejected", {"reason": "Photos are <blurry>"}, "Why: Photos are <blurry>"),
        ("product.stock_low", {"available": 4, "lowStockThreshold": 5}, "4 left"),
    ],
)
def test_the_sellers_mails(event_type: str, data: dict[str, Any], expected: str) -> None:
    e = Event("evt_p", event_type, "2026-11-30T09:00:00.000000Z", {"productId": "prd_1", **data})
    (message,) = send(e)
    assert message.to == "shop@example.com"
    assert expected in message.text
    assert message.html is not None
    assert "<blurry>" not in message.html


def test_channels_follow_preferences() -> None:
    both = Recipient("usr_1", "nia@example.com", "+447700900123", (Channel.EMAIL, Channel.SMS))
    email, sms = send(event("order.payment_failed"), FakeReads(both))
    assert (email.channel, sms.channel) == (Channel.EMAIL, Channel.SMS)
    assert sms.to == "+447700900123"
    assert sms.html is None
    assert len(sms.text) <= 160
    assert email.notification_id != sms.notification_id
    no_phone = Recipient("usr_1", "nia@example.com", None, (Channel.SMS,))
    assert send(event("order.payment_failed"), FakeReads(no_phone)) == []
    nothing = Recipient("usr_1", "nia@example.com", None, ())
    assert send(event("order.payment_failed"), FakeReads(nothing)) == []


def test_events_that_send_nothing() -> None:
    assert send(event("order.placed")) == []
    assert send(event("review.posted")) == []
    assert send(event("order.payment_failed"), FakeReads()) == []  # no such user any more


def test_sent_once_and_a_failure_is_recorded_and_raised() -> None:
    reads, log, email = FakeReads(BUYER), FakeLog(), FakeSender()
    e = event("order.payment_failed")
    kw: dict[str, Any] = {
        "reads": reads,
        "renderer": JinjaRenderer(),
        "log": log,
        "senders": {Channel.EMAIL: email},
        "base_url": BASE,
    }
    email.down = True
    with pytest.raises(ConnectionError):
        notify(e, **kw)
    assert list(log.status.values()) == ["failed: ConnectionError: provider down"]
    email.down = False
    assert notify(e, **kw) == 1
    assert notify(e, **kw) == 0
    assert len(email.sent) == 1


def test_every_planned_template_has_both_parts() -> None:
    names = {p.stem for p in FOLDER.glob("*.txt")} & {p.stem for p in FOLDER.glob("*.html")}
    used = {
        "welcome",
        "order_confirmed",
        "seller_new_order",
        "payment_failed",
        "order_shipped",
        "order_delivered",
        "order_cancelled",
        "order_refunded",
        "product_approved",
        "product_rejected",
        "stock_low",
    }
    assert used <= names
    assert len(PLANS) == 10
