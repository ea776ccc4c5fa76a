"""Bad input on the checkout and order routes (the orders area)."""

from __future__ import annotations

from dataclasses import replace

from tests.integration.bad_input.cases import (
    ANOTHER_ADDRESS,
    ANOTHER_USER,
    Case,
    body_cases,
    by_route,
    cursor,
    err,
    table_test,
)

ANOTHER_ORDER = "ord_01JD0000000000000000000000"
KEY = {"idempotency-key": "bad-input-1"}
ADDRESS = {
    "fullName": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postalCode": "SW1Y 4JH",
    "country": "GB",
}
CHECKOUT = {"shippingAddress": ADDRESS, "paymentMethod": "pm_card_visa"}
SHIP = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784"}
GSI1_CURSOR = cursor(
    {"PK": "ORDER#x", "SK": "METADATA", "GSI1PK": f"USER#{ANOTHER_USER}", "GSI1SK": "ORDER#x"}
)


def checkout(
    name: str, body: object = CHECKOUT, *, headers: dict[str, str] | None = None, **kw: object
) -> Case:
    return Case(
        f"checkout: {name}",
        "POST",
        "/checkout",
        body,
        headers=KEY if headers is None else headers,
        **kw,
    )  # type: ignore[arg-type]


CASES: list[Case] = by_route([
    # -- POST /checkout ---------------------------------------------------------------------
    checkout("no Idempotency-Key", headers={}, status=428, code="idempotency_key_required"),
    checkout("no key and no body", {}, headers={},
             errors=err(("header.idempotency-key", "missing"), ("body.paymentMethod", "missing"))),
    checkout("a key of 256", headers={"idempotency-key": "k" * 256},
             errors=err(("header.idempotency-key", "string_pattern_mismatch"))),
    checkout("a key with a space", headers={"idempotency-key": "two words"},
             errors=err(("header.idempotency-key", "string_pattern_mismatch"))),
    checkout("an empty key", headers={"idempotency-key": ""},
             errors=err(("header.idempotency-key", "string_pattern_mismatch"))),
    checkout("nothing at all", {}, errors=err(("body.paymentMethod", "missing"))),
    checkout("no address", {"paymentMethod": "pm_card_visa"}, errors=err(("body", "value_error"))),
    checkout("both addresses", {**CHECKOUT, "addressId": ANOTHER_ADDRESS},
             errors=err(("body", "value_error"))),
    checkout("a null address", {"shippingAddress": None, "addressId": ANOTHER_ADDRESS,
                                "paymentMethod": "pm_card_visa"},
             errors=err(("body.shippingAddress", "model_attributes_type"))),
    checkout("malformed address id", {"addressId": "adr_1", "paymentMethod": "pm_card_visa"},
             errors=err(("body.addressId", "string_pattern_mismatch"))),
    checkout("not a payment method", {**CHECKOUT, "paymentMethod": "card 4242"},
             errors=err(("body.paymentMethod", "string_pattern_mismatch"))),
    checkout("a numeric payment method", {**CHECKOUT, "paymentMethod": 4242},
             errors=err(("body.paymentMethod", "string_type"))),
    checkout("address without a city", {**CHECKOUT, "shippingAddress": {
        k: v for k, v in ADDRESS.items() if k != "city"}},
             errors=err(("body.shippingAddress.city", "missing"))),
    checkout("lower-case country", {**CHECKOUT, "shippingAddress": {**ADDRESS, "country": "gb"}},
             errors=err(("body.shippingAddress.country", "string_pattern_mismatch"))),
    checkout("address not an object", {**CHECKOUT, "shippingAddress": "London"},
             errors=err(("body.shippingAddress", "model_attributes_type"))),
    checkout("mass assignment", {**CHECKOUT, "userId": ANOTHER_USER, "status": "confirmed",
                                 "totals": {"total": 1}, "lines": []},
             errors=err(("body.userId", "extra_forbidden"), ("body.status", "extra_forbidden"),
                        ("body.totals", "extra_forbidden"), ("body.lines", "extra_forbidden"))),
    checkout("address mass assignment", {**CHECKOUT, "shippingAddress": {**ADDRESS, "userId": "x"}},
             errors=err(("body.shippingAddress.userId", "extra_forbidden"))),
    checkout("an empty cart", status=422, code="empty_cart"),
    checkout("an empty cart, a stranger's address",
             {"addressId": ANOTHER_ADDRESS, "paymentMethod": "pm_card_visa"}, status=422,
             code="empty_cart"),
    *[replace(c, headers=KEY) for c in body_cases(
        "checkout", "POST", "/checkout", token="customer", valid=CHECKOUT)],
    # -- GET /orders ------------------------------------------------------------------------
    Case("my orders: limit 0", "GET", "/orders?limit=0",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("my orders: limit 101", "GET", "/orders?limit=101",
         errors=err(("query.limit", "less_than_equal"))),
    Case("my orders: cursor of 2049", "GET", "/orders?cursor=" + "c" * 2049,
         errors=err(("query.cursor", "string_too_long"))),
    Case("my orders: garbage cursor", "GET", "/orders?cursor=junk", status=404,
         code="cursor_not_found"),
    Case("my orders: another user's cursor", "GET", f"/orders?cursor={GSI1_CURSOR}", status=404,
         code="cursor_not_found"),
    # -- GET /orders/{orderId} --------------------------------------------------------------
    Case("an order: malformed id", "GET", "/orders/nope",
         errors=err(("path.orderId", "string_pattern_mismatch"))),
    Case("an order: unknown", "GET", f"/orders/{ANOTHER_ORDER}", status=404,
         code="order_not_found"),
    # -- POST /orders/{orderId}/cancel (no body) ------------------------------------------------
    Case("cancel mine: malformed id", "POST", "/orders/nope/cancel",
         errors=err(("path.orderId", "string_pattern_mismatch"))),
    Case("cancel mine: unknown", "POST", f"/orders/{ANOTHER_ORDER}/cancel", status=404,
         code="order_not_found"),
    Case("cancel mine: a body is ignored", "POST", f"/orders/{ANOTHER_ORDER}/cancel",
         {"status": "cancelled", "refundOwed": 0}, status=404, code="order_not_found"),
    # -- GET /admin/orders --------------------------------------------------------------------
    Case("admin orders: unknown status", "GET", "/admin/orders?status=lost", token="admin",
         errors=err(("query.status", "enum"))),
    Case("admin orders: from not a date", "GET", "/admin/orders?from=yesterday", token="admin",
         errors=err(("query.from", "value_error"))),
    Case("admin orders: a number for a day", "GET", "/admin/orders?to=0", token="admin",
         errors=err(("query.to", "value_error"))),
    Case("admin orders: to not a date", "GET", "/admin/orders?to=2026-02-30", token="admin",
         errors=err(("query.to", "date_from_datetime_parsing"))),
    Case("admin orders: limit 0", "GET", "/admin/orders?limit=0", token="admin",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("admin orders: garbage cursor", "GET", "/admin/orders?cursor=junk", token="admin",
         status=404, code="cursor_not_found"),
    Case("admin orders: a cursor of another status", "GET",
         "/admin/orders?status=confirmed&cursor=" + cursor(
             {"PK": "ORDER#x", "SK": "METADATA", "GSI2PK": "ORDERSTATUS#shipped",
              "GSI2SK": "x"}), token="admin", status=404, code="cursor_not_found"),
    # -- POST /admin/orders/{orderId}/ship ----------------------------------------------------
    Case("ship: nothing at all", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship", {}, "admin",
         errors=err(("body.carrier", "missing"), ("body.trackingNumber", "missing"))),
    Case("ship: blank carrier", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship",
         {**SHIP, "carrier": "  "}, "admin", errors=err(("body.carrier", "string_too_short"))),
    Case("ship: tracking number with a slash", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship",
         {**SHIP, "trackingNumber": "1Z/99"}, "admin",
         errors=err(("body.trackingNumber", "string_pattern_mismatch"))),
    Case("ship: delivery not a date", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship",
         {**SHIP, "estimatedDelivery": "soon"}, "admin",
         errors=err(("body.estimatedDelivery", "value_error"))),
    Case("ship: delivery as a number", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship",
         {**SHIP, "estimatedDelivery": 20261204}, "admin",
         errors=err(("body.estimatedDelivery", "value_error"))),
    Case("ship: mass assignment", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship",
         {**SHIP, "status": "delivered"}, "admin",
         errors=err(("body.status", "extra_forbidden"))),
    Case("ship: malformed id", "POST", "/admin/orders/nope/ship", SHIP, "admin",
         errors=err(("path.orderId", "string_pattern_mismatch"))),
    Case("ship: unknown", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship", SHIP, "admin",
         status=404, code="order_not_found"),
    *body_cases("ship", "POST", f"/admin/orders/{ANOTHER_ORDER}/ship", token="admin", valid=SHIP),
    # -- POST /admin/orders/{orderId}/deliver (no body) -------------------------------------------
    Case("deliver: malformed id", "POST", "/admin/orders/nope/deliver", token="admin",
         errors=err(("path.orderId", "string_pattern_mismatch"))),
    Case("deliver: unknown, a body is ignored", "POST", f"/admin/orders/{ANOTHER_ORDER}/deliver",
         {"status": "delivered"}, "admin", status=404, code="order_not_found"),
    # -- POST /admin/orders/{orderId}/cancel -----------------------------------------------------
    Case("admin cancel: no reason", "POST", f"/admin/orders/{ANOTHER_ORDER}/cancel", {}, "admin",
         errors=err(("body.reason", "missing"))),
    Case("admin cancel: blank reason", "POST", f"/admin/orders/{ANOTHER_ORDER}/cancel",
         {"reason": " "}, "admin", errors=err(("body.reason", "string_too_short"))),
    Case("admin cancel: reason of 501", "POST", f"/admin/orders/{ANOTHER_ORDER}/cancel",
         {"reason": "r" * 501}, "admin", errors=err(("body.reason", "string_too_long"))),
    Case("admin cancel: mass assignment", "POST", f"/admin/orders/{ANOTHER_ORDER}/cancel",
         {"reason": "fraud", "refundOwed": 0}, "admin",
         errors=err(("body.refundOwed", "extra_forbidden"))),
    Case("admin cancel: unknown", "POST", f"/admin/orders/{ANOTHER_ORDER}/cancel",
         {"reason": "fraud"}, "admin", status=404, code="order_not_found"),
    *body_cases("admin cancel", "POST", f"/admin/orders/{ANOTHER_ORDER}/cancel", token="admin",
                valid={"reason": "fraud"}),
    # -- GET /sellers/me/orders -------------------------------------------------------------------
    Case("seller orders: limit 0", "GET", "/sellers/me/orders?limit=0", token="seller",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("seller orders: garbage cursor", "GET", "/sellers/me/orders?cursor=junk", token="seller",
         status=404, code="cursor_not_found"),
])  # fmt: skip

test_bad_input = table_test(CASES)
