"""The local, test-mode card vault: Stripe's customers and SetupIntents, without Stripe.

``LocalCardVault`` is the ``CardVault`` of a stage that has no Stripe key (A's
``StripeCardVault`` is the real one). Its ledger is the single table
(``repositories/payments/ledger.py``):

* ``create_customer`` makes ``cus_test_…`` once per idempotency key (like Stripe);
* ``start_setup`` makes a SetupIntent ``seti_test_…`` (once per key) and its client secret;
* ``confirm_setup`` stands in for Stripe.js: it attaches one of Stripe's test cards
  (``pm_card_visa`` …) to the intent's customer as a new payment method
  ``pm_test_saved_…`` with the card's brand, last four and expiry;
* ``finish_setup`` answers that card when the intent succeeded for this customer;
* ``detach`` detaches it (charging it then fails, as on Stripe).

``charged_as`` lets the local payment provider charge a saved method: it is charged as
the test card it was made from, only together with its own customer (Stripe refuses a
customer's payment method without that customer).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from pynamodb.exceptions import PutError, UpdateError

from adapters.stripe_test_cards import BRAND_CARDS
from domain.clock import epoch, iso, utcnow
from domain.errors import RuleViolation
from domain.ids import new_id
from domain.payments.ports import Card, SavedCard, SetupStart
from repositories import keys
from repositories.payments.ledger import TestCustomerItem, TestSetupItem
from repositories.table import is_condition_failure

LEDGER_DAYS = 30
SAVED_PREFIX = "pm_test_saved_"
SUCCEEDED = "succeeded"
REQUIRES_PAYMENT_METHOD = "requires_payment_method"
INVALID = "pm_test_invalid"  # charged as: no such method (invalid_payment_method)
# A card that attaches but whose charges decline (Stripe's 4000 0000 0000 0341).
CHARGE_FAILS = "pm_card_chargeCustomerFail"
CHARGE_FAILS_AS = "pm_card_chargeDeclined"

# Stripe's test payment methods that attach (https://docs.stripe.com/testing): brand and
# last four of the card number each one stands for.
TEST_CARDS = {**BRAND_CARDS, CHARGE_FAILS: ("visa", "0341")}
# Stripe's test cards carry an expiry a year ahead, in December here.
EXP_MONTH = 12


def _ledger_expiry() -> int:
    return epoch(utcnow() + timedelta(days=LEDGER_DAYS))


def _setup_id(idempotency_key: str) -> str:
    return "seti_test_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]


def _saved_id(setup_id: str) -> str:
    return SAVED_PREFIX + setup_id.removeprefix("seti_test_")


def _setup(setup_id: str) -> TestSetupItem | None:
    try:
        return TestSetupItem.get(
            keys.test_setup_pk(setup_id), keys.TEST_LEDGER, consistent_read=True
        )
    except TestSetupItem.DoesNotExist:
        return None


def _saved_card(item: TestSetupItem) -> SavedCard:
    assert item.payment_method is not None
    assert item.brand is not None
    assert item.last4 is not None
    return SavedCard(
        payment_method=item.payment_method,
        card=Card(
            brand=item.brand,
            last4=item.last4,
            exp_month=None if item.exp_month is None else int(item.exp_month),
            exp_year=None if item.exp_year is None else int(item.exp_year),
        ),
    )


class LocalCardVault:
    """``CardVault`` in test mode, its ledger in the table."""

    def create_customer(self, *, user_id: str, email: str, idempotency_key: str) -> str:  # noqa: ARG002
        stamp = iso(utcnow())
        item = TestCustomerItem(
            keys.test_customer_pk(idempotency_key),
            keys.TEST_LEDGER,
            customer_id=new_id("cus_test"),
            user_id=user_id,
            expires_at=_ledger_expiry(),
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            item.save(condition=TestCustomerItem.PK.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            item = TestCustomerItem.get(
                keys.test_customer_pk(idempotency_key), keys.TEST_LEDGER, consistent_read=True
            )
        return item.customer_id

    def start_setup(self, *, customer_id: str, idempotency_key: str) -> SetupStart:
        setup_id = _setup_id(idempotency_key)
        stamp = iso(utcnow())
        item = TestSetupItem(
            keys.test_setup_pk(setup_id),
            keys.TEST_LEDGER,
            setup_id=setup_id,
            customer_id=customer_id,
            client_secret=f"{setup_id}_secret_{secrets.token_hex(12)}",
            status=REQUIRES_PAYMENT_METHOD,
            expires_at=_ledger_expiry(),
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            item.save(condition=TestSetupItem.PK.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            found = _setup(setup_id)
            assert found is not None
            item = found
        return SetupStart(reference=item.setup_id, client_secret=item.client_secret)

    def finish_setup(self, *, setup_reference: str, customer_id: str) -> SavedCard | None:
        item = _setup(setup_reference)
        if item is None or item.status != SUCCEEDED or item.customer_id != customer_id:
            return None
        if item.detached:
            return None
        return _saved_card(item)

    def detach(self, *, payment_method: str) -> None:
        if not payment_method.startswith(SAVED_PREFIX):
            return
        setup_id = "seti_test_" + payment_method.removeprefix(SAVED_PREFIX)
        try:
            TestSetupItem(keys.test_setup_pk(setup_id), keys.TEST_LEDGER).update(
                actions=[TestSetupItem.detached.set(True)],
                condition=TestSetupItem.PK.exists(),
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise  # an unknown method: nothing attached, nothing to detach

    # -- the stand-in for Stripe.js (POST /payments/test/setup-intents/{id}/confirm) --------

    def confirm_setup(self, *, setup_reference: str, payment_method: str) -> SavedCard | None:
        item = _setup(setup_reference)
        if item is None:
            return None
        if item.status == SUCCEEDED:
            return _saved_card(item)  # confirmed already: the card it attached
        if payment_method not in TEST_CARDS:
            raise RuleViolation(
                f"the test card {payment_method} cannot be saved (it declines)",
                code="card_declined",
                declineCode="generic_decline",
            )
        brand, last4 = TEST_CARDS[payment_method]
        now = utcnow()
        try:
            item.update(
                actions=[
                    TestSetupItem.status.set(SUCCEEDED),
                    TestSetupItem.payment_method.set(_saved_id(item.setup_id)),
                    TestSetupItem.source.set(payment_method),
                    TestSetupItem.brand.set(brand),
                    TestSetupItem.last4.set(last4),
                    TestSetupItem.exp_month.set(EXP_MONTH),
                    TestSetupItem.exp_year.set(now.year + 1),
                    TestSetupItem.updated_at.set(iso(now)),
                ],
                condition=TestSetupItem.status == REQUIRES_PAYMENT_METHOD,
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise
            found = _setup(setup_reference)  # a concurrent confirm won: its card
            assert found is not None
            item = found
        return _saved_card(item)


def charged_as(payment_method: str, customer_id: str | None) -> str:
    """The test payment method a charge of ``payment_method`` is made with: a saved one
    charges as the test card it was made from, with its own customer only (else, or once
    detached, it is no valid method); any other is itself."""
    if not payment_method.startswith(SAVED_PREFIX):
        return payment_method
    item = _setup("seti_test_" + payment_method.removeprefix(SAVED_PREFIX))
    if item is None or item.detached or item.customer_id != customer_id or item.source is None:
        return INVALID
    return CHARGE_FAILS_AS if item.source == CHARGE_FAILS else item.source
