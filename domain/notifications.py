"""Notifications: which messages an event sends, to whom, on which channels, once each.

Redelivery is normal (SQS is at-least-once, the stream may replay), so each message has
an id derived from the event id, its template and its channel; the log refuses to begin a
message that was sent. The worker reads what an event does not carry (the recipient's
email, phone and channels; the seller's owner; the order's lines and address; the
product's name) through ``NotificationReads``; the wording is in templates rendered by a
``Renderer`` (Jinja2 in adapters/templates.py), so nothing here loads a template engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from domain.accounts.model import Channel
from domain.clock import utcnow

SMS_LENGTH = 160


@dataclass(frozen=True)
class Message:
    notification_id: str
    user_id: str
    channel: Channel
    to: str
    template: str
    subject: str
    text: str
    html: str | None = None
    event_id: str = ""
    occurred_at: str = ""  # the event's time: the record's sort key (newest first)


@dataclass(frozen=True)
class Recipient:
    user_id: str
    email: str | None
    phone: str | None = None
    channels: tuple[Channel, ...] = (Channel.EMAIL,)
    first_name: str = ""


@dataclass(frozen=True)
class OrderLineView:
    product_id: str
    seller_id: str
    name: str
    quantity: int
    unit_price: int
    amount: int  # unit price x quantity


@dataclass(frozen=True)
class OrderView:
    order_id: str
    user_id: str
    lines: tuple[OrderLineView, ...]
    subtotal: int
    tax: int
    shipping: int
    total: int
    currency: str
    address: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProductView:
    product_id: str
    seller_id: str
    name: str


class NotificationReads(Protocol):
    def recipient(self, user_id: str) -> Recipient | None: ...

    def seller_owner(self, seller_id: str) -> str | None:
        """The user id of the seller's owner."""

    def order(self, order_id: str) -> OrderView | None: ...

    def product(self, product_id: str) -> ProductView | None: ...


class Renderer(Protocol):
    def render(self, template: str, context: dict[str, Any]) -> tuple[str, str]:
        """The text and the HTML body of ``template`` for ``context``."""


class NotificationLog(Protocol):
    def begin(self, message: Message, now: datetime) -> bool:
        """Record the message as being sent; False if it was sent already."""

    def sent(self, message: Message, now: datetime) -> None: ...

    def failed(self, message: Message, error: str, now: datetime) -> None: ...


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


# -- money ---------------------------------------------------------------------------------

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "HUF"}


def money(amount: int, currency: str) -> str:
    """``amount`` minor units of ``currency`` for people: 3739 USD -> ``$37.39``."""
    code = currency.upper()
    sign, amount = ("-" if amount < 0 else ""), abs(int(amount))
    figure = f"{amount:,}" if code in _ZERO_DECIMAL else f"{amount // 100:,}.{amount % 100:02d}"
    symbol = _SYMBOLS.get(code)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{figure} {code}"


# -- what each event sends -----------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One message to one person, before channels: template, subject and its context."""

    user_id: str
    template: str
    subject: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Event:
    event_id: str
    type: str
    occurred_at: str
    data: dict[str, Any]


Planner = Callable[[Event, NotificationReads, str], list[Planned]]


def _order_context(order: OrderView, lines: tuple[OrderLineView, ...]) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "lines": [
            {
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price, order.currency),
                "amount": money(line.amount, order.currency),
                "product_id": line.product_id,
            }
            for line in lines
        ],
        "subtotal": money(order.subtotal, order.currency),
        "tax": money(order.tax, order.currency),
        "shipping": money(order.shipping, order.currency),
        "total": money(order.total, order.currency),
        "address": order.address,
    }


def _buyer_planned(
    event: Event, template: str, subject: str, base_url: str, order: OrderView | None
) -> Planned:
    data = event.data
    order_id, currency = str(data["orderId"]), str(data.get("currency") or "USD")
    context: dict[str, Any] = {
        "order_id": order_id,
        "order_url": f"{base_url}/orders/{order_id}",
        "total": money(int(data.get("total", 0)), currency),
        "cancel_reason": str(data.get("cancelReason") or "").replace("_", " "),
        "refunded": money(int(data.get("amount", 0)), currency),
        "shipment": data.get("shipment") or {},
    }
    if order is not None:
        context.update(_order_context(order, order.lines))
        context["review_urls"] = [
            {"name": line.name, "url": f"{base_url}/products/{line.product_id}#review"}
            for line in order.lines
        ]
    return Planned(str(data["userId"]), template, subject.format(order_id), context)


def _order_of(event: Event, reads: NotificationReads) -> OrderView:
    order = reads.order(str(event.data["orderId"]))
    if order is None:  # the event says it committed: retry, then the DLQ
        raise LookupError(f"order {event.data['orderId']} not found")
    return order


def _buyer(template: str, subject: str, *, needs_order: bool = False) -> Planner:
    def plan(event: Event, reads: NotificationReads, base_url: str) -> list[Planned]:
        order = _order_of(event, reads) if needs_order else None
        return [_buyer_planned(event, template, subject, base_url, order)]

    return plan


def _for_sellers(order: OrderView, reads: NotificationReads, base_url: str) -> list[Planned]:
    """Each seller of the order (its owner): a new paid order, with their lines only."""
    planned = []
    for seller_id in sorted({line.seller_id for line in order.lines}):
        owner = reads.seller_owner(seller_id)
        if owner is None:
            continue
        mine = tuple(line for line in order.lines if line.seller_id == seller_id)
        context = _order_context(order, mine)
        context["seller_total"] = money(sum(line.amount for line in mine), order.currency)
        context["orders_url"] = f"{base_url}/seller/orders"
        subject = f"New paid order {order.order_id}"
        planned.append(Planned(owner, "seller_new_order", subject, context))
    return planned


