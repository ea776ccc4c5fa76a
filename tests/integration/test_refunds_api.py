"""Refunds through the in-process API and the real table (moto): the admin's route, the
sum invariant under concurrent requests, the local provider's refunds, a cancelled order's
refund through the event pipeline, and outcomes that arrive by webhook."""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.integration.helpers import problem
from tests.integration.order_helpers import Market, market, stock_of
from tests.integration.refund_helpers import ask_refund, paid_order, refund_key
from tests.support.lambda_api import LambdaApi, LambdaContext, load_handler
from tests.support.pipeline import StreamReader, sqs_event


@pytest.fixture
def m(api: LambdaApi) -> Market:
    return market(api)


def table_items() -> list[dict[str, Any]]:
    from tests.integration.bad_input.cases import table_items as everything

    return everything()


def ledger_refunds() -> list[dict[str, Any]]:
    """The local provider's refund records (one per idempotency key)."""
    return [
        item
        for item in table_items()
        if item["PK"]["S"].startswith("TESTREFUND#") and item["SK"]["S"] == "REFUND"
    ]


def total_of(order: dict[str, Any]) -> int:
    return int(order["totals"]["total"]["amount"])


# -- the admin's route -----------------------------------------------------------------------


def test_a_partial_refund_then_the_rest_refunds_the_order(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order = paid_order(api, m, lamp, 2)
    order_id, total = order["orderId"], total_of(order)

    first = ask_refund(api, m.admin, order_id, 1000, reason="one lamp arrived broken")
    assert first.status == 201, first.text
    assert first.body["status"] == "succeeded"
    assert first.body["amount"] == {"amount": 1000, "currency": "USD"}
    assert first.body["providerReference"].startswith("re_test_")
    assert first.body["requestedBy"] == m.admin.user_id
    assert api.get(f"/orders/{order_id}", token=m.buyer.access).body["status"] == "confirmed"

    rest = ask_refund(api, m.admin, order_id, total - 1000, reason="the other one too")
    assert rest.status == 201, rest.text
    shown = api.get(f"/orders/{order_id}", token=m.buyer.access).body
    assert shown["status"] == "refunded"
    assert shown["payment"]["status"] == "refunded"
    assert shown["history"][-1]["oldStatus"] == "confirmed"
    assert shown["history"][-1]["newStatus"] == "refunded"
    assert stock_of(lamp) == (3, 0, 2)  # no restock asked: the units stay sold
    assert len(ledger_refunds()) == 2

    body = problem(ask_refund(api, m.admin, order_id, 1), 409, "refund_exceeds_paid")
    assert body["refundable"] == 0


def test_a_full_refund_with_restock_puts_the_units_back(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order = paid_order(api, m, lamp, 2)
    assert stock_of(lamp) == (3, 0, 2)
    done = ask_refund(api, m.admin, order["orderId"], total_of(order), restock=True)
    assert done.status == 201, done.text
    assert done.body["restock"] is True
    assert stock_of(lamp) == (5, 0, 0)
    shown = api.get(f"/orders/{order['orderId']}", token=m.admin.access).body
    assert shown["status"] == "refunded"


def test_more_than_is_left_is_refused_and_nothing_changes(api: LambdaApi, m: Market) -> None:
    order = paid_order(api, m, m.product(api, stock=5), 1)
    total = total_of(order)
    assert ask_refund(api, m.admin, order["orderId"], total - 100).status == 201
    before = table_items()
    body = problem(ask_refund(api, m.admin, order["orderId"], 101), 409, "refund_exceeds_paid")
    assert body["refundable"] == 100
    body = problem(
        ask_refund(api, m.admin, order["orderId"], 50, restock=True),
        422,
        "restock_needs_full_refund",
    )
    assert table_items() == before


def test_the_same_key_answers_the_same_refund(api: LambdaApi, m: Market) -> None:
    order = paid_order(api, m, m.product(api, stock=5), 1)
    key = refund_key()
    first = ask_refund(api, m.admin, order["orderId"], 500, key=key)
    again = ask_refund(api, m.admin, order["orderId"], 500, key=key)
    assert first.status == again.status == 201
    assert again.body == first.body
    assert len(ledger_refunds()) == 1
    before = table_items()
    problem(ask_refund(api, m.admin, order["orderId"], 600, key=key), 422, "idempotency_key_reused")
    assert table_items() == before


def test_an_unpaid_order_has_nothing_to_refund(api: LambdaApi, m: Market) -> None:
    from tests.integration.order_helpers import place, put_cart_line

    put_cart_line(m.buyer.user_id, m.product(api, stock=5), 1, price=1999)
    order_id = place(api, m.buyer).body["orderId"]
    before = table_items()
    body = problem(ask_refund(api, m.admin, order_id, 100), 409, "order_not_refundable")
    assert body["currentStatus"] == "pending_payment"
    assert table_items() == before


def test_a_shipped_order_refunded_in_full_with_its_goods_back(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order = paid_order(api, m, lamp, 2)
    ship = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784"}
    assert (
        api.post(f"/admin/orders/{order['orderId']}/ship", json=ship, token=m.admin.access).status
        == 200
    )
    done = ask_refund(api, m.admin, order["orderId"], total_of(order), restock=True)
    assert done.status == 201, done.text
    assert stock_of(lamp) == (5, 0, 0)
    from repositories import keys
    from repositories.buying.items import SellerLinesItem

    (lines,) = SellerLinesItem.query(
        keys.order_pk(order["orderId"]), SellerLinesItem.SK.startswith("SELLERLINE#")
    )
    assert lines.status == "refunded"


# -- the sum invariant under concurrent requests -------------------------------------------------


def test_concurrent_refunds_never_pass_what_was_paid(api: LambdaApi, m: Market) -> None:
    """Ten admins refund a third of an order at once: exactly three succeed, the rest are
    refused, and the sum refunded (ours and the provider's) is within what was paid.

    moto in-process is not atomic under concurrent requests; the embedded AWS
    (scripts/local_aws.py) serves one request at a time, and so does this test (a lock
    around each DynamoDB call, as DynamoDB makes each request atomic). Between requests
    the threads interleave freely: each reads the order, reserves, asks the provider and
    settles in its own order."""
    from adapters import aws
    from domain.clock import utcnow
    from domain.errors import Conflict
    from domain.payments.refunds import RefundRequest, refund_order
    from handlers.shared import wiring

    order = paid_order(api, m, m.product(api, stock=5), 1)
    order_id, total = order["orderId"], total_of(order)
    share = total // 3  # 3 * share <= total < 4 * share
    client = aws.client("dynamodb")
    real_call = client._make_api_call
    lock = threading.Lock()

    def one_at_a_time(operation: str, params: dict[str, Any]) -> Any:
        with lock:
            return real_call(operation, params)

    client._make_api_call = one_at_a_time  # type: ignore[method-assign]
    start = threading.Barrier(10)

    def attempt(n: int) -> str:
        start.wait()
        try:
            refund_order(
                order_id,
                RefundRequest(share, f"refund {n}"),
                key=f"concurrent-{n}",
                actor_id=m.admin.user_id,
                records=wiring.refund_records(),
                orders=wiring.orders(),
                provider=wiring.payment_provider(),
                now=utcnow(),
            )
        except Conflict as refused:
            return refused.code
        return "refunded"

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            outcomes = list(pool.map(attempt, range(10)))
    finally:
        client._make_api_call = real_call  # type: ignore[method-assign]

    assert outcomes.count("refunded") == 3, outcomes
    assert set(outcomes) <= {"refunded", "refund_exceeds_paid", "concurrent_update"}
    stored, refunds = wiring.refund_records().order_and_refunds(order_id)
    assert stored is not None
    assert sum(r.amount for r in refunds) == 3 * share <= total
    assert stored.refunded_amount == 3 * share
    assert stored.refundable == total - 3 * share
    if 3 * share == total:  # the three may close the order at once: it is moved once
        assert stored.status.value == "refunded"
        assert [c.new.value for c in stored.history].count("refunded") == 1
    assert sum(int(item["amount"]["N"]) for item in ledger_refunds()) == 3 * share


# -- the local provider's refunds --------------------------------------------------------------


def test_the_test_mode_refunds_once_per_key_and_never_past_the_charge(
    api: LambdaApi, m: Market
) -> None:
    from adapters.local_payments import LocalPaymentProvider
    from domain.payments.ports import RefundStatus

    provider = LocalPaymentProvider()
    charge = provider.charge(
        order_id="ord_x", amount=1000, currency="USD", payment_method="pm_card_visa",
        idempotency_key="ord_x:1",
    )  # fmt: skip
    first = provider.refund(reference=charge.reference, amount=600, idempotency_key="r1")
    assert first.status is RefundStatus.SUCCEEDED
    assert first.reference.startswith("re_test_")
    assert provider.refund(reference=charge.reference, amount=600, idempotency_key="r1") == first
    too_much = provider.refund(reference=charge.reference, amount=401, idempotency_key="r2")
    assert too_much.status is RefundStatus.FAILED
    assert provider.refund(reference=charge.reference, amount=1, idempotency_key="r2") == too_much
    rest = provider.refund(reference=charge.reference, amount=400, idempotency_key="r3")
    assert rest.status is RefundStatus.SUCCEEDED
    unknown = provider.refund(reference="pi_test_nope", amount=1, idempotency_key="r4")
    assert unknown.status is RefundStatus.FAILED
    declined = provider.charge(
        order_id="ord_y", amount=1000, currency="USD", payment_method="pm_card_chargeDeclined",
        idempotency_key="ord_y:1",
    )  # fmt: skip
    refused = provider.refund(reference=declined.reference, amount=1, idempotency_key="r5")
    assert refused.status is RefundStatus.FAILED


# -- a cancelled order's refund, through the outbox ------------------------------------------------


def run(handler: str, event: dict[str, Any]) -> dict[str, Any]:
    result = load_handler(handler)(event, LambdaContext())
    assert isinstance(result, dict)
    return result


def test_a_paid_order_cancelled_is_refunded_in_full_by_the_worker(
    api: LambdaApi, m: Market
) -> None:
    lamp = m.product(api, stock=5)
    order = paid_order(api, m, lamp, 2)
    order_id = order["orderId"]
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()  # what happened before the cancel
    cancelled = api.post(f"/orders/{order_id}/cancel", token=m.buyer.access)
    assert cancelled.body["payment"]["status"] == "refund_owed"
    assert stock_of(lamp) == (5, 0, 0)

    published = run("handlers/streams/publish_events.lambda_handler", stream.event())
    assert published == {"batchItemFailures": []}
    queued = sqs_event("bazaar-dev-refunds")
    (message,) = queued["Records"]
    assert json.loads(message["body"])["type"] == "order.cancelled"
    assert run("handlers/refunds/settle_refunds.lambda_handler", queued) == {
        "batchItemFailures": []
    }
    shown = api.get(f"/orders/{order_id}", token=m.buyer.access).body
    assert shown["status"] == "refunded"
    assert shown["payment"]["refundOwed"] is None
    assert stock_of(lamp) == (5, 0, 0)  # the cancel restocked; the refund does not again
    assert len(ledger_refunds()) == 1

    # redelivered: nothing more
    assert run("handlers/refunds/settle_refunds.lambda_handler", queued) == {
        "batchItemFailures": []
    }
    assert len(ledger_refunds()) == 1
    # the move to refunded is an event of its own, with the amount
    published = run("handlers/streams/publish_events.lambda_handler", stream.event())
    assert published == {"batchItemFailures": []}
    events = [json.loads(r["body"]) for r in sqs_event("bazaar-dev-analytics")["Records"]]
    (refunded,) = [e for e in events if e["type"] == "order.refunded"]
    assert refunded["data"]["amount"] == total_of(order)
    # the worker's own refund is a refund.requested too: handled, it asks nothing again
    requested = sqs_event("bazaar-dev-refunds")
    assert [json.loads(r["body"])["type"] for r in requested["Records"]] == ["refund.requested"]
    assert run("handlers/refunds/settle_refunds.lambda_handler", requested) == {
        "batchItemFailures": []
    }
    assert len(ledger_refunds()) == 1


def test_an_admin_refund_the_provider_could_not_take_is_finished_by_the_worker(
    api: LambdaApi, m: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The provider unreachable when the admin asks: 201 pending, the amount reserved.
    The new refund's refund.requested reaches settleRefunds, which asks again with the
    refund's own key (its message fails while the provider is still down) and settles it."""
    from domain.payments.ports import PaymentUnavailable, ProviderRefund
    from handlers.refunds import refund_order as handler
    from handlers.refunds import settle_refunds as worker
    from handlers.shared import wiring

    class DownProvider:
        name = "test"

        def refund(self, **_: Any) -> ProviderRefund:
            raise PaymentUnavailable("the provider is unreachable")

    order = paid_order(api, m, m.product(api, stock=5), 1)
    order_id, total = order["orderId"], total_of(order)
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    monkeypatch.setattr(handler, "provider", DownProvider())
    key = refund_key()
    pending = ask_refund(api, m.admin, order_id, total, key=key)
    assert (pending.status, pending.body["status"]) == (201, "pending"), pending.text
    assert ledger_refunds() == []

    run("handlers/streams/publish_events.lambda_handler", stream.event())
    queued = sqs_event("bazaar-dev-refunds")
    (message,) = queued["Records"]
    assert json.loads(message["body"])["type"] == "refund.requested"
    monkeypatch.setattr(worker, "provider", DownProvider())
    assert run("handlers/refunds/settle_refunds.lambda_handler", queued) == {
        "batchItemFailures": [{"itemIdentifier": message["messageId"]}]
    }
    monkeypatch.setattr(worker, "provider", wiring.payment_provider())
    assert run("handlers/refunds/settle_refunds.lambda_handler", queued) == {
        "batchItemFailures": []
    }
    shown = api.get(f"/orders/{order_id}", token=m.admin.access).body
    assert shown["status"] == "refunded"
    (refund,) = api.get(f"/orders/{order_id}/payments", token=m.admin.access).body["refunds"]
    assert (refund["status"], refund["automatic"]) == ("succeeded", False)
    assert len(ledger_refunds()) == 1
    # the admin's replay of the same request finds it done: nothing is refunded twice
    monkeypatch.setattr(handler, "provider", wiring.payment_provider())
    again = ask_refund(api, m.admin, order_id, total, key=key)
    assert (again.status, again.body["status"]) == (201, "succeeded"), again.text
    assert len(ledger_refunds()) == 1


def test_a_cancelled_unpaid_order_owes_nothing(api: LambdaApi, m: Market) -> None:
    from tests.integration.order_helpers import place, put_cart_line

    put_cart_line(m.buyer.user_id, m.product(api, stock=5), 1, price=1999)
    order_id = place(api, m.buyer).body["orderId"]
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    assert api.post(f"/orders/{order_id}/cancel", token=m.buyer.access).status == 200
    run("handlers/streams/publish_events.lambda_handler", stream.event())
    queued = sqs_event("bazaar-dev-refunds")
    assert len(queued["Records"]) == 1
    before = table_items()
    assert run("handlers/refunds/settle_refunds.lambda_handler", queued) == {
        "batchItemFailures": []
    }
    assert table_items() == before


# -- outcomes by webhook ---------------------------------------------------------------------


def test_a_pending_refund_is_settled_by_the_webhook_once(
    api: LambdaApi, m: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provider that answers ``pending`` (as Stripe may): the refund waits, the order
    stays as it is; ``charge.refunded`` settles it (through the wiring the webhook uses),
    and the same event again changes nothing."""
    from datetime import UTC, datetime

    from domain.payments.ports import ProviderEvent, ProviderRefund, RefundStatus
    from handlers.refunds import refund_order as handler
    from handlers.shared import wiring

    class PendingProvider:
        name = "test"

        def refund(self, **_: Any) -> ProviderRefund:
            return ProviderRefund("re_pending_1", RefundStatus.PENDING)

    monkeypatch.setattr(handler, "provider", PendingProvider())
    order = paid_order(api, m, m.product(api, stock=5), 1)
    total = total_of(order)
    pending = ask_refund(api, m.admin, order["orderId"], total)
    assert pending.status == 201, pending.text
    assert pending.body["status"] == "pending"
    assert api.get(f"/orders/{order['orderId']}", token=m.admin.access).body["status"] == (
        "confirmed"
    )
    event = ProviderEvent(
        event_id="evt_1",
        type="charge.refunded",
        created=datetime.now(UTC),
        reference=order["payment"]["reference"],
        order_id=None,  # a charge does not carry the PaymentIntent's metadata
        amount=total,
        currency="USD",
        refunds=[ProviderRefund("re_pending_1", RefundStatus.SUCCEEDED)],
    )
    wiring.webhook_refunds().settle(event)
    shown = api.get(f"/orders/{order['orderId']}", token=m.admin.access).body
    assert shown["status"] == "refunded"
    before = table_items()
    wiring.webhook_refunds().settle(event)
    assert table_items() == before


def test_a_payment_after_the_window_closed_is_refunded_once(api: LambdaApi, m: Market) -> None:
    """The webhook's case (payments that finish later): the window cancelled the order
    unpaid, then its payment succeeded. Recorded as paid and refunded in full, once."""
    from datetime import UTC, datetime

    from domain.buying.lifecycle import Mover
    from domain.buying.model import OrderStatus
    from domain.buying.orders import move_order
    from handlers.shared import wiring
    from tests.integration.order_helpers import place, put_cart_line

    lamp = m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    order_id = place(api, m.buyer).body["orderId"]
    move_order(
        order_id, OrderStatus.CANCELLED, mover=Mover.SYSTEM, actor_id="system",
        reason="payment not received", orders=wiring.orders(), now=datetime.now(UTC),
    )  # fmt: skip
    order = wiring.orders().order(order_id)
    assert order is not None
    charge = wiring.payment_provider().charge(
        order_id=order_id, amount=order.totals.total, currency="USD",
        payment_method="pm_card_visa", idempotency_key=f"{order_id}:1",
    )  # fmt: skip
    late = wiring.webhook_refunds()
    assert late.refund_late_payment(order_id, order.totals.total, charge.reference) == ("succeeded")
    shown = api.get(f"/orders/{order_id}", token=m.buyer.access).body
    assert shown["status"] == "refunded"
    assert shown["payment"]["reference"] == charge.reference
    assert stock_of(lamp) == (5, 0, 0)
    assert late.refund_late_payment(order_id, order.totals.total, charge.reference) == ("succeeded")
    assert len(ledger_refunds()) == 1
    listed = api.get(f"/orders/{order_id}/payments", token=m.buyer.access).body["refunds"]
    assert [(r["reference"], r["status"], r["automatic"]) for r in listed] == [
        (listed[0]["reference"], "succeeded", True)
    ]
    assert listed[0]["amount"]["amount"] == order.totals.total


def test_the_orders_payments_list_its_refunds(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    order = paid_order(api, m, lamp, 1)
    order_id = order["orderId"]
    first = ask_refund(api, m.admin, order_id, 700, reason="a scratch")
    assert first.status == 201, first.text

    listed = api.get(f"/orders/{order_id}/payments", token=m.buyer.access)
    assert listed.status == 200, listed.text
    (refund,) = listed.body["refunds"]
    assert refund["reference"] == first.body["providerReference"]
    assert refund["amount"] == {"amount": 700, "currency": "USD"}
    assert (refund["status"], refund["reason"], refund["automatic"]) == (
        "succeeded",
        "a scratch",
        False,
    )
