"""Bad input on the invoice download (issue 10, invoices)."""

from __future__ import annotations

from tests.integration.bad_input.cases import Case, by_route, err, table_test

ANOTHER_ORDER = "ord_01JD0000000000000000000000"
PATH = f"/orders/{ANOTHER_ORDER}/invoice"

CASES: list[Case] = by_route([
    Case("invoice: malformed order id", "GET", "/orders/nope/invoice",
         errors=err(("path.orderId", "string_pattern_mismatch"))),
    Case("invoice: malformed refund id", "GET", f"{PATH}?refundId=../../secret",
         errors=err(("query.refundId", "string_pattern_mismatch"))),
    Case("invoice: a refund id of lower case", "GET", f"{PATH}?refundId=rfd_abc",
         errors=err(("query.refundId", "string_pattern_mismatch"))),
    Case("invoice: unknown order", "GET", PATH, status=404, code="order_not_found"),
    Case("invoice: unknown order, a credit note", "GET",
         f"{PATH}?refundId=rfd_01JD0000000000000000000000", status=404, code="order_not_found"),
])  # fmt: skip

test_bad_input = table_test(CASES)
