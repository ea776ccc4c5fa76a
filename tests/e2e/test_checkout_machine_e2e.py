"""The checkout state machine on the local stack, as `make dev` runs it: an unpaid order
written to the table travels the outbox (stream -> publishEvents -> SNS -> checkout queue
-> startCheckout under serverless offline) and starts its execution in the embedded AWS,
whose Lambda tasks run the real handlers in the embedded AWS's process."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import time
from datetime import timedelta
from typing import Any

import botocore.session

from domain.clock import utcnow
from repositories.buying.items import order_item
from tests.unit.payment_fakes import an_order

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:bazaar-dev-checkout"
ORDERS_MERGED = importlib.util.find_spec("domain.buying.orders") is not None


def client(aws_url: str, service: str) -> Any:
    return botocore.session.get_session().create_client(
        service,
        region_name="us-east-1",
        endpoint_url=aws_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def test_a_placed_order_is_charged_by_the_machine(stack: tuple[str, str]) -> None:
    aws_url = stack[1]
    now = utcnow()
    order = dataclasses.replace(
        an_order(f"ord_e2e{int(time.time())}"),
        created_at=now,
        updated_at=now,
        payment_due=now + timedelta(minutes=5),
    )
    item = order_item(order).serialize()
    client(aws_url, "dynamodb").put_item(TableName="bazaar-dev", Item=item)

    sfn = client(aws_url, "stepfunctions")
    deadline = time.monotonic() + 60
    described: dict[str, Any] = {}
    while time.monotonic() < deadline:
        found = [
            e
            for e in sfn.list_executions(stateMachineArn=MACHINE)["executions"]
            if e["name"] == order.order_id
        ]
        if found and found[0]["status"] != "RUNNING":
            described = sfn.describe_execution(executionArn=found[0]["executionArn"])
            break
        time.sleep(0.5)
    assert described, "no execution finished for the order within 60 s"
    events = sfn.get_execution_history(executionArn=described["executionArn"])["events"]
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e
    ]
    assert entered[:5] == [
        "ValidateOrder",
        "IsPaymentDue",
        "ProcessPayment",
        "IsPaid",
        "CommitStock",
    ]
    outputs, state = {}, ""
    for event in events:
        if "stateEnteredEventDetails" in event:
            state = event["stateEnteredEventDetails"]["name"]
        if "taskSucceededEventDetails" in event:
            outputs[state] = json.loads(event["taskSucceededEventDetails"]["output"])
    paid = outputs["ProcessPayment"]
    assert paid["Payload"]["outcome"] == "paid"
    if ORDERS_MERGED:
        assert described["status"] == "SUCCEEDED"
    else:
        assert entered[-1] == "PaidButNotConfirmed"


def test_serverless_offline_schedules_the_safety_net(stack: tuple[str, str]) -> None:
    """serverless-offline 14 runs `schedule` events itself (node-schedule): under
    `make dev` the sweep runs every minute with no script of ours."""
    from tests.e2e.conftest import LOG

    assert "Scheduling [releaseExpiredHolds] cron: [*/1 * * * *]" in LOG.read_text()
