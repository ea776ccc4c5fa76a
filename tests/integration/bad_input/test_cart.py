"""Bad input on the cart routes (each refused without writing anything)."""

from __future__ import annotations

from tests.integration.bad_input.cases import (
    ANOTHER_ADDRESS,
    ANOTHER_PRODUCT,
    ANOTHER_USER,
    Case,
    body_cases,
    by_route,
    err,
    table_test,
)

LINE = {"productId": ANOTHER_PRODUCT, "quantity": 1}

CASES: list[Case] = by_route([
    # -- GET /cart ------------------------------------------------------------------------
    Case("get cart: malformed address id", "GET", "/cart?addressId=nope",
         errors=err(("query.addressId", "string_pattern_mismatch"))),
    Case("get cart: someone else's address", "GET", f"/cart?addressId={ANOTHER_ADDRESS}",
         status=404, code="address_not_found"),
    Case("get cart: an admin", "GET", "/cart", token="admin", status=403,
         code="forbidden_role"),
    # -- POST /cart/items -----------------------------------------------------------------
    Case("add to cart: nothing at all", "POST", "/cart/items", {}, errors=err(
        ("body.productId", "missing"), ("body.quantity", "missing"))),
    Case("add to cart: quantity 0", "POST", "/cart/items", {**LINE, "quantity": 0},
         errors=err(("body.quantity", "greater_than_equal"))),
    Case("add to cart: quantity 100", "POST", "/cart/items", {**LINE, "quantity": 100},
         errors=err(("body.quantity", "less_than_equal"))),
    Case("add to cart: quantity 1.5", "POST", "/cart/items", {**LINE, "quantity": 1.5},
         errors=err(("body.quantity", "int_type"))),
    Case("add to cart: string quantity", "POST", "/cart/items", {**LINE, "quantity": "2"},
         errors=err(("body.quantity", "int_type"))),
    Case("add to cart: boolean quantity", "POST", "/cart/items", {**LINE, "quantity": True},
         errors=err(("body.quantity", "int_type"))),
    Case("add to cart: malformed product id", "POST", "/cart/items",
         {**LINE, "productId": "prd_nope"},
         errors=err(("body.productId", "string_pattern_mismatch"))),
    Case("add to cart: snake_case", "POST", "/cart/items", {"product_id": ANOTHER_PRODUCT,
         "quantity": 1}, errors=err(("body.product_id", "extra_forbidden"),
                                     ("body.productId", "missing"))),
    Case("add to cart: mass assignment", "POST", "/cart/items",
         {**LINE, "held": 5, "priceSeen": 1, "userId": ANOTHER_USER},
         errors=err(("body.held", "extra_forbidden"), ("body.priceSeen", "extra_forbidden"),
                    ("body.userId", "extra_forbidden"))),
    Case("add to cart: unknown product", "POST", "/cart/items", LINE, status=404,
         code="product_not_found"),
    Case("add to cart: an admin", "POST", "/cart/items", LINE, token="admin", status=403,
         code="forbidden_role"),
    *body_cases("add to cart", "POST", "/cart/items", token="customer", valid=LINE),
    # -- PATCH /cart/items/{productId} ----------------------------------------------------
    Case("change quantity: nothing at all", "PATCH", f"/cart/items/{ANOTHER_PRODUCT}", {},
         errors=err(("body.quantity", "missing"))),
    Case("change quantity: 0 (remove the line instead)", "PATCH",
         f"/cart/items/{ANOTHER_PRODUCT}", {"quantity": 0},
         errors=err(("body.quantity", "greater_than_equal"))),
    Case("change quantity: null", "PATCH", f"/cart/items/{ANOTHER_PRODUCT}", {"quantity": None},
         errors=err(("body.quantity", "int_type"))),
    Case("change quantity: another field", "PATCH", f"/cart/items/{ANOTHER_PRODUCT}",
         {"quantity": 2, "userId": ANOTHER_USER},
         errors=err(("body.userId", "extra_forbidden"))),
    Case("change quantity: malformed id", "PATCH", "/cart/items/nope", {"quantity": 2},
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("change quantity: not in the cart", "PATCH", f"/cart/items/{ANOTHER_PRODUCT}",
         {"quantity": 2}, status=404, code="cart_item_not_found"),
    *body_cases("change quantity", "PATCH", f"/cart/items/{ANOTHER_PRODUCT}",
                 token="customer", valid={"quantity": 2}),
    # -- DELETE /cart/items/{productId} ---------------------------------------------------
    Case("remove from cart: malformed id", "DELETE", "/cart/items/nope",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("remove from cart: lower-case id", "DELETE", "/cart/items/{product_lower}",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("remove from cart: not in the cart", "DELETE", f"/cart/items/{ANOTHER_PRODUCT}",
         status=404, code="cart_item_not_found"),
    # -- DELETE /cart ---------------------------------------------------------------------
    Case("empty cart: anonymous", "DELETE", "/cart", token=None, status=401,
         code="token_missing"),
    Case("empty cart: an admin", "DELETE", "/cart", token="admin", status=403,
         code="forbidden_role"),
])  # fmt: skip

test_bad_input = table_test(CASES)
