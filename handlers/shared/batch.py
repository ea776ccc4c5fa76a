"""The shared shape of stream and queue workers: Powertools' BatchProcessor with partial
batch responses, so one bad record never fails (or replays) its neighbours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse

from events.contracts import DomainEvent

logger = Logger(service="bazaar")

__all__ = ["EventType", "domain_event", "logger", "worker"]


def domain_event(body: str) -> DomainEvent:
    """An SQS message body (raw SNS delivery) as the event it carries."""
    return DomainEvent.model_validate_json(body)


def worker(
    event_type: EventType, record_handler: Callable[[Any], None]
) -> Callable[[dict[str, Any], Any], PartialItemFailureResponse]:
    """The module's ``lambda_handler``: ``record_handler(record)`` per record (the
    parameter must be named ``record``), failures reported as ``batchItemFailures``."""
    # Failures are always reported per record, never raised: a raise would retry the
    # whole batch (and under serverless-offline, hang the worker).
    processor = BatchProcessor(event_type=event_type, raise_on_entire_batch_failure=False)

    @logger.inject_lambda_context(clear_state=True)
    def lambda_handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    return lambda_handler
