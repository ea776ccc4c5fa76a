"""The search flow's steps in-process: the outbox hop by hop with real event shapes
(the table's stream → publishEvents → SNS → the search queue → indexProducts)."""

from __future__ import annotations

import os
import random
import string
from typing import Any

from tests.support.lambda_api import LambdaContext, load_handler
from tests.support.pipeline import StreamReader, queue_url, sqs_event

SEARCH_QUEUE = "bazaar-dev-search"
PUBLISH = "handlers/streams/publish_events.lambda_handler"
INDEXER = "handlers/search/index_products.lambda_handler"
_words = random.Random()


def word(length: int = 9) -> str:
    """A word no other test's product holds (the index outlives a test's table)."""
    return "".join(_words.choices(string.ascii_lowercase, k=length))


def misspelt(text: str) -> str:
    """One letter dropped from the middle."""
    return text[: len(text) // 2] + text[len(text) // 2 + 1 :]


class Indexer:
    """Carries what the table committed to the index, as the deployed pipeline does."""

    def __init__(self) -> None:
        self.stream = StreamReader(os.environ["TABLE_NAME"])
        self.delivered: list[str] = []  # the event types the search queue received

    def sync(self) -> dict[str, Any]:
        published = load_handler(PUBLISH)(self.stream.event(), LambdaContext())
        assert published == {"batchItemFailures": []}
        answer: dict[str, Any] = {"batchItemFailures": []}
        while True:
            event = sqs_event(SEARCH_QUEUE)
            if not event["Records"]:
                return answer
            self.delivered += [_type(r["body"]) for r in event["Records"]]
            answer = load_handler(INDEXER)(event, LambdaContext())
            assert answer == {"batchItemFailures": []}, answer
            _delete(event)  # as Lambda does after a batch without failures


def _delete(event: dict[str, Any]) -> None:
    from adapters import aws

    url = queue_url(SEARCH_QUEUE)
    for record in event["Records"]:
        aws.client("sqs").delete_message(QueueUrl=url, ReceiptHandle=record["receiptHandle"])


def _type(body: str) -> str:
    import json

    return str(json.loads(body)["type"])


def ids(response: Any) -> list[str]:
    assert response.status == 200, response.text
    return [hit["productId"] for hit in response.body["items"]]