def _confirmed(event: Event, reads: NotificationReads, base_url: str) -> list[Planned]:
    order = _order_of(event, reads)  # read once, for the buyer and the sellers
    buyer = _buyer_planned(event, "order_confirmed", "Your order {} is confirmed", base_url, order)
    return [buyer, *_for_sellers(order, reads, base_url)]


def _to_seller(template: str, subject: str) -> Planner:
    def plan(event: Event, reads: NotificationReads, base_url: str) -> list[Planned]:
        product_id = str(event.data["productId"])
        product = reads.product(product_id)
        if product is None:
            return []  # gone since: nobody to tell about it
        owner = reads.seller_owner(product.seller_id)
        if owner is None:
            return []
        context = {
            "product_name": product.name,
            "product_id": product_id,
            "product_url": f"{base_url}/seller/products/{product_id}",
            "reason": event.data.get("reason") or "",
            "available": event.data.get("available"),
            "threshold": event.data.get("lowStockThreshold"),
        }
        return [Planned(owner, template, subject.format(product.name), context)]

    return plan


def _welcome(event: Event, _reads: NotificationReads, _base_url: str) -> list[Planned]:
    context = {"first_name": event.data.get("firstName") or "there"}
    return [Planned(str(event.data["userId"]), "welcome", "Welcome to Bazaar", context)]


PLANS: dict[str, Planner] = {
    "user.registered": _welcome,
    "order.confirmed": _confirmed,
    "order.payment_failed": _buyer("payment_failed", "Payment for order {} failed"),
    "order.shipped": _buyer("order_shipped", "Your order {} is on its way", needs_order=True),
    "order.delivered": _buyer("order_delivered", "Your order {} was delivered", needs_order=True),
    "order.cancelled": _buyer("order_cancelled", "Your order {} was cancelled"),
    "order.refunded": _buyer("order_refunded", "Your refund for order {}"),
    "product.activated": _to_seller("product_approved", "{} is live"),
    "product.rejected": _to_seller("product_rejected", "{} was not approved"),
    "product.stock_low": _to_seller("stock_low", "{} is running low"),
}
"""Event type -> what it sends. The SNS subscription's filter policy lists these types
(resources/events.yml; tests/config hold the two together)."""


def _recipient_of(planned: Planned, event: Event, reads: NotificationReads) -> Recipient | None:
    if event.type == "user.registered":  # the event carries the address: no read
        email = event.data.get("email")
        return Recipient(planned.user_id, str(email) if email else None)
    return reads.recipient(planned.user_id)


def messages_for(
    event: Event, *, reads: NotificationReads, renderer: Renderer, base_url: str
) -> list[Message]:
    """The messages an event sends (none for most events): per person, per channel the
    person chose and can be reached on."""
    plan = PLANS.get(event.type)
    if plan is None:
        return []
    messages = []
    for planned in plan(event, reads, base_url.rstrip("/")):
        recipient = _recipient_of(planned, event, reads)
        if recipient is None:
            continue
        context = {**planned.context, "first_name": recipient.first_name or "there"}
        if planned.template == "welcome":
            context["first_name"] = planned.context["first_name"]
        text, html = renderer.render(planned.template, context)
        base = event.event_id.removeprefix("evt_")
        for channel in recipient.channels:
            to = recipient.email if channel is Channel.EMAIL else recipient.phone
            if not to:
                continue  # chose SMS but has no phone (or no email): nothing on it
            sms = channel is Channel.SMS
            messages.append(
                Message(
                    notification_id=f"ntf_{base}-{planned.template}-{channel.value}",
                    user_id=planned.user_id,
                    channel=channel,
                    to=to,
                    template=planned.template,
                    subject=planned.subject,
                    text=f"Bazaar: {planned.subject}"[:SMS_LENGTH] if sms else text,
                    html=None if sms else html,
                    event_id=event.event_id,
                    occurred_at=event.occurred_at,
                )
            )
    return messages


def notify(
    event: Event,
    *,
    reads: NotificationReads,
    renderer: Renderer,
    log: NotificationLog,
    senders: dict[Channel, Sender],
    base_url: str,
    now: datetime | None = None,
) -> int:
    """Send what the event calls for, once each; returns how many were sent now. A
    provider's failure is recorded (``failed``) and raised, so the message is retried
    and finally lands in the DLQ; one sent already is never sent again."""
    sent = 0
    for message in messages_for(event, reads=reads, renderer=renderer, base_url=base_url):
        moment = now or utcnow()
        if not log.begin(message, moment):
            continue
        try:
            senders[message.channel].send(message)
        except Exception as exc:
            log.failed(message, f"{type(exc).__name__}: {exc}", moment)
            raise
        log.sent(message, moment)
        sent += 1
    return sent


# -- the user's list ----------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRecord:
    notification_id: str
    channel: str
    template: str
    subject: str
    status: str
    event_id: str
    created_at: str
    sent_at: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationRecord]
    next_cursor: str | None


class NotificationHistory(Protocol):
    def page(self, user_id: str, cursor: str | None, limit: int) -> NotificationPage:
        """The user's notifications, newest first."""


def my_notifications(
    user_id: str, cursor: str | None, limit: int, *, history: NotificationHistory
) -> NotificationPage:
    return history.page(user_id, cursor, limit)
