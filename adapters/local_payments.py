"""The local, test-mode payment provider: Stripe's documented test payment methods.

It answers as Stripe's test mode would for the test ``PaymentMethod`` ids
(https://docs.stripe.com/testing): the card brands succeed, the decline cards decline
with Stripe's ``decline_code``, and anything else is refused as an invalid payment
method. No money, no network.

Like Stripe, it charges once per idempotency key: the ledger is the single table
(``TESTCHARGE#<key>``/``CHARGE``, ``repositories/buying/items.py: ChargeItem``), written with
one conditional put, so a repeated key (a retried task, a second execution) gets the first
answer back and is never charged a second time.
"""

from __future__ import annotations

from datetime import timedelta

from pynamodb.exceptions import PutError

from domain.clock import epoch, iso, utcnow
from domain.ids import new_id
from domain.payments.ports import (
    Charge,
    ChargeOutcome,
    PaymentUnavailable,
    ProviderRefund,
    RefundStatus,
)
from repositories import keys
from repositories.buying.items import ChargeItem, RefundLedgerItem
from repositories.table import ConditionFailed, Transaction, is_condition_failure

# Test payment methods that succeed (Stripe's card brands).
SUCCEEDS = frozenset(
    {
        "pm_card_visa",
        "pm_card_visa_debit",
        "pm_card_mastercard",
        "pm_card_mastercard_debit",
        "pm_card_mastercard_prepaid",
        "pm_card_amex",
        "pm_card_discover",
        "pm_card_diners",
        "pm_card_jcb",
        "pm_card_unionpay",
        "pm_card_us",
        "pm_card_gb",
        "pm_card_de",
        "pm_card_fr",
    }
)

# Test payment methods that decline, with the decline code Stripe reports. Stripe's
# documented ids, and the short names issue 8 uses for them.
DECLINES = {
    "pm_card_chargeDeclined": "generic_decline",
    "pm_card_visa_chargeDeclined": "generic_decline",
    "pm_card_chargeDeclinedInsufficientFunds": "insufficient_funds",
    "pm_card_visa_chargeDeclinedInsufficientFunds": "insufficient_funds",
    "pm_card_insufficientFunds": "insufficient_funds",
    "pm_card_chargeDeclinedLostCard": "lost_card",
    "pm_card_visa_chargeDeclinedLostCard": "lost_card",
    "pm_card_lostCard": "lost_card",
    "pm_card_chargeDeclinedStolenCard": "stolen_card",
    "pm_card_visa_chargeDeclinedStolenCard": "stolen_card",
    "pm_card_stolenCard": "stolen_card",
    "pm_card_chargeDeclinedExpiredCard": "expired_card",
    "pm_card_expiredCard": "expired_card",
    "pm_card_chargeDeclinedIncorrectCvc": "incorrect_cvc",
    "pm_card_incorrectCvc": "incorrect_cvc",
    "pm_card_chargeDeclinedProcessingError": "processing_error",
    "pm_card_visa_chargeDeclinedVelocityLimitExceeded": "card_velocity_exceeded",
    "pm_card_chargeDeclinedFraudulent": "fraudulent",
    # 3-D Secure cards need the buyer's action, which finishes later (by webhook): the
    # payments issue. Until then they are declined with Stripe's code for it.
    "pm_card_threeDSecure2Required": "authentication_required",
    "pm_card_authenticationRequired": "authentication_required",
}

# Not Stripe's: a local-only method whose provider is "down" (PaymentUnavailable every
# time, nothing recorded), to exercise the machine's Retry and Catch.
UNAVAILABLE = "pm_test_providerUnavailable"
INVALID = "invalid_payment_method"
LEDGER_DAYS = 30


def outcome_of(payment_method: str) -> tuple[ChargeOutcome, str | None]:
    if payment_method in SUCCEEDS:
        return ChargeOutcome.SUCCEEDED, None
    return ChargeOutcome.DECLINED, DECLINES.get(payment_method, INVALID)


