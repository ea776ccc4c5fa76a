"""Bad input on the sellers' routes: opening a shop, a shop's page, my products."""

from __future__ import annotations

from tests.integration.bad_input.cases import (
    ANOTHER_PRODUCT,
    ANOTHER_SELLER,
    ANOTHER_USER,
    LONG_EMAIL,
    Case,
    body_cases,
    by_route,
    cursor,
    err,
    table_test,
)

SHOP = {"shopName": "Lamp Shop", "contactEmail": "shop@shop.example"}
# A real-looking start key of another seller's product list: a 404, never a start key.
OTHER_SELLERS_CURSOR = cursor({
    "PK": f"PRODUCT#{ANOTHER_PRODUCT}", "SK": "METADATA", "GSI2PK": f"SELLER#{ANOTHER_SELLER}",
    "GSI2SK": f"2024-01-01T00:00:00.000000Z#{ANOTHER_PRODUCT}"})  # fmt: skip

CASES: list[Case] = by_route([
    # -- POST /sellers -----------------------------------------------------------------------
    Case("become seller: nothing at all", "POST", "/sellers", {}, errors=err(
        ("body.shopName", "missing"), ("body.contactEmail", "missing"))),
    Case("become seller: mass assignment", "POST", "/sellers",
         {**SHOP, "sellerId": ANOTHER_SELLER, "userId": ANOTHER_USER, "role": "admin",
          "status": "active"},
         errors=err(("body.sellerId", "extra_forbidden"), ("body.userId", "extra_forbidden"),
                     ("body.role", "extra_forbidden"), ("body.status", "extra_forbidden"))),
    Case("become seller: number for shop name", "POST", "/sellers", {**SHOP, "shopName": 7},
         errors=err(("body.shopName", "string_type"))),
    Case("become seller: shop name of 1", "POST", "/sellers", {**SHOP, "shopName": "x"},
         errors=err(("body.shopName", "string_too_short"))),
    Case("become seller: shop name of 81", "POST", "/sellers", {**SHOP, "shopName": "x" * 81},
         errors=err(("body.shopName", "string_too_long"))),
    Case("become seller: description of 2001", "POST", "/sellers",
         {**SHOP, "description": "d" * 2001}, errors=err(("body.description", "string_too_long"))),
    Case("become seller: not an email", "POST", "/sellers", {**SHOP, "contactEmail": "shop@"},
         errors=err(("body.contactEmail", "string_pattern_mismatch"))),
    Case("become seller: email of 258", "POST", "/sellers", {**SHOP, "contactEmail": LONG_EMAIL},
         errors=err(("body.contactEmail", "string_too_long"))),
    *body_cases("become seller", "POST", "/sellers", token="customer", valid=SHOP),
    # -- GET /sellers/{sellerId} -----------------------------------------------------------
    Case("get seller: malformed id", "GET", "/sellers/nope", token=None,
         errors=err(("path.sellerId", "string_pattern_mismatch"))),
    Case("get seller: injected id", "GET", "/sellers/sel_x'%20OR%201=1", token=None,
         errors=err(("path.sellerId", "string_pattern_mismatch"))),
    Case("get seller: unknown", "GET", f"/sellers/{ANOTHER_SELLER}", token=None, status=404,
         code="seller_not_found"),
    # -- GET /sellers/me/products ----------------------------------------------------------
    Case("my products: unknown status", "GET", "/sellers/me/products?status=live", token="seller",
         errors=err(("query.status", "enum"))),
    Case("my products: limit 0", "GET", "/sellers/me/products?limit=0", token="seller",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("my products: limit 101", "GET", "/sellers/me/products?limit=101", token="seller",
         errors=err(("query.limit", "less_than_equal"))),
    Case("my products: limit abc", "GET", "/sellers/me/products?limit=abc", token="seller",
         errors=err(("query.limit", "int_type"))),
    Case("my products: garbage cursor", "GET", "/sellers/me/products?cursor=garbage",
         token="seller", status=404, code="cursor_not_found"),
    Case("my products: another seller's cursor", "GET",
         f"/sellers/me/products?cursor={OTHER_SELLERS_CURSOR}", token="seller", status=404,
         code="cursor_not_found"),
])  # fmt: skip

test_bad_input = table_test(CASES)
