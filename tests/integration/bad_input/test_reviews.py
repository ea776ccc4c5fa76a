"""Bad input on the review routes."""

from __future__ import annotations

from tests.integration.bad_input.cases import (
    ANOTHER_PRODUCT,
    ANOTHER_USER,
    Case,
    body_cases,
    by_route,
    err,
    table_test,
)

REVIEW = {"rating": 4, "title": "Bright", "text": "Bright enough for reading."}

CASES: list[Case] = by_route([
    # -- GET /products/{productId}/reviews -------------------------------------------------
    Case("list reviews: malformed id", "GET", "/products/nope/reviews", token=None,
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("list reviews: limit 0", "GET", "/products/{product}/reviews?limit=0", token=None,
         errors=err(("query.limit", "greater_than_equal"))),
    Case("list reviews: cursor of 2049", "GET", "/products/{product}/reviews?cursor=" + "c" * 2049,
         token=None, errors=err(("query.cursor", "string_too_long"))),
    Case("list reviews: garbage cursor", "GET", "/products/{active_product}/reviews?cursor=junk",
         token=None, status=404, code="cursor_not_found"),
    Case("list reviews: a draft", "GET", "/products/{product}/reviews", token=None, status=404,
         code="product_not_found"),
    Case("list reviews: unknown", "GET", f"/products/{ANOTHER_PRODUCT}/reviews", token=None,
         status=404, code="product_not_found"),
    # -- PUT /products/{productId}/reviews/me ----------------------------------------------
    Case("review: nothing at all", "PUT", "/products/{active_product}/reviews/me", {}, errors=err(
        ("body.rating", "missing"), ("body.title", "missing"), ("body.text", "missing"))),
    Case("review: rating 0", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": 0}, errors=err(("body.rating", "greater_than_equal"))),
    Case("review: rating 6", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": 6}, errors=err(("body.rating", "less_than_equal"))),
    Case("review: rating 4.5", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": 4.5}, errors=err(("body.rating", "int_type"))),
    Case("review: string rating", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": "5"}, errors=err(("body.rating", "int_type"))),
    Case("review: boolean rating", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "rating": True}, errors=err(("body.rating", "int_type"))),
    Case("review: title of 121", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "title": "t" * 121}, errors=err(("body.title", "string_too_long"))),
    Case("review: text of 5001", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "text": "t" * 5001}, errors=err(("body.text", "string_too_long"))),
    Case("review: blank text", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "text": "  "}, errors=err(("body.text", "string_too_short"))),
    Case("review: mass assignment", "PUT", "/products/{active_product}/reviews/me",
         {**REVIEW, "userId": ANOTHER_USER, "authorName": "Someone E.",
          "productId": ANOTHER_PRODUCT, "createdAt": "2020-01-01T00:00:00Z"},
         errors=err(("body.userId", "extra_forbidden"), ("body.authorName", "extra_forbidden"),
                     ("body.productId", "extra_forbidden"), ("body.createdAt", "extra_forbidden"))),
    Case("review: malformed id", "PUT", "/products/nope/reviews/me", REVIEW,
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("review: a draft", "PUT", "/products/{product}/reviews/me", REVIEW, status=404,
         code="product_not_found"),
    Case("review: unknown", "PUT", f"/products/{ANOTHER_PRODUCT}/reviews/me", REVIEW, status=404,
         code="product_not_found"),
    *body_cases("review", "PUT", "/products/{active_product}/reviews/me", token="customer",
                 valid=REVIEW),
    # -- DELETE /products/{productId}/reviews/me -------------------------------------------
    Case("withdraw review: malformed id", "DELETE", "/products/nope/reviews/me",
         errors=err(("path.productId", "string_pattern_mismatch"))),
    Case("withdraw review: never reviewed", "DELETE", "/products/{active_product}/reviews/me",
         status=404, code="review_not_found"),
])  # fmt: skip

test_bad_input = table_test(CASES)
