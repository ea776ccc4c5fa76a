"""The checkout state machine, executed by the embedded AWS (moto's ASL engine, in-process)
with its Lambda tasks running the project's real handlers (scripts/local_lambda.py).

Orders are written directly as items (no checkout route needed); CommitStock and
ReleaseStock move them through ``domain.buying.orders.move_order`` and ``DynamoOrders``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from adapters import aws as aws_clients
from adapters import secrets
from domain.buying.model import Order, OrderStatus, Reservation, StatusChange
from domain.clock import iso, utcnow
from repositories import keys
from repositories.buying.items import (
    ChargeItem,
    OrderItem,
    PaymentItem,
    history_item,
    order_item,
    reservation_item,
)
from repositories.catalog.items import InventoryItem
from scripts.local_lambda import MOTO_CONFIG, running_handlers
from scripts.stack import create_resources
from tests.conftest import CONFIG
from tests.support.lambda_api import LambdaContext, load_handler
from tests.support.pipeline import StreamReader, sqs_event
from tests.unit.payment_fakes import an_order

MACHINE = f"arn:aws:states:us-east-1:123456789012:stateMachine:{CONFIG['service']}-dev-checkout"


@pytest.fixture
def machine_aws() -> Iterator[None]:
    """A fresh embedded AWS that executes state machines, Lambda running the handlers."""
    from moto import mock_aws

    with mock_aws(config=MOTO_CONFIG), running_handlers(CONFIG):  # type: ignore[arg-type]
        aws_clients.client.cache_clear()
        secrets.clear_cache()
        create_resources(CONFIG, aws_clients.client)
        yield
    aws_clients.reset_clients()
    secrets.clear_cache()


def place(order_id: str, method: str, *, due_in: timedelta = timedelta(minutes=15)) -> Order:
    """An unpaid order as checkout leaves it: the order, its first history entry, one
    reservation per line, and the units reserved in the product's inventory."""
    now = utcnow()
    order = dataclasses.replace(
        an_order(order_id, payment_method=method),
        created_at=now,
        updated_at=now,
        payment_due=now + due_in,
    )
    order_item(order).save()
    history_item(
        order_id, StatusChange(None, OrderStatus.PENDING_PAYMENT, order.user_id, now)
    ).save()
    stamp = iso(now)
    for line in order.lines:
        reservation_item(
            Reservation(order_id, line.product_id, line.quantity, order.payment_due), stamp
        ).save()
        InventoryItem(
            keys.product_pk(line.product_id),
            keys.INVENTORY,
            product_id=line.product_id,
            available=10,
            reserved=line.quantity,
            sold=0,
            low_stock_threshold=1,
            created_at=stamp,
            updated_at=stamp,
        ).save()
    return order


def run(order_id: str, name: str | None = None, timeout: float = 60) -> dict[str, Any]:
    sfn = aws_clients.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=MACHINE, name=name or order_id, input=json.dumps({"orderId": order_id})
    )["executionArn"]
    return wait(arn, timeout)


def wait(arn: str, timeout: float = 60) -> dict[str, Any]:
    sfn = aws_clients.client("stepfunctions")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.05)
    raise AssertionError(f"{arn} still running after {timeout} s")


def history(execution: dict[str, Any]) -> list[dict[str, Any]]:
    sfn = aws_clients.client("stepfunctions")
    return list(sfn.get_execution_history(executionArn=execution["executionArn"])["events"])


def path(execution: dict[str, Any]) -> list[str]:
    """The states the execution entered, in order."""
    return [
        e["stateEnteredEventDetails"]["name"]
        for e in history(execution)
        if "stateEnteredEventDetails" in e
    ]


def task_failures(execution: dict[str, Any]) -> list[str]:
    return [
        e["taskFailedEventDetails"]["error"]
        for e in history(execution)
        if "taskFailedEventDetails" in e
    ]


def charges(order_id: str) -> list[ChargeItem]:
    return [i for i in ChargeItem.scan() if i.order_id == order_id]


def payments(order_id: str) -> list[PaymentItem]:
    return list(PaymentItem.query(keys.order_pk(order_id), PaymentItem.SK.startswith("PAYMENT#")))


def status_of(order_id: str) -> str:
    return str(OrderItem.get(keys.order_pk(order_id), keys.METADATA).status)


def test_a_paid_order_goes_to_commit_stock(machine_aws: None) -> None:
    place("ord_visa", "pm_card_visa")
    execution = run("ord_visa")
    assert path(execution)[:4] == ["ValidateOrder", "IsPaymentDue", "ProcessPayment", "IsPaid"]
    assert "CommitStock" in path(execution)
    (charge,) = charges("ord_visa")
    assert (charge.amount, charge.outcome) == (3739, "succeeded")
    (payment,) = payments("ord_visa")
    assert (payment.status, payment.reference) == ("succeeded", charge.charge_id)
    assert execution["status"] == "SUCCEEDED"
    assert path(execution)[-1] == "Confirmed"
    assert status_of("ord_visa") == "confirmed"


def test_a_declined_order_goes_to_release_stock(machine_aws: None) -> None:
    place("ord_declined", "pm_card_insufficientFunds")
    execution = run("ord_declined")
    steps = path(execution)
    assert steps[:5] == [
        "ValidateOrder",
        "IsPaymentDue",
        "ProcessPayment",
        "IsPaid",
        "PaymentDeclined",
    ]
    assert "ReleaseStock" in steps
    assert "CommitStock" not in steps
    (charge,) = charges("ord_declined")
    assert (charge.outcome, charge.decline_code) == ("declined", "insufficient_funds")
    assert execution["status"] == "SUCCEEDED"
    assert status_of("ord_declined") == "payment_failed"


