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


# -- what a function's role lets it call (issue 10: each function only what it uses) -------

_TRANSACT_PARTS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


def iam_actions(operation: str, params: dict[str, Any]) -> set[str]:
    """The IAM actions a DynamoDB call needs: a transaction needs those of its items."""
    if operation == "TransactWriteItems":
        return {_TRANSACT_PARTS[kind] for item in params["TransactItems"] for kind in item}
    if operation == "TransactGetItems":
        return {"GetItem"}
    return {operation}


def table_grants(config: dict[str, Any], function: str) -> set[str]:
    """The ``dynamodb:`` actions the role of ``function`` (serverless.yml) grants."""
    from scripts.stack import template_resources

    role = template_resources(config)[config["functions"][function]["role"]]
    return {
        action.removeprefix("dynamodb:")
        for policy in role["Properties"].get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        if action.startswith("dynamodb:")
    }


@contextmanager
def refused_calls(granted: set[str]) -> Iterator[list[str]]:
    """Yields the DynamoDB actions called inside the block that ``granted`` lacks: on AWS
    those calls would be denied (an AccessDenied, a 500)."""
    refused: list[str] = []

    def check(params: dict[str, Any], model: Any, **_: Any) -> None:
        refused.extend(sorted(iam_actions(model.name, params) - granted))

    events = aws.client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb", check, unique_id="bazaar-iam-check")
    try:
        yield refused
    finally:
        events.unregister("before-parameter-build.dynamodb", unique_id="bazaar-iam-check")
