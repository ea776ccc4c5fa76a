"""Webhook signatures: our check (adapters/webhook_signature.py, no SDK) accepts exactly
what ``stripe.Webhook.construct_event`` accepts and refuses the same forgeries, on real
signatures computed with a test secret; then the event is read into a ``ProviderEvent``."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.webhook_signature import (
    StripeSignatureVerifier,
    parse_event,
    sign,
    signature,
)
from domain.payments.ports import BadSignature, ProviderRefund, RefundStatus
from scripts.stack import ROOT

SECRET = "whsec_test_0123456789abcdef"


def event(kind: str = "payment_intent.succeeded", **obj: Any) -> bytes:
    body = {
        "id": "evt_1",
        "object": "event",
        "type": kind,
        "created": 1_764_000_000,
        "api_version": "2025-10-29.clover",
        "data": {"object": obj},
    }
    return json.dumps(body).encode()


PAYLOAD = event(id="pi_1", object="payment_intent", amount=3739, currency="usd")


def stripe_accepts(payload: bytes, header: str, secret: str = SECRET) -> bool:
    """The SDK's verdict on the signature: ``construct_event`` is this check, then
    ``json.loads`` (whose failures our ``verify`` reports as ``ValueError`` too)."""
    try:
        stripe.WebhookSignature.verify_header(payload.decode("utf-8"), header, secret, 300)
    except (stripe.SignatureVerificationError, TypeError):
        return False
    return True


def we_accept(payload: bytes, header: str | None, secret: str = SECRET) -> bool:
    try:
        StripeSignatureVerifier(secret).check(payload, header, datetime.now(UTC))
    except BadSignature:
        return False
    return True


def test_sign_makes_what_stripe_verifies() -> None:
    header = sign(PAYLOAD, SECRET, int(time.time()))

    constructed = stripe.Webhook.construct_event(PAYLOAD, header, SECRET)
    ours = StripeSignatureVerifier(SECRET).verify(PAYLOAD, header, datetime.now(UTC))
    assert (ours.event_id, ours.type, ours.reference) == (
        constructed.id,
        constructed.type,
        constructed.data.object.id,
    )
    assert header == f"t={header[2:12]},v1={signature(PAYLOAD, SECRET, int(header[2:12]))}"


def _cases() -> list[tuple[str, bytes, str]]:
    now = int(time.time())
    good = signature(PAYLOAD, SECRET, now)
    other = signature(PAYLOAD, "whsec_someone_else", now)
    old = now - 301
    return [
        ("valid", PAYLOAD, f"t={now},v1={good}"),
        ("valid among several v1", PAYLOAD, f"t={now},v1={other},v1={good}"),
        ("valid with a v0 too", PAYLOAD, f"t={now},v1={good},v0=abc"),
        ("v1 before t", PAYLOAD, f"v1={good},t={now}"),
        ("in the future", PAYLOAD, sign(PAYLOAD, SECRET, now + 3600)),
        ("just inside the tolerance", PAYLOAD, sign(PAYLOAD, SECRET, now - 290)),
        ("wrong secret", PAYLOAD, f"t={now},v1={other}"),
        ("tampered body", PAYLOAD + b" ", f"t={now},v1={good}"),
        ("other timestamp", PAYLOAD, f"t={now + 1},v1={good}"),
        ("too old", PAYLOAD, sign(PAYLOAD, SECRET, old)),
        ("only v0", PAYLOAD, f"t={now},v0={good}"),
        ("no timestamp", PAYLOAD, f"v1={good}"),
        ("timestamp not a number", PAYLOAD, f"t=soon,v1={good}"),
        ("empty", PAYLOAD, ""),
        ("garbage", PAYLOAD, "definitely not a signature"),
        ("upper-case hex", PAYLOAD, f"t={now},v1={good.upper()}"),
        ("truncated", PAYLOAD, f"t={now},v1={good[:-1]}"),
        ("spaces after commas", PAYLOAD, f"t={now}, v1={good}"),
    ]


@pytest.mark.parametrize(("name", "payload", "header"), _cases(), ids=[c[0] for c in _cases()])
def test_we_accept_exactly_what_stripe_accepts(name: str, payload: bytes, header: str) -> None:
    assert we_accept(payload, header) == stripe_accepts(payload, header)


def test_the_verdicts_of_the_table_are_the_expected_ones() -> None:
    verdicts = {name: we_accept(payload, header) for name, payload, header in _cases()}
    accepted = {name for name, ok in verdicts.items() if ok}
    assert accepted == {
        "valid",
        "valid among several v1",
        "valid with a v0 too",
        "v1 before t",
        "in the future",
        "just inside the tolerance",
    }


header_items = st.lists(
    st.one_of(
        st.builds(lambda t: f"t={t}", st.integers(0, 2 * 10**9)),
        st.builds(lambda s: f"v1={s}", st.text("0123456789abcdef", max_size=64)),
        st.builds(
            lambda k, v: f"{k}={v}",
            st.sampled_from(["t", "v1", "v0", "x"]),
            st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12),
        ),
        st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12),
    ),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(items=header_items, with_good=st.booleans(), body=st.binary(max_size=64))
def test_on_random_headers_the_verdicts_agree(
    items: list[str], with_good: bool, body: bytes
) -> None:
    payload = body.decode("latin-1").encode()  # valid UTF-8, as Stripe decodes it
    now = int(time.time())
    if with_good:
        items = [*items, f"t={now}", f"v1={signature(payload, SECRET, now)}"]
    header = ",".join(items)
    assert we_accept(payload, header) == stripe_accepts(payload, header)


def test_no_header_or_no_secret_is_refused() -> None:
    assert not we_accept(PAYLOAD, None)
    with pytest.raises(ValueError, match="secret"):
        StripeSignatureVerifier("")


def test_the_tolerance_is_measured_from_the_time_given() -> None:
    verifier = StripeSignatureVerifier(SECRET)
    header = sign(PAYLOAD, SECRET, 1_764_000_000)

    verifier.check(PAYLOAD, header, datetime.fromtimestamp(1_764_000_300, UTC))
    with pytest.raises(BadSignature, match="older than 300 s"):
        verifier.check(PAYLOAD, header, datetime.fromtimestamp(1_764_000_301, UTC))


def test_the_module_does_not_import_stripe() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, adapters.webhook_signature; print('stripe' in sys.modules)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"


# -- the event ------------------------------------------------------------------------


def verified(payload: bytes) -> Any:
    now = datetime.now(UTC)
    header = sign(payload, SECRET, int(now.timestamp()))
    return StripeSignatureVerifier(SECRET).verify(payload, header, now)


def test_a_payment_intent_event_names_the_intent_the_order_and_the_amount() -> None:
    got = verified(
        event(
            "payment_intent.payment_failed",
            id="pi_1",
            object="payment_intent",
            amount=3739,
            currency="usd",
            metadata={"orderId": "ord_1"},
            last_payment_error={"code": "card_declined", "decline_code": "insufficient_funds"},
        )
    )

    assert got.event_id == "evt_1"
    assert got.type == "payment_intent.payment_failed"
    assert got.created == datetime.fromtimestamp(1_764_000_000, UTC)
    assert (got.reference, got.order_id) == ("pi_1", "ord_1")
    assert (got.amount, got.currency) == (3739, "USD")
    assert got.decline_code == "insufficient_funds"
    assert got.refunds == []
    assert got.raw["data"]["object"]["id"] == "pi_1"


def test_a_charge_refunded_event_names_the_intent_and_its_refunds() -> None:
    got = parse_event(
        event(
            "charge.refunded",
            id="ch_1",
            object="charge",
            amount=3739,
            amount_refunded=1000,
            currency="usd",
            payment_intent="pi_1",
            metadata={"orderId": "ord_1"},
            refunds={
                "object": "list",
                "data": [
                    {"id": "re_1", "object": "refund", "amount": 1000, "status": "succeeded"},
                    {"id": "re_2", "object": "refund", "amount": 500, "status": "pending"},
                ],
            },
        )
    )

    assert (got.reference, got.order_id, got.amount, got.currency) == (
        "pi_1",
        "ord_1",
        3739,
        "USD",
    )
    assert got.refunds == [
        ProviderRefund("re_1", RefundStatus.SUCCEEDED),
        ProviderRefund("re_2", RefundStatus.PENDING),
    ]


def test_a_charge_event_without_its_refund_list_has_none() -> None:
    got = parse_event(event("charge.refunded", id="ch_1", object="charge", payment_intent="pi_1"))
    assert got.reference == "pi_1"
    assert got.refunds == []


def test_a_refund_event_names_the_intent_and_the_refund() -> None:
    got = parse_event(
        event(
            "refund.failed",
            id="re_9",
            object="refund",
            amount=700,
            currency="usd",
            payment_intent="pi_1",
            status="failed",
        )
    )
    assert (got.reference, got.amount) == ("pi_1", 700)
    assert got.refunds == [ProviderRefund("re_9", RefundStatus.FAILED)]


def test_another_event_type_is_read_but_names_nothing() -> None:
    got = parse_event(event("customer.created", id="cus_1", object="customer"))
    assert got.type == "customer.created"
    assert (got.reference, got.order_id, got.amount) == (None, None, None)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"id": "evt_1"}',
        b'{"id": "evt_1", "type": "x", "created": "today", "data": {"object": {}}}',
        b'{"id": "evt_1", "type": "x", "created": 1, "data": {}}',
        b'{"id": "evt_1", "object": "charge", "type": "x", "created": 1, "data": {"object": {}}}',
        b'{"id": "evt_1", "type": "x", "created": 99999999999999999, "data": {"object": {}}}',
    ],
)
def test_a_body_that_is_not_an_event_is_a_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (the port's contract: ValueError)
        verified(body)


def test_a_forged_body_is_a_bad_signature_before_it_is_read() -> None:
    now = datetime.now(UTC)
    with pytest.raises(BadSignature):
        StripeSignatureVerifier(SECRET).verify(b"not json", "t=1,v1=00", now)
