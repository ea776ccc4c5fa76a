"""Bad input on the category routes."""

from __future__ import annotations

from tests.integration.bad_input.cases import (
    ANOTHER_CATEGORY,
    Case,
    body_cases,
    by_route,
    err,
    table_test,
)

CASES: list[Case] = by_route([
    # -- GET /categories -------------------------------------------------------------------
    Case("list categories: ignores junk query", "GET", "/categories?depth=-1&limit=abc",
         token=None, status=200, code=None),
    # -- POST /categories ------------------------------------------------------------------
    Case("create category: nothing at all", "POST", "/categories", {}, "admin",
         errors=err(("body.name", "missing"))),
    Case("create category: mass assignment", "POST", "/categories",
         {"name": "Lamps", "categoryId": ANOTHER_CATEGORY, "path": ANOTHER_CATEGORY,
          "childCount": 0, "productCount": 0}, "admin",
         errors=err(("body.categoryId", "extra_forbidden"), ("body.path", "extra_forbidden"),
                     ("body.childCount", "extra_forbidden"),
                     ("body.productCount", "extra_forbidden"))),
    Case("create category: number for name", "POST", "/categories", {"name": 5}, "admin",
         errors=err(("body.name", "string_type"))),
    Case("create category: blank name", "POST", "/categories", {"name": "  "}, "admin",
         errors=err(("body.name", "string_too_short"))),
    Case("create category: name of 81", "POST", "/categories", {"name": "n" * 81}, "admin",
         errors=err(("body.name", "string_too_long"))),
    Case("create category: slug with capitals", "POST", "/categories",
         {"name": "Lamps", "slug": "Desk-Lamps"}, "admin",
         errors=err(("body.slug", "string_pattern_mismatch"))),
    Case("create category: slug of 61", "POST", "/categories", {"name": "Lamps", "slug": "s" * 61},
         "admin", errors=err(("body.slug", "string_too_long"))),
    Case("create category: malformed parent", "POST", "/categories",
         {"name": "Lamps", "parentId": "nope"}, "admin",
         errors=err(("body.parentId", "string_pattern_mismatch"))),
    Case("create category: unknown parent", "POST", "/categories",
         {"name": "Lamps", "parentId": ANOTHER_CATEGORY}, "admin", status=404,
         code="category_not_found"),
    *body_cases("create category", "POST", "/categories", token="admin", valid={"name": "Lamps"}),
    # -- PATCH /categories/{categoryId} ----------------------------------------------------
    Case("update category: malformed id", "PATCH", "/categories/nope", {"name": "Lamps"}, "admin",
         errors=err(("path.categoryId", "string_pattern_mismatch"))),
    Case("update category: mass assignment", "PATCH", "/categories/{category}",
         {"path": ANOTHER_CATEGORY, "childCount": 0, "productCount": 0,
          "categoryId": ANOTHER_CATEGORY}, "admin",
         errors=err(("body.path", "extra_forbidden"), ("body.childCount", "extra_forbidden"),
                     ("body.productCount", "extra_forbidden"),
                     ("body.categoryId", "extra_forbidden"))),
    Case("update category: number for name", "PATCH", "/categories/{category}", {"name": 5},
         "admin", errors=err(("body.name", "string_type"))),
    Case("update category: name of 81", "PATCH", "/categories/{category}", {"name": "n" * 81},
         "admin", errors=err(("body.name", "string_too_long"))),
    Case("update category: double hyphen slug", "PATCH", "/categories/{category}",
         {"slug": "desk--lamps"}, "admin", errors=err(("body.slug", "string_pattern_mismatch"))),
    Case("update category: malformed parent", "PATCH", "/categories/{category}",
         {"parentId": "cat_lower0000000000000000000"}, "admin",
         errors=err(("body.parentId", "string_pattern_mismatch"))),
    Case("update category: nothing to change", "PATCH", "/categories/{category}", {}, "admin",
         code="empty_update"),
    Case("update category: unknown", "PATCH", f"/categories/{ANOTHER_CATEGORY}",
         {"name": "Lamps"}, "admin", status=404, code="category_not_found"),
    *body_cases("update category", "PATCH", "/categories/{category}", token="admin",
                 valid={"name": "Lamps"}),
    # -- DELETE /categories/{categoryId} ---------------------------------------------------
    Case("delete category: malformed id", "DELETE", "/categories/nope", token="admin",
         errors=err(("path.categoryId", "string_pattern_mismatch"))),
    Case("delete category: unknown", "DELETE", f"/categories/{ANOTHER_CATEGORY}", token="admin",
         status=404, code="category_not_found"),
    Case("delete category: still has a product", "DELETE", "/categories/{busy_category}",
         token="admin", status=409, code="category_not_empty"),
])  # fmt: skip

test_bad_input = table_test(CASES)
