"""The local test-mode payment provider and the payment records, on the table (moto)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.local_payments import UNAVAILABLE, LocalPaymentProvider
from domain.payments.ports import Charge, ChargeOutcome, Payment, PaymentStatus, PaymentUnavailable
from repositories import keys
from repositories.buying.items import ChargeItem
from repositories.buying.payments import DynamoPayments


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
        ("pm_card_threeDSecure2Required", "authentication_required"),
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
