"""Stripe's webhook signature scheme, checked without the stripe SDK (cold start).

``Stripe-Signature: t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<payload>")>[,v1=…]``; an
event is accepted when one ``v1`` matches (constant-time compare) and ``t`` is within the
tolerance (300 s) of now. The verified body becomes a ``ProviderEvent``.

NOTE (payments B, branch pay-async): a minimal implementation written to the interface
agreed in the brief (``sign(payload, secret, timestamp) -> header``,
``StripeSignatureVerifier(secret).verify(payload, header, now)``) so the webhook's tests
run before A's branch lands; A's version of this file replaces it at merge.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from domain.payments.ports import BadSignature, ProviderEvent, ProviderRefund, RefundStatus

TOLERANCE_SECONDS = 300


def _digest(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header value Stripe would send for ``payload``."""
    return f"t={timestamp},v1={_digest(payload, secret, timestamp)}"


def _parts(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise BadSignature("the signature's timestamp is not a number") from None
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise BadSignature("the signature header has no timestamp or no v1 signature")
    return timestamp, signatures


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def to_event(body: dict[str, Any]) -> ProviderEvent:
    """The parts of a Stripe event the shop acts on; ``ValueError`` if it is not one."""
    event_id, kind = body.get("id"), body.get("type")
    data = body.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(event_id, str) or not isinstance(kind, str) or not isinstance(obj, dict):
        raise ValueError("not a Stripe event (id, type, data.object)")
    created = _int(body.get("created")) or 0
    currency = obj.get("currency")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    order_id = metadata.get("orderId") if isinstance(metadata, dict) else None
    refunds: list[ProviderRefund] = []
    if kind.startswith("charge."):
        reference = obj.get("payment_intent")
        listed = obj.get("refunds")
        for refund in (listed.get("data") if isinstance(listed, dict) else None) or []:
            if isinstance(refund, dict) and isinstance(refund.get("id"), str):
                status = refund.get("status")
                known = {s.value for s in RefundStatus}
                refunds.append(
                    ProviderRefund(
                        refund["id"],
                        RefundStatus(status) if status in known else RefundStatus.PENDING,
                    )
                )
    else:
        reference = obj.get("id")
    error = obj.get("last_payment_error")
    decline = error.get("decline_code") or error.get("code") if isinstance(error, dict) else None
    return ProviderEvent(
        event_id=event_id,
        type=kind,
        created=datetime.fromtimestamp(created, tz=UTC),
        reference=reference if isinstance(reference, str) else None,
        order_id=order_id if isinstance(order_id, str) else None,
        amount=_int(obj.get("amount")),
        currency=currency.upper() if isinstance(currency, str) else None,
        decline_code=decline if isinstance(decline, str) else None,
        refunds=refunds,
        raw=body,
    )


class StripeSignatureVerifier:
    """``WebhookVerifier`` with one endpoint secret (``whsec_…``)."""

    def __init__(self, secret: str, tolerance: int = TOLERANCE_SECONDS) -> None:
        self.secret = secret
        self.tolerance = tolerance

    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        if not signature_header or not self.secret:
            raise BadSignature("no Stripe-Signature header")
        timestamp, signatures = _parts(signature_header)
        expected = _digest(payload, self.secret, timestamp)
        if not any(hmac.compare_digest(expected, s) for s in signatures):
            raise BadSignature("no signature matches the payload")
        if timestamp < now.timestamp() - self.tolerance:  # as stripe.Webhook: too old
            raise BadSignature("the signature's timestamp is outside the tolerance")
        try:
            body = json.loads(payload)
        except ValueError:
            raise ValueError("the event is not JSON") from None
        if not isinstance(body, dict):
            raise ValueError("the event is not a JSON object")
        return to_event(body)
