"""The reality worker's queue: the "done" call and "make it from the photo" send here."""

from __future__ import annotations

import json

from adapters import aws


class SqsModelQueue:
    def __init__(self, queue_url: str) -> None:
        self.queue_url = queue_url

    def _send(self, body: dict[str, str]) -> None:
        aws.client("sqs").send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body))

    def process(self, product_id: str, asset_id: str) -> None:
        self._send({"action": "process", "productId": product_id, "assetId": asset_id})

    def generate(self, product_id: str) -> None:
        self._send({"action": "generate", "productId": product_id})
