"""Webhook signatures, Stripe's scheme, checked here without the Stripe SDK.

Stripe signs each webhook delivery with the endpoint's signing secret (``whsec_…``)::

    Stripe-Signature: t=<unix seconds>,v1=<hex hmac-sha256(secret, "<t>.<raw body>")>[,v1=…]

(several ``v1`` while a secret is being rolled; ``v0`` is a test-mode scheme nobody
checks). ``StripeSignatureVerifier`` accepts exactly what ``stripe.Webhook.construct_event``
accepts (tests/unit/test_webhook_signature.py runs both on the same inputs): the header
parsed the same way, any ``v1`` matching (``hmac.compare_digest``), a timestamp at most
300 s old (a future one is not refused, as Stripe does not). Then the body is read into a
``ProviderEvent``.

The SDK is not imported: it costs the webhook function about 100 ms of cold start for a
dozen lines of hashing. ``sign`` makes a header the way Stripe does, for the local test
mode (which posts its outcomes through the same webhook) and for tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from domain.payments.ports import BadSignature, ProviderEvent, ProviderRefund, RefundStatus

TOLERANCE_SECONDS = 300
SCHEME = "v1"
HEADER = "Stripe-Signature"


def signature(payload: bytes, secret: str, timestamp: int) -> str:
    """The hex HMAC-SHA256 Stripe puts in ``v1``: over ``"<timestamp>.<payload>"``."""
    signed = b"%d." % timestamp + payload
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """A ``Stripe-Signature`` header value for ``payload``, as Stripe would send it."""
    return f"t={timestamp},{SCHEME}={signature(payload, secret, timestamp)}"


def _timestamp_and_signatures(header: str) -> tuple[int, list[str]]:
    """Parsed as the SDK parses it (``WebhookSignature._get_timestamp_and_signatures``):
    comma-separated ``key=value`` items, the first ``t`` as an integer, every ``v1``."""
    items = [item.split("=", 2) for item in header.split(",")]
    timestamp = int(next(item[1] for item in items if item[0] == "t"))
    return timestamp, [item[1] for item in items if item[0] == SCHEME]


class StripeSignatureVerifier:
    """``WebhookVerifier``: Stripe's scheme with one signing secret."""

    def __init__(self, secret: str, tolerance: int = TOLERANCE_SECONDS) -> None:
        if not secret:
            raise ValueError("a webhook signing secret is required")
        self._secret = secret
        self._tolerance = tolerance

    def check(self, payload: bytes, signature_header: str | None, now: datetime) -> None:
        """Raises ``BadSignature`` unless the header signs ``payload`` recently enough."""
        if not signature_header:
            raise BadSignature("no Stripe-Signature header")
        try:
            timestamp, candidates = _timestamp_and_signatures(signature_header)
        except (StopIteration, IndexError, ValueError):
            raise BadSignature("the Stripe-Signature header is malformed") from None
        if not candidates:
            raise BadSignature(f"the Stripe-Signature header has no {SCHEME} signature")
        expected = signature(payload, self._secret, timestamp).encode()
        if not any(hmac.compare_digest(expected, c.encode("utf-8")) for c in candidates):
            raise BadSignature("no signature matches the payload")
        if timestamp < now.timestamp() - self._tolerance:
            raise BadSignature(f"the signature is older than {self._tolerance} s")

    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        self.check(payload, signature_header, now)
        return parse_event(payload)


# -- the event ----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _currency(value: Any) -> str | None:
    text = _text(value)
    return text.upper() if text else None  # Stripe's are lowercase, the shop's ISO upper


def _reference(value: Any) -> str | None:
    """An id, whether the field holds it or the expanded object."""
    if isinstance(value, dict):
        return _text(value.get("id"))
    return _text(value)


def _refund_status(value: Any) -> RefundStatus:
    # Stripe's refund statuses: pending, requires_action, succeeded, failed, canceled.
    if value == "succeeded":
        return RefundStatus.SUCCEEDED
    if value in ("failed", "canceled"):
        return RefundStatus.FAILED
    return RefundStatus.PENDING


def _refund(value: Any) -> ProviderRefund | None:
    if not isinstance(value, dict) or not _text(value.get("id")):
        return None
    return ProviderRefund(reference=str(value["id"]), status=_refund_status(value.get("status")))


def _order_id(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    return _text(metadata.get("orderId")) if isinstance(metadata, dict) else None


def parse_event(payload: bytes) -> ProviderEvent:
    """A Stripe event (JSON) reduced to what the shop acts on; ``ValueError`` otherwise.

    - ``payment_intent.*``: the PaymentIntent: its id, ``metadata.orderId``, amount,
      currency, and the decline code of ``last_payment_error``;
    - ``charge.*``: the Charge's ``payment_intent``, amount and currency (of the payment,
      not of the refund: ``raw`` has ``amount_refunded``), ``refunds.data`` when Stripe
      includes it (newer API versions leave the list out of the event);
    - ``refund.*``: the Refund's ``payment_intent``, amount and currency, and the refund;
    - anything else: id, type and time only (the webhook ignores what it does not act on).
    """
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None
    if not isinstance(event, dict) or event.get("object", "event") != "event":
        raise ValueError("the body is not an event")
    event_id, kind, created = _text(event.get("id")), _text(event.get("type")), event.get("created")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    seconds = _int(created)
    if event_id is None or kind is None or seconds is None or not isinstance(obj, dict):
        raise ValueError("an event needs an id, a type, created and data.object")
    try:
        when = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"the event's created ({seconds}) is not a time") from None
    base: dict[str, Any] = {"event_id": event_id, "type": kind, "created": when, "raw": event}
    family = kind.partition(".")[0]
    if family == "payment_intent":
        error = obj.get("last_payment_error")
        decline = None
        if isinstance(error, dict):
            decline = _text(error.get("decline_code")) or _text(error.get("code"))
        return ProviderEvent(
            **base,
            reference=_text(obj.get("id")),
            order_id=_order_id(obj),
            amount=_int(obj.get("amount")),
            currency=_currency(obj.get("currency")),
            decline_code=decline,
        )
    if family == "charge":
        listed = obj.get("refunds")
        items = listed.get("data") if isinstance(listed, dict) else None
        refunds = [r for r in map(_refund, items or []) if r is not None]
        return ProviderEvent(
            **base,
            reference=_reference(obj.get("payment_intent")),
            order_id=_order_id(obj),
            amount=_int(obj.get("amount")),
            currency=_currency(obj.get("currency")),
            decline_code=_text(obj.get("failure_code")),
            refunds=refunds,
        )
    if family == "refund":
        refund = _refund(obj)
        return ProviderEvent(
            **base,
            reference=_reference(obj.get("payment_intent")),
            order_id=_order_id(obj),
            amount=_int(obj.get("amount")),
            currency=_currency(obj.get("currency")),
            refunds=[refund] if refund else [],
        )
    return ProviderEvent(**base, reference=None, order_id=None, amount=None, currency=None)
