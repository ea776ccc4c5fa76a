"""Which provider a stage runs: the payments secret decides (handlers/shared/wiring.py).

The local stack's secret has no ``secretKey``: the test mode, without ever loading the
Stripe SDK. With a key in the secret the same functions charge through Stripe (here the
stand-in of tests/support/stripe_stub.py), with no redeployment: the decision is taken
per call from the cached secret. The webhook is verified with the secret's
``webhookSecret`` in both modes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters import aws as aws_clients
from adapters import secrets
from adapters.settings import ConfigurationError, settings
from adapters.webhook_signature import sign
from domain.payments.ports import BadSignature, ChargeOutcome, PaymentUnavailable
from handlers.shared import wiring
from repositories.buying.items import PaymentItem
from scripts.stack import ROOT
from tests.conftest import CONFIG
from tests.integration.test_checkout_machine import place
from tests.support.lambda_api import LambdaContext, load_handler
from tests.support.stripe_stub import SECRET_KEY, StripeStub

SECRET_ID = os.environ["PAYMENTS_SECRET_ID"]


def secret_value() -> dict[str, str]:
    text = aws_clients.client("secretsmanager").get_secret_value(SecretId=SECRET_ID)
    return json.loads(text["SecretString"])  # type: ignore[no-any-return]


def set_secret(**value: str) -> None:
    aws_clients.client("secretsmanager").put_secret_value(
        SecretId=SECRET_ID, SecretString=json.dumps({**secret_value(), **value})
    )
    secrets.clear_cache()  # as SECRETS_CACHE_SECONDS passing would


def forget() -> None:
    settings.cache_clear()
    secrets.clear_cache()
    wiring._stripe_client.cache_clear()


@pytest.fixture
def stub() -> Iterator[StripeStub]:
    with StripeStub() as server:
        yield server


@pytest.fixture
def on_stripe(aws: None, stub: StripeStub, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The stage switched to Stripe: a secret key in the secret, the API at the stub."""
    monkeypatch.setenv("STRIPE_API_BASE", stub.url)
    forget()
    set_secret(secretKey=SECRET_KEY)
    yield
    monkeypatch.undo()
    forget()


def test_the_local_stack_runs_the_test_mode_with_a_generated_webhook_secret(aws: None) -> None:
    value = secret_value()

    assert SECRET_ID == "bazaar-dev-payments"
    assert value["secretKey"] == ""
    assert len(value["webhookSecret"]) >= 32
    assert wiring.payment_provider().name == "test"
    assert not wiring.stripe_mode()


