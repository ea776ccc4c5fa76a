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

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PutError, UpdateError

from adapters.stripe_test_cards import BRAND_CARDS, OTHER_CARDS
from domain.clock import epoch, iso, utcnow
from domain.errors import Conflict, NotFound
from domain.ids import new_id
from domain.payments.ports import (
    Card,
    Charge,
    ChargeOutcome,
    PaymentUnavailable,
    ProviderRefund,
    RefundStatus,
)
from repositories import keys
from repositories.buying.items import ChargeItem, RefundLedgerItem
from repositories.buying.payment_items import TestIntentItem
from repositories.table import ConditionFailed, Transaction, is_condition_failure

if TYPE_CHECKING:
    from domain.payments.testmode import SettledIntent

# Test payment methods that succeed (Stripe's card brands).
SUCCEEDS = frozenset(BRAND_CARDS)

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
}

# 3-D Secure cards: the charge requires the buyer's action (Stripe's ``requires_action``
# with ``next_action.type`` ``use_stripe_sdk``); the test-mode stand-in for Stripe.js
# (``POST /payments/test/authenticate``) finishes it, and the outcome arrives by webhook.
REQUIRES_ACTION = frozenset({"pm_card_authenticationRequired", "pm_card_threeDSecure2Required"})
NEXT_ACTION = "use_stripe_sdk"

# The brand and last four digits of Stripe's test cards.
CARDS = {**BRAND_CARDS, **OTHER_CARDS}

# Not Stripe's: a local-only method whose provider is "down" (PaymentUnavailable every
# time, nothing recorded), to exercise the machine's Retry and Catch.
UNAVAILABLE = "pm_test_providerUnavailable"
SUCCEEDED, FAILED = "succeeded", "failed"  # a settled test intent
INVALID = "invalid_payment_method"
LEDGER_DAYS = 30


def outcome_of(payment_method: str) -> tuple[ChargeOutcome, str | None]:
    if payment_method in SUCCEEDS:
        return ChargeOutcome.SUCCEEDED, None
    if payment_method in REQUIRES_ACTION:
        return ChargeOutcome.REQUIRES_ACTION, None
    return ChargeOutcome.DECLINED, DECLINES.get(payment_method, INVALID)


def _client_secret(charge_id: str) -> str:
    import secrets  # 3-D Secure cards only: not at the provider's import

    return f"{charge_id}_secret_{secrets.token_urlsafe(18)}"


def _same(known: str, given: str) -> bool:
    import hmac

    return hmac.compare_digest(known, given)


