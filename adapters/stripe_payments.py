"""Stripe behind the payments ports: ``PaymentProvider`` and ``CardVault``.

Only the payment functions load this module, and only on a stage whose payments secret
holds a Stripe secret key (``handlers/shared/wiring.py``): the SDK costs a cold start
about 100 ms. One ``stripe.StripeClient`` per container and key (never the global
``stripe.api_key``), pointed at ``STRIPE_API_BASE`` (Stripe itself, or a local stand-in in
the tests: tests/support/stripe_stub.py).

Every call that creates something names the shop's own idempotency key
(``<orderId>:<attempt>``, ``refund:<refundId>``, ``customer:<userId>``, …), never the
SDK's random one, so a retried task, a replayed request or the SDK's own network retry
gets Stripe's first answer back instead of a second charge.

PaymentIntents are created and confirmed in one call (``confirm=true``) with the
payment method the buyer's browser collected (Stripe.js) or a saved card of the buyer's
customer. ``payment_method_types=["card"]`` rather than automatic payment methods: the
shop takes cards only, and automatic payment methods would make Stripe require a
``return_url`` for redirect-based methods the shop neither offers nor has a page for.
3-D Secure still works in page: the answer is ``requires_action`` with
``next_action.type = "use_stripe_sdk"`` and the client secret Stripe.js needs.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import stripe

from domain.payments.ports import (
    Card,
    Charge,
    ChargeOutcome,
    PaymentUnavailable,
    ProviderRefund,
    RefundStatus,
    SavedCard,
    SetupStart,
)

if TYPE_CHECKING:
    from stripe.params import PaymentIntentCreateParams, RefundCreateParams

DEFAULT_API_BASE = "https://api.stripe.com"
# One network retry by the SDK (same idempotency key); the state machine retries
# PaymentUnavailable itself. Worst case 2 x (3 + 10) s, inside processPayment's 30 s.
NETWORK_RETRIES = 1
CONNECT_TIMEOUT, READ_TIMEOUT = 3.0, 10.0
INVALID_PAYMENT_METHOD = "invalid_payment_method"  # as the local test mode answers

# What Stripe answers that is worth trying again later (the machine retries on it).
_TRANSIENT = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


class TimeoutUrllibClient(stripe.HTTPClient):
    """The SDK's HTTP client on ``urllib.request``, with timeouts.

    The SDK's default client is ``requests``, which costs a cold start another ~50 ms
    (requests, charset_normalizer, idna, certifi, cookies); its ``UrllibClient`` waits
    forever for an answer. This one answers the SDK's ``HTTPClient`` interface with
    ``urlopen(..., timeout=...)`` and marks connection failures retryable.
    """

    name = "urllib.request"

    def __init__(self, timeout: float = READ_TIMEOUT) -> None:
        super().__init__()
        self._timeout = timeout

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        data = post_data.encode("utf-8") if isinstance(post_data, str) else post_data
        call = urllib.request.Request(  # noqa: S310 (the URL is STRIPE_API_BASE's)
            url, data=data, headers=dict(headers or {}), method=method.upper()
        )
        try:
            with urllib.request.urlopen(call, timeout=self._timeout) as response:  # noqa: S310
                body, status, answer_headers = response.read(), response.status, response.headers
        except urllib.error.HTTPError as exc:  # an answer all the same (402, 404, 500…)
            body, status, answer_headers = exc.read(), exc.code, exc.headers
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            raise stripe.APIConnectionError(  # type: ignore[no-untyped-call]
                f"could not reach Stripe: {exc}", should_retry=True
            ) from exc
        text = body.decode("utf-8", errors="replace")
        return text, status, {k.lower(): v for k, v in answer_headers.items()}

    def request_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[Any, int, Mapping[str, str]]:
        raise NotImplementedError("no streaming endpoints are used")

    def close(self) -> None:
        return None


def stripe_client(secret_key: str, api_base: str = DEFAULT_API_BASE) -> stripe.StripeClient:
    """The container's client for ``secret_key``; ``api_base`` is Stripe or a stand-in."""
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base.rstrip("/")},
        max_network_retries=NETWORK_RETRIES,
        http_client=TimeoutUrllibClient(READ_TIMEOUT),
    )