def test_on_the_test_mode_a_charge_never_loads_the_stripe_sdk() -> None:
    """In a fresh interpreter (as a cold function): the test mode charges, the SDK stays
    out of ``sys.modules``."""
    script = """
import os, sys
from moto import mock_aws
from tests.conftest import CONFIG
from scripts.stack import create_resources
from adapters import aws
with mock_aws():
    create_resources(CONFIG, aws.client)
    from handlers.shared import wiring
    charge = wiring.payment_provider().charge(
        order_id="ord_1", amount=100, currency="USD", payment_method="pm_card_visa",
        idempotency_key="ord_1:1",
    )
    print(charge.outcome.value, "stripe" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["succeeded", "False"]


def test_with_a_secret_key_process_payment_charges_through_stripe(
    on_stripe: None, stub: StripeStub
) -> None:
    order = place("ord_stripe_1", "pm_card_visa")
    process = load_handler(CONFIG["functions"]["processPayment"]["handler"])

    answer = process({"orderId": order.order_id, "attempt": 1}, LambdaContext())
    again = process({"orderId": order.order_id, "attempt": 1}, LambdaContext())

    assert wiring.payment_provider().name == "stripe"
    (intent,) = stub.intents()
    assert answer == again == {"outcome": "paid", "reference": intent["id"], "declineCode": None}
    (call,) = stub.calls("POST", "/v1/payment_intents")  # the replay was answered locally
    assert call.idempotency_key == f"{order.order_id}:1"
    assert call.form["amount"] == str(order.totals.total)
    assert call.form["currency"] == "usd"
    assert call.form["metadata[orderId]"] == order.order_id
    (record,) = PaymentItem.query(f"ORDER#{order.order_id}")
    assert record.reference == intent["id"]


def test_with_a_secret_key_a_decline_is_recorded_with_stripes_code(
    on_stripe: None, stub: StripeStub
) -> None:
    order = place("ord_stripe_2", "pm_card_chargeDeclinedInsufficientFunds")
    process = load_handler(CONFIG["functions"]["processPayment"]["handler"])

    answer = process({"orderId": order.order_id, "attempt": 1}, LambdaContext())

    assert answer["outcome"] == "declined"
    assert answer["declineCode"] == "insufficient_funds"
    assert answer["reference"] == stub.intents()[0]["id"]


def test_the_card_vault_and_refunds_follow_the_secret_too(
    on_stripe: None, stub: StripeStub
) -> None:
    vault, provider = wiring.card_vault(), wiring.payment_provider()

    customer = vault.create_customer(user_id="usr_1", email="a@b.c", idempotency_key="customer:1")
    paid = provider.charge(
        order_id="ord_1",
        amount=500,
        currency="USD",
        payment_method="pm_card_visa",
        idempotency_key="ord_1:1",
    )
    refund = provider.refund(reference=paid.reference, amount=500, idempotency_key="refund:r1")

    assert customer in stub.state.customers
    assert paid.outcome is ChargeOutcome.SUCCEEDED
    assert refund.reference.startswith("re_")


def test_a_stage_switched_back_to_no_key_is_on_the_test_mode_again(
    on_stripe: None, stub: StripeStub
) -> None:
    assert wiring.payment_provider().name == "stripe"

    set_secret(secretKey="")

    assert wiring.payment_provider().name == "test"
    charge = wiring.payment_provider().charge(
        order_id="ord_1",
        amount=500,
        currency="USD",
        payment_method="pm_card_visa",
        idempotency_key="ord_1:1",
    )
    assert charge.reference.startswith("pi_test")
    assert stub.requests == []


def test_the_webhook_is_verified_with_the_secrets_webhook_secret(aws: None) -> None:
    payload = json.dumps(
        {
            "id": "evt_1",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": 1_764_000_000,
            "data": {"object": {"id": "pi_1", "object": "payment_intent"}},
        }
    ).encode()
    now = datetime.now(UTC)
    stamp = int(now.timestamp())
    verifier = wiring.webhook_verifier()

    event = verifier.verify(payload, sign(payload, secret_value()["webhookSecret"], stamp), now)
    assert event.reference == "pi_1"
    with pytest.raises(BadSignature):
        verifier.verify(payload, sign(payload, "whsec_guess", stamp), now)


@pytest.mark.parametrize("key", ["pk_test_publishable", "whsec_wrong_field", "nonsense"])
def test_a_secret_key_that_is_no_secret_key_is_a_configuration_error(aws: None, key: str) -> None:
    set_secret(secretKey=key)

    with pytest.raises(ConfigurationError) as raised:
        wiring.payment_provider().charge(
            order_id="ord_1",
            amount=1,
            currency="USD",
            payment_method="pm_card_visa",
            idempotency_key="ord_1:1",
        )
    assert key not in str(raised.value)  # never the value itself


def test_an_unreadable_secret_is_payment_unavailable_for_the_machine_to_retry(
    aws: None,
) -> None:
    aws_clients.client("secretsmanager").delete_secret(
        SecretId=SECRET_ID, ForceDeleteWithoutRecovery=True
    )
    secrets.clear_cache()

    with pytest.raises(PaymentUnavailable):
        wiring.payment_provider().charge(
            order_id="ord_1",
            amount=1,
            currency="USD",
            payment_method="pm_card_visa",
            idempotency_key="ord_1:1",
        )


def test_the_secret_never_shows_its_keys() -> None:
    from adapters.payments_secret import PaymentsSecret

    value = PaymentsSecret(secret_key="sk_live_abc", webhook_secret="whsec_def")
    assert repr(value) == str(value) == "PaymentsSecret(stripe=True)"


def test_a_stage_that_requires_stripe_never_falls_back_to_the_test_mode(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYMENTS_REQUIRE_STRIPE", "true")
    forget()
    try:
        with pytest.raises(ConfigurationError, match="requires Stripe"):
            wiring.payment_provider().charge(
                order_id="ord_1",
                amount=1,
                currency="USD",
                payment_method="pm_card_visa",
                idempotency_key="ord_1:1",
            )
        with pytest.raises(ConfigurationError):
            wiring.stripe_mode()
        set_secret(secretKey=SECRET_KEY)
        assert wiring.payment_provider().name == "stripe"
    finally:
        monkeypatch.undo()
        forget()
