"""Partial batch responses (handlers/shared/batch.py), with real event shapes."""

from __future__ import annotations

from typing import Any

from handlers.shared.batch import Record, worker
from tests.support.lambda_api import LambdaContext


def sqs_record(message_id: str, body: str) -> Record:
    return {
        "messageId": message_id,
        "receiptHandle": f"handle-{message_id}",
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "0",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
        "awsRegion": "us-east-1",
    }


def stream_record(sequence: str, pk: str) -> Record:
    return {
        "eventID": f"id-{sequence}",
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "Keys": {"PK": {"S": pk}, "SK": {"S": "X"}},
            "NewImage": {"PK": {"S": pk}, "SK": {"S": "X"}},
            "SequenceNumber": sequence,
            "SizeBytes": 10,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x",
    }


def test_a_queue_batch_reports_each_failed_message_and_handles_the_rest() -> None:
    handled: list[str] = []

    def handle(record: Record) -> None:
        if record["body"] == "bad":
            raise ValueError("bad message")
        handled.append(record["messageId"])

    lambda_handler = worker("sqs", handle)
    event: dict[str, Any] = {
        "Records": [
            sqs_record("m1", "ok"),
            sqs_record("m2", "bad"),
            sqs_record("m3", "ok"),
            sqs_record("m4", "bad"),
        ]
    }

    result = lambda_handler(event, LambdaContext())

    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m4"}]}
    assert handled == ["m1", "m3"]


def test_a_stream_batch_stops_at_the_first_failure_to_keep_order() -> None:
    handled: list[str] = []

    def handle(record: Record) -> None:
        key = record["dynamodb"]["Keys"]["PK"]["S"]
        if key == "B":
            raise RuntimeError("cannot publish")
        handled.append(key)

    lambda_handler = worker("dynamodb", handle)
    event = {
        "Records": [stream_record("100", "A"), stream_record("200", "B"), stream_record("300", "C")]
    }

    result = lambda_handler(event, LambdaContext())

    assert result == {"batchItemFailures": [{"itemIdentifier": "200"}]}
    assert handled == ["A"]  # C comes again after B, in order


def test_an_empty_or_all_good_batch_reports_nothing() -> None:
    lambda_handler = worker("sqs", lambda record: None)
    assert lambda_handler({"Records": []}, LambdaContext()) == {"batchItemFailures": []}
    assert lambda_handler({"Records": [sqs_record("m1", "x")]}, LambdaContext()) == {
        "batchItemFailures": []
    }
