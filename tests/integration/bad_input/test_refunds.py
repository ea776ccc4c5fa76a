"""Bad input on the refund route (payments, issue 9: refunds)."""

from __future__ import annotations

from dataclasses import replace

from tests.integration.bad_input.cases import Case, body_cases, by_route, err, table_test

ANOTHER_ORDER = "ord_01JD0000000000000000000000"
PATH = f"/admin/orders/{ANOTHER_ORDER}/refunds"
KEY = {"idempotency-key": "bad-refund-1"}
REFUND = {"amount": 500, "reason": "damaged in transit"}


def refund(
    name: str,
    body: object = REFUND,
    *,
    headers: dict[str, str] | None = None,
    path: str = PATH,
    **kw: object,
) -> Case:
    return Case(
        f"refund: {name}",
        "POST",
        path,
        body,
        "admin",
        headers=KEY if headers is None else headers,
        **kw,
    )  # type: ignore[arg-type]


CASES: list[Case] = by_route([
    refund("no Idempotency-Key", headers={}, status=428, code="idempotency_key_required"),
    refund("no key and no body", {}, headers={},
           errors=err(("header.idempotency-key", "missing"), ("body.amount", "missing"),
                      ("body.reason", "missing"))),
    refund("a key with a space", headers={"idempotency-key": "two words"},
           errors=err(("header.idempotency-key", "string_pattern_mismatch"))),
    refund("nothing at all", {},
           errors=err(("body.amount", "missing"), ("body.reason", "missing"))),
    refund("no reason", {"amount": 500}, errors=err(("body.reason", "missing"))),
    refund("blank reason", {**REFUND, "reason": "  "},
           errors=err(("body.reason", "string_too_short"))),
    refund("reason of 501", {**REFUND, "reason": "r" * 501},
           errors=err(("body.reason", "string_too_long"))),
    refund("amount 0", {**REFUND, "amount": 0}, errors=err(("body.amount", "greater_than_equal"))),
    refund("a negative amount", {**REFUND, "amount": -500},
           errors=err(("body.amount", "greater_than_equal"))),
    refund("an amount past any order", {**REFUND, "amount": 10**11 + 1},
           errors=err(("body.amount", "less_than_equal"))),
    refund("a fractional amount", {**REFUND, "amount": 5.5},
           errors=err(("body.amount", "int_type"))),
    refund("an amount as text", {**REFUND, "amount": "500"},
           errors=err(("body.amount", "int_type"))),
    refund("restock as text", {**REFUND, "restock": "yes"},
           errors=err(("body.restock", "bool_type"))),
    refund("mass assignment", {**REFUND, "status": "succeeded", "refundId": "rfd_x",
                               "currency": "EUR"},
           errors=err(("body.status", "extra_forbidden"), ("body.refundId", "extra_forbidden"),
                      ("body.currency", "extra_forbidden"))),
    refund("malformed id", path="/admin/orders/nope/refunds",
           errors=err(("path.orderId", "string_pattern_mismatch"))),
    refund("unknown order", status=404, code="order_not_found"),
    *[replace(c, headers=KEY) for c in body_cases(
        "refund", "POST", PATH, token="admin", valid=REFUND)],
])  # fmt: skip

test_bad_input = table_test(CASES)