def _field(obj: Any, name: str) -> Any:
    """A field of a Stripe object, None when absent (error objects omit null fields)."""
    return getattr(obj, name, None) if obj is not None and not isinstance(obj, str) else None


def _card(payment_method: Any) -> Card | None:
    """Brand, last four and expiry of an (expanded) card PaymentMethod: nothing else."""
    card = _field(payment_method, "card")
    brand, last4 = _field(card, "brand"), _field(card, "last4")
    if not brand or not last4:
        return None
    month, year = _field(card, "exp_month"), _field(card, "exp_year")
    return Card(
        brand=str(brand),
        last4=str(last4),
        exp_month=int(month) if month is not None else None,
        exp_year=int(year) if year is not None else None,
    )


def _id_of(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value.id)


def _unavailable(exc: stripe.StripeError) -> PaymentUnavailable:
    # The message names the kind and status only: no request ids or keys in the logs.
    return PaymentUnavailable(
        f"Stripe is unavailable ({type(exc).__name__}, HTTP {exc.http_status or '-'})"
    )


class StripePaymentProvider:
    """``PaymentProvider`` on Stripe's PaymentIntents and Refunds."""

    name = "stripe"

    def __init__(self, client: stripe.StripeClient) -> None:
        self._client = client

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
        params: PaymentIntentCreateParams = {
            "amount": amount,
            "currency": currency.lower(),
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": {"orderId": order_id},
            "expand": ["payment_method"],
        }
        if customer_id:
            params["customer"] = customer_id
        try:
            intent = self._client.v1.payment_intents.create(
                params, {"idempotency_key": idempotency_key}
            )
        except stripe.CardError as exc:
            return self._declined(exc)
        except stripe.InvalidRequestError as exc:
            if exc.param == "payment_method":  # no such method, or not this customer's
                error = exc.error
                return Charge(
                    outcome=ChargeOutcome.DECLINED,
                    reference=_id_of(error.payment_intent if error else None) or "",
                    decline_code=INVALID_PAYMENT_METHOD,
                )
            raise
        except _TRANSIENT as exc:
            raise _unavailable(exc) from exc
        return self._charge_of(intent)

    @staticmethod
    def _declined(exc: stripe.CardError) -> Charge:
        error = exc.error
        intent = error.payment_intent if error else None
        code = (error.decline_code if error else None) or exc.code or "card_declined"
        return Charge(
            outcome=ChargeOutcome.DECLINED,
            reference=_id_of(intent) or "",
            decline_code=code,
            card=_card(error.payment_method if error else None),
        )

    @staticmethod
    def _charge_of(intent: stripe.PaymentIntent) -> Charge:
        card = _card(_field(intent, "payment_method"))
        if intent.status == "succeeded":
            return Charge(outcome=ChargeOutcome.SUCCEEDED, reference=intent.id, card=card)
        if intent.status in ("requires_action", "processing"):
            # The buyer acts (3-D Secure) or the network answers later: a webhook ends it.
            action = _field(_field(intent, "next_action"), "type")
            return Charge(
                outcome=ChargeOutcome.REQUIRES_ACTION,
                reference=intent.id,
                client_secret=_field(intent, "client_secret") if action else None,
                next_action=str(action) if action else None,
                card=card,
            )
        if intent.status in ("requires_payment_method", "canceled"):
            error = _field(intent, "last_payment_error")
            code = _field(error, "decline_code") or _field(error, "code")
            return Charge(
                outcome=ChargeOutcome.DECLINED,
                reference=intent.id,
                decline_code=code or intent.status,
                card=card,
            )
        raise RuntimeError(f"PaymentIntent {intent.id} is {intent.status} after confirmation")

    def refund(
        self, *, reference: str, amount: int, idempotency_key: str, reason: str | None = None
    ) -> ProviderRefund:
        """Refund ``amount`` of the PaymentIntent ``reference``. Stripe refusing it (more
        than is left, already refunded, no such payment) is a ``FAILED`` refund with no
        reference; an outage is ``PaymentUnavailable``, to try again with the same key."""
        params: RefundCreateParams = {"payment_intent": reference, "amount": amount}
        if reason:
            params["metadata"] = {"reason": reason[:500]}  # Stripe's metadata value limit
        try:
            refund = self._client.v1.refunds.create(params, {"idempotency_key": idempotency_key})
        except stripe.InvalidRequestError:
            return ProviderRefund(reference="", status=RefundStatus.FAILED)
        except _TRANSIENT as exc:
            raise _unavailable(exc) from exc
        return ProviderRefund(reference=refund.id, status=refund_status(refund.status))


