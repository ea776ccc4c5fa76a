"""`make redrive` (scripts/redrive.py) against the embedded AWS: dead letters go back to
their queue whole, only what was sent leaves the dead-letter queue, and a message that
failed five times is handled once it is moved back after the fault is fixed."""

from __future__ import annotations

import os
from typing import Any

import pytest

from scripts import redrive as script
from scripts.redrive import Redrive, redrivable_queues, redrive, sqs_client, waiting
from tests.conftest import CONFIG
from tests.support.lambda_api import LambdaContext, load_handler
from tests.support.pipeline import StreamReader, queue_url, sqs_event

QUEUES = redrivable_queues(CONFIG)
NOTIFICATIONS = QUEUES["notifications"]
KEPT = ("DataType", "StringValue", "BinaryValue")


def dead_letter(sqs: Any, queues: Redrive, count: int) -> list[dict[str, Any]]:
    """``count`` messages put in the dead-letter queue: bodies and attributes of each kind."""
    sent = []
    for i in range(count):
        message = {
            "MessageBody": f'{{"eventId": "evt_{i:03d}", "text": "ünïcode ✓ {i}"}}',
            "MessageAttributes": {
                "eventType": {"DataType": "String", "StringValue": f"order.placed.{i}"},
                "attempt": {"DataType": "Number", "StringValue": str(i)},
                "blob": {"DataType": "Binary", "BinaryValue": bytes([i, 0, 255])},
            },
        }
        if i % 4 == 3:  # some carry no attributes at all
            del message["MessageAttributes"]
        sqs.send_message(QueueUrl=queue_url(queues.dead_letters), **message)
        sent.append(message)
    return sent


def drain(sqs: Any, name: str) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=queue_url(name), MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    ).get("Messages", []):
        received += batch
    return received


