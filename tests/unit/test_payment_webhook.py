"""The payments webhook's rules (domain/payments/webhook.py), with plain fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.buying.lifecycle import Mover
from domain.buying.model import OrderStatus
from domain.buying.payments import process_payment
from domain.payments.ports import Payment, PaymentStatus, ProviderEvent
from domain.payments.webhook import Handled, WebhookResult, handle_event
from tests.unit.payment_fakes import (
    NOW,
    FakeCallbacks,
    FakeOrders,
    FakePayments,
    FakeProvider,
    FakeWebhookEvents,
    FakeWebhookRefunds,
    an_order,
    fake_move,
)

TOTAL = 3739


class World:
    def __init__(self, method: str = "pm_card_authenticationRequired") -> None:
        self.orders = FakeOrders(an_order(payment_method=method))
        self.payments = FakePayments()
        self.provider = FakeProvider()
        self.callbacks = FakeCallbacks()
        self.events = FakeWebhookEvents()
        self.refunds = FakeWebhookRefunds()
        process_payment(
            "ord_1",
            1,
            orders=self.orders,
            payments=self.payments,
            provider=self.provider,
            now=NOW,
            task_token="tok-1",
            callbacks=self.callbacks,
        )

    def send(self, event: ProviderEvent) -> WebhookResult:
        return handle_event(
            event,
            events=self.events,
            payments=self.payments,
            orders=self.orders,
            move=fake_move,
            callbacks=self.callbacks,
            refunds=self.refunds,
            now=NOW,
        )

    @property
    def attempt(self) -> Payment:
        (payment,) = self.payments.payments("ord_1")
        return payment


def event(
    kind: str = "payment_intent.succeeded",
    event_id: str = "evt_1",
    *,
    reference: str = "pi_1",
    order_id: str | None = "ord_1",
    amount: int | None = TOTAL,
    currency: str | None = "USD",
    decline_code: str | None = None,
) -> ProviderEvent:
    return ProviderEvent(
        event_id=event_id,
        type=kind,
        created=NOW,
        reference=reference,
        order_id=order_id,
        amount=amount,
        currency=currency,
        decline_code=decline_code,
    )


def test_a_success_settles_the_attempt_and_completes_the_machines_token() -> None:
    world = World()
    assert world.send(event()).handled is Handled.APPLIED
    assert world.callbacks.succeeded == [
        ("tok-1", {"outcome": "paid", "reference": "pi_1", "declineCode": None})
    ]
    assert world.attempt.status is PaymentStatus.SUCCEEDED
    assert [e.event_id for e in world.attempt.events] == ["evt_1"]
    assert world.attempt.client_secret is None
    assert world.provider.calls == ["ord_1:1"]  # one charge, ever


def test_a_failure_settles_it_declined_with_the_code() -> None:
    world = World()
    world.send(event("payment_intent.payment_failed", decline_code="authentication_failed"))
    assert world.callbacks.succeeded == [
        (
            "tok-1",
            {"outcome": "declined", "reference": "pi_1", "declineCode": "authentication_failed"},
        )
    ]
    assert world.attempt.status is PaymentStatus.DECLINED


def test_the_same_event_again_is_a_duplicate_and_changes_nothing() -> None:
    world = World()
    world.send(event())
    assert world.send(event()).handled is Handled.DUPLICATE
    assert len(world.callbacks.succeeded) == 1
    assert [e.event_id for e in world.attempt.events] == ["evt_1"]


def test_an_out_of_order_failure_after_a_success_never_moves_backwards() -> None:
    world = World()
    world.send(event())
    late = world.send(event("payment_intent.payment_failed", "evt_2"))
    assert late.handled is Handled.SETTLED_ALREADY
    assert world.attempt.status is PaymentStatus.SUCCEEDED
    assert len(world.callbacks.succeeded) == 1
    assert [e.event_id for e in world.attempt.events] == ["evt_1", "evt_2"]  # logged


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"order_id": "ord_other"}, "no such order or payment"),
        ({"order_id": None}, "no order id or payment reference"),
        ({"reference": "pi_other"}, "no such order or payment"),
        ({"amount": TOTAL - 1}, "the amount or currency differs from the payment's"),
        ({"currency": "EUR"}, "the amount or currency differs from the payment's"),
    ],
)
def test_an_event_that_matches_no_attempt_is_acknowledged_and_changes_nothing(
    changes: dict[str, object], why: str
) -> None:
    world = World()
    before = world.attempt
    result = world.send(event()._replace(**changes))
    assert result == WebhookResult(Handled.UNMATCHED, why)
    assert world.attempt == before
    assert world.callbacks.succeeded == []


def test_an_unknown_type_is_ignored_without_a_claim() -> None:
    world = World()
    assert world.send(event("customer.created")).handled is Handled.IGNORED
    assert world.events.claimed == set()


def test_charge_refunded_goes_to_the_refunds_area_once() -> None:
    world = World()
    world.send(event("charge.refunded", "evt_r"))
    world.send(event("charge.refunded", "evt_r"))
    assert world.refunds.settled == ["evt_r"]


def test_a_success_after_the_window_cancels_and_refunds_in_full_once() -> None:
    world = World()
    world.callbacks.gone.add("tok-1")  # the task timed out at the payment window
    result = world.send(event())
    assert result.handled is Handled.LATE
    order = world.orders.order("ord_1")
    assert order is not None
    assert order.status is OrderStatus.CANCELLED
    # the refunds area records the payment on the order and refunds it in full
    assert world.refunds.late == {"ord_1": (TOTAL, "pi_1")}
    assert world.provider.refund_calls == []  # never the webhook's own refund
    world.send(event(event_id="evt_again"))  # a second success event: nothing more
    assert world.refunds.late_calls == 1


def test_a_success_for_an_order_the_window_already_cancelled_is_refunded() -> None:
    world = World()
    world.callbacks.gone.add("tok-1")
    fake_move(
        "ord_1",
        OrderStatus.CANCELLED,
        mover=Mover.SYSTEM,
        actor_id="system",
        reason="payment not received",
        orders=world.orders,
        now=NOW + timedelta(minutes=20),
    )
    assert world.send(event()).handled is Handled.LATE
    assert world.refunds.late == {"ord_1": (TOTAL, "pi_1")}


def test_a_failure_while_applying_gives_the_claim_back_for_the_retry() -> None:
    world = World()
    world.payments.broken = True
    with pytest.raises(RuntimeError):
        world.send(event())
    assert world.events.claimed == set()
