"""Bad input on the stock routes."""

from __future__ import annotations

import pytest

from tests.integration.bad_input.cases import (
    ANOTHER_PRODUCT,
    ANOTHER_USER,
    Case,
    World,
    body_cases,
    by_route,
    check,
    err,
    grouped,
)
from tests.support.lambda_api import LambdaApi

CASES: list[Case] = by_route([
    # -- GET /products/{productId}/inventory -----------------------------------------------
    Case("get stock: malformed id", "GET", "/products/nope/inventory", token="seller",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("get stock: unknown", "GET", f"/products/{ANOTHER_PRODUCT}/inventory", token="seller",
         status=404, code="product_not_found"),
    # -- PUT /products/{productId}/inventory -----------------------------------------------
    Case("set stock: nothing at all", "PUT", "/products/{product}/inventory", {}, "seller",
         errors=err(("body.available", "missing"))),
    Case("set stock: negative", "PUT", "/products/{product}/inventory", {"available": -1},
         "seller", errors=err(("body.available", "greater_than_equal"))),
    Case("set stock: float", "PUT", "/products/{product}/inventory", {"available": 2.5},
         "seller", errors=err(("body.available", "int_type"))),
    Case("set stock: string", "PUT", "/products/{product}/inventory", {"available": "5"},
         "seller", errors=err(("body.available", "int_type"))),
    Case("set stock: boolean", "PUT", "/products/{product}/inventory", {"available": True},
         "seller", errors=err(("body.available", "int_type"))),
    Case("set stock: above a million", "PUT", "/products/{product}/inventory",
         {"available": 1_000_001}, "seller", errors=err(("body.available", "less_than_equal"))),
    Case("set stock: negative threshold", "PUT", "/products/{product}/inventory",
         {"available": 5, "lowStockThreshold": -2}, "seller",
         errors=err(("body.lowStockThreshold", "greater_than_equal"))),
    Case("set stock: note of 301", "PUT", "/products/{product}/inventory",
         {"available": 5, "note": "n" * 301}, "seller",
         errors=err(("body.note", "string_too_long"))),
    Case("set stock: mass assignment", "PUT", "/products/{product}/inventory",
         {"available": 5, "reserved": 0, "productId": ANOTHER_PRODUCT, "status": "in_stock"},
         "seller", errors=err(("body.reserved", "extra_forbidden"),
                               ("body.productId", "extra_forbidden"),
                               ("body.status", "extra_forbidden"))),
    Case("set stock: malformed id", "PUT", "/products/nope/inventory", {"available": 5}, "seller",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("set stock: unknown", "PUT", f"/products/{ANOTHER_PRODUCT}/inventory", {"available": 5},
         "seller", status=404, code="product_not_found"),
    *body_cases("set stock", "PUT", "/products/{product}/inventory", token="seller",
                 valid={"available": 5}),
    # -- POST /products/{productId}/inventory/adjustments ----------------------------------
    Case("adjust stock: nothing at all", "POST", "/products/{product}/inventory/adjustments", {},
         "seller", errors=err(("body.delta", "missing"), ("body.reason", "missing"))),
    Case("adjust stock: zero", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 0, "reason": "correction"}, "seller", code="delta_range"),
    Case("adjust stock: float", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 1.5, "reason": "restock"}, "seller", errors=err(("body.delta", "int_type"))),
    Case("adjust stock: string", "POST", "/products/{product}/inventory/adjustments",
         {"delta": "+3", "reason": "restock"}, "seller", errors=err(("body.delta", "int_type"))),
    Case("adjust stock: above a million", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 1_000_001, "reason": "restock"}, "seller",
         errors=err(("body.delta", "less_than_equal"))),
    Case("adjust stock: below minus a million", "POST",
         "/products/{product}/inventory/adjustments", {"delta": -1_000_001, "reason": "damage"},
         "seller", errors=err(("body.delta", "greater_than_equal"))),
    Case("adjust stock: unknown reason", "POST", "/products/{product}/inventory/adjustments",
         {"delta": -1, "reason": "theft"}, "seller", errors=err(("body.reason", "enum"))),
    Case("adjust stock: a stock count", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 3, "reason": "stock_count"}, "seller", code="invalid_reason"),
    Case("adjust stock: below zero", "POST", "/products/{product}/inventory/adjustments",
         {"delta": -5, "reason": "damage"}, "seller", status=409, code="insufficient_stock"),
    Case("adjust stock: mass assignment", "POST", "/products/{product}/inventory/adjustments",
         {"delta": 3, "reason": "restock", "availableAfter": 99, "actorId": ANOTHER_USER,
          "adjustmentId": "adj_01JD0000000000000000000000"}, "seller",
         errors=err(("body.availableAfter", "extra_forbidden"),
                     ("body.actorId", "extra_forbidden"),
                     ("body.adjustmentId", "extra_forbidden"))),
    Case("adjust stock: malformed id", "POST", "/products/nope/inventory/adjustments",
         {"delta": 3, "reason": "restock"}, "seller",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("adjust stock: unknown", "POST", f"/products/{ANOTHER_PRODUCT}/inventory/adjustments",
         {"delta": 3, "reason": "restock"}, "seller", status=404, code="product_not_found"),
    *body_cases("adjust stock", "POST", "/products/{product}/inventory/adjustments",
                 token="seller", valid={"delta": 3, "reason": "restock"}),
])  # fmt: skip

GROUPS = grouped(CASES)


@pytest.mark.parametrize("cases", list(GROUPS.values()), ids=list(GROUPS))
def test_bad_input(api: LambdaApi, world: World, cases: list[Case]) -> None:
    for case in cases:
        check(api, world, case)