def test_an_order_past_its_deadline_is_released_without_a_charge(machine_aws: None) -> None:
    place("ord_late", "pm_card_visa", due_in=timedelta(seconds=-5))
    execution = run("ord_late")
    steps = path(execution)
    assert steps[:3] == ["ValidateOrder", "IsPaymentDue", "PaymentNotReceived"]
    assert "ProcessPayment" not in steps
    assert "ReleaseStock" in steps
    assert charges("ord_late") == []
    assert status_of("ord_late") == "cancelled"


def test_a_missing_order_fails_the_execution(machine_aws: None) -> None:
    execution = run("ord_none")
    assert execution["status"] == "FAILED"
    assert path(execution) == ["ValidateOrder", "OrderMissing"]
    assert task_failures(execution) == ["OrderMissing"]


def test_running_the_machine_twice_for_one_order_charges_once(machine_aws: None) -> None:
    place("ord_twice", "pm_card_visa")
    first = run("ord_twice")
    second = run("ord_twice", name="ord_twice-again")  # moto, like AWS, refuses the same name
    assert "ProcessPayment" in path(first)
    assert len(charges("ord_twice")) == 1
    assert len(payments("ord_twice")) == 1
    assert second["status"] == "SUCCEEDED"
    assert path(second)[-1] == "AlreadySettled"  # confirmed by the first run


def test_a_placed_order_starts_its_execution_from_the_outbox_once(machine_aws: None) -> None:
    """order.placed: stream -> publishEvents -> SNS -> checkout queue -> startCheckout."""
    stream = StreamReader(os.environ["TABLE_NAME"])
    place("ord_outbox", "pm_card_visa")
    context = LambdaContext()
    published = load_handler("handlers/streams/publish_events.lambda_handler")(
        stream.event(), context
    )
    assert published == {"batchItemFailures": []}
    queued = sqs_event(f"{CONFIG['service']}-dev-checkout")
    (record,) = queued["Records"]
    assert json.loads(record["body"])["type"] == "order.placed"
    start = load_handler("handlers/checkout_flow/start_checkout.lambda_handler")
    assert start(queued, context) == {"batchItemFailures": []}
    assert start(queued, context) == {"batchItemFailures": []}  # redelivered: no second run
    sfn = aws_clients.client("stepfunctions")
    (execution,) = sfn.list_executions(stateMachineArn=MACHINE)["executions"]
    assert execution["name"] == "ord_outbox"
    wait(execution["executionArn"])
    assert len(charges("ord_outbox")) == 1


def test_the_local_machine_runs_the_definition_the_template_deploys(machine_aws: None) -> None:
    """scripts/stack.py creates the machine from the resolved serverless.yml's resource:
    the file's text, with the task ARNs substituted as CloudFormation substitutes them."""
    from scripts.stack import ROOT, template_resources

    sfn = aws_clients.client("stepfunctions")
    local = json.loads(sfn.describe_state_machine(stateMachineArn=MACHINE)["definition"])
    resource = template_resources(CONFIG)["CheckoutStateMachine"]
    source = json.loads((ROOT / "statemachines" / "checkout.asl.json").read_text())
    assert resource["Properties"]["Definition"] == source
    expected = json.dumps(source)
    for name, value in resource["Properties"]["DefinitionSubstitutions"].items():
        logical_id = value["Fn::GetAtt"][0]
        function = logical_id.removesuffix("LambdaFunction")
        function = function[:1].lower() + function[1:]
        name_of = CONFIG["functions"][function]["name"]
        arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name_of}"
        expected = expected.replace("${" + name + "}", arn)
    assert local == json.loads(expected)
    assert "${" not in json.dumps(local)


# -- payments that finish later (waitForTaskToken) ------------------------------------------


def test_an_immediate_payment_completes_the_task_token_itself(machine_aws: None) -> None:
    place("ord_token", "pm_card_visa")
    execution = run("ord_token")
    assert execution["status"] == "SUCCEEDED"
    (payment,) = payments("ord_token")
    assert payment.task_token  # stored with the attempt (never shown)
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert status_of("ord_token") == "confirmed"


def test_a_payment_that_requires_action_waits_until_the_window_then_releases(
    machine_aws: None,
) -> None:
    place("ord_3ds", "pm_card_authenticationRequired", due_in=timedelta(seconds=3))
    sfn = aws_clients.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=MACHINE, name="ord_3ds", input=json.dumps({"orderId": "ord_3ds"})
    )["executionArn"]
    time.sleep(1)
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    (payment,) = payments("ord_3ds")
    assert payment.status == "requires_action"
    assert payment.client_secret
    assert payment.task_token
    execution = wait(arn, timeout=30)
    steps = path(execution)
    assert "PaymentNotReceived" in steps
    assert "ReleaseStock" in steps
    assert status_of("ord_3ds") == "cancelled"
    assert len(charges("ord_3ds")) == 1


def test_the_webhooks_callback_completes_a_waiting_payment(machine_aws: None) -> None:
    place("ord_cb", "pm_card_authenticationRequired")
    sfn = aws_clients.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=MACHINE, name="ord_cb", input=json.dumps({"orderId": "ord_cb"})
    )["executionArn"]
    deadline = time.monotonic() + 10
    while not payments("ord_cb") and time.monotonic() < deadline:
        time.sleep(0.05)
    (payment,) = payments("ord_cb")
    from adapters.checkout_machine import StepFunctionsCallbacks

    output = {"outcome": "paid", "reference": payment.reference, "declineCode": None}
    assert StepFunctionsCallbacks().succeed(payment.task_token, output) is True
    execution = wait(arn)
    assert path(execution)[-1] == "Confirmed"
    assert status_of("ord_cb") == "confirmed"
    assert StepFunctionsCallbacks().succeed(payment.task_token, output) is False  # gone
