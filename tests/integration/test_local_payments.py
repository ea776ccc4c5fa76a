"""The local test-mode payment provider and the payment records, on the table (moto)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.local_payments import UNAVAILABLE, LocalPaymentProvider
from domain.payments.ports import (
    Card,
    Charge,
    ChargeOutcome,
    Payment,
    PaymentEventEntry,
    PaymentStatus,
    PaymentUnavailable,
)
from repositories import keys
from repositories.buying.items import ChargeItem
from repositories.buying.payment_items import TestIntentItem
from repositories.buying.payments import DynamoPayments, DynamoWebhookEvents


def charge(
    provider: LocalPaymentProvider, method: str, key: str = "ord_1:1", amount: int = 1000
) -> Charge:
    return provider.charge(
        order_id="ord_1", amount=amount, currency="USD", payment_method=method, idempotency_key=key
    )


def ledger() -> list[ChargeItem]:
    return [i for i in ChargeItem.scan() if i.PK.startswith("TESTCHARGE#")]


@pytest.mark.parametrize("method", ["pm_card_visa", "pm_card_mastercard", "pm_card_amex"])
def test_stripes_test_cards_succeed(aws: None, method: str) -> None:
    answer = charge(LocalPaymentProvider(), method)
    assert answer.outcome is ChargeOutcome.SUCCEEDED
    assert answer.reference.startswith("pi_test_")
    assert answer.decline_code is None


@pytest.mark.parametrize(
    ("method", "code"),
    [
        ("pm_card_chargeDeclined", "generic_decline"),
        ("pm_card_visa_chargeDeclined", "generic_decline"),
        ("pm_card_insufficientFunds", "insufficient_funds"),
        ("pm_card_visa_chargeDeclinedInsufficientFunds", "insufficient_funds"),
        ("pm_card_lostCard", "lost_card"),
        ("pm_card_expiredCard", "expired_card"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card"),
        ("pm_card_incorrectCvc", "incorrect_cvc"),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc"),
        ("pm_nonsense", "invalid_payment_method"),
    ],
)
def test_stripes_decline_cards_decline_with_their_code(aws: None, method: str, code: str) -> None:
    answer = charge(LocalPaymentProvider(), method)
    assert answer.outcome is ChargeOutcome.DECLINED
    assert answer.decline_code == code


def test_a_key_is_charged_once_and_answered_the_same_ever_after(aws: None) -> None:
    provider = LocalPaymentProvider()
    first = charge(provider, "pm_card_visa")
    # a retry with the same key, even with another method or amount, changes nothing
    assert charge(provider, "pm_card_visa") == first
    assert charge(provider, "pm_card_chargeDeclined", amount=5) == first
    (item,) = ledger()
    assert (keys.charge_pk("ord_1:1"), keys.CHARGE) == (item.PK, item.SK)
    assert (item.amount, item.outcome, item.charge_id) == (1000, "succeeded", first.reference)
    assert item.expires_at is not None
    second = charge(provider, "pm_card_visa", key="ord_1:2")
    assert second.reference != first.reference
    assert len(ledger()) == 2


def test_an_unavailable_provider_records_nothing(aws: None) -> None:
    with pytest.raises(PaymentUnavailable):
        charge(LocalPaymentProvider(), UNAVAILABLE)
    assert ledger() == []


def test_payment_records_are_written_once_per_attempt_in_order(aws: None) -> None:
    records = DynamoPayments()
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def attempt(n: int, status: PaymentStatus, reference: str) -> Payment:
        return Payment(
            order_id="ord_1",
            attempt=n,
            idempotency_key=f"ord_1:{n}",
            provider="test",
            status=status,
            amount=1000,
            currency="USD",
            reference=reference,
            decline_code=None if status is PaymentStatus.SUCCEEDED else "generic_decline",
            at=at,
        )

    records.record(attempt(2, PaymentStatus.SUCCEEDED, "pi_2"))
    records.record(attempt(1, PaymentStatus.DECLINED, "pi_1"))
    records.record(attempt(1, PaymentStatus.SUCCEEDED, "pi_other"))  # written once: ignored
    for n in range(3, 11):
        records.record(attempt(n, PaymentStatus.DECLINED, f"pi_{n}"))
    found = records.payments("ord_1")
    assert [p.attempt for p in found] == list(range(1, 11))
    assert found[0] == attempt(1, PaymentStatus.DECLINED, "pi_1")
    assert found[1].status is PaymentStatus.SUCCEEDED
    assert records.payments("ord_2") == []


@pytest.mark.parametrize(
    ("method", "last4"),
    [("pm_card_authenticationRequired", "3184"), ("pm_card_threeDSecure2Required", "3220")],
)
def test_3d_secure_cards_require_action_with_a_client_secret(
    aws: None, method: str, last4: str
) -> None:
    provider = LocalPaymentProvider()
    answer = charge(provider, method)
    assert answer.outcome is ChargeOutcome.REQUIRES_ACTION
    assert answer.client_secret is not None
    assert answer.client_secret.startswith(f"{answer.reference}_secret_")
    assert (answer.next_action, answer.card) == ("use_stripe_sdk", Card("visa", last4))
    assert charge(provider, method) == answer  # the same key: the first answer again
    (intent,) = TestIntentItem.scan()
    assert (intent.PK, intent.status) == (keys.test_intent_pk(answer.reference), "requires_action")


def test_the_card_brand_and_last_four_come_with_the_answer(aws: None) -> None:
    assert charge(LocalPaymentProvider(), "pm_card_visa").card == Card("visa", "4242")


def _waiting(records: DynamoPayments) -> Payment:
    waiting = Payment(
        order_id="ord_1",
        attempt=1,
        idempotency_key="ord_1:1",
        provider="test",
        status=PaymentStatus.REQUIRES_ACTION,
        amount=1000,
        currency="USD",
        reference="pi_1",
        decline_code=None,
        at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        payment_method="pm_card_authenticationRequired",
        card=Card("visa", "3184"),
        client_secret="pi_1_secret_x",
        next_action="use_stripe_sdk",
        task_token="token-1",
    )
    records.record(waiting)
    return waiting


def test_an_attempt_that_requires_action_keeps_the_newest_token_and_settles_once(
    aws: None,
) -> None:
    records = DynamoPayments()
    waiting = _waiting(records)
    assert records.payments("ord_1") == [waiting]
    assert records.remember_token("ord_1", 1, "token-2") is True
    at = datetime(2026, 11, 30, 9, 1, tzinfo=UTC)
    event = PaymentEventEntry("evt_1", "payment_intent.succeeded", at)
    settled = records.settle(
        "ord_1", 1, PaymentStatus.SUCCEEDED, decline_code=None, card=None, event=event
    )
    assert settled is not None
    assert settled.status is PaymentStatus.SUCCEEDED
    assert (settled.task_token, settled.client_secret, settled.next_action) == (
        "token-2",
        None,
        None,
    )
    assert settled.events == (event,)
    again = PaymentEventEntry("evt_2", "payment_intent.payment_failed", at)
    assert (
        records.settle("ord_1", 1, PaymentStatus.DECLINED, decline_code="x", card=None, event=again)
        is None
    )
    assert records.remember_token("ord_1", 1, "token-3") is False
    records.log_event("ord_1", 1, again)
    (final,) = records.payments("ord_1")
    assert final.status is PaymentStatus.SUCCEEDED
    assert final.events == (event, again)


def test_a_webhook_event_is_claimed_once_and_released_on_failure(aws: None) -> None:
    events = DynamoWebhookEvents()
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert events.claim("evt_1", now) is True
    assert events.claim("evt_1", now) is False
    events.release("evt_1")
    assert events.claim("evt_1", now) is True
