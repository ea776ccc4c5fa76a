"""The shared shape of stream and queue workers: partial batch responses.

Lambda's contract (``ReportBatchItemFailures``) is small: answer
``{"batchItemFailures": [{"itemIdentifier": …}]}`` naming what failed.

- An SQS batch: every message is handled; each one that raises is reported by its
  ``messageId`` and only it comes back (after its visibility timeout).
- A DynamoDB stream batch: records are handled in order and the first failure stops the
  batch; it is reported by its sequence number, and Lambda retries from there, so later
  records keep their order instead of being handled ahead of the one that failed.

For SQS this is what Powertools' ``BatchProcessor`` does. For a stream it is not, on
purpose: ``BatchProcessor`` handles every record of the batch and reports each failure,
so records after a failed one are handled before it; here the batch stops at the first
failure, so nothing is handled ahead of a record that came before it. Powertools is not
imported for the rest either: its batch utility loads asyncio and every event data class
Powertools has, about 50 ms of a worker's cold start, which would put the workers over
their budget (1.3x a bare DynamoDB client).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from aws_lambda_powertools import Logger

from events.contracts import DomainEvent

logger = Logger(service="bazaar")

Record = dict[str, Any]
Failures = dict[str, list[dict[str, str]]]

__all__ = ["Record", "domain_event", "logger", "worker"]


def domain_event(record: Record) -> DomainEvent:
    """The event an SQS message (raw SNS delivery) carries."""
    return DomainEvent.from_json(record["body"])


def _handle(record_handler: Callable[[Record], None], record: Record, identifier: str) -> bool:
    try:
        record_handler(record)
    except Exception:  # reported, not raised: one bad record never fails its neighbours
        logger.exception("record failed", extra={"itemIdentifier": identifier})
        return False
    return True


def worker(
    source: Literal["sqs", "dynamodb"], record_handler: Callable[[Record], None]
) -> Callable[[dict[str, Any], Any], Failures]:
    """The module's ``lambda_handler``: ``record_handler(record)`` per record, failures
    reported as ``batchItemFailures``."""

    @logger.inject_lambda_context(clear_state=True)
    def lambda_handler(event: dict[str, Any], _context: Any) -> Failures:
        failed: list[dict[str, str]] = []
        for record in event.get("Records", []):
            if source == "sqs":
                identifier = str(record["messageId"])
                if not _handle(record_handler, record, identifier):
                    failed.append({"itemIdentifier": identifier})
            else:
                identifier = str(record["dynamodb"]["SequenceNumber"])
                if not _handle(record_handler, record, identifier):
                    failed.append({"itemIdentifier": identifier})
                    break
        return {"batchItemFailures": failed}

    return lambda_handler
