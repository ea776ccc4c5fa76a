"""The checkout state machine on the local stack, as `make dev` runs it: an order placed
through the API travels the outbox (stream -> publishEvents -> SNS -> checkout queue
-> startCheckout under serverless offline) and starts its execution in the embedded AWS,
whose Lambda tasks run the real handlers in the embedded AWS's process."""

from __future__ import annotations

import json
import time
from typing import Any

import botocore.session

from tests.e2e.buying import checkout, listed_product, sign_up
from tests.support.http_api import HttpApi

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:bazaar-dev-checkout"


def client(aws_url: str, service: str) -> Any:
    return botocore.session.get_session().create_client(
        service,
        region_name="us-east-1",
        endpoint_url=aws_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def test_a_placed_order_is_charged_by_the_machine(
    stack: tuple[str, str], http: HttpApi, admin_token: str
) -> None:
    aws_url = stack[1]
    product_id = listed_product(http, admin_token, stock=1)
    buyer = sign_up(http)
    added = http.post("/cart/items", json={"productId": product_id, "quantity": 1}, token=buyer)
    assert added.status == 200, added.text
    placed = checkout(http, buyer)
    assert placed.status == 201, placed.text
    order_id = placed.body["orderId"]

    sfn = client(aws_url, "stepfunctions")
    deadline = time.monotonic() + 60
    described: dict[str, Any] = {}
    while time.monotonic() < deadline:
        found = [
            e
            for e in sfn.list_executions(stateMachineArn=MACHINE)["executions"]
            if e["name"] == order_id
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
    # waitForTaskToken: the output is what completed the token (SendTaskSuccess)
    assert outputs["ProcessPayment"]["outcome"] == "paid"
    assert described["status"] == "SUCCEEDED"


def test_serverless_offline_schedules_the_safety_net(stack: tuple[str, str]) -> None:
    """serverless-offline 14 runs `schedule` events itself (node-schedule): under
    `make dev` the sweep runs every minute with no script of ours."""
    from tests.e2e.conftest import LOG

    # bytes: the embedded AWS and serverless offline write the log at once, and a character
    # of one may be cut by the other's line
    assert b"Scheduling [releaseExpiredHolds] cron: [*/1 * * * *]" in LOG.read_bytes()
