"""Starts the checkout state machine (Step Functions) through the container's botocore
client: one execution per order, named by the order id.

Step Functions keeps execution names unique per state machine (for 90 days after an
execution ends), so a redelivered ``order.placed`` cannot start a second run: the
second ``StartExecution`` answers ``ExecutionAlreadyExists`` (or, while the first runs
with the same input, that first execution), and that counts as started.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from adapters import aws


def execution_name(order_id: str, attempt: int) -> str:
    return order_id if attempt <= 1 else f"{order_id}-{attempt}"


class StepFunctionsCheckout:
    """``CheckoutMachine`` on Step Functions."""

    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, order_id: str, attempt: int = 1) -> bool:
        """True if this call started the execution, False if it already existed. A retry
        of a failed payment (attempt 2, 3…) runs as ``<orderId>-<attempt>``."""
        client = aws.client("stepfunctions")
        try:
            client.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=execution_name(order_id, attempt),
                input=json.dumps({"orderId": order_id}),
            )
        except client.exceptions.ExecutionAlreadyExists:
            return False
        return True


class StepFunctionsCallbacks:
    """``TaskCallbacks``: completes the ProcessPayment task waiting on a token.

    A token whose task no longer waits (it timed out at the payment window, its execution
    ended, or it never existed) is answered False, not raised: the caller decides (the
    webhook refunds a success that came too late). The token is never logged."""

    GONE = ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken")

    def succeed(self, token: str, output: dict[str, Any]) -> bool:
        client = aws.client("stepfunctions")
        try:
            client.send_task_success(taskToken=token, output=json.dumps(output))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in self.GONE:
                return False
            raise
        return True

    def fail(self, token: str, error: str, cause: str) -> bool:
        client = aws.client("stepfunctions")
        try:
            client.send_task_failure(taskToken=token, error=error, cause=cause)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in self.GONE:
                return False
            raise
        return True
