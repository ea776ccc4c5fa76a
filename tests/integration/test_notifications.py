"""Notifications end to end in-process (issue 10): real writes, the table's stream, the
outbox relay, SNS's filtered fan-out to the queue (raw delivery) and sendNotification on
the messages exactly as SQS hands them over; SES and SNS are moto's."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from adapters import aws
from tests.integration.helpers import Account, sent_emails
from tests.integration.order_helpers import Market, market, pay, place
from tests.support.lambda_api import LambdaApi, LambdaContext, load_handler
from tests.support.pipeline import StreamReader, queue_url, sqs_event

QUEUE = "bazaar-dev-notifications"
SEND = "handlers/notifications/send_notification.lambda_handler"
SHIP = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784"}


class Pipeline:
    """The stream -> publishEvents -> SNS -> the notifications queue, a hop at a time."""

    def __init__(self) -> None:
        self.stream = StreamReader(os.environ["TABLE_NAME"])

    def publish(self) -> None:
        load_handler("handlers/streams/publish_events.lambda_handler")(
            self.stream.event(), LambdaContext()
        )

    def batch(self) -> dict[str, Any]:
        self.publish()
        records: list[dict[str, Any]] = []
        while True:
            found = sqs_event(QUEUE)["Records"]
            if not found:
                return {"Records": records}
            records.extend(found)

    def send(self, batch: dict[str, Any]) -> dict[str, Any]:
        result = load_handler(SEND)(batch, LambdaContext())
        assert isinstance(result, dict)
        return result

    def run(self) -> dict[str, Any]:
        return self.send(self.batch())


@pytest.fixture
def pipe(api: LambdaApi) -> Pipeline:
    pipeline = Pipeline()
    pipeline.run()  # what earlier tests left on the stream is not this test's
    return pipeline


def emails_to(address: str, about: str = "") -> list[Any]:
    """The emails sent to ``address`` whose subject has ``about`` (the welcome mail aside)."""
    return [
        m
        for m in sent_emails()
        if m.destinations["ToAddresses"] == [address]
        and about in m.subject
        and m.subject != "Welcome to Bazaar"
    ]


def types(batch: dict[str, Any]) -> list[str]:
    return [json.loads(r["body"])["type"] for r in batch["Records"]]


def paid_order(api: LambdaApi, m: Market, product_id: str, quantity: int = 2) -> str:
    lines = api.post(
        "/cart/items", json={"productId": product_id, "quantity": quantity}, token=m.buyer.access
    )
    assert lines.status in (200, 201), lines.text
    placed = place(api, m.buyer)
    assert placed.status == 201, placed.text
    order_id = str(placed.body["orderId"])
    pay(order_id)
    return order_id


def notifications(api: LambdaApi, who: Account, query: str = "") -> dict[str, Any]:
    answer = api.get(f"/me/notifications{query}", token=who.access)
    assert answer.status == 200, answer.text
    return answer.body  # type: ignore[no-any-return]


def test_a_paid_order_mails_the_buyer_and_the_seller_once(api: LambdaApi, pipe: Pipeline) -> None:
    m = market(api)
    product_id = m.product(api, stock=50, price=1250)
    pipe.run()  # the approval's mail to the seller
    order_id = paid_order(api, m, product_id, quantity=2)

    batch = pipe.batch()
    assert "order.confirmed" in types(batch)
    assert "order.placed" not in types(batch)  # the filter policy keeps it off this queue
    assert pipe.send(batch) == {"batchItemFailures": []}

    (mail,) = emails_to(m.buyer.email)
    assert order_id in mail.subject
    # moto keeps the HTML part (the text part: tests/unit/test_notification_templates.py)
    assert '<td align="right">$12.50</td><td align="right">$25.00</td>' in mail.body
    assert "Shipping to:" in mail.body
    assert "<address>" in mail.body
    seller_mails = [e for e in emails_to(m.seller.email) if order_id in e.subject]
    assert len(seller_mails) == 1
    assert "Your total: <strong>$25.00</strong>" in seller_mails[0].body

    # the same batch again (SQS redelivers): nothing is sent twice
    before = len(sent_emails())
    assert pipe.send(batch) == {"batchItemFailures": []}
    assert len(sent_emails()) == before

    mine = notifications(api, m.buyer)
    (record,) = [n for n in mine["items"] if n["template"] == "order_confirmed"]
    assert record["channel"] == "email"
    assert record["status"] == "sent"
    assert record["eventId"].startswith("evt_")
    assert record["sentAt"] is not None


def test_shipping_mails_the_carrier_and_tracking(api: LambdaApi, pipe: Pipeline) -> None:
    m = market(api)
    product_id = m.product(api, stock=50)
    order_id = paid_order(api, m, product_id, quantity=1)
    pipe.run()
    shipped = api.post(f"/admin/orders/{order_id}/ship", json=SHIP, token=m.admin.access)
    assert shipped.status == 200, shipped.text
    assert pipe.run() == {"batchItemFailures": []}
    (mail,) = [e for e in emails_to(m.buyer.email) if "on its way" in e.subject]
    assert "1Z999AA10123456784" in mail.body
    assert "UPS" in mail.body
    listed = notifications(api, m.buyer, "?limit=1")
    assert [n["template"] for n in listed["items"]] == ["order_shipped"]  # newest first
    assert listed["nextCursor"]
    rest = notifications(api, m.buyer, f"?limit=5&cursor={listed['nextCursor']}")
    assert [n["template"] for n in rest["items"]] == ["order_confirmed", "welcome"]


def test_a_sale_that_crosses_the_threshold_mails_the_seller_once(
    api: LambdaApi, pipe: Pipeline
) -> None:
    m = market(api)
    product_id = m.product(api, stock=7)  # threshold 5 by default
    pipe.run()
    paid_order(api, m, product_id, quantity=3)  # 7 -> 4
    assert pipe.run() == {"batchItemFailures": []}
    low = [e for e in emails_to(m.seller.email) if "running low" in e.subject]
    assert len(low) == 1
    assert "<strong>4</strong> left" in low[0].body
    paid_order(api, m, product_id, quantity=1)  # 4 -> 3: still low, no second mail
    assert pipe.run() == {"batchItemFailures": []}
    assert len([e for e in emails_to(m.seller.email) if "running low" in e.subject]) == 1


def test_channels_follow_the_preferences(api: LambdaApi, pipe: Pipeline) -> None:
    from moto.sns.models import sns_backends

    m = market(api)
    changed = api.patch(
        "/me",
        json={"phone": "+447700900123", "preferences": {"notificationChannels": ["sms"]}},
        token=m.buyer.access,
    )
    assert changed.status == 200, changed.text
    product_id = m.product(api, stock=50)
    pipe.run()
    paid_order(api, m, product_id)
    assert pipe.run() == {"batchItemFailures": []}
    assert emails_to(m.buyer.email) == []  # email turned off: nothing on it
    sms = [
        text
        for phone, text in sns_backends["123456789012"]["us-east-1"].sms_messages.values()
        if phone == "+447700900123"
    ]
    assert len(sms) == 1
    assert sms[0].startswith("Bazaar: Your order")
    assert len(sms[0]) <= 160
    (record,) = [n for n in notifications(api, m.buyer)["items"] if n["template"] != "welcome"]
    assert record["channel"] == "sms"


def test_a_poison_message_is_the_only_failure_and_unknown_types_are_acknowledged(
    api: LambdaApi, pipe: Pipeline
) -> None:
    m = market(api)
    product_id = m.product(api, stock=50)
    pipe.run()
    paid_order(api, m, product_id)
    pipe.publish()
    sqs = aws.client("sqs")
    url = queue_url(QUEUE)
    sqs.send_message(QueueUrl=url, MessageBody='{"eventId": 1}')
    unknown = {
        "eventId": "evt_unknown",
        "type": "review.posted",
        "version": 1,
        "occurredAt": "2026-11-30T09:00:00.000000Z",
        "subject": "prd_1",
        "data": {"productId": "prd_1", "userId": "usr_1", "rating": 5},
    }
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(unknown))
    batch = sqs_event(QUEUE)
    poison = next(r["messageId"] for r in batch["Records"] if r["body"] == '{"eventId": 1}')
    assert len(batch["Records"]) == 3
    assert pipe.send(batch) == {"batchItemFailures": [{"itemIdentifier": poison}]}
    assert len(emails_to(m.buyer.email)) == 1


def test_a_provider_failure_is_recorded_and_the_message_comes_back(
    api: LambdaApi, pipe: Pipeline
) -> None:
    m = market(api)
    product_id = m.product(api, stock=50)
    pipe.run()
    paid_order(api, m, product_id)
    batch = pipe.batch()
    ses = aws.client("ses")
    ses.delete_identity(Identity=os.environ["EMAIL_FROM"])  # SES now refuses to send
    try:
        result = pipe.send(batch)
    finally:
        ses.verify_email_identity(EmailAddress=os.environ["EMAIL_FROM"])
    confirmed = next(r for r in batch["Records"] if "order.confirmed" in r["body"])
    assert {"itemIdentifier": confirmed["messageId"]} in result["batchItemFailures"]
    (record,) = [n for n in notifications(api, m.buyer)["items"] if n["template"] != "welcome"]
    assert record["status"] == "failed"
    assert "MessageRejected" in record["error"]
    # the retry (SQS brings it back after the visibility timeout) sends it, once
    assert pipe.send(batch) == {"batchItemFailures": []}
    assert len(emails_to(m.buyer.email)) == 1
    (record,) = [n for n in notifications(api, m.buyer)["items"] if n["template"] != "welcome"]
    assert record["status"] == "sent"
    assert record["error"] is None


# -- who may read what (the authorization matrix of GET /me/notifications) ---------------------


def test_every_signed_in_role_reads_its_own_notifications_only(
    api: LambdaApi, pipe: Pipeline
) -> None:
    from tests.integration.helpers import problem

    m = market(api)
    product_id = m.product(api, stock=50)
    paid_order(api, m, product_id)
    assert pipe.run() == {"batchItemFailures": []}
    problem(api.get("/me/notifications"), 401, "token_missing")
    seen = {
        who: {n["template"] for n in notifications(api, account)["items"]}
        for who, account in (("buyer", m.buyer), ("seller", m.seller), ("admin", m.admin))
    }
    assert "order_confirmed" in seen["buyer"]
    assert "seller_new_order" not in seen["buyer"]
    assert "seller_new_order" in seen["seller"]
    assert "order_confirmed" not in seen["seller"]
    assert not seen["admin"] & {"order_confirmed", "seller_new_order"}  # admins: their own
