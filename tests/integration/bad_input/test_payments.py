"""Bad input on the payments routes (payments that finish later).

The webhook takes the provider's raw, signed body (no JSON model, no token): anything not
signed with the stage's webhook secret, or signed too long ago, is a 400 and changes
nothing. (Signed bodies that are not events, and events that match nothing, are in
tests/integration/test_payments_webhook.py, which knows the secret.)
"""

from __future__ import annotations

import json
from dataclasses import replace

from adapters.webhook_signature import sign
from tests.integration.bad_input.cases import Case, Raw, body_cases, by_route, err, table_test

EVENT = json.dumps(
    {
        "id": "evt_bad_input",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": 1796000000,
        "data": {"object": {"id": "pi_test_1", "amount": 100, "currency": "usd"}},
    }
)
FORGED = sign(EVENT.encode(), "whsec_not_this_stage", 4102444800)  # year 2100: not stale
STALE = sign(EVENT.encode(), "whsec_not_this_stage", 1_000_000_000)


ANOTHER_ORDER = "ord_01JD0000000000000000000000"
RETRY = {"paymentMethod": "pm_card_visa"}
KEY = {"idempotency-key": "bad-input-retry"}


def retry(
    name: str,
    body: object = RETRY,
    *,
    path: str = f"/orders/{ANOTHER_ORDER}/payments",
    headers: dict[str, str] | None = None,
    **kw: object,
) -> Case:
    return Case(
        f"retry: {name}", "POST", path, body, headers=KEY if headers is None else headers, **kw
    )  # type: ignore[arg-type]


AUTHENTICATE = {"clientSecret": "pi_test_nobody_secret_x", "outcome": "succeed"}


def authenticate(name: str, body: object, **kw: object) -> Case:
    return Case(f"authenticate: {name}", "POST", "/payments/test/authenticate", body, None, **kw)  # type: ignore[arg-type]


def webhook(name: str, body: object, headers: dict[str, str], **kw: object) -> Case:
    return Case(
        f"webhook: {name}",
        "POST",
        "/payments/webhook",
        body,
        None,
        status=400,
        code="invalid_signature",
        headers=headers,
        **kw,
    )  # type: ignore[arg-type]


CASES: list[Case] = by_route([
    webhook("no signature", Raw(EVENT), {}),
    webhook("an empty signature", Raw(EVENT), {"stripe-signature": ""}),
    webhook("no v1", Raw(EVENT), {"stripe-signature": "t=4102444800"}),
    webhook("a timestamp that is no number", Raw(EVENT), {"stripe-signature": "t=x,v1=ab"}),
    webhook("another secret's signature", Raw(EVENT), {"stripe-signature": FORGED}),
    webhook("a stale signature", Raw(EVENT), {"stripe-signature": STALE}),
    webhook("malformed JSON, unsigned", Raw(EVENT[:-1]), {}),
    webhook("nothing at all", Raw(""), {}),
    # -- POST /payments/test/authenticate (public, test mode) ------------------------------
    *body_cases("authenticate", "POST", "/payments/test/authenticate", token=None,
                valid=AUTHENTICATE),
    authenticate("nothing", {}, errors=err(("body.clientSecret", "missing"),
                                           ("body.outcome", "missing"))),
    authenticate("an unknown field", {**AUTHENTICATE, "amount": 1},
                 errors=err(("body.amount", "extra_forbidden"))),
    authenticate("another outcome", {**AUTHENTICATE, "outcome": "maybe"},
                 errors=err(("body.outcome", "literal_error"))),
    authenticate("a secret that is no client secret", {**AUTHENTICATE, "clientSecret": "sk_x"},
                 errors=err(("body.clientSecret", "string_pattern_mismatch"))),
    authenticate("a snake_case name", {"client_secret": "pi_x", "outcome": "succeed"},
                 errors=err(("body.client_secret", "extra_forbidden"))),
    authenticate("no such payment", {**AUTHENTICATE}, status=404, code="payment_not_found"),
    # -- GET /orders/{orderId}/payments ---------------------------------------------------
    Case("payments of an order: malformed id", "GET", "/orders/nope/payments",
         errors=err(("path.orderId", "string_pattern_mismatch"))),
    Case("payments of an order: unknown", "GET", f"/orders/{ANOTHER_ORDER}/payments",
         status=404, code="order_not_found"),
    # -- POST /orders/{orderId}/payments (Idempotency-Key) ---------------------------------
    *[replace(c, headers=KEY) for c in body_cases(
        "retry", "POST", f"/orders/{ANOTHER_ORDER}/payments", token="customer", valid=RETRY)],
    retry("no Idempotency-Key", headers={}, status=428, code="idempotency_key_required"),
    retry("a key with a space", headers={"idempotency-key": "two words"},
          errors=err(("header.idempotency-key", "string_pattern_mismatch"))),
    retry("no method", {}, errors=err(("body.paymentMethod", "missing"))),
    retry("a method that is no payment method", {"paymentMethod": "card 4242"},
          errors=err(("body.paymentMethod", "string_pattern_mismatch"))),
    retry("an unknown field", {**RETRY, "amount": 1},
          errors=err(("body.amount", "extra_forbidden"))),
    retry("a malformed order id", path="/orders/nope/payments",
          errors=err(("path.orderId", "string_pattern_mismatch"))),
    retry("someone else's or no order", status=404, code="order_not_found"),
    retry("an admin", token="admin", status=403, code="forbidden_role"),
])  # fmt: skip

test_bad_input = table_test(CASES)
