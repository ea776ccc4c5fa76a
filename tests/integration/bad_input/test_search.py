"""Bad input on the search routes (issue 11): each is a 422 (or the 404 a browse answers),
and nothing in the table changes."""

from __future__ import annotations

from tests.integration.bad_input.cases import Case, by_route, err, table_test

UNKNOWN_CATEGORY = "cat_01JD0000000000000000000000"

CASES: list[Case] = by_route([
    # -- GET /search --------------------------------------------------------------------------
    Case("search: q of 1001", "GET", "/search?q=" + "x" * 1001, token=None,
         errors=err(("query.q", "string_too_long"))),
    Case("search: limit 0", "GET", "/search?limit=0", token=None,
         errors=err(("query.limit", "greater_than_equal"))),
    Case("search: limit 101", "GET", "/search?limit=101", token=None,
         errors=err(("query.limit", "less_than_equal"))),
    Case("search: a negative price", "GET", "/search?minPrice=-1", token=None,
         errors=err(("query.minPrice", "int_type"))),
    Case("search: a price in words", "GET", "/search?maxPrice=cheap", token=None,
         errors=err(("query.maxPrice", "int_type"))),
    Case("search: a rating of 6", "GET", "/search?minRating=6", token=None,
         errors=err(("query.minRating", "less_than_equal"))),
    Case("search: an unknown sort", "GET", "/search?sort=popularity", token=None,
         errors=err(("query.sort", "enum"))),
    Case("search: inStock maybe", "GET", "/search?inStock=maybe", token=None,
         errors=err(("query.inStock", "bool_parsing"))),
    Case("search: a category that is no id", "GET", "/search?category=lamps", token=None,
         errors=err(("query.category", "string_pattern_mismatch"))),
    Case("search: a brand of 101", "GET", "/search?brand=" + "b" * 101, token=None,
         errors=err(("query.brand", "string_too_long"))),
    Case("search: an unknown category", "GET", f"/search?category={UNKNOWN_CATEGORY}", token=None,
         status=404, code="category_not_found"),
    Case("search: garbage cursor", "GET", "/search?cursor=junk", token=None,
         status=404, code="cursor_not_found"),
    Case("search: a cursor that is no base64", "GET", "/search?cursor=a%2Fb", token=None,
         errors=err(("query.cursor", "string_pattern_mismatch"))),
    # -- GET /search/suggest ------------------------------------------------------------------
    Case("suggest: q of 1001", "GET", "/search/suggest?q=" + "x" * 1001, token=None,
         errors=err(("query.q", "string_too_long"))),
    Case("suggest: limit 11", "GET", "/search/suggest?q=a&limit=11", token=None,
         errors=err(("query.limit", "less_than_equal"))),
    Case("suggest: limit 0", "GET", "/search/suggest?q=a&limit=0", token=None,
         errors=err(("query.limit", "greater_than_equal"))),
    # -- GET /admin/orders/search -------------------------------------------------------------
    Case("order search: q of 1001", "GET", "/admin/orders/search?q=" + "x" * 1001, token="admin",
         errors=err(("query.q", "string_too_long"))),
    Case("order search: limit 0", "GET", "/admin/orders/search?limit=0", token="admin",
         errors=err(("query.limit", "greater_than_equal"))),
])  # fmt: skip

test_bad_input = table_test(CASES)
