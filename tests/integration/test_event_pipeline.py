"""The outbox path, hop by hop with real event shapes: a registration commits, the
stream carries it, publishEvents puts a domain event on SNS, SNS fans it out to the
queues, and the workers send the welcome email and count the sign-up, once each."""

from __future__ import annotations

import json
import os
from typing import Any

from adapters import aws
from tests.support.lambda_api import LambdaContext, load_handler
from tests.support.pipeline import StreamReader, sqs_event

PREFIX = "bazaar-dev"


def sent_emails() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends["123456789012"]["us-east-1"].sent_messages)


def register(api: Any, email: str = "new@example.com") -> str:
    response = api.post(
        "/auth/register",
        json={"email": email, "password": "password-123", "firstName": "Nia", "lastName": "Ng"},
    )
    assert response.status == 201
    return str(response.body["userId"])


def run(handler: str, event: dict[str, Any]) -> dict[str, Any]:
    result = load_handler(handler)(event, LambdaContext())
    assert isinstance(result, dict)
    return result


def test_registration_travels_from_the_stream_to_email_and_metrics(api: Any) -> None:
    user_id = register(api)
    stream = StreamReader(os.environ["TABLE_NAME"])

    published = run("handlers/streams/publish_events.lambda_handler", stream.event())
    assert published == {"batchItemFailures": []}

    notifications = sqs_event(f"{PREFIX}-notifications")
    analytics = sqs_event(f"{PREFIX}-analytics")
    assert len(notifications["Records"]) == 1
    assert len(analytics["Records"]) == 1
    event = json.loads(notifications["Records"][0]["body"])
    assert event["type"] == "user.registered"
    assert event["subject"] == user_id
    assert event["eventId"].startswith("evt_")

    assert run("handlers/notifications/send_notification.lambda_handler", notifications) == {
        "batchItemFailures": []
    }
    emails = sent_emails()
    assert [(m.destinations["ToAddresses"], m.subject) for m in emails] == [
        (["new@example.com"], "Welcome to Bazaar")
    ]
    assert "Nia" in emails[0].body

    assert run("handlers/analytics/record_event.lambda_handler", analytics) == {
        "batchItemFailures": []
    }
    ddb = aws.client("dynamodb")
    day = event["occurredAt"][:10]
    totals = ddb.get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"PK": {"S": f"METRICS#{day[:7]}"}, "SK": {"S": day}},
    )["Item"]
    assert totals["signups"] == {"N": "1"}
    logged = ddb.query(
        TableName=os.environ["TABLE_NAME"],
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"EVENTLOG#{day}"}},
    )["Items"]
    assert len(logged) == 1
    assert "email" not in logged[0]["data"]["M"]  # no personal data in analytics

    # Redelivery of the same messages changes nothing: one email, one sign-up.
    assert run("handlers/notifications/send_notification.lambda_handler", notifications) == {
        "batchItemFailures": []
    }
    assert run("handlers/analytics/record_event.lambda_handler", analytics) == {
        "batchItemFailures": []
    }
    assert len(sent_emails()) == 1
    totals = ddb.get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"PK": {"S": f"METRICS#{day[:7]}"}, "SK": {"S": day}},
    )["Item"]
    assert totals["signups"] == {"N": "1"}


def test_changes_that_mean_nothing_publish_nothing(api: Any) -> None:
    register(api)
    stream = StreamReader(os.environ["TABLE_NAME"])
    run("handlers/streams/publish_events.lambda_handler", stream.event())
    sqs_event(f"{PREFIX}-notifications")
    sqs_event(f"{PREFIX}-analytics")

    # A failed sign-in writes a counter item: no event for anyone.
    api.post("/auth/login", json={"email": "new@example.com", "password": "wrong-password"})
    assert run("handlers/streams/publish_events.lambda_handler", stream.event()) == {
        "batchItemFailures": []
    }
    assert sqs_event(f"{PREFIX}-analytics")["Records"] == []


def test_a_bad_message_fails_alone(api: Any) -> None:
    register(api)
    run(
        "handlers/streams/publish_events.lambda_handler",
        StreamReader(os.environ["TABLE_NAME"]).event(),
    )
    batch = sqs_event(f"{PREFIX}-notifications")
    good = batch["Records"][0]
    bad = {**good, "messageId": "not-an-event", "body": '{"eventId": 1}'}
    batch["Records"] = [bad, good]

    result = run("handlers/notifications/send_notification.lambda_handler", batch)

    assert result == {"batchItemFailures": [{"itemIdentifier": "not-an-event"}]}
    assert len(sent_emails()) == 1
