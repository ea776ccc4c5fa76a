"""Who may do what with checkout and orders: every route x every kind of caller.

Like ``test_catalog_authz.py``: a row names a route, what must exist before each call
(made afresh for each caller), and the answer per caller in the order of ``ACTORS``. The
rules: anonymous callers get 401; a role a function does not serve gets 403
``forbidden_role``; another user's order is a 404 ``order_not_found``, exactly as if it did
not exist (its seller's too: sellers see their lines through ``/sellers/me/orders`` only);
admins see and move any order. A refusal, and any read, writes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import CONFIG
from tests.integration.bad_input.cases import table_items
from tests.integration.helpers import Account, problem, register_and_login
from tests.integration.order_helpers import (
    Market,
    checkout_body,
    market,
    new_key,
    pay,
    place,
    put_cart_line,
)
from tests.support.lambda_api import ApiResponse, LambdaApi, routes_of

ACTORS = ("anonymous", "buyer", "other customer", "seller", "admin")
AREAS = (
    "handlers/checkout/",
    "handlers/orders/",
    "handlers/refunds/",
    # payments (issue 9, B): the order-scoped payment routes
    "handlers/payments/list_order_payments.",
    "handlers/payments/retry_payment.",
    # invoices (issue 10): the download of an order's invoice
    "handlers/invoices/get_invoice.",
)
SHIP = {"carrier": "UPS", "trackingNumber": "1Z999AA10123456784"}


@dataclass
class Stage:
    api: LambdaApi
    m: Market
    other: Account
    product_id: str
    values: dict[str, str] = field(default_factory=dict)

    def account(self, actor: str) -> Account | None:
        return {
            "anonymous": None,
            "buyer": self.m.buyer,
            "other customer": self.other,
            "seller": self.m.seller,
            "admin": self.m.admin,
        }[actor]


def _stage(api: LambdaApi) -> Stage:
    m = market(api)
    return Stage(api, m, register_and_login(api), m.product(api, stock=100))


# -- what a row needs before the call ------------------------------------------------------


def _cart_of_the_caller(stage: Stage, actor: str) -> None:
    account = stage.account(actor)
    if account is not None:
        put_cart_line(account.user_id, stage.product_id, 1, price=1999)


def _unpaid(stage: Stage, actor: str) -> None:
    """A new unpaid order of the buyer (the previous one cancelled, under the unpaid cap)."""
    previous = stage.values.get("orderId")
    if previous is not None:
        shown = stage.api.get(f"/orders/{previous}", token=stage.m.buyer.access).body
        if shown["status"] == "pending_payment":
            cancelled = stage.api.post(f"/orders/{previous}/cancel", token=stage.m.buyer.access)
            assert cancelled.status == 200, cancelled.text
    put_cart_line(stage.m.buyer.user_id, stage.product_id, 1, price=1999)
    response = place(stage.api, stage.m.buyer)
    assert response.status == 201, response.text
    stage.values["orderId"] = response.body["orderId"]


def _paid(stage: Stage, actor: str) -> None:
    _unpaid(stage, actor)
    pay(stage.values["orderId"])


def _charged(stage: Stage, actor: str) -> None:
    """A paid order whose charge the local provider holds (so it can be refunded)."""
    from tests.integration.refund_helpers import charge_and_confirm

    _unpaid(stage, actor)
    charge_and_confirm(stage.values["orderId"])


def _payment_failed(stage: Stage, actor: str) -> None:
    """A new unpaid order of the buyer whose payment was declined (its units released)."""
    from domain.buying.lifecycle import Mover
    from domain.buying.model import SYSTEM, OrderStatus
    from domain.buying.orders import move_order
    from domain.clock import utcnow
    from handlers.shared import wiring

    _unpaid(stage, actor)
    move_order(
        stage.values["orderId"],
        OrderStatus.PAYMENT_FAILED,
        mover=Mover.SYSTEM,
        actor_id=SYSTEM,
        reason="payment declined (card_declined)",
        orders=wiring.orders(),
        now=utcnow(),
    )


def _invoiced(stage: Stage, actor: str) -> None:
    """A paid order whose invoice renderInvoices has issued (the domain call it makes)."""
    from domain.clock import iso, utcnow
    from domain.invoices import issue_invoice
    from handlers.shared import wiring

    _paid(stage, actor)
    order_id = stage.values["orderId"]
    now = utcnow()
    assert issue_invoice(order_id, occurred_at=iso(now), ports=wiring.invoice_ports(), now=now)


def _shipped(stage: Stage, actor: str) -> None:
    _paid(stage, actor)
    shipped = stage.api.post(
        f"/admin/orders/{stage.values['orderId']}/ship", json=SHIP, token=stage.m.admin.access
    )
    assert shipped.status == 200, shipped.text


Given = Callable[[Stage, str], None]
Then = Callable[[Stage, str, ApiResponse], None]


def _lists_target_for_the_buyer_only(stage: Stage, actor: str, response: ApiResponse) -> None:
    listed = {o["orderId"] for o in response.body["items"]}
    assert (stage.values["orderId"] in listed) == (actor == "buyer"), (actor, listed)


def _lists_target(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert stage.values["orderId"] in {o["orderId"] for o in response.body["items"]}, actor


def _is_target_in(status: str) -> Then:
    def check(stage: Stage, actor: str, response: ApiResponse) -> None:
        assert response.body["orderId"] == stage.values["orderId"], response.text
        assert response.body["status"] == status, response.text

    return check


def _is_callers_new_order(stage: Stage, actor: str, response: ApiResponse) -> None:
    account = stage.account(actor)
    assert account is not None
    assert response.body["userId"] == account.user_id
    assert response.body["status"] == "pending_payment"


def _redirects_to_the_invoice(stage: Stage, actor: str, response: ApiResponse) -> None:
    location = response.header("location") or ""
    assert f"/invoices/{stage.values['orderId']}/INV-" in location, response.headers


def _a_refund(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert response.body["orderId"] == stage.values["orderId"], response.text
    assert response.body["status"] == "succeeded", response.text


@dataclass(frozen=True)
class Row:
    route: str
    given: Given
    expect: tuple[str, str, str, str, str]
    body: dict[str, Any] | None = None
    headers: dict[str, str] | Callable[[], dict[str, str]] = field(default_factory=dict)
    then: Then | None = None

    @property
    def id(self) -> str:
        return f"{self.route} [{self.given.__name__.strip('_').replace('_', ' ')}]"


def _a_new_key() -> dict[str, str]:
    return {"idempotency-key": new_key()}


N401 = "401 token_missing"
N403 = "403 forbidden_role"
N404 = "404 order_not_found"
N409_INVOICE = "409 invoice_not_ready"

MATRIX: list[Row] = [
    # route, given, then per actor: (anonymous, buyer, other customer, seller, admin)
    Row("POST /checkout", _cart_of_the_caller, (N401, "201", "201", "201", N403),
        body=checkout_body(), headers=_a_new_key, then=_is_callers_new_order),
    Row("GET /orders", _unpaid, (N401, "200", "200", "200", "200"),
        then=_lists_target_for_the_buyer_only),
    Row("GET /orders/{orderId}", _unpaid, (N401, "200", N404, N404, "200"),
        then=_is_target_in("pending_payment")),
    Row("POST /orders/{orderId}/cancel", _unpaid, (N401, "200", N404, N404, N403),
        then=_is_target_in("cancelled")),
    Row("POST /orders/{orderId}/cancel", _paid, (N401, "200", N404, N404, N403),
        then=_is_target_in("cancelled")),
    Row("GET /admin/orders", _unpaid, (N401, N403, N403, N403, "200"), then=_lists_target),
    Row("POST /admin/orders/{orderId}/ship", _paid, (N401, N403, N403, N403, "200"),
        body=SHIP, then=_is_target_in("shipped")),
    Row("POST /admin/orders/{orderId}/deliver", _shipped, (N401, N403, N403, N403, "200"),
        then=_is_target_in("delivered")),
    Row("POST /admin/orders/{orderId}/cancel", _paid, (N401, N403, N403, N403, "200"),
        body={"reason": "Out of stock"}, then=_is_target_in("cancelled")),
    Row("GET /sellers/me/orders", _paid, (N401, N403, N403, "200", N403), then=_lists_target),
    # payments: refunds (issue 9)
    Row("POST /admin/orders/{orderId}/refunds", _charged, (N401, N403, N403, N403, "201"),
        body={"amount": 100, "reason": "damaged"}, headers=_a_new_key, then=_a_refund),
    # payments (issue 9, B)
    Row("GET /orders/{orderId}/payments", _unpaid, (N401, "200", N404, N404, "200")),
    Row("POST /orders/{orderId}/payments", _payment_failed, (N401, "202", N404, N404, N403),
        body={"paymentMethod": "pm_card_visa"}, headers=_a_new_key,
        then=_is_target_in("pending_payment")),
    # invoices (issue 10): an invoice issued redirects to its download; none yet is a 409
    Row("GET /orders/{orderId}/invoice", _invoiced, (N401, "302", N404, N404, "302"),
        then=_redirects_to_the_invoice),
    Row("GET /orders/{orderId}/invoice", _unpaid, (N401, N409_INVOICE, N404, N404, N409_INVOICE)),
]  # fmt: skip


def _expected(cell: str) -> tuple[int, str | None]:
    status, _, code = cell.partition(" ")
    return int(status), code or None


def _check_cell(stage: Stage, row: Row, actor: str, expected: str) -> None:
    row.given(stage, actor)
    before = table_items()
    method, template = row.route.split(" ")
    account = stage.account(actor)
    headers = row.headers() if callable(row.headers) else dict(row.headers)
    response = stage.api.request(
        method,
        template.format(**stage.values),
        json_body=row.body,
        token=None if account is None else account.access,
        headers=headers,
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


def test_the_matrix_covers_every_order_route() -> None:
    declared = set(_routes())
    covered = {row.route for row in MATRIX}
    assert declared, "no order route found: did the handlers' folders move?"
    assert declared - covered == set(), "order routes missing from the matrix"
    assert covered - declared == set(), "matrix rows for routes serverless.yml does not declare"
    assert len({row.id for row in MATRIX}) == len(MATRIX)


def test_anonymous_expectations_follow_the_declared_authorizers() -> None:
    authorized = {f"{r.method} {r.path}": r.authorized for r in routes_of(CONFIG)}
    for row in MATRIX:
        module = importlib.import_module(_routes()[row.route].rpartition(".")[0].replace("/", "."))
        protected = authorized[row.route] and bool(module.app.roles)
        assert (row.expect[0] == N401) == protected, row.id
