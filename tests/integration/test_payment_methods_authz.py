"""Who may do what with saved cards: every route x every kind of caller.

Like ``test_orders_authz.py``: a row names a route, what must exist before each call (made
afresh for each caller), and the answer per caller in the order of ``ACTORS``. The rules:
anonymous callers get 401; admins, who do not buy, get 403 ``forbidden_role``; customers
and sellers (who buy too) have cards of their own; another user's card is a 404
``payment_method_not_found``, exactly as if it did not exist, and another user's
SetupIntent cannot be saved (409 ``setup_not_confirmed``). The test-mode stand-in for
Stripe.js is public, as Stripe.js is. A refusal, and any read, writes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import CONFIG
from tests.integration.bad_input.cases import table_items
from tests.integration.card_helpers import confirmed_setup, saved_card, setup_intent
from tests.integration.catalog_helpers import become_seller
from tests.integration.helpers import Account, make_admin, problem, register_and_login
from tests.support.lambda_api import ApiResponse, LambdaApi, routes_of

ACTORS = ("anonymous", "owner", "other customer", "seller", "admin")
AREAS = ("handlers/payment_methods/",)


@dataclass
class Stage:
    api: LambdaApi
    owner: Account
    other: Account
    seller: Account
    admin: Account
    values: dict[str, str] = field(default_factory=dict)

    def account(self, actor: str) -> Account | None:
        return {
            "anonymous": None,
            "owner": self.owner,
            "other customer": self.other,
            "seller": self.seller,
            "admin": self.admin,
        }[actor]


def _stage(api: LambdaApi) -> Stage:
    return Stage(
        api, register_and_login(api), register_and_login(api), become_seller(api), make_admin(api)
    )


# -- what a row needs before the call ------------------------------------------------------


def _nothing(stage: Stage, actor: str) -> None:
    return None


def _a_card(stage: Stage, actor: str) -> None:
    """A new saved card of the owner's."""
    stage.values["pm"] = saved_card(stage.api, stage.owner)["id"]


def _a_confirmed_setup(stage: Stage, actor: str) -> None:
    stage.values["seti"] = confirmed_setup(stage.api, stage.owner)


def _a_setup(stage: Stage, actor: str) -> None:
    stage.values["seti"] = setup_intent(stage.api, stage.owner)["setupIntentId"]


Given = Callable[[Stage, str], None]
Then = Callable[[Stage, str, ApiResponse], None]


def _lists_the_card_for_its_owner_only(stage: Stage, actor: str, response: ApiResponse) -> None:
    listed = {c["id"] for c in response.body["items"]}
    assert (stage.values["pm"] in listed) == (actor == "owner"), (actor, listed)


def _is_the_card(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert response.body["id"].startswith("pm_"), response.text
    assert response.body["isDefault"] is True


@dataclass(frozen=True)
class Row:
    route: str
    given: Given
    expect: tuple[str, str, str, str, str]
    body: dict[str, Any] | Callable[[Stage], dict[str, Any]] | None = None
    then: Then | None = None

    @property
    def id(self) -> str:
        return f"{self.route} [{self.given.__name__.strip('_').replace('_', ' ')}]"


N401 = "401 token_missing"
N403 = "403 forbidden_role"
N404 = "404 payment_method_not_found"
N409 = "409 setup_not_confirmed"

MATRIX: list[Row] = [
    # route, given, then per actor: (anonymous, owner, other customer, seller, admin)
    Row("GET /me/payment-methods", _a_card, (N401, "200", "200", "200", N403),
        then=_lists_the_card_for_its_owner_only),
    Row("POST /me/payment-methods/setup", _nothing, (N401, "201", "201", "201", N403)),
    Row("POST /me/payment-methods", _a_confirmed_setup, (N401, "201", N409, N409, N403),
        body=lambda s: {"setupIntentId": s.values["seti"]}, then=_is_the_card),
    Row("DELETE /me/payment-methods/{pm}", _a_card, (N401, "204", N404, N404, N403)),
    Row("POST /me/payment-methods/{pm}/default", _a_card, (N401, "200", N404, N404, N403),
        then=_is_the_card),
    Row("POST /payments/test/setup-intents/{seti}/confirm", _a_setup,
        ("200", "200", "200", "200", "200"), body={"paymentMethod": "pm_card_visa"}),
]  # fmt: skip

# The matrix's placeholders and the declared path parameters they stand for.
PLACEHOLDERS = {"{pm}": "{paymentMethodId}", "{seti}": "{setupIntentId}"}


def _declared(route: str) -> str:
    for short, declared in PLACEHOLDERS.items():
        route = route.replace(short, declared)
    return route


def _expected(cell: str) -> tuple[int, str | None]:
    status, _, code = cell.partition(" ")
    return int(status), code or None


def _check_cell(stage: Stage, row: Row, actor: str, expected: str) -> None:
    row.given(stage, actor)
    before = table_items()
    method, template = row.route.split(" ")
    account = stage.account(actor)
    body = row.body(stage) if callable(row.body) else row.body
    response = stage.api.request(
        method,
        template.format(**stage.values),
        json_body=body,
        token=None if account is None else account.access,
    )
    status, code = _expected(expected)
    if code is not None:
        problem(response, status, code)
    else:
        assert response.status == status, response.text
        if row.then is not None:
            row.then(stage, actor, response)
    if code is not None or method == "GET":
        assert table_items() == before, "it wrote to the table"


@pytest.mark.parametrize("row", MATRIX, ids=[row.id for row in MATRIX])
def test_authorization_matrix(api: LambdaApi, row: Row) -> None:
    stage = _stage(api)
    wrong = []
    for actor, expected in zip(ACTORS, row.expect, strict=True):
        try:
            _check_cell(stage, row, actor, expected)
        except AssertionError as failed:
            wrong.append(f"{actor}: expected {expected}: {failed}")
    assert not wrong, f"{row.id}\n" + "\n".join(wrong)


def _routes() -> dict[str, str]:
    routes = {}
    for function in CONFIG["functions"].values():
        if not function["handler"].startswith(AREAS):
            continue
        for event in function.get("events", []):
            http = event.get("httpApi")
            if http:
                routes[f"{http['method'].upper()} {http['path']}"] = function["handler"]
    return routes


def test_the_matrix_covers_every_saved_card_route() -> None:
    declared = set(_routes())
    covered = {_declared(row.route) for row in MATRIX}
    assert declared, "no saved-card route found: did the handlers' folder move?"
    assert declared - covered == set(), "saved-card routes missing from the matrix"
    assert covered - declared == set(), "matrix rows for routes serverless.yml does not declare"
    assert len({row.id for row in MATRIX}) == len(MATRIX)


def test_anonymous_expectations_follow_the_declared_authorizers() -> None:
    authorized = {f"{r.method} {r.path}": r.authorized for r in routes_of(CONFIG)}
    for row in MATRIX:
        route = _declared(row.route)
        module = importlib.import_module(_routes()[route].rpartition(".")[0].replace("/", "."))
        protected = authorized[route] and bool(module.app.roles)
        assert (row.expect[0] == N401) == protected, row.id
