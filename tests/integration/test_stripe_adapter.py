"""The Stripe adapter drives the real ``stripe`` SDK against a local stand-in for Stripe's
API (tests/support/stripe_stub.py): methods, paths, form bodies and ``Idempotency-Key``
headers are asserted on what went over the wire; answers are shaped like Stripe's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe

from adapters.stripe_payments import (
    StripeCardVault,
    StripePaymentProvider,
    TimeoutUrllibClient,
    refund_status,
    stripe_client,
)
from domain.payments.ports import (
    Card,
    Charge,
    ChargeOutcome,
    PaymentUnavailable,
    RefundStatus,
    SavedCard,
)
from tests.support.stripe_stub import EXP_MONTH, EXP_YEAR, SECRET_KEY, StripeStub


@pytest.fixture
def stub() -> Iterator[StripeStub]:
    with StripeStub() as server:
        yield server


@pytest.fixture
def provider(stub: StripeStub) -> StripePaymentProvider:
    return StripePaymentProvider(stripe_client(SECRET_KEY, stub.url))


@pytest.fixture
def vault(stub: StripeStub) -> StripeCardVault:
    return StripeCardVault(stripe_client(SECRET_KEY, stub.url))


def charge(provider: StripePaymentProvider, method: str, key: str = "ord_1:1", **kw: str) -> Charge:
    return provider.charge(
        order_id=key.split(":")[0],
        amount=3739,
        currency="USD",
        payment_method=method,
        idempotency_key=key,
        **kw,
    )


# -- charges --------------------------------------------------------------------------


def test_a_charge_creates_and_confirms_one_payment_intent(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    answer = charge(provider, "pm_card_visa")

    assert answer.outcome is ChargeOutcome.SUCCEEDED
    assert answer.reference.startswith("pi_")
    assert answer.card == Card("visa", "4242", EXP_MONTH, EXP_YEAR)
    assert answer.client_secret is None  # nothing for the client to do
    (call,) = stub.requests
    assert (call.method, call.path) == ("POST", "/v1/payment_intents")
    assert call.idempotency_key == "ord_1:1"  # ours, not the SDK's random one
    assert call.authorization == f"Bearer {SECRET_KEY}"
    assert call.stripe_version == stripe.api_version
    assert call.form == {
        "amount": "3739",
        "currency": "usd",
        "payment_method": "pm_card_visa",
        "payment_method_types[0]": "card",
        "confirm": "true",
        "metadata[orderId]": "ord_1",
        "expand[0]": "payment_method",
    }


def test_a_saved_card_is_charged_with_its_customer(
    stub: StripeStub, provider: StripePaymentProvider, vault: StripeCardVault
) -> None:
    customer = vault.create_customer(user_id="usr_1", email="a@b.c", idempotency_key="c:1")
    setup = vault.start_setup(customer_id=customer, idempotency_key="setup:1")
    method = stub.confirm_setup(setup.reference, "pm_card_mastercard")

    answer = charge(provider, method, customer_id=customer)

    assert answer.outcome is ChargeOutcome.SUCCEEDED
    assert answer.card is not None
    assert answer.card.brand == "mastercard"
    (call,) = stub.calls("POST", "/v1/payment_intents")
    assert call.form["customer"] == customer
    assert call.form["payment_method"] == method


@pytest.mark.parametrize(
    ("method", "code", "last4"),
    [
        ("pm_card_chargeDeclined", "generic_decline", "0002"),
        ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "9995"),
        ("pm_card_chargeDeclinedLostCard", "lost_card", "9987"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "0069"),
    ],
)
def test_a_card_error_is_a_decline_with_stripes_decline_code(
    stub: StripeStub, provider: StripePaymentProvider, method: str, code: str, last4: str
) -> None:
    answer = charge(provider, method)

    assert answer.outcome is ChargeOutcome.DECLINED
    assert answer.decline_code == code
    (intent,) = stub.intents()
    assert answer.reference == intent["id"]  # the declined PaymentIntent
    assert answer.card is not None
    assert answer.card.last4 == last4


def test_an_unknown_payment_method_is_declined_as_invalid(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    answer = charge(provider, "pm_no_such_thing")

    assert answer.outcome is ChargeOutcome.DECLINED
    assert answer.decline_code == "invalid_payment_method"
    assert stub.intents() == []


def test_authentication_required_answers_what_stripe_js_needs(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    answer = charge(provider, "pm_card_authenticationRequired")

    assert answer.outcome is ChargeOutcome.REQUIRES_ACTION
    (intent,) = stub.intents()
    assert answer.reference == intent["id"]
    assert answer.client_secret == intent["client_secret"]
    assert answer.client_secret.startswith(f"{intent['id']}_secret_")
    assert answer.next_action == "use_stripe_sdk"
    assert answer.card == Card("visa", "3184", EXP_MONTH, EXP_YEAR)


@pytest.mark.parametrize("fault", [500, 503, 429, "drop"])
def test_an_outage_is_payment_unavailable_and_charges_nothing(
    stub: StripeStub, provider: StripePaymentProvider, fault: int | str
) -> None:
    stub.fail_next(fault, fault)  # the first call and the SDK's one retry

    with pytest.raises(PaymentUnavailable) as raised:
        charge(provider, "pm_card_visa")

    assert stub.intents() == []
    keys = {call.idempotency_key for call in stub.requests}
    assert keys == {"ord_1:1"}  # the SDK's retry sent the same key
    assert "sk_" not in str(raised.value)


def test_an_unreachable_stripe_is_payment_unavailable() -> None:
    with StripeStub() as gone:
        url = gone.url
    provider = StripePaymentProvider(stripe_client(SECRET_KEY, url))

    with pytest.raises(PaymentUnavailable):
        charge(provider, "pm_card_visa")


def test_a_stripe_too_slow_to_answer_is_payment_unavailable(stub: StripeStub) -> None:
    client = stripe.StripeClient(
        SECRET_KEY,
        base_addresses={"api": stub.url},
        http_client=TimeoutUrllibClient(timeout=0.3),
        max_network_retries=0,
    )
    stub.fail_next("slow")

    with pytest.raises(PaymentUnavailable, match="APIConnectionError"):
        charge(StripePaymentProvider(client), "pm_card_visa")


@pytest.mark.parametrize(
    ("intent", "outcome", "decline_code", "client_secret"),
    [
        ({"status": "processing"}, ChargeOutcome.REQUIRES_ACTION, None, None),
        (
            {"status": "requires_payment_method", "last_payment_error": {"code": "card_declined"}},
            ChargeOutcome.DECLINED,
            "card_declined",
            None,
        ),
        ({"status": "canceled"}, ChargeOutcome.DECLINED, "canceled", None),
        (
            {"status": "requires_action", "next_action": {"type": "redirect_to_url"}},
            ChargeOutcome.REQUIRES_ACTION,
            None,
            "pi_x_secret_y",
        ),
    ],
)
def test_the_other_payment_intent_statuses(
    intent: dict[str, object],
    outcome: ChargeOutcome,
    decline_code: str | None,
    client_secret: str | None,
) -> None:
    obj = stripe.PaymentIntent.construct_from(
        {
            "id": "pi_x",
            "object": "payment_intent",
            "client_secret": "pi_x_secret_y",
            "payment_method": "pm_1",
            "last_payment_error": None,
            "next_action": None,
            **intent,
        },
        SECRET_KEY,
    )
    answer = StripePaymentProvider._charge_of(obj)
    assert (answer.outcome, answer.decline_code, answer.client_secret) == (
        outcome,
        decline_code,
        client_secret,
    )
    assert answer.reference == "pi_x"


def test_a_payment_intent_left_unconfirmed_is_an_error_not_an_outcome() -> None:
    obj = stripe.PaymentIntent.construct_from(
        {"id": "pi_x", "object": "payment_intent", "status": "requires_capture"}, SECRET_KEY
    )
    with pytest.raises(RuntimeError, match="requires_capture"):
        StripePaymentProvider._charge_of(obj)


def test_the_sdks_network_retry_resends_the_same_key_and_succeeds(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    stub.fail_next(500)

    answer = charge(provider, "pm_card_visa")

    assert answer.outcome is ChargeOutcome.SUCCEEDED
    assert [c.idempotency_key for c in stub.requests] == ["ord_1:1", "ord_1:1"]
    assert len(stub.intents()) == 1


@pytest.mark.parametrize(
    "method", ["pm_card_visa", "pm_card_chargeDeclined", "pm_card_authenticationRequired"]
)
def test_the_same_key_again_gets_the_first_answer_and_one_payment_intent(
    stub: StripeStub, provider: StripePaymentProvider, method: str
) -> None:
    first = charge(provider, method)
    again = charge(provider, method)  # a retried task, a second execution

    assert again == first
    assert len(stub.intents()) == 1
    assert len(stub.calls("POST", "/v1/payment_intents")) == 2


def test_a_new_attempt_is_a_new_key_and_a_new_payment_intent(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    declined = charge(provider, "pm_card_chargeDeclined", key="ord_1:1")
    paid = charge(provider, "pm_card_visa", key="ord_1:2")

    assert declined.outcome is ChargeOutcome.DECLINED
    assert paid.outcome is ChargeOutcome.SUCCEEDED
    assert paid.reference != declined.reference
    assert len(stub.intents()) == 2


def test_a_key_reused_with_other_parameters_is_refused_not_charged(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    charge(provider, "pm_card_visa")

    with pytest.raises(stripe.IdempotencyError):  # a bug in the shop: loud, not a charge
        charge(provider, "pm_card_mastercard")
    assert len(stub.intents()) == 1


# -- refunds --------------------------------------------------------------------------


def test_a_refund_names_the_payment_intent_the_amount_and_our_key(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    paid = charge(provider, "pm_card_visa")

    refund = provider.refund(
        reference=paid.reference, amount=1000, idempotency_key="refund:rf_1", reason="broken lid"
    )

    assert refund.status is RefundStatus.SUCCEEDED
    assert refund.reference.startswith("re_")
    (call,) = stub.calls("POST", "/v1/refunds")
    assert call.idempotency_key == "refund:rf_1"
    assert call.form == {
        "payment_intent": paid.reference,
        "amount": "1000",
        "metadata[reason]": "broken lid",
    }


def test_a_refund_asked_twice_with_one_key_refunds_once(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    paid = charge(provider, "pm_card_visa")

    first = provider.refund(reference=paid.reference, amount=3739, idempotency_key="refund:rf_1")
    again = provider.refund(reference=paid.reference, amount=3739, idempotency_key="refund:rf_1")

    assert again == first
    assert len(stub.state.refunds[paid.reference]) == 1


def test_a_refund_stripe_refuses_is_failed_and_an_outage_unavailable(
    stub: StripeStub, provider: StripePaymentProvider
) -> None:
    paid = charge(provider, "pm_card_visa")
    provider.refund(reference=paid.reference, amount=3000, idempotency_key="refund:rf_1")

    too_much = provider.refund(reference=paid.reference, amount=800, idempotency_key="refund:rf_2")
    assert too_much.status is RefundStatus.FAILED

    stub.fail_next(500, 500)
    with pytest.raises(PaymentUnavailable):
        provider.refund(reference=paid.reference, amount=700, idempotency_key="refund:rf_3")
    done = provider.refund(reference=paid.reference, amount=700, idempotency_key="refund:rf_3")
    assert done.status is RefundStatus.SUCCEEDED
    assert sum(r["amount"] for r in stub.state.refunds[paid.reference]) == 3700


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("succeeded", RefundStatus.SUCCEEDED),
        ("pending", RefundStatus.PENDING),
        ("requires_action", RefundStatus.PENDING),
        ("failed", RefundStatus.FAILED),
        ("canceled", RefundStatus.FAILED),
    ],
)
def test_stripes_refund_statuses(status: str, expected: RefundStatus) -> None:
    assert refund_status(status) is expected


# -- saved cards ----------------------------------------------------------------------


def test_a_customer_is_created_once_per_key(stub: StripeStub, vault: StripeCardVault) -> None:
    first = vault.create_customer(user_id="usr_1", email="nia@example.com", idempotency_key="k")
    again = vault.create_customer(user_id="usr_1", email="nia@example.com", idempotency_key="k")

    assert first == again
    assert first.startswith("cus_")
    assert len(stub.state.customers) == 1
    call = stub.calls("POST", "/v1/customers")[0]
    assert call.idempotency_key == "k"
    assert call.form == {"email": "nia@example.com", "metadata[userId]": "usr_1"}


def test_setup_then_finish_gives_the_card_and_only_to_its_customer(
    stub: StripeStub, vault: StripeCardVault
) -> None:
    customer = vault.create_customer(user_id="usr_1", email="a@b.c", idempotency_key="c:1")
    other = vault.create_customer(user_id="usr_2", email="d@e.f", idempotency_key="c:2")
    setup = vault.start_setup(customer_id=customer, idempotency_key="setup:1")

    assert setup.reference.startswith("seti_")
    assert setup.client_secret.startswith(f"{setup.reference}_secret_")
    call = stub.calls("POST", "/v1/setup_intents")[0]
    assert call.idempotency_key == "setup:1"
    assert call.form == {
        "customer": customer,
        "usage": "off_session",
        "payment_method_types[0]": "card",
    }
    # not confirmed yet
    assert vault.finish_setup(setup_reference=setup.reference, customer_id=customer) is None

    method = stub.confirm_setup(setup.reference, "pm_card_visa")  # Stripe.js, in the browser

    saved = vault.finish_setup(setup_reference=setup.reference, customer_id=customer)
    assert saved == SavedCard(method, Card("visa", "4242", EXP_MONTH, EXP_YEAR))
    assert vault.finish_setup(setup_reference=setup.reference, customer_id=other) is None
    assert vault.finish_setup(setup_reference="seti_unknown", customer_id=customer) is None
    gets = stub.calls("GET", "/v1/setup_intents/")
    assert len(gets) == 4
    assert all(get.query == {"expand[0]": "payment_method"} for get in gets)


def test_detach_detaches_once_and_again_is_no_error(
    stub: StripeStub, vault: StripeCardVault
) -> None:
    customer = vault.create_customer(user_id="usr_1", email="a@b.c", idempotency_key="c:1")
    setup = vault.start_setup(customer_id=customer, idempotency_key="setup:1")
    method = stub.confirm_setup(setup.reference)

    vault.detach(payment_method=method)
    vault.detach(payment_method=method)
    vault.detach(payment_method="pm_unknown")

    assert stub.state.methods[method]["customer"] is None
    detaches = stub.calls("POST", f"/v1/payment_methods/{method}/detach")
    assert {c.idempotency_key for c in detaches} == {f"detach:{method}"}


def test_the_vault_maps_an_outage_to_payment_unavailable(
    stub: StripeStub, vault: StripeCardVault
) -> None:
    stub.fail_next(503, 503)
    with pytest.raises(PaymentUnavailable):
        vault.create_customer(user_id="usr_1", email="a@b.c", idempotency_key="c:1")
    assert stub.state.customers == {}


def test_a_wrong_secret_key_is_an_error_not_a_retry(stub: StripeStub) -> None:
    provider = StripePaymentProvider(stripe_client("sk_test_wrong", stub.url))

    with pytest.raises(stripe.AuthenticationError):
        charge(provider, "pm_card_visa")
    assert len(stub.requests) == 1
