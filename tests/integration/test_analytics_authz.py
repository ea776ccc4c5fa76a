"""Who may read the shop's numbers: every analytics route x every kind of caller.

Anonymous callers get 401; a role the function does not serve gets 403 ``forbidden_role``:
the shop's numbers and the event log are the admins' alone, and ``/sellers/me/metrics`` a
seller's alone (their own: the seller id comes from the token, never from the request, so
there is no other seller's id to try; test_numbers.py shows another seller sees nothing of
the first's). A read, allowed or refused, writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import CONFIG
from tests.integration.bad_input.cases import table_items
from tests.integration.helpers import make_role, problem, register_and_login
from tests.support.lambda_api import LambdaApi, routes_of

ACTORS = ("anonymous", "customer", "seller", "admin")
N401, N403, OK = 401, 403, 200


@dataclass(frozen=True)
class Row:
    route: str
    path: str
    expect: tuple[int, int, int, int]  # in the order of ACTORS


MATRIX = [
    Row("GET /admin/metrics", "/admin/metrics?from=2026-11-01&to=2026-11-30",
        (N401, N403, N403, OK)),
    Row("GET /admin/events", "/admin/events?date=2026-11-30", (N401, N403, N403, OK)),
    Row("GET /sellers/me/metrics", "/sellers/me/metrics?from=2026-11-01&to=2026-11-30",
        (N401, N403, OK, N403)),
]  # fmt: skip


@pytest.mark.parametrize("row", MATRIX, ids=[row.route for row in MATRIX])
def test_authorization_matrix(api: LambdaApi, row: Row) -> None:
    tokens = {
        "anonymous": None,
        "customer": register_and_login(api).access,
        "seller": make_role(api, "seller").access,
        "admin": make_role(api, "admin").access,
    }
    before = table_items()
    for actor, expected in zip(ACTORS, row.expect, strict=True):
        response = api.get(row.path, token=tokens[actor])
        if expected == N401:
            problem(response, 401, "token_missing")
        elif expected == N403:
            problem(response, 403, "forbidden_role")
        else:
            assert response.status == OK, (actor, response.body)
    assert table_items() == before, "a read wrote something"


def test_the_matrix_covers_every_analytics_route() -> None:
    declared = {
        f"{r.method} {r.path}"
        for r in routes_of(CONFIG)
        if r.handler.startswith("handlers/analytics/")
    }
    assert declared, "no analytics route found: did the handlers' folder move?"
    assert declared == {row.route for row in MATRIX}
