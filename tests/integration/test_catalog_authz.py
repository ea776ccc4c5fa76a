"""Who may do what in the catalogue: every route x every kind of caller, as one table.

A row names a route, what must exist before the call (``given``), what is sent, and the
expected answer for each caller, in the order of ``ACTORS``: ``"200"`` for a success, or
``"<status> <problem code>"`` for a refusal. The rules behind the table:

* anonymous callers get ``401 token_missing`` on every protected route; the public reads
  (and the two reads with optional sign-in) answer them;
* a role a function does not serve gets ``403 forbidden_role`` (customers on seller and
  admin routes, sellers on admin routes, admins on the seller-only routes);
* a seller who does not own the product gets ``404 product_not_found``, exactly as if it
  did not exist: another seller's products (and what is not yet public) are invisible.

Each row runs as one test on a fresh stack (an admin, the owning seller, another seller,
a customer and a category). Every caller gets its own target, made through the API just
before its call (a new draft, a new product in review …), so each call starts from the
state the row names and no caller's success changes what the next one sees. A refusal,
and any read, writes nothing at all.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from domain.catalog.model import seller_id_for
from tests.conftest import CONFIG
from tests.integration.catalog_helpers import (
    activate,
    become_seller,
    create_category,
    create_product,
    product_body,
)
from tests.integration.helpers import Account, make_admin, problem, register_and_login
from tests.support.lambda_api import ApiResponse, LambdaApi, routes_of

ACTORS = ("anonymous", "customer", "other seller", "owner", "admin")
CATALOG_AREAS = ("sellers", "categories", "products", "inventory", "reviews", "reality", "search")
REVIEW = {"rating": 4, "title": "Bright", "text": "Bright enough for reading."}


@dataclass
class Stage:
    """Everyone a row needs, and the targets made for the current caller."""

    api: LambdaApi
    admin: Account
    owner: Account
    other: Account
    customer: Account
    category_id: str
    values: dict[str, str] = field(default_factory=dict)
    made: int = 0

    def account(self, actor: str) -> Account | None:
        return {
            "anonymous": None,
            "customer": self.customer,
            "other seller": self.other,
            "owner": self.owner,
            "admin": self.admin,
        }[actor]

    @property
    def product_id(self) -> str:
        return self.values["productId"]

    def sku(self) -> str:
        self.made += 1
        return f"SKU-{self.made}"


def _stage(api: LambdaApi) -> Stage:
    admin = make_admin(api)
    owner = become_seller(api, "Owner's shop")
    return Stage(
        api=api,
        admin=admin,
        owner=owner,
        other=become_seller(api, "Other shop"),
        customer=register_and_login(api),
        category_id=create_category(api, admin, "Lighting"),
        values={"sellerId": seller_id_for(owner.user_id)},
    )


# -- what a row needs before the call (made afresh for each caller) -----------------------


def _nothing(stage: Stage, actor: str) -> None:
    return None


def _category(stage: Stage, actor: str) -> None:
    """An empty category (no subcategories, no products): one an admin may delete."""
    stage.values["categoryId"] = create_category(stage.api, stage.admin, f"Spare {stage.sku()}")


def _draft(stage: Stage, actor: str) -> None:
    product = create_product(stage.api, stage.owner, stage.category_id, sku=stage.sku())
    assert product["status"] == "draft"
    stage.values["productId"] = product["productId"]


def _in_review(stage: Stage, actor: str) -> None:
    _draft(stage, actor)
    submitted = stage.api.post(f"/products/{stage.product_id}/submit", token=stage.owner.access)
    assert submitted.status == 200, submitted.text
    assert submitted.body["status"] == "pending_review"


def _active(stage: Stage, actor: str) -> None:
    _draft(stage, actor)
    activate(stage.api, stage.owner, stage.admin, stage.product_id, stock=10)


def _searchable(stage: Stage, actor: str) -> None:
    """An active product carried to the search index (the outbox, in-process)."""
    from tests.integration.search_helpers import Indexer

    _active(stage, actor)
    Indexer().sync()


def _bought_by_the_caller(stage: Stage, actor: str) -> None:
    """An active product the caller received in a delivered order (a verified buyer)."""
    from tests.integration.order_helpers import record_delivered_purchase

    _active(stage, actor)
    account = stage.account(actor)
    if account is not None:
        record_delivered_purchase(account.user_id, stage.product_id)


def _reviewed_by_the_caller(stage: Stage, actor: str) -> None:
    """An active product the caller has reviewed (when the caller may review at all)."""
    _bought_by_the_caller(stage, actor)
    account = stage.account(actor)
    if account is None or actor == "owner":  # no one to review, or one's own product
        return
    written = stage.api.put(
        f"/products/{stage.product_id}/reviews/me", json=REVIEW, token=account.access
    )
    assert written.status == 200, written.text


# -- reality: 3D and AR (issue 14) -----------------------------------------------------------
MODEL_FORM = {"type": "glb", "name": "Desk lamp"}


def _model_uploading(stage: Stage, actor: str) -> None:
    """A draft with a model upload form handed out to its seller (the asset ``uploading``)."""
    _draft(stage, actor)
    answer = stage.api.post(
        f"/reality/{stage.product_id}/uploads", json=MODEL_FORM, token=stage.owner.access
    )
    assert answer.status == 201, answer.text
    stage.values["assetId"] = answer.body["asset"]["assetId"]


def _draft_with_photo(stage: Stage, actor: str) -> None:
    _draft(stage, actor)
    base = os.environ["IMAGES_BASE_URL"]
    image = {"url": f"{base}/products/{stage.product_id}/img_1.png", "alt": "the lamp"}
    saved = stage.api.patch(
        f"/products/{stage.product_id}",
        json={"images": [image]},
        token=stage.owner.access,
        headers={"if-match": '"1"'},
    )
    assert saved.status == 200, saved.text


def _active_with_model(stage: Stage, actor: str) -> None:
    """An active product whose seller uploaded a glb the worker found valid."""
    import requests

    from tests.integration.test_reality_api import run_worker
    from tests.support.model_files import tiny_glb

    _draft(stage, actor)
    form = stage.api.post(
        f"/reality/{stage.product_id}/uploads", json=MODEL_FORM, token=stage.owner.access
    ).body
    posted = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("m.glb", tiny_glb(), "model/gltf-binary")},
        timeout=10,
    )
    assert posted.status_code in (200, 201, 204)
    done = f"/reality/{stage.product_id}/uploads/{form['asset']['assetId']}/done"
    assert stage.api.post(done, token=stage.owner.access).status == 202
    run_worker()
    activate(stage.api, stage.owner, stage.admin, stage.product_id, stock=1)


def _viewer_file(stage: Stage, actor: str) -> None:
    stage.values["asset"] = "view.js"


def _shows_assets(count: int) -> Then:
    def check(stage: Stage, actor: str, response: ApiResponse) -> None:
        assert response.body["productId"] == stage.product_id, response.text
        assert len(response.body["assets"]) == count, response.text

    return check


def _is_processing(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert response.body["assetId"] == stage.values["assetId"], response.text
    assert response.body["status"] == "processing"


Given = Callable[[Stage, str], None]
Body = dict[str, Any] | Callable[[Stage], dict[str, Any]] | None
Then = Callable[[Stage, str, ApiResponse], None]


# -- what a success must show, beyond its status -----------------------------------------


def _lists_target_for_owner_only(stage: Stage, actor: str, response: ApiResponse) -> None:
    listed = {p["productId"] for p in response.body["items"]}
    assert (stage.product_id in listed) == (actor == "owner"), (actor, listed)


def _lists_target(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert stage.product_id in {p["productId"] for p in response.body["items"]}, actor


def _is_target(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert response.body["productId"] == stage.product_id, response.text


def _is_owners_shop(stage: Stage, actor: str, response: ApiResponse) -> None:
    assert response.body["sellerId"] == stage.values["sellerId"], response.text
    assert response.body["shopName"] == "Owner's shop"


def _shows_in_status(status: str) -> Then:
    def check(stage: Stage, actor: str, response: ApiResponse) -> None:
        _is_target(stage, actor, response)
        assert response.body["status"] == status, response.text
        shown = stage.api.get(f"/products/{stage.product_id}", token=stage.admin.access)
        assert shown.body["status"] == status, shown.text

    return check


def _stock_is(available: int) -> Then:
    def check(stage: Stage, actor: str, response: ApiResponse) -> None:
        assert response.body["productId"] == stage.product_id
        assert response.body["available"] == available, response.text

    return check


def _review_is_gone(stage: Stage, actor: str, response: ApiResponse) -> None:
    shown = stage.api.get(f"/products/{stage.product_id}")
    assert shown.body["rating"] == {"average": None, "count": 0}, shown.text


def _review_counts(stage: Stage, actor: str, response: ApiResponse) -> None:
    shown = stage.api.get(f"/products/{stage.product_id}")
    assert shown.body["rating"] == {"average": 4.0, "count": 1}, shown.text


@dataclass(frozen=True)
class Row:
    route: str  # "METHOD /path/{param}", as serverless.yml declares it
    given: Given
    expect: tuple[str, str, str, str, str]  # per actor, in the order of ACTORS
    body: Body = None
    headers: dict[str, str] = field(default_factory=dict)
    then: Then | None = None  # more to check on a success

    @property
    def id(self) -> str:
        return f"{self.route} [{self.given.__name__.strip('_').replace('_', ' ')}]"


def _new_product(stage: Stage) -> dict[str, Any]:
    return product_body(stage.category_id, sku=f"NEW-{stage.sku()}")


def _shop(stage: Stage) -> dict[str, Any]:
    return {"shopName": "Another shop", "contactEmail": "shop@shop.example"}


N401 = "401 token_missing"
N403 = "403 forbidden_role"
N404 = "404 product_not_found"
V1 = {"if-match": '"1"'}
NOT_BOUGHT = "403 verified_buyer_required"

MATRIX: list[Row] = [
    # route, given, then per actor: (anonymous, customer, other seller, owner, admin)
    # -- sellers ----------------------------------------------------------------------------
    Row("POST /sellers", _nothing, (N401, "201", "409 seller_exists", "409 seller_exists", N403),
        body=_shop),
    Row("GET /sellers/{sellerId}", _nothing, ("200", "200", "200", "200", "200"),
        then=_is_owners_shop),
    Row("GET /sellers/me/products", _draft, (N401, N403, "200", "200", N403),
        then=_lists_target_for_owner_only),
    # -- categories -------------------------------------------------------------------------
    Row("GET /categories", _category, ("200", "200", "200", "200", "200")),
    Row("POST /categories", _nothing, (N401, N403, N403, N403, "201"), body={"name": "Garden"}),
    Row("PATCH /categories/{categoryId}", _category, (N401, N403, N403, N403, "200"),
        body={"name": "Desk lamps"}),
    Row("DELETE /categories/{categoryId}", _category, (N401, N403, N403, N403, "204")),
    # -- products: shoppers ---------------------------------------------------------------------
    Row("GET /products", _active, ("200", "200", "200", "200", "200"), then=_lists_target),
    # -- search (issue 11): the shop's search is public, the order search admins' alone --------
    Row("GET /search", _searchable, ("200", "200", "200", "200", "200"), then=_lists_target),
    Row("GET /search/suggest", _nothing, ("200", "200", "200", "200", "200")),
    Row("GET /admin/orders/search", _nothing, (N401, N403, N403, N403, "200")),
    Row("GET /products/{productId}", _active, ("200", "200", "200", "200", "200"),
        then=_is_target),
    Row("GET /products/{productId}", _draft, (N404, N404, N404, "200", "200"), then=_is_target),
    Row("GET /products/{productId}", _in_review, (N404, N404, N404, "200", "200"),
        then=_is_target),
    # -- products: sellers --------------------------------------------------------------------
    Row("POST /products", _nothing, (N401, N403, "201", "201", N403), body=_new_product),
    Row("PATCH /products/{productId}", _draft, (N401, N403, N404, "200", "200"),
        body={"name": "Brass desk lamp"}, headers=V1, then=_shows_in_status("draft")),
    Row("PATCH /products/{productId}", _active, (N401, N403, N404, "200", "200"),
        body={"name": "Brass desk lamp"}, headers={"if-match": '"3"'},
        then=_shows_in_status("active")),
    Row("DELETE /products/{productId}", _active, (N401, N403, N404, "200", "200"),
        then=_shows_in_status("archived")),
    Row("POST /products/{productId}/submit", _draft, (N401, N403, N404, "200", N403),
        then=_shows_in_status("pending_review")),
    Row("POST /products/{productId}/images/uploads", _draft, (N401, N403, N404, "201", N403),
        body={"contentType": "image/png"}),
    # -- products: moderation ---------------------------------------------------------------
    # -- reality: 3D and AR (issue 14) --------------------------------------------------------
    Row("POST /reality/{productId}/uploads", _draft, (N401, N403, N404, "201", "201"),
        body=MODEL_FORM),
    Row("POST /reality/{productId}/uploads/{assetId}/done", _model_uploading,
        (N401, N403, N404, "202", "202"), then=_is_processing),
    Row("POST /reality/{productId}/generate", _draft_with_photo, (N401, N403, N404, "202", "202")),
    Row("GET /reality/{productId}", _active_with_model, ("200", "200", "200", "200", "200"),
        then=_shows_assets(1)),
    Row("GET /reality/{productId}", _model_uploading, (N404, N404, N404, "200", "200"),
        then=_shows_assets(1)),
    Row("GET /reality/{productId}/view", _active_with_model, ("200", "200", "200", "200", "200")),
    Row("GET /reality/{productId}/view", _draft, (N404, N404, N404, N404, N404)),
    Row("GET /viewer/{asset}", _viewer_file, ("200", "200", "200", "200", "200")),
    Row("GET /admin/products", _in_review, (N401, N403, N403, N403, "200"), then=_lists_target),
    Row("POST /admin/products/{productId}/approve", _in_review, (N401, N403, N403, N403, "200"),
        then=_shows_in_status("active")),
    Row("POST /admin/products/{productId}/reject", _in_review, (N401, N403, N403, N403, "200"),
        body={"reason": "Blurry photos"}, then=_shows_in_status("rejected")),
    # -- stock: the seller's and the admin's, even of a public product ------------------------
    Row("GET /products/{productId}/inventory", _active, (N401, N403, N404, "200", "200"),
        then=_stock_is(10)),
    Row("PUT /products/{productId}/inventory", _active, (N401, N403, N404, "200", "200"),
        body={"available": 7}, then=_stock_is(7)),
    Row("POST /products/{productId}/inventory/adjustments", _active,
        (N401, N403, N404, "201", "201"), body={"delta": 2, "reason": "restock"},
        then=_stock_is(12)),
    # -- reviews ------------------------------------------------------------------------------
    Row("GET /products/{productId}/reviews", _reviewed_by_the_caller,
        ("200", "200", "200", "200", "200")),
    Row("GET /products/{productId}/reviews", _draft, (N404, N404, N404, "200", "200")),
    Row("PUT /products/{productId}/reviews/me", _bought_by_the_caller,
        (N401, "200", "200", "403 own_product", "200"), body=REVIEW, then=_review_counts),
    Row("PUT /products/{productId}/reviews/me", _active,
        (N401, NOT_BOUGHT, NOT_BOUGHT, "403 own_product", NOT_BOUGHT), body=REVIEW),
    Row("PUT /products/{productId}/reviews/me", _draft, (N401, N404, N404, N404, N404),
        body=REVIEW),
    Row("DELETE /products/{productId}/reviews/me", _reviewed_by_the_caller,
        (N401, "204", "204", "404 review_not_found", "204"), then=_review_is_gone),
]  # fmt: skip


def _table_items() -> list[dict[str, Any]]:
    """Every item of the table (bookkeeping, to show that a refusal wrote nothing)."""
    from adapters import aws

    table = os.environ["TABLE_NAME"]
    items = aws.client("dynamodb").scan(TableName=table, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: (item["PK"]["S"], item["SK"]["S"]))


def _expected(cell: str) -> tuple[int, str | None]:
    status, _, code = cell.partition(" ")
    return int(status), code or None


def _call(stage: Stage, row: Row, actor: str) -> ApiResponse:
    method, template = row.route.split(" ")
    path = template.format(**stage.values)
    body = row.body(stage) if callable(row.body) else row.body
    account = stage.account(actor)
    return stage.api.request(
        method,
        path,
        json_body=body,
        token=None if account is None else account.access,
        headers=dict(row.headers),
    )


def _check_cell(stage: Stage, row: Row, actor: str, expected: str) -> None:
    row.given(stage, actor)
    before = _table_items()
    response = _call(stage, row, actor)
    status, code = _expected(expected)
    if code is not None:
        problem(response, status, code)
    else:
        assert response.status == status, response.text
        if row.then is not None:
            row.then(stage, actor, response)
    if code is not None or row.route.startswith("GET "):
        assert _table_items() == before, "it wrote to the table"


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


def _catalog_routes() -> dict[str, str]:
    """Every catalogue route the resolved serverless.yml declares, with its handler."""
    routes = {}
    for function in CONFIG["functions"].values():
        if not function["handler"].startswith(tuple(f"handlers/{m}/" for m in CATALOG_AREAS)):
            continue
        for event in function.get("events", []):
            http = event.get("httpApi")
            if http:
                routes[f"{http['method'].upper()} {http['path']}"] = function["handler"]
    return routes


def test_the_matrix_covers_every_catalog_route() -> None:
    declared = set(_catalog_routes())
    covered = {row.route for row in MATRIX}
    assert declared, "no catalog route found: did the handlers' folders move?"
    assert declared - covered == set(), "catalogue routes missing from the matrix"
    assert covered - declared == set(), "matrix rows for routes serverless.yml does not declare"
    assert len({row.id for row in MATRIX}) == len(MATRIX), "two rows test the same thing"
    for row in MATRIX:
        assert len(row.expect) == len(ACTORS), row.id
        for cell in row.expect:
            status, code = _expected(cell)
            assert (status < 400) == (code is None), f"{row.id}: {cell}"


def test_anonymous_expectations_follow_the_declared_authorizers() -> None:
    """The table's anonymous column agrees with serverless.yml and each function's app:
    401 exactly where an authorizer runs and the function does not take anonymous callers."""
    authorized = {f"{r.method} {r.path}": r.authorized for r in routes_of(CONFIG)}
    for row in MATRIX:
        handler = _catalog_routes()[row.route]
        module = importlib.import_module(handler.rpartition(".")[0].replace("/", "."))
        app = module.app
        protected = authorized[row.route] and bool(app.roles) and not app.optional_auth
        assert (row.expect[0] == N401) == protected, row.id