def refund_status(status: str | None) -> RefundStatus:
    """Stripe's refund statuses: pending, requires_action, succeeded, failed, canceled."""
    if status == "succeeded":
        return RefundStatus.SUCCEEDED
    if status in ("failed", "canceled"):
        return RefundStatus.FAILED
    return RefundStatus.PENDING


class StripeCardVault:
    """``CardVault`` on Stripe's Customers, SetupIntents and PaymentMethods."""

    def __init__(self, client: stripe.StripeClient) -> None:
        self._client = client

    def create_customer(self, *, user_id: str, email: str, idempotency_key: str) -> str:
        try:
            customer = self._client.v1.customers.create(
                {"email": email, "metadata": {"userId": user_id}},
                {"idempotency_key": idempotency_key},
            )
        except _TRANSIENT as exc:
            raise _unavailable(exc) from exc
        return customer.id

    def start_setup(self, *, customer_id: str, idempotency_key: str) -> SetupStart:
        try:
            intent = self._client.v1.setup_intents.create(
                {"customer": customer_id, "usage": "off_session", "payment_method_types": ["card"]},
                {"idempotency_key": idempotency_key},
            )
        except _TRANSIENT as exc:
            raise _unavailable(exc) from exc
        if not intent.client_secret:
            raise RuntimeError(f"SetupIntent {intent.id} came without a client secret")
        return SetupStart(reference=intent.id, client_secret=intent.client_secret)

    def finish_setup(self, *, setup_reference: str, customer_id: str) -> SavedCard | None:
        try:
            intent = self._client.v1.setup_intents.retrieve(
                setup_reference, {"expand": ["payment_method"]}
            )
        except stripe.InvalidRequestError:
            return None  # no such SetupIntent (for this account)
        except _TRANSIENT as exc:
            raise _unavailable(exc) from exc
        if intent.status != "succeeded" or _id_of(intent.customer) != customer_id:
            return None
        method = intent.payment_method
        card = _card(method)
        method_id = _id_of(method)
        if card is None or method_id is None:
            return None
        return SavedCard(payment_method=method_id, card=card)

    def detach(self, *, payment_method: str) -> None:
        """Detach once; a method already detached (or unknown) is no error."""
        try:
            self._client.v1.payment_methods.detach(
                payment_method, options={"idempotency_key": f"detach:{payment_method}"}
            )
        except stripe.InvalidRequestError:
            return
        except _TRANSIENT as exc:
            raise _unavailable(exc) from exc


def cold_start() -> None:
    """What a payment function's first Stripe call pays before any network: this module
    (the SDK) and a client (``make bench``'s "stripe" rows time exactly this)."""
    client = stripe_client("sk_test_cold_start")
    StripePaymentProvider(client)
    StripeCardVault(client)
    _ = client.v1.payment_intents, client.v1.refunds  # the services load on first use
