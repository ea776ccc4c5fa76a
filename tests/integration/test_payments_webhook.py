"""POST /payments/webhook through the in-process API, with the checkout machine really
running (moto's ASL engine, the handlers as its Lambda tasks): payments that finish later."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from adapters import aws as aws_clients
from adapters import secrets
from adapters.local_payments import payment_intent_event
from adapters.webhook_signature import sign
from repositories import keys
from repositories.buying.items import PaymentItem, RefundLedgerItem
from scripts.local_lambda import MOTO_CONFIG, running_handlers
from scripts.stack import create_resources
from tests.conftest import CONFIG
from tests.integration.bad_input.cases import table_items
from tests.integration.test_checkout_machine import (
    MACHINE,
    charges,
    path,
    payments,
    place,
    status_of,
    wait,
)
from tests.support.lambda_api import LambdaApi

TOTAL = 3739  # an_order's total
SEEN = "ord_01JD0000000000000000000SEE"


@pytest.fixture
def api() -> Iterator[LambdaApi]:
    from moto import mock_aws

    with mock_aws(config=MOTO_CONFIG), running_handlers(CONFIG):  # type: ignore[arg-type]
        aws_clients.client.cache_clear()
        secrets.clear_cache()
        create_resources(CONFIG, aws_clients.client)
        yield LambdaApi(CONFIG)
    aws_clients.reset_clients()
    secrets.clear_cache()


def webhook_secret() -> str:
    value = secrets.get_json_secret(os.environ["PAYMENTS_SECRET_ID"], 0)
    return str(value["webhookSecret"])


def deliver(
    api: LambdaApi,
    body: dict[str, Any] | bytes,
    *,
    secret: str | None = None,
    at: float | None = None,
    signature: str | None = "sign",
) -> Any:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    if signature == "sign":
        stamp = int(at if at is not None else time.time())
        headers["stripe-signature"] = sign(payload, secret or webhook_secret(), stamp)
    elif signature is not None:
        headers["stripe-signature"] = signature
    return api.post("/payments/webhook", body=payload.decode(), headers=headers)


def started(order_id: str, method: str, **kw: Any) -> tuple[str, PaymentItem]:
    """An order placed and its execution started; returns once ProcessPayment recorded."""
    place(order_id, method, **kw)
    sfn = aws_clients.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=MACHINE, name=order_id, input=json.dumps({"orderId": order_id})
    )["executionArn"]
    deadline = time.monotonic() + 10
    while not payments(order_id) and time.monotonic() < deadline:
        time.sleep(0.05)
    (payment,) = payments(order_id)
    return arn, payment


def event_for(
    payment: PaymentItem, kind: str = "payment_intent.succeeded", **kw: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "reference": payment.reference,
        "order_id": payment.order_id,
        "amount": int(payment.amount),
        "currency": payment.currency,
        "created": int(time.time()),
    }
    values.update(kw)
    return payment_intent_event(kind, **values)


def test_a_signed_success_confirms_an_order_that_required_action(api: LambdaApi) -> None:
    arn, payment = started("ord_3ds_ok", "pm_card_authenticationRequired")
    assert payment.status == "requires_action"
    event = event_for(payment)
    answer = deliver(api, event)
    assert (answer.status, answer.body) == (200, {"received": True, "outcome": "applied"})
    execution = wait(arn)
    assert path(execution)[-1] == "Confirmed"
    assert status_of("ord_3ds_ok") == "confirmed"
    (settled,) = payments("ord_3ds_ok")
    assert settled.status == "succeeded"
    assert settled.client_secret is None
    assert [e.event_id for e in settled.events] == [event["id"]]
    # the provider retries the same event: nothing changes
    assert deliver(api, event).body["outcome"] == "duplicate"
    # a failure arriving after the success (out of order): logged, never backwards
    late = deliver(api, event_for(payment, "payment_intent.payment_failed"))
    assert late.body["outcome"] == "already_settled"
    assert status_of("ord_3ds_ok") == "confirmed"
    assert len(charges("ord_3ds_ok")) == 1


def test_a_signed_failure_fails_the_order_and_releases_its_stock(api: LambdaApi) -> None:
    arn, payment = started("ord_3ds_no", "pm_card_authenticationRequired")
    answer = deliver(api, event_for(payment, "payment_intent.payment_failed"))
    assert answer.body["outcome"] == "applied"
    wait(arn)
    assert status_of("ord_3ds_no") == "payment_failed"
    (settled,) = payments("ord_3ds_no")
    assert (settled.status, settled.decline_code) == ("declined", "authentication_failed")


def test_a_success_after_the_window_is_refunded_automatically(api: LambdaApi) -> None:
    # The window must outlast the machine's way to ProcessPayment, which took over 2 s once
    # on a fresh clone's loaded run: past the window no payment is started at all.
    arn, payment = started(
        "ord_3ds_late", "pm_card_authenticationRequired", due_in=timedelta(seconds=8)
    )
    wait(arn, timeout=30)
    assert status_of("ord_3ds_late") == "cancelled"
    # the buyer completes 3-D Secure too late: the test mode's intent succeeds (as the
    # stand-in for Stripe.js would settle it), then its event arrives
    from adapters.local_payments import LocalPaymentProvider
    from domain.clock import utcnow

    assert payment.client_secret is not None
    LocalPaymentProvider().settle_intent(payment.client_secret, True, utcnow())
    answer = deliver(api, event_for(payment))
    assert answer.body["outcome"] == "refunded_late"
    # recorded on the order as paid and refunded in full, as a refund of the order
    from handlers.shared import wiring

    order, (settled,), (refund,) = wiring.order_payments().order_and_payments("ord_3ds_late")
    assert order is not None
    assert status_of("ord_3ds_late") == "refunded"
    assert (order.paid_amount, order.refunded_amount, order.refundable) == (TOTAL, TOTAL, 0)
    assert settled.status == "succeeded"
    assert (refund.amount, refund.status, refund.requested_by, refund.payment_reference) == (
        TOTAL,
        "succeeded",
        "system",
        payment.reference,
    )
    ledger = RefundLedgerItem.get(
        keys.testmode_refund_pk(f"refund:{refund.refund_id}"), keys.TESTMODE_REFUND
    )
    assert (ledger.amount, ledger.status) == (TOTAL, "succeeded")
    # the same success again (another event id): nothing more is refunded
    again = deliver(api, event_for(payment, event_id="evt_late_again"))
    assert again.body["outcome"] == "already_settled"
    assert len(wiring.order_payments().order_and_payments("ord_3ds_late")[2]) == 1


def _nothing_changes(api: LambdaApi, body: Any, status: int, outcome: str, **kw: Any) -> None:
    before = table_items()
    answer = deliver(api, body, **kw)
    assert answer.status == status, answer.text
    if status == 200:
        assert answer.body["outcome"] == outcome
    else:
        assert answer.body["code"] == outcome
    after = [i for i in table_items() if not i["PK"]["S"].startswith("WEBHOOKEVENT#")]
    assert after == [i for i in before if not i["PK"]["S"].startswith("WEBHOOKEVENT#")]


def test_webhook_bad_input_changes_nothing(api: LambdaApi) -> None:
    arn, payment = started("ord_bad", "pm_card_authenticationRequired")
    good = event_for(payment)
    # refused before anything is read: 400, nothing written at all
    for kw, code in [
        ({"signature": None}, "invalid_signature"),
        ({"signature": "garbage"}, "invalid_signature"),
        ({"signature": "t=notanumber,v1=abc"}, "invalid_signature"),
        ({"secret": "whsec_not_ours"}, "invalid_signature"),
        ({"at": time.time() - 301}, "invalid_signature"),
    ]:
        before = table_items()
        answer = deliver(api, good, **kw)
        assert (answer.status, answer.body.get("code")) == (400, code), (kw, answer.text)
        assert table_items() == before, kw
    before = table_items()
    for raw, status, code in [
        (b'{"id": "evt_1", "type": ', 400, "invalid_event"),  # signed, but not JSON
        (b'{"id": "evt_1"}', 400, "invalid_event"),  # signed JSON, not an event
        (b"[1, 2]", 422, "validation_failed"),  # no body of this API is an array
    ]:
        answer = deliver(api, raw)
        assert (answer.status, answer.body["code"]) == (status, code), raw
    assert table_items() == before
    # verified, but not an event the shop can apply: acknowledged (200), nothing changes
    _nothing_changes(api, {**good, "id": "evt_type", "type": "customer.created"}, 200, "ignored")
    for name, changes in [
        ("unknown order", {"order_id": "ord_nobody"}),
        ("unknown payment", {"reference": "pi_test_nobody"}),
        ("other amount", {"amount": TOTAL + 1}),
        ("other currency", {"currency": "EUR"}),
    ]:
        _nothing_changes(api, event_for(payment, **changes), 200, "unmatched")
        del name
    (still,) = payments("ord_bad")
    assert still.status == "requires_action"
    assert status_of("ord_bad") == "pending_payment"
    # and the good event still applies afterwards
    assert deliver(api, good).body["outcome"] == "applied"
    wait(arn)
    assert status_of("ord_bad") == "confirmed"


# -- the test mode's stand-in for Stripe.js ---------------------------------------------------


def test_authenticate_settles_the_test_intent_once_and_its_event_confirms_the_order(
    api: LambdaApi,
) -> None:
    from adapters.local_payments import LocalPaymentProvider
    from domain.clock import utcnow

    arn, payment = started("ord_auth", "pm_card_threeDSecure2Required")
    secret = payment.client_secret
    answer = api.post(
        "/payments/test/authenticate", json={"clientSecret": secret, "outcome": "succeed"}
    )
    assert answer.status == 200, answer.text
    # no webhook URL in-process: the intent is settled, the delivery did not happen
    assert answer.body == {
        "paymentIntent": payment.reference,
        "status": "succeeded",
        "webhookStatus": None,
    }
    again = api.post(
        "/payments/test/authenticate", json={"clientSecret": secret, "outcome": "succeed"}
    )
    assert again.body == answer.body  # the same answer (and the same event) again
    other = api.post(
        "/payments/test/authenticate", json={"clientSecret": secret, "outcome": "fail"}
    )
    assert (other.status, other.body["code"]) == (409, "already_settled")
    for wrong in (f"{payment.reference}_secret_wrong", "pi_test_nobody_secret_x"):
        refused = api.post(
            "/payments/test/authenticate", json={"clientSecret": wrong, "outcome": "succeed"}
        )
        assert (refused.status, refused.body["code"]) == (404, "payment_not_found")
    # the event it delivers is the one Stripe would send: it completes the payment
    settled = LocalPaymentProvider().settle_intent(str(secret), True, utcnow())
    assert deliver(api, settled.event).body["outcome"] == "applied"
    assert deliver(api, settled.event).body["outcome"] == "duplicate"
    wait(arn)
    assert status_of("ord_auth") == "confirmed"


# -- what the buyer sees: GET /orders/{id} and GET /orders/{id}/payments ------------------------


def test_the_buyer_sees_the_action_to_take_and_the_attempts_log(api: LambdaApi) -> None:
    import dataclasses

    from repositories.buying.items import order_item
    from tests.integration.helpers import make_admin, register_and_login

    buyer, stranger, admin = register_and_login(api), register_and_login(api), make_admin(api)
    order = place(SEEN, "pm_card_authenticationRequired")
    order_item(dataclasses.replace(order, user_id=buyer.user_id)).save()
    sfn = aws_clients.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=MACHINE, name=SEEN, input=json.dumps({"orderId": SEEN})
    )["executionArn"]
    deadline = time.monotonic() + 10
    while not payments(SEEN) and time.monotonic() < deadline:
        time.sleep(0.05)
    (payment,) = payments(SEEN)

    mine = api.get(f"/orders/{SEEN}", token=buyer.access).body["payment"]
    assert mine["status"] == "requires_action"
    assert (mine["clientSecret"], mine["nextAction"]) == (payment.client_secret, "use_stripe_sdk")
    seen_by_admin = api.get(f"/orders/{SEEN}", token=admin.access).body["payment"]
    assert (seen_by_admin["status"], seen_by_admin["clientSecret"]) == ("requires_action", None)

    listed = api.get(f"/orders/{SEEN}/payments", token=buyer.access)
    assert listed.status == 200, listed.text
    (attempt,) = listed.body["attempts"]
    assert attempt["status"] == "requires_action"
    assert attempt["card"] == {"brand": "visa", "last4": "3184"}
    assert attempt["amount"] == {"amount": TOTAL, "currency": "USD"}
    assert str(payment.task_token) not in listed.text
    assert str(payment.client_secret) not in listed.text
    assert api.get(f"/orders/{SEEN}/payments", token=admin.access).status == 200
    hidden = api.get(f"/orders/{SEEN}/payments", token=stranger.access)
    assert (hidden.status, hidden.body["code"]) == (404, "order_not_found")
    assert (
        api.get("/orders/ord_01JD0000000000000000000000/payments", token=buyer.access).status == 404
    )

    event = event_for(payment)
    assert deliver(api, event).body["outcome"] == "applied"
    wait(arn)
    after = api.get(f"/orders/{SEEN}", token=buyer.access).body["payment"]
    assert (after["status"], after["clientSecret"], after["nextAction"]) == ("paid", None, None)
    (attempt,) = api.get(f"/orders/{SEEN}/payments", token=buyer.access).body["attempts"]
    assert attempt["status"] == "succeeded"
    assert [e["eventId"] for e in attempt["events"]] == [event["id"]]
    assert attempt["events"][0]["type"] == "payment_intent.succeeded"


# -- POST /orders/{id}/payments: a declined payment retried ------------------------------------

RETRIED = "ord_01JD00000000000000000RETRY"
SHORT = "ord_01JD00000000000000000SHORT"


def _declined_order_of(api: LambdaApi, order_id: str) -> tuple[Any, Any]:
    import dataclasses

    from repositories.buying.items import order_item
    from tests.integration.helpers import register_and_login

    buyer = register_and_login(api)
    order = place(order_id, "pm_card_chargeDeclined")
    order_item(dataclasses.replace(order, user_id=buyer.user_id)).save()
    from tests.integration.test_checkout_machine import run

    run(order_id)
    assert status_of(order_id) == "payment_failed"
    return buyer, order


def _stock(product_id: str) -> tuple[int, int, int]:
    from repositories.catalog.items import InventoryItem

    item = InventoryItem.get(keys.product_pk(product_id), keys.INVENTORY, consistent_read=True)
    return int(item.available), int(item.reserved), int(item.sold)


def test_a_declined_order_retried_with_a_good_card_is_charged_once_more_and_confirmed(
    api: LambdaApi,
) -> None:
    buyer, order = _declined_order_of(api, RETRIED)
    (line,) = order.lines
    assert _stock(line.product_id) == (10 + line.quantity, 0, 0)
    headers = {"idempotency-key": "retry-1"}
    body = {"paymentMethod": "pm_card_visa"}
    answer = api.post(f"/orders/{RETRIED}/payments", json=body, token=buyer.access, headers=headers)
    assert answer.status == 202, answer.text
    assert (answer.body["status"], answer.body["payment"]["method"]) == (
        "pending_payment",
        "pm_card_visa",
    )
    sfn = aws_clients.client("stepfunctions")
    names = {
        e["name"]: e["executionArn"]
        for e in sfn.list_executions(stateMachineArn=MACHINE)["executions"]
    }
    assert f"{RETRIED}-2" in names
    wait(names[f"{RETRIED}-2"])
    assert status_of(RETRIED) == "confirmed"
    assert _stock(line.product_id) == (10, 0, line.quantity)
    # the same request again: the same order, no third attempt, no other charge
    again = api.post(f"/orders/{RETRIED}/payments", json=body, token=buyer.access, headers=headers)
    assert again.status == 202, again.text
    assert again.body["status"] == "confirmed"
    assert len(sfn.list_executions(stateMachineArn=MACHINE)["executions"]) == 2
    assert sorted(c.PK for c in charges(RETRIED)) == [
        f"TESTCHARGE#{RETRIED}:1",
        f"TESTCHARGE#{RETRIED}:2",
    ]
    attempts = api.get(f"/orders/{RETRIED}/payments", token=buyer.access).body["attempts"]
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, "declined"), (2, "succeeded")]
    # a new key for an order no longer failed: refused by the lifecycle
    other = api.post(
        f"/orders/{RETRIED}/payments",
        json=body,
        token=buyer.access,
        headers={"idempotency-key": "retry-2"},
    )
    assert (other.status, other.body["code"]) == (409, "invalid_transition")


def test_a_retry_whose_units_are_gone_is_a_409_naming_the_product(api: LambdaApi) -> None:
    from repositories.catalog.items import InventoryItem

    buyer, order = _declined_order_of(api, SHORT)
    (line,) = order.lines
    InventoryItem(keys.product_pk(line.product_id), keys.INVENTORY).update(
        actions=[InventoryItem.available.set(line.quantity - 1)]
    )
    before = table_items()
    answer = api.post(
        f"/orders/{SHORT}/payments",
        json={"paymentMethod": "pm_card_visa"},
        token=buyer.access,
        headers={"idempotency-key": "retry-short"},
    )
    assert (answer.status, answer.body["code"], answer.body["productId"]) == (
        409,
        "insufficient_stock",
        line.product_id,
    )
    assert table_items() == before
    assert status_of(SHORT) == "payment_failed"
