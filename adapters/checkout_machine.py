"""Starts the checkout state machine (Step Functions) through the container's botocore
client: one execution per order, named by the order id.

Step Functions keeps execution names unique per state machine (for 90 days after an
execution ends), so a redelivered ``order.placed`` cannot start a second run: the
second ``StartExecution`` answers ``ExecutionAlreadyExists`` (or, while the first runs
with the same input, that first execution), and that counts as started.
"""

from __future__ import annotations

import json

from adapters import aws


class StepFunctionsCheckout:
    """``CheckoutMachine`` on Step Functions."""

    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, order_id: str) -> bool:
        """True if this call started the execution, False if it already existed."""
        client = aws.client("stepfunctions")
        try:
            client.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=order_id,
                input=json.dumps({"orderId": order_id}),
            )
        except client.exceptions.ExecutionAlreadyExists:
            return False
        return True
