"""A small local stand-in for Stripe's API, for driving the real ``stripe`` SDK in tests.

A threading ``http.server`` on a free port of 127.0.0.1 (``StripeStub().url`` is what
``STRIPE_API_BASE`` / ``stripe_client(key, api_base)`` is pointed at). It

- records every request: method, path, query, the form body (flat, as the SDK encodes
  it: ``metadata[orderId]``, ``expand[0]``), the ``Idempotency-Key`` header;
- answers objects shaped like Stripe's documented ones (PaymentIntent, Refund, Customer,
  SetupIntent, PaymentMethod; errors as ``{"error": {type, code, decline_code, param,
  message, payment_intent, payment_method}}`` with Stripe's status codes);
- behaves like Stripe's test mode for Stripe's test payment methods: the card brands
  succeed, ``pm_card_chargeDeclined*`` and friends decline (402, ``card_error``, the
  decline code), ``pm_card_authenticationRequired`` / ``pm_card_threeDSecure2Required``
  require action (``next_action.type = use_stripe_sdk``), an unknown id is a 400
  ``resource_missing`` on ``payment_method``;
- replays the first answer for an ``Idempotency-Key`` like Stripe does (the same status
  and body, ``Idempotent-Replayed: true``), and answers 400 ``idempotency_error`` when the
  same key comes with other parameters;
- can be told to fail: ``fail_next(500)``, ``fail_next(429)``, ``fail_next("drop")`` (the
  connection closes with no answer), ``fail_next("slow")`` (answers after
  ``SLOW_SECONDS``) apply to the next requests, before any idempotency
  bookkeeping, as a load balancer or network failure would.

Not Stripe: no amounts are checked beyond what the shop sends, no webhooks are sent.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

SECRET_KEY = "sk_test_stub_0123456789"

# Stripe's test cards, as their PaymentMethods describe them.
CARDS: dict[str, tuple[str, str]] = {
    "pm_card_visa": ("visa", "4242"),
    "pm_card_visa_debit": ("visa", "5556"),
    "pm_card_mastercard": ("mastercard", "4444"),
    "pm_card_amex": ("amex", "8431"),
    "pm_card_discover": ("discover", "1117"),
    "pm_card_chargeDeclined": ("visa", "0002"),
    "pm_card_visa_chargeDeclined": ("visa", "0002"),
    "pm_card_chargeDeclinedInsufficientFunds": ("visa", "9995"),
    "pm_card_insufficientFunds": ("visa", "9995"),
    "pm_card_chargeDeclinedLostCard": ("visa", "9987"),
    "pm_card_lostCard": ("visa", "9987"),
    "pm_card_chargeDeclinedExpiredCard": ("visa", "0069"),
    "pm_card_expiredCard": ("visa", "0069"),
    "pm_card_chargeDeclinedIncorrectCvc": ("visa", "0127"),
    "pm_card_authenticationRequired": ("visa", "3184"),
    "pm_card_threeDSecure2Required": ("visa", "3220"),
}
DECLINES = {
    "pm_card_chargeDeclined": "generic_decline",
    "pm_card_visa_chargeDeclined": "generic_decline",
    "pm_card_chargeDeclinedInsufficientFunds": "insufficient_funds",
    "pm_card_insufficientFunds": "insufficient_funds",
    "pm_card_chargeDeclinedLostCard": "lost_card",
    "pm_card_lostCard": "lost_card",
    "pm_card_chargeDeclinedExpiredCard": "expired_card",
    "pm_card_expiredCard": "expired_card",
    "pm_card_chargeDeclinedIncorrectCvc": "incorrect_cvc",
}
NEEDS_ACTION = {"pm_card_authenticationRequired", "pm_card_threeDSecure2Required"}
EXP_MONTH, EXP_YEAR = 12, 2034
SLOW_SECONDS = 1.5


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    idempotency_key: str | None
    authorization: str | None
    stripe_version: str | None


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    # key -> (the request's form, status, body)
    answers: dict[str, tuple[dict[str, str], int, dict[str, Any]]] = field(default_factory=dict)
    faults: deque[int | str] = field(default_factory=deque)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by PI id
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    setup_intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    methods: dict[str, dict[str, Any]] = field(default_factory=dict)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _error(status: int, kind: str, message: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"type": kind, "message": message, **extra}}


class StripeStub:
    """Start with ``StripeStub()`` (or as a context manager); ``close()`` stops it."""

    def __init__(self) -> None:
        self.state = _State()
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                stub._handle(self, "GET")

            def do_POST(self) -> None:
                stub._handle(self, "POST")

            def do_DELETE(self) -> None:
                stub._handle(self, "DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # -- the test's side ------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StripeStub:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self.state.requests)

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def fail_next(self, *faults: int | str) -> None:
        """The next requests fail, in order: an HTTP status (500, 429, 503…), "drop" or
        "slow"."""
        with self._lock:
            self.state.faults.extend(faults)

    def intents(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.state.intents.values())

    def confirm_setup(self, setup_intent_id: str, test_method: str = "pm_card_visa") -> str:
        """What Stripe.js does when the buyer confirms a SetupIntent with a card: a new
        PaymentMethod attached to the intent's customer. Returns its id."""
        with self._lock:
            intent = self.state.setup_intents[setup_intent_id]
            method = self._method(test_method, customer=intent["customer"])
            intent.update(status="succeeded", payment_method=method["id"])
            return str(method["id"])

    # -- the server's side ----------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length).decode() if length else ""
        recorded = Recorded(
            method=method,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            form=dict(parse_qsl(body, keep_blank_values=True)),
            idempotency_key=request.headers.get("Idempotency-Key"),
            authorization=request.headers.get("Authorization"),
            stripe_version=request.headers.get("Stripe-Version"),
        )
        with self._lock:
            self.state.requests.append(recorded)
            fault = self.state.faults.popleft() if self.state.faults else None
        if fault == "slow":
            time.sleep(SLOW_SECONDS)  # then answers normally (the client gave up, or not)
            fault = None
        if fault == "drop":
            request.close_connection = True
            request.connection.close()  # no answer at all: a network failure
            return
        if isinstance(fault, int):
            status, answer = _error(fault, "api_error", f"stub fault {fault}")
            self._send(request, status, answer)
            return
        if recorded.authorization != f"Bearer {SECRET_KEY}":
            status, answer = _error(401, "invalid_request_error", "Invalid API Key provided")
            self._send(request, status, answer)
            return
        key = recorded.idempotency_key if method == "POST" else None
        with self._lock:
            if key is not None and key in self.state.answers:
                form, status, answer = self.state.answers[key]
                if form != recorded.form:
                    status, answer = _error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with.",
                    )
                    replayed = {}
                else:
                    replayed = {"Idempotent-Replayed": "true"}
                self._send(request, status, answer, replayed)
                return
            status, answer = self._route(recorded)
            if key is not None:
                self.state.answers[key] = (recorded.form, status, answer)
        self._send(request, status, answer)

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        answer: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.send_header("Request-Id", _new_id("req"))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def _route(self, r: Recorded) -> tuple[int, dict[str, Any]]:
        segments = [s for s in r.path.split("/") if s]
        match r.method, segments:
            case "POST", ["v1", "payment_intents"]:
                return self._create_intent(r.form)
            case "GET", ["v1", "payment_intents", intent_id]:
                intent = self.state.intents.get(intent_id)
                if intent is None:
                    return self._missing("payment_intent", intent_id)
                return 200, self._expanded(intent, r.query)
            case "POST", ["v1", "refunds"]:
                return self._create_refund(r.form)
            case "POST", ["v1", "customers"]:
                return self._create_customer(r.form)
            case "POST", ["v1", "setup_intents"]:
                return self._create_setup_intent(r.form)
            case "GET", ["v1", "setup_intents", setup_id]:
                intent = self.state.setup_intents.get(setup_id)
                if intent is None:
                    return self._missing("setup_intent", setup_id)
                return 200, self._expanded(intent, r.query)
            case "POST", ["v1", "payment_methods", method_id, "detach"]:
                return self._detach(method_id)
        return _error(404, "invalid_request_error", f"Unrecognized request URL ({r.path})")

    @staticmethod
    def _missing(what: str, ident: str, param: str = "id") -> tuple[int, dict[str, Any]]:
        return _error(
            404 if param == "id" else 400,
            "invalid_request_error",
            f"No such {what}: '{ident}'",
            code="resource_missing",
            param=param,
        )

    def _expanded(self, obj: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        out = dict(obj)
        expand = {v for k, v in params.items() if k.startswith("expand[")}
        if "payment_method" in expand and isinstance(out.get("payment_method"), str):
            out["payment_method"] = self.state.methods.get(out["payment_method"])
        return out

    def _method(self, test_method: str, customer: str | None = None) -> dict[str, Any]:
        """A PaymentMethod object for a test method id (the stub keeps one per id, or a
        new one per SetupIntent confirmation, as Stripe creates)."""
        brand, last4 = CARDS[test_method]
        method_id = test_method if customer is None else _new_id("pm")
        method = self.state.methods.get(method_id) or {
            "id": method_id,
            "object": "payment_method",
            "type": "card",
            "customer": customer,
            "card": {
                "brand": brand,
                "last4": last4,
                "exp_month": EXP_MONTH,
                "exp_year": EXP_YEAR,
                "country": "US",
                "funding": "credit",
            },
            "livemode": False,
            "metadata": {},
        }
        self.state.methods[method_id] = method
        return method

    def _create_intent(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        for name in ("amount", "currency"):
            if name not in form:
                return _error(
                    400,
                    "invalid_request_error",
                    f"Missing required param: {name}.",
                    code="parameter_missing",
                    param=name,
                )
        pm = form.get("payment_method", "")
        known = pm in CARDS or pm in self.state.methods
        if not known:
            return self._missing("PaymentMethod", pm, param="payment_method")
        method = self.state.methods.get(pm) or self._method(pm)
        if method.get("customer") and method["customer"] != form.get("customer"):
            return _error(
                400,
                "invalid_request_error",
                "The provided PaymentMethod belongs to another customer.",
                param="payment_method",
            )
        intent_id = _new_id("pi")
        intent: dict[str, Any] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(form["amount"]),
            "amount_received": 0,
            "currency": form["currency"],
            "customer": form.get("customer"),
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "confirmation_method": "automatic",
            "capture_method": "automatic",
            "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
            "payment_method": method["id"],
            "payment_method_types": [
                v for k, v in form.items() if k.startswith("payment_method_types[")
            ],
            "latest_charge": None,
            "last_payment_error": None,
            "next_action": None,
            "livemode": False,
            "status": "requires_confirmation",
        }
        self.state.intents[intent_id] = intent
        expand = {k: v for k, v in form.items() if k.startswith("expand[")}
        if form.get("confirm") != "true":
            return 200, self._expanded(intent, expand)
        base = method["id"] if method["id"] in CARDS else None
        if base in DECLINES:
            code = DECLINES[base]
            error = {
                "type": "card_error",
                "code": "card_declined" if code != "expired_card" else "expired_card",
                "decline_code": code,
                "message": "Your card was declined.",
                "param": "",
                "charge": _new_id("ch"),
                "payment_method": method,
            }
            intent.update(status="requires_payment_method", last_payment_error=error)
            return 402, {"error": {**error, "payment_intent": self._expanded(intent, {})}}
        if base in NEEDS_ACTION:
            intent.update(
                status="requires_action",
                next_action={
                    "type": "use_stripe_sdk",
                    "use_stripe_sdk": {"type": "three_d_secure_redirect"},
                },
            )
            return 200, self._expanded(intent, expand)
        intent.update(
            status="succeeded", amount_received=intent["amount"], latest_charge=_new_id("ch")
        )
        return 200, self._expanded(intent, expand)

    def _create_refund(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        intent = self.state.intents.get(form.get("payment_intent", ""))
        if intent is None:
            return self._missing("payment_intent", form.get("payment_intent", ""), "payment_intent")
        if intent["status"] != "succeeded":
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        done = self.state.refunds.setdefault(intent["id"], [])
        left = intent["amount_received"] - sum(r["amount"] for r in done)
        amount = int(form.get("amount", left))
        if left <= 0:
            return _error(
                400,
                "invalid_request_error",
                "Charge has already been refunded.",
                code="charge_already_refunded",
            )
        if amount > left:
            return _error(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                param="amount",
            )
        refund = {
            "id": _new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "charge": intent["latest_charge"],
            "payment_intent": intent["id"],
            "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
            "reason": form.get("reason"),
            "status": "succeeded",
        }
        done.append(refund)
        return 200, refund

    def _create_customer(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        customer = {
            "id": _new_id("cus"),
            "object": "customer",
            "email": form.get("email"),
            "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
            "livemode": False,
        }
        self.state.customers[customer["id"]] = customer
        return 200, customer

    def _create_setup_intent(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        customer = form.get("customer")
        if customer is not None and customer not in self.state.customers:
            return self._missing("customer", customer, "customer")
        setup_id = _new_id("seti")
        intent = {
            "id": setup_id,
            "object": "setup_intent",
            "client_secret": f"{setup_id}_secret_{secrets.token_hex(8)}",
            "customer": customer,
            "usage": form.get("usage", "off_session"),
            "payment_method": None,
            "payment_method_types": [
                v for k, v in form.items() if k.startswith("payment_method_types[")
            ],
            "status": "requires_payment_method",
            "livemode": False,
        }
        self.state.setup_intents[setup_id] = intent
        return 200, intent

    def _detach(self, method_id: str) -> tuple[int, dict[str, Any]]:
        method = self.state.methods.get(method_id)
        if method is None:
            return self._missing("PaymentMethod", method_id)
        if method.get("customer") is None:
            return _error(
                400,
                "invalid_request_error",
                "The payment method you provided is not attached to a customer so "
                "detachment is impossible.",
            )
        method["customer"] = None
        return 200, method
