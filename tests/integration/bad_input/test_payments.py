"""Bad input on the payments routes (payments that finish later).

The webhook takes the provider's raw, signed body (no JSON model, no token): anything not
signed with the stage's webhook secret, or signed too long ago, is a 400 and changes
nothing. (Signed bodies that are not events, and events that match nothing, are in
tests/integration/test_payments_webhook.py, which knows the secret.)
"""

from __future__ import annotations

import json

from adapters.webhook_signature import sign
from tests.integration.bad_input.cases import Case, Raw, by_route, table_test

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
])  # fmt: skip

test_bad_input = table_test(CASES)