def as_sent(message: dict[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = {"MessageBody": message["Body"]}
    if message.get("MessageAttributes"):
        shape["MessageAttributes"] = {
            name: {k: v for k, v in value.items() if k in KEPT}
            for name, value in message["MessageAttributes"].items()
        }
    return shape


def test_every_queue_with_a_dead_letter_queue_is_redrivable_by_its_short_name() -> None:
    assert set(QUEUES) == {
        "analytics",
        "checkout",
        "invoices",
        "notifications",
        "reality",
        "refunds",
        "search",
    }
    assert NOTIFICATIONS.queue == "bazaar-dev-notifications"
    assert NOTIFICATIONS.dead_letters == "bazaar-dev-notifications-dlq"
    # the stream's failures are positions in the stream, not messages of a queue
    assert "stream-failures" not in QUEUES


def test_dead_letters_go_back_with_their_bodies_and_attributes(aws: None) -> None:
    sqs = sqs_client()
    sent = dead_letter(sqs, NOTIFICATIONS, 23)

    result = redrive(sqs, NOTIFICATIONS)

    assert result == script.Moved(moved=23, failed=[], not_deleted=0)
    back = drain(sqs, NOTIFICATIONS.queue)
    key = lambda m: m["MessageBody"]  # noqa: E731
    assert sorted(map(as_sent, back), key=key) == sorted(sent, key=key)
    assert waiting(sqs, queue_url(NOTIFICATIONS.dead_letters)) == 0
    assert drain(sqs, NOTIFICATIONS.dead_letters) == []
    # each queue's dead letters go to that queue only
    assert all(drain(sqs, other.queue) == [] for other in QUEUES.values() if other != NOTIFICATIONS)


def test_max_moves_that_many_and_leaves_the_rest(aws: None) -> None:
    sqs = sqs_client()
    dead_letter(sqs, QUEUES["refunds"], 14)

    assert redrive(sqs, QUEUES["refunds"], limit=12).moved == 12

    assert len(drain(sqs, QUEUES["refunds"].queue)) == 12
    assert len(drain(sqs, QUEUES["refunds"].dead_letters)) == 2


class RefusesOne:
    """The SQS client, except that the source queue refuses the first message it is sent."""

    def __init__(self, sqs: Any) -> None:
        self.sqs = sqs

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sqs, name)

    def send_message_batch(self, **call: Any) -> Any:
        refused, rest = call["Entries"][0], call["Entries"][1:]
        answer = self.sqs.send_message_batch(QueueUrl=call["QueueUrl"], Entries=rest)
        answer["Failed"] = [
            {"Id": refused["Id"], "SenderFault": False, "Code": "InternalError", "Message": "x"}
        ]
        return answer


def test_only_what_the_queue_took_leaves_the_dead_letter_queue(aws: None) -> None:
    sqs = sqs_client()
    sent = dead_letter(sqs, NOTIFICATIONS, 10)

    result = redrive(RefusesOne(sqs), NOTIFICATIONS)

    assert (result.moved, len(result.failed), result.not_deleted) == (9, 1, 0)
    assert "InternalError" in result.failed[0]
    moved = {m["Body"] for m in drain(sqs, NOTIFICATIONS.queue)}
    left = {m["Body"] for m in drain(sqs, NOTIFICATIONS.dead_letters)}  # visible again at once
    assert len(moved) == 9
    assert len(left) == 1
    assert moved | left == {m["MessageBody"] for m in sent}


def test_dry_run_counts_and_moves_nothing(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # moto answers AWS's own endpoint in-process; without one the script would look for
    # `make dev` on 127.0.0.1
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://sqs.us-east-1.amazonaws.com")
    sqs = sqs_client()
    dead_letter(sqs, QUEUES["analytics"], 3)

    assert script.main(["analytics", "--dry-run"]) == 0

    assert "3 messages wait in bazaar-dev-analytics-dlq" in capsys.readouterr().out
    assert len(drain(sqs, QUEUES["analytics"].dead_letters)) == 3
    assert drain(sqs, QUEUES["analytics"].queue) == []


def test_the_command_moves_them_and_says_how_many(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://sqs.us-east-1.amazonaws.com")
    sqs = sqs_client()
    dead_letter(sqs, QUEUES["checkout"], 4)

    assert script.main(["checkout"]) == 0

    assert "✓ 4 messages moved from bazaar-dev-checkout-dlq to bazaar-dev-checkout" in (
        capsys.readouterr().out
    )
    assert len(drain(sqs, QUEUES["checkout"].queue)) == 4


@pytest.mark.parametrize("name", ["nope", "", "stream-failures", "notifications-dlq"])
def test_an_unknown_queue_is_refused_with_the_valid_names(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main([name]) == 2

    error = capsys.readouterr().err
    assert repr(name) in error
    assert "analytics, checkout, invoices, notifications, reality, refunds, search" in error


def test_a_poison_message_redriven_after_the_fix_is_handled_once(api: Any) -> None:
    """A welcome email that SES refused five times lands in the dead-letter queue (as the
    event source mapping and the redrive policy do it on AWS); once SES takes the sender
    again, the redriven message is sent, and a second copy of it changes nothing."""
    from moto.ses.models import ses_backends

    from adapters import aws as aws_clients

    ses = aws_clients.client("ses")
    sqs = sqs_client()
    send_notification = load_handler("handlers/notifications/send_notification.lambda_handler")
    assert (
        api.post(
            "/auth/register",
            json={
                "email": "ada@example.com",
                "password": "password-123",
                "firstName": "Ada",
                "lastName": "L",
            },
        ).status
        == 201
    )
    load_handler("handlers/streams/publish_events.lambda_handler")(
        StreamReader(os.environ["TABLE_NAME"]).event(), LambdaContext()
    )
    ses.delete_identity(Identity=os.environ["EMAIL_FROM"])  # the fault: SES refuses the sender

    for _ in range(5):  # five deliveries, five failures (maxReceiveCount: 5)
        batch = sqs_event(NOTIFICATIONS.queue)
        assert len(batch["Records"]) == 1
        assert send_notification(batch, LambdaContext())["batchItemFailures"]
        sqs.change_message_visibility(
            QueueUrl=queue_url(NOTIFICATIONS.queue),
            ReceiptHandle=batch["Records"][0]["receiptHandle"],
            VisibilityTimeout=0,
        )
    assert sqs_event(NOTIFICATIONS.queue)["Records"] == []  # the sixth receive moved it
    assert waiting(sqs, queue_url(NOTIFICATIONS.dead_letters)) == 1

    ses.verify_email_identity(EmailAddress=os.environ["EMAIL_FROM"])  # the fix
    dead = sqs.receive_message(
        QueueUrl=queue_url(NOTIFICATIONS.dead_letters), MessageAttributeNames=["All"]
    )["Messages"][0]
    sqs.change_message_visibility(
        QueueUrl=queue_url(NOTIFICATIONS.dead_letters),
        ReceiptHandle=dead["ReceiptHandle"],
        VisibilityTimeout=0,
    )
    # a copy too, as if an earlier redrive had sent it and failed to delete it
    sqs.send_message(
        QueueUrl=queue_url(NOTIFICATIONS.dead_letters),
        MessageBody=dead["Body"],
        MessageAttributes=as_sent(dead)["MessageAttributes"],
    )
    assert redrive(sqs, NOTIFICATIONS).moved == 2

    batch = sqs_event(NOTIFICATIONS.queue)
    assert [r["messageAttributes"]["eventType"]["StringValue"] for r in batch["Records"]] == [
        "user.registered",
        "user.registered",
    ]
    assert send_notification(batch, LambdaContext()) == {"batchItemFailures": []}
    sent = list(ses_backends["123456789012"]["us-east-1"].sent_messages)
    assert [(m.destinations["ToAddresses"], m.subject) for m in sent] == [
        (["ada@example.com"], "Welcome to Bazaar")
    ]