def card_of(payment_method: str) -> Card | None:
    found = CARDS.get(payment_method)
    return None if found is None else Card(*found)


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
        waits = outcome is ChargeOutcome.REQUIRES_ACTION
        client_secret = _client_secret(charge_id) if waits else None
        expires = epoch(now + timedelta(days=LEDGER_DAYS))
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
            client_secret=client_secret,
            expires_at=expires,
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
        else:
            if waits and client_secret is not None:
                TestIntentItem(
                    keys.test_intent_pk(charge_id),
                    keys.INTENT,
                    charge_id=charge_id,
                    order_id=order_id,
                    amount=amount,
                    currency=currency,
                    payment_method=payment_method,
                    client_secret=client_secret,
                    status=ChargeOutcome.REQUIRES_ACTION.value,
                    expires_at=expires,
                    created_at=stamp,
                    updated_at=stamp,
                ).save()
        answered = ChargeOutcome(item.outcome)
        return Charge(
            outcome=answered,
            reference=item.charge_id,
            decline_code=item.decline_code,
            client_secret=item.client_secret,
            next_action=NEXT_ACTION if answered is ChargeOutcome.REQUIRES_ACTION else None,
            card=card_of(item.payment_method),
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
            if not isinstance(item, ChargeItem):
                continue
            if item.outcome == ChargeOutcome.SUCCEEDED.value:
                return int(item.amount)
            if item.outcome == ChargeOutcome.REQUIRES_ACTION.value and _authenticated(reference):
                return int(item.amount)  # 3-D Secure completed later (settle_intent)
        return None

    # -- end of the refunds block ------------------------------------------------------------

    # -- the stand-in for Stripe.js (POST /payments/test/authenticate) --------------------

    def settle_intent(self, client_secret: str, succeed: bool, now: datetime) -> SettledIntent:
        """``TestIntents``: settle the waiting intent of this client secret, once."""
        from domain.payments.testmode import SettledIntent  # the stand-in's function only

        reference = client_secret.split("_secret_", 1)[0]
        try:
            intent = TestIntentItem.get(
                keys.test_intent_pk(reference), keys.INTENT, consistent_read=True
            )
        except TestIntentItem.DoesNotExist:
            intent = None
        if intent is None or not _same(intent.client_secret, client_secret):
            raise NotFound("no payment waits for this client secret", code="payment_not_found")
        wanted = SUCCEEDED if succeed else FAILED
        if intent.status == ChargeOutcome.REQUIRES_ACTION.value:
            try:
                intent.update(
                    actions=[
                        TestIntentItem.status.set(wanted),
                        TestIntentItem.updated_at.set(iso(now)),
                    ],
                    condition=TestIntentItem.status == ChargeOutcome.REQUIRES_ACTION.value,
                )
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
                intent.refresh(consistent_read=True)
        if intent.status != wanted:
            raise Conflict(
                f"the payment was already {intent.status}",
                code="already_settled",
                currentStatus=intent.status,
            )
        kind = "payment_intent.succeeded" if succeed else "payment_intent.payment_failed"
        event = payment_intent_event(
            kind,
            reference=intent.charge_id,
            order_id=intent.order_id,
            amount=int(intent.amount),
            currency=intent.currency,
            created=int(now.timestamp()),
            # one event per settled intent: a repeated call re-delivers the same event,
            # which the webhook de-duplicates
            event_id=f"evt_test_{intent.charge_id.removeprefix('pi_test_')}",
        )
        return SettledIntent(intent.charge_id, succeed, event)

    def charges(self, idempotency_key: str) -> ChargeItem | None:
        """The ledger's entry for a key (tests and support)."""
        try:
            return ChargeItem.get(keys.charge_pk(idempotency_key), keys.CHARGE)
        except ChargeItem.DoesNotExist:
            return None


def _authenticated(reference: str) -> bool:
    """Whether the test intent that required the buyer's action was completed (succeeded)."""
    try:
        intent = TestIntentItem.get(keys.test_intent_pk(reference), keys.INTENT)
    except TestIntentItem.DoesNotExist:
        return False
    return intent.status == SUCCEEDED


def payment_intent_event(
    kind: str,
    *,
    reference: str,
    order_id: str,
    amount: int,
    currency: str,
    created: int,
    decline_code: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A Stripe ``payment_intent.succeeded`` / ``.payment_failed`` event, shaped as Stripe
    documents it (https://docs.stripe.com/api/events/object), for the test mode's webhook
    deliveries and the tests."""
    failed = kind == "payment_intent.payment_failed"
    return {
        "id": event_id or new_id("evt_test"),
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "type": kind,
        "data": {
            "object": {
                "id": reference,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": 0 if failed else amount,
                "currency": currency.lower(),
                "status": "requires_payment_method" if failed else "succeeded",
                "metadata": {"orderId": order_id},
                "last_payment_error": {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": decline_code or "authentication_failed",
                }
                if failed
                else None,
            }
        },
    }


class SignedWebhookDelivery:
    """``EventDelivery``: POSTs a test-mode event to the stage's webhook, signed as Stripe
    signs (``adapters/webhook_signature.py: sign``) with the stage's webhook secret."""

    def __init__(self, url: str, secret: str, timeout: float = 20) -> None:
        self.url = url
        self.secret = secret
        self.timeout = timeout

    def deliver(self, event: dict[str, Any], now: datetime) -> int | None:
        import urllib.error  # the stand-in's function only: not at the provider's import
        import urllib.request

        from adapters.webhook_signature import sign

        if not self.url:
            return None
        payload = json.dumps(event).encode()
        request = urllib.request.Request(  # noqa: S310 - the stage's own http(s) URL
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": sign(payload, self.secret, int(now.timestamp())),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks) bazaar-test-mode",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            return None
