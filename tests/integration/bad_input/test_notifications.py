"""Bad input on GET /me/notifications (issue 10): each refused, the table unchanged."""

from __future__ import annotations

from tests.integration.bad_input.cases import Case, cursor, err, table_test

PATH = "/me/notifications"

# fmt: off
CASES: list[Case] = [
    Case("my notifications: no token", "GET", PATH, token=None, status=401,
         code="token_missing"),
    Case("my notifications: limit 0", "GET", f"{PATH}?limit=0",
         errors=err(("query.limit", "greater_than_equal"))),
    Case("my notifications: limit 101", "GET", f"{PATH}?limit=101",
         errors=err(("query.limit", "less_than_equal"))),
    Case("my notifications: limit abc", "GET", f"{PATH}?limit=abc",
         errors=err(("query.limit", "int_type"))),
    Case("my notifications: cursor of 2049", "GET", f"{PATH}?cursor=" + "c" * 2049,
         errors=err(("query.cursor", "string_too_long"))),
    Case("my notifications: garbage cursor", "GET", f"{PATH}?cursor=garbage", status=404,
         code="cursor_not_found"),
    # another user's partition in a well-formed cursor: refused, never read
    Case("my notifications: someone else's cursor", "GET",
         f"{PATH}?cursor=" + cursor({"PK": "USER#usr_someone", "SK": "NOTIFICATION#x"}),
         status=404, code="cursor_not_found"),
]
# fmt: on

test_bad_input = table_test(CASES)
