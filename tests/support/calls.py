"""Counting DynamoDB calls: a botocore ``before-call`` hook on the container's client."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from adapters import aws


@contextmanager
def dynamodb_calls() -> Iterator[Counter[str]]:
    """Yields a Counter of operation names (``GetItem``, ``Query`` …) made inside the block."""
    counted: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        counted[model.name] += 1

    events = aws.client("dynamodb").meta.events
    events.register("before-call.dynamodb", count, unique_id="bazaar-call-counter")
    try:
        yield counted
    finally:
        events.unregister("before-call.dynamodb", unique_id="bazaar-call-counter")
