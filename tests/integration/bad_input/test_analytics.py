"""Bad input on the shop's numbers: the admins' metrics and event log, a seller's own."""

from __future__ import annotations

from tests.integration.bad_input.cases import Case, by_route, cursor, err, table_test

# A real-looking start key of another day's log: a 404, never a start key.
OTHER_DAYS_CURSOR = cursor({"PK": "EVENTLOG#2020-01-01", "SK": "2020-01-01T00:00:00.000000Z#e"})

CASES: list[Case] = by_route([
    # -- GET /admin/metrics ----------------------------------------------------------------
    Case("shop metrics: nothing", "GET", "/admin/metrics", token="admin",
         errors=err(("query.from", "missing"), ("query.to", "missing"))),
    Case("shop metrics: not a date", "GET", "/admin/metrics?from=yesterday&to=2026-01-01",
         token="admin", errors=err(("query.from", "value_error"))),
    Case("shop metrics: a datetime", "GET",
         "/admin/metrics?from=2026-01-01&to=2026-01-01T00:00:00Z", token="admin",
         errors=err(("query.to", "value_error"))),
    Case("shop metrics: 31 November", "GET", "/admin/metrics?from=2026-11-31&to=2026-12-01",
         token="admin", errors=err(("query.from", "date_from_datetime_parsing"))),
    Case("shop metrics: 93 days", "GET", "/admin/metrics?from=2026-01-01&to=2026-04-03",
         token="admin", code="range_too_long"),
    Case("shop metrics: reversed", "GET", "/admin/metrics?from=2026-02-01&to=2026-01-01",
         token="admin", code="range_reversed"),
    # -- GET /admin/events -----------------------------------------------------------------
    Case("event log: no date", "GET", "/admin/events", token="admin",
         errors=err(("query.date", "missing"))),
    Case("event log: not a date", "GET", "/admin/events?date=2026-13-01", token="admin",
         errors=err(("query.date", "date_from_datetime_parsing"))),
    Case("event log: limit 0", "GET", "/admin/events?date=2026-01-01&limit=0", token="admin",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("event log: limit 101", "GET", "/admin/events?date=2026-01-01&limit=101",
         token="admin", errors=err(("query.limit", "less_than_equal"))),
    Case("event log: garbage cursor", "GET", "/admin/events?date=2026-01-01&cursor=%25%25",
         token="admin", errors=err(("query.cursor", "string_pattern_mismatch"))),
    Case("event log: another day's cursor", "GET",
         f"/admin/events?date=2026-01-01&cursor={OTHER_DAYS_CURSOR}", token="admin",
         status=404, code="cursor_not_found"),
    # -- GET /sellers/me/metrics -----------------------------------------------------------
    Case("my metrics: nothing", "GET", "/sellers/me/metrics", token="seller",
         errors=err(("query.from", "missing"), ("query.to", "missing"))),
    Case("my metrics: a number", "GET", "/sellers/me/metrics?from=20260101&to=2026-01-02",
         token="seller", errors=err(("query.from", "value_error"))),
    Case("my metrics: 93 days", "GET", "/sellers/me/metrics?from=2026-01-01&to=2026-04-03",
         token="seller", code="range_too_long"),
])  # fmt: skip

test_bad_input = table_test(CASES)
