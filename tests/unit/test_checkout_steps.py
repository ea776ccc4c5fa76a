"""The checkout state machine's steps (domain/buying/payments.py), with plain fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.buying.lifecycle import StockEffect
from domain.buying.model import OrderStatus
from domain.buying.payments import (
    FIRST_ATTEMPT,
    NOT_PAID_REASON,
    OrderMissing,
    OrderNotPending,
    OrderWasPaid,
    PaymentAnswer,
    PaymentResult,
    Release,
    commit_stock,
    idempotency_key,
    process_payment,
    release_stock,
    start_checkout,
    validate_order,
)
from domain.errors import Conflict
from domain.payments.ports import PaymentStatus, PaymentUnavailable
from tests.unit.payment_fakes import (
    NOW,
    FakeCallbacks,
    FakeMachine,
    FakeOrders,
    FakePayments,
    FakeProvider,
    an_order,
    fake_move,
)


def pay(
    orders: FakeOrders, payments: FakePayments, provider: FakeProvider, order_id: str = "ord_1"
) -> PaymentAnswer:
    return process_payment(
        order_id, FIRST_ATTEMPT, orders=orders, payments=payments, provider=provider, now=NOW
    )


# -- ValidateOrder ----------------------------------------------------------------------


def test_validate_answers_what_to_charge_and_the_seconds_left() -> None:
    due = validate_order("ord_1", orders=FakeOrders(an_order()), now=NOW)
    assert (due.order_id, due.amount, due.currency, due.attempt) == ("ord_1", 3739, "USD", 1)
    assert due.status is OrderStatus.PENDING_PAYMENT
    assert due.seconds_left == 14 * 60
    assert due.payable


def test_validate_after_the_deadline_is_not_payable() -> None:
    late = an_order(due_in=timedelta(seconds=30))
    due = validate_order("ord_1", orders=FakeOrders(late), now=NOW)
    assert due.seconds_left == 0
    assert not due.payable
    assert due.status is OrderStatus.PENDING_PAYMENT


def test_validate_a_settled_order_is_not_payable() -> None:
    due = validate_order(
        "ord_1", orders=FakeOrders(an_order(status=OrderStatus.CONFIRMED)), now=NOW
    )
    assert not due.payable


def test_validate_a_missing_order() -> None:
    with pytest.raises(OrderMissing):
        validate_order("ord_none", orders=FakeOrders(), now=NOW)


# -- ProcessPayment ---------------------------------------------------------------------


def test_a_payment_is_charged_with_the_attempts_key_and_recorded() -> None:
    orders, payments, provider = FakeOrders(an_order()), FakePayments(), FakeProvider()
    answer = pay(orders, payments, provider)
    assert answer.outcome is PaymentResult.PAID
    assert answer.reference == "pi_1"
    assert provider.calls == [idempotency_key("ord_1", 1)] == ["ord_1:1"]
    (record,) = payments.payments("ord_1")
    assert record.status is PaymentStatus.SUCCEEDED
    assert (record.amount, record.currency, record.reference) == (3739, "USD", "pi_1")
    assert record.idempotency_key == "ord_1:1"


def test_a_paid_order_is_answered_from_its_record_without_charging() -> None:
    orders, payments, provider = FakeOrders(an_order()), FakePayments(), FakeProvider()
    first = pay(orders, payments, provider)
    orders.orders["ord_1"] = an_order(status=OrderStatus.CONFIRMED)  # committed since
    again = pay(orders, payments, provider)
    assert again == first
    assert provider.calls == ["ord_1:1"]
    assert provider.charged == 1


def test_a_decline_is_an_answer_with_its_code() -> None:
    orders = FakeOrders(an_order(payment_method="pm_card_chargeDeclined"))
    payments, provider = FakePayments(), FakeProvider()
    answer = pay(orders, payments, provider)
    assert answer.outcome is PaymentResult.DECLINED
    assert answer.decline_code == "card_declined"
    assert payments.payments("ord_1")[0].status is PaymentStatus.DECLINED


def test_a_repeated_declined_attempt_gets_the_first_answer_and_no_second_charge() -> None:
    orders = FakeOrders(an_order(payment_method="pm_card_chargeDeclined"))
    payments, provider = FakePayments(), FakeProvider()
    assert pay(orders, payments, provider) == pay(orders, payments, provider)
    assert provider.charged == 1
    assert len(payments.payments("ord_1")) == 1


def test_an_unavailable_provider_is_raised_for_the_machine_to_retry() -> None:
    orders, payments, provider = FakeOrders(an_order()), FakePayments(), FakeProvider()
    provider.down = True
    with pytest.raises(PaymentUnavailable):
        pay(orders, payments, provider)
    assert payments.payments("ord_1") == []
    provider.down = False
    assert pay(orders, payments, provider).outcome is PaymentResult.PAID


def test_an_order_no_longer_pending_is_not_charged() -> None:
    orders = FakeOrders(an_order(status=OrderStatus.CANCELLED))
    provider = FakeProvider()
    with pytest.raises(OrderNotPending) as raised:
        pay(orders, FakePayments(), provider)
    assert raised.value.extra == {"currentStatus": "cancelled"}
    assert provider.calls == []


def test_paying_a_missing_order() -> None:
    with pytest.raises(OrderMissing):
        pay(FakeOrders(), FakePayments(), FakeProvider(), "ord_none")


# -- CommitStock ------------------------------------------------------------------------


def test_commit_confirms_the_order_and_sells_its_units() -> None:
    orders = FakeOrders(an_order())
    status = commit_stock("ord_1", "pi_1", orders=orders, move=fake_move, now=NOW)
    assert status is OrderStatus.CONFIRMED
    (move,) = orders.moves
    assert (move.old, move.new, move.effect) == (
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.CONFIRMED,
        StockEffect.COMMIT,
    )
    assert move.payment_reference == "pi_1"
    assert orders.orders["ord_1"].history[-1].actor_id == "system"


def test_commit_twice_moves_once() -> None:
    orders = FakeOrders(an_order())
    commit_stock("ord_1", "pi_1", orders=orders, move=fake_move, now=NOW)
    again = commit_stock("ord_1", "pi_1", orders=orders, move=fake_move, now=NOW)
    assert again is OrderStatus.CONFIRMED
    assert len(orders.moves) == 1


def test_commit_of_an_order_cancelled_meanwhile_fails_for_the_machine() -> None:
    orders = FakeOrders(an_order(status=OrderStatus.CANCELLED))
    with pytest.raises(Conflict):
        commit_stock("ord_1", "pi_1", orders=orders, move=fake_move, now=NOW)
    assert orders.moves == []


# -- ReleaseStock -----------------------------------------------------------------------


def release(
    orders: FakeOrders, outcome: Release, payments: FakePayments | None = None
) -> OrderStatus:
    return release_stock(
        "ord_1",
        outcome,
        "insufficient_funds" if outcome is Release.DECLINED else None,
        orders=orders,
        payments=payments or FakePayments(),
        move=fake_move,
        now=NOW,
    )


def test_a_declined_order_fails_and_releases_its_units() -> None:
    orders = FakeOrders(an_order())
    assert release(orders, Release.DECLINED) is OrderStatus.PAYMENT_FAILED
    (move,) = orders.moves
    assert move.effect is StockEffect.RELEASE
    assert move.reason == "payment declined (insufficient_funds)"


def test_an_unpaid_order_is_cancelled_payment_not_received() -> None:
    orders = FakeOrders(an_order())
    assert release(orders, Release.NOT_PAID) is OrderStatus.CANCELLED
    (move,) = orders.moves
    assert (move.new, move.effect, move.reason) == (
        OrderStatus.CANCELLED,
        StockEffect.RELEASE,
        NOT_PAID_REASON,
    )
    assert orders.orders["ord_1"].cancel_reason == "payment not received"


@pytest.mark.parametrize("already", [OrderStatus.CANCELLED, OrderStatus.PAYMENT_FAILED])
@pytest.mark.parametrize("outcome", list(Release))
def test_release_of_an_order_already_moved_is_a_no_op(
    already: OrderStatus, outcome: Release
) -> None:
    orders = FakeOrders(an_order(status=already))
    assert release(orders, outcome) is already
    assert orders.moves == []


def test_release_twice_moves_once() -> None:
    orders = FakeOrders(an_order())
    release(orders, Release.DECLINED)
    assert release(orders, Release.DECLINED) is OrderStatus.PAYMENT_FAILED
    assert len(orders.moves) == 1


def test_a_paid_order_is_never_cancelled_for_non_payment() -> None:
    orders, payments, provider = FakeOrders(an_order()), FakePayments(), FakeProvider()
    pay(orders, payments, provider)
    with pytest.raises(OrderWasPaid):
        release(orders, Release.NOT_PAID, payments)
    assert orders.moves == []


# -- the start ---------------------------------------------------------------------------


def test_a_placed_order_starts_one_execution() -> None:
    machine = FakeMachine()
    assert start_checkout("ord_1", machine=machine)
    assert not start_checkout("ord_1", machine=machine)
    assert machine.started == ["ord_1"]


# -- ProcessPayment under waitForTaskToken ------------------------------------------------


def pay_with_token(
    orders: FakeOrders,
    payments: FakePayments,
    provider: FakeProvider,
    callbacks: FakeCallbacks,
    token: str,
    attempt: int = FIRST_ATTEMPT,
) -> PaymentAnswer:
    return process_payment(
        "ord_1",
        attempt,
        orders=orders,
        payments=payments,
        provider=provider,
        now=NOW,
        task_token=token,
        callbacks=callbacks,
    )


def test_an_immediate_outcome_completes_its_own_token_with_the_machines_output() -> None:
    orders, payments, provider, callbacks = (
        FakeOrders(an_order()),
        FakePayments(),
        FakeProvider(),
        FakeCallbacks(),
    )
    answer = pay_with_token(orders, payments, provider, callbacks, "tok-1")
    assert answer.outcome is PaymentResult.PAID
    assert callbacks.succeeded == [
        ("tok-1", {"outcome": "paid", "reference": "pi_1", "declineCode": None})
    ]
    (record,) = payments.payments("ord_1")
    assert (record.task_token, record.card, record.provider) == (
        "tok-1",
        provider.ledger["ord_1:1"].card,
        "fake",
    )


def test_a_decline_completes_its_token_too() -> None:
    orders = FakeOrders(an_order(payment_method="pm_card_chargeDeclined"))
    callbacks = FakeCallbacks()
    pay_with_token(orders, FakePayments(), FakeProvider(), callbacks, "tok-1")
    assert callbacks.succeeded == [
        ("tok-1", {"outcome": "declined", "reference": "pi_1", "declineCode": "card_declined"})
    ]


def test_requires_action_keeps_the_token_and_the_client_secret_and_completes_nothing() -> None:
    orders = FakeOrders(an_order(payment_method="pm_card_authenticationRequired"))
    payments, provider, callbacks = FakePayments(), FakeProvider(), FakeCallbacks()
    answer = pay_with_token(orders, payments, provider, callbacks, "tok-1")
    assert answer.outcome is PaymentResult.REQUIRES_ACTION
    assert callbacks.succeeded == []
    (record,) = payments.payments("ord_1")
    assert record.status is PaymentStatus.REQUIRES_ACTION
    assert (record.client_secret, record.next_action, record.task_token) == (
        "pi_1_secret_x",
        "use_stripe_sdk",
        "tok-1",
    )


def test_a_replay_while_the_buyer_must_act_waits_with_the_new_token_and_charges_once() -> None:
    orders = FakeOrders(an_order(payment_method="pm_card_authenticationRequired"))
    payments, provider, callbacks = FakePayments(), FakeProvider(), FakeCallbacks()
    pay_with_token(orders, payments, provider, callbacks, "tok-1")
    again = pay_with_token(orders, payments, provider, callbacks, "tok-2")
    assert again.outcome is PaymentResult.REQUIRES_ACTION
    assert provider.calls == ["ord_1:1"]  # the replay did not call the provider
    (record,) = payments.payments("ord_1")
    assert record.task_token == "tok-2"
    assert callbacks.succeeded == []


def test_a_replay_after_the_payment_succeeded_completes_its_token_without_charging() -> None:
    orders, payments, provider, callbacks = (
        FakeOrders(an_order()),
        FakePayments(),
        FakeProvider(),
        FakeCallbacks(),
    )
    pay_with_token(orders, payments, provider, callbacks, "tok-1")
    pay_with_token(orders, payments, provider, callbacks, "tok-2")
    assert provider.calls == ["ord_1:1"]
    assert [token for token, _ in callbacks.succeeded] == ["tok-1", "tok-2"]


def test_validate_takes_the_attempt_from_the_order() -> None:
    import dataclasses

    orders = FakeOrders(dataclasses.replace(an_order(), attempt=3))
    assert validate_order("ord_1", orders=orders, now=NOW).attempt == 3


def test_a_second_attempt_is_a_new_key_and_a_new_charge() -> None:
    orders, payments, provider, callbacks = (
        FakeOrders(an_order(payment_method="pm_card_chargeDeclined")),
        FakePayments(),
        FakeProvider(),
        FakeCallbacks(),
    )
    pay_with_token(orders, payments, provider, callbacks, "tok-1", attempt=1)
    pay_with_token(orders, payments, provider, callbacks, "tok-2", attempt=2)
    assert provider.calls == ["ord_1:1", "ord_1:2"]
    assert [p.attempt for p in payments.payments("ord_1")] == [1, 2]