class LocalPaymentProvider:
    """``PaymentProvider`` in test mode, its ledger in the table."""

    name = "test"

    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Charge:
        if payment_method == UNAVAILABLE:
            raise PaymentUnavailable(
                "the test provider is unavailable (pm_test_providerUnavailable)"
            )
        # Saved cards (issue 9): a saved method charges as the test card it was made from.
        from adapters.local_cards import charged_as

        outcome, decline_code = outcome_of(charged_as(payment_method, customer_id))
        now = utcnow()
        stamp = iso(now)
        charge_id = new_id("pi_test")
        item = ChargeItem(
            keys.charge_pk(idempotency_key),
            keys.CHARGE,
            # refunds (issue 9) find the charge by its id
            GSI1PK=keys.testmode_charge_ref_pk(charge_id),
            GSI1SK=keys.CHARGE,
            charge_id=charge_id,
            order_id=order_id,
            amount=amount,
            currency=currency,
            payment_method=payment_method,
            outcome=outcome.value,
            decline_code=decline_code,
            expires_at=epoch(now + timedelta(days=LEDGER_DAYS)),
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            item.save(condition=ChargeItem.PK.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise PaymentUnavailable(f"the test provider's ledger failed: {exc}") from exc
            item = ChargeItem.get(
                keys.charge_pk(idempotency_key), keys.CHARGE, consistent_read=True
            )
        return Charge(
            outcome=ChargeOutcome(item.outcome),
            reference=item.charge_id,
            decline_code=item.decline_code,
        )

    # -- refunds (issue 9, refunds: this block only) ---------------------------------------

    def refund(
        self,
        *,
        reference: str,
        amount: int,
        idempotency_key: str,
        reason: str | None = None,  # noqa: ARG002 (Stripe keeps it; the test mode need not)
    ) -> ProviderRefund:
        """Like Stripe's test mode: one refund per idempotency key (a repeated key gets
        the first answer), succeeded at once; refused (``failed``) when the charge is
        unknown, did not succeed, or this refund would take the charge's refunds past its
        amount. One transaction: the key's record and the charge's refunded total."""
        key = (keys.testmode_refund_pk(idempotency_key), keys.TESTMODE_REFUND)
        known = self._refund_answer(key)
        if known is not None:
            return known
        now = utcnow()
        stamp, expires = iso(now), epoch(now + timedelta(days=LEDGER_DAYS))
        charged = self._charged(reference)
        record = RefundLedgerItem(
            *key,
            refund_reference=new_id("re_test"),
            charge_id=reference,
            amount=amount,
            status=RefundStatus.SUCCEEDED.value,
            expires_at=expires,
            created_at=stamp,
            updated_at=stamp,
        )
        if charged is None or amount <= 0 or amount > charged:
            record.status = RefundStatus.FAILED.value
            return self._keep_refund_answer(record)
        total = RefundLedgerItem(keys.testmode_refund_pk(reference), keys.TESTMODE_REFUND_TOTAL)
        tx = Transaction()
        tx.put(record, condition=RefundLedgerItem.PK.does_not_exist(), label="key")
        tx.update(
            total,
            actions=[
                RefundLedgerItem.refunded.add(amount),
                RefundLedgerItem.charge_id.set(reference),
                RefundLedgerItem.created_at.set(RefundLedgerItem.created_at | stamp),
                RefundLedgerItem.updated_at.set(stamp),
                RefundLedgerItem.expires_at.set(expires),
            ],
            condition=RefundLedgerItem.refunded.does_not_exist()
            | (RefundLedgerItem.refunded <= charged - amount),
            label="total",
        )
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "key":  # the same key, concurrently: its answer
                again = self._refund_answer(key)
                assert again is not None
                return again
            record.status = RefundStatus.FAILED.value  # more than is left of the charge
            return self._keep_refund_answer(record)
        return ProviderRefund(record.refund_reference or "", RefundStatus.SUCCEEDED)

    @staticmethod
    def _refund_answer(key: tuple[str, str]) -> ProviderRefund | None:
        try:
            item = RefundLedgerItem.get(*key, consistent_read=True)
        except RefundLedgerItem.DoesNotExist:
            return None
        return ProviderRefund(item.refund_reference or "", RefundStatus(item.status))

    def _keep_refund_answer(self, record: RefundLedgerItem) -> ProviderRefund:
        try:
            record.save(condition=RefundLedgerItem.PK.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise PaymentUnavailable(f"the test provider's ledger failed: {exc}") from exc
            known = self._refund_answer((record.PK, record.SK))
            assert known is not None
            return known
        return ProviderRefund(record.refund_reference, RefundStatus(record.status))

    @staticmethod
    def _charged(reference: str) -> int | None:
        """The amount of a succeeded test charge, by its id (GSI1); None if unknown."""
        for item in ChargeItem.gsi1.query(
            keys.testmode_charge_ref_pk(reference), ChargeItem.GSI1SK == keys.CHARGE
        ):
            if isinstance(item, ChargeItem) and item.outcome == ChargeOutcome.SUCCEEDED.value:
                return int(item.amount)
        return None

    # -- end of the refunds block ------------------------------------------------------------

    def charges(self, idempotency_key: str) -> ChargeItem | None:
        """The ledger's entry for a key (tests and support)."""
        try:
            return ChargeItem.get(keys.charge_pk(idempotency_key), keys.CHARGE)
        except ChargeItem.DoesNotExist:
            return None
