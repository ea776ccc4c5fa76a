"""The bad-input tables' machinery: a case, the world it needs, and the check of one case.

Each area's module (``test_<area>.py``) owns its table, ``CASES``: each case names a route,
who calls it, what is sent, and the status, code and error locations expected. The
catalog's cases need a shop (a seller, a category, products in a given status), which
``World`` makes on first use. ``test_coverage.py`` holds the union of the tables to the
routes serverless.yml declares, so a new route without bad-input cases fails.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from string import Formatter
from typing import Any

import pytest

from tests.conftest import CONFIG
from tests.integration.catalog_helpers import become_seller, create_category, create_product
from tests.integration.helpers import (
    Account,
    add_address,
    error_locs,
    make_admin,
    problem,
    register_and_login,
)
from tests.support.lambda_api import LambdaApi, routes_of

Loc = tuple[str, ...]
NO_BODY = object()
ANOTHER_USER = "usr_01JD0000000000000000000000"
ANOTHER_ADDRESS = "adr_01JD0000000000000000000000"
ANOTHER_SELLER = "sel_01JD0000000000000000000000"
ANOTHER_CATEGORY = "cat_01JD0000000000000000000000"
ANOTHER_PRODUCT = "prd_01JD0000000000000000000000"
LONG_EMAIL = "a" * 245 + "@shop.example"  # 258 characters


@dataclass(frozen=True)
class Raw:
    """A body sent as is (not JSON-encoded)."""

    text: str


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # may name {user}, {address}, {category}, {product}, {seller_id} … (World.path)
    body: Any = NO_BODY
    token: str | None = "customer"
    status: int = 422
    code: str | None = "validation_failed"
    errors: tuple[tuple[Loc, str], ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    group: str | None = None  # cases of one group run one after another in one test

    @property
    def route(self) -> str:
        return f"{self.method} {self.path.split('?')[0]}"


def err(*pairs: tuple[str, str]) -> tuple[tuple[Loc, str], ...]:
    """Error expectations from ``("body.email", "missing")`` pairs."""
    return tuple((tuple(loc.split(".")), kind) for loc, kind in pairs)


def without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in names}


def body_cases(
    name: str, method: str, path: str, *, token: str | None, valid: dict[str, Any]
) -> list[Case]:
    """Malformed JSON, a JSON array, a JSON string and an empty body, for one route.

    They form one group (one test): each is refused without writing anything, so they
    can share a fresh stack, and the suite stays fast.
    """

    def case(suffix: str, body: Any, status: int, code: str, errors: Any = ()) -> Case:
        return Case(
            f"{name}: {suffix}",
            method,
            path,
            body,
            token,
            status,
            code,
            errors,
            group=f"{name}: malformed bodies",
        )

    one_line = json.dumps(valid)
    return [
        case("truncated JSON", Raw(one_line[:-1]), 400, "malformed_json"),
        case("single quotes", Raw(one_line.replace('"', "'")), 400, "malformed_json"),
        case("trailing comma", Raw(one_line[:-1] + ",}"), 400, "malformed_json"),
        case("not JSON at all", Raw("email=a@b.c&x=1"), 400, "malformed_json"),
        case(
            "JSON array", [valid], 422, "validation_failed", err(("body", "model_attributes_type"))
        ),
        case(
            "JSON string",
            "hello",
            422,
            "validation_failed",
            err(("body", "model_attributes_type")),
        ),
        case(
            "JSON number",
            Raw("42"),
            422,
            "validation_failed",
            err(("body", "model_attributes_type")),
        ),
        case(
            "JSON null",
            Raw("null"),
            422,
            "validation_failed",
            err(("body", "model_attributes_type")),
        ),
        case("empty body", Raw(""), 422, "validation_failed", err(("body", "missing"))),
    ]


def cursor(plain: dict[str, str]) -> str:
    """A well-formed cursor (base64url JSON) carrying whatever keys it is given."""
    raw = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def by_route(cases: list[Case]) -> list[Case]:
    """The catalog's cases run a route at a time, one test per route on one stack: each is
    refused without writing anything (``check`` holds every case to that), so they cannot
    disturb one another, and the module does not build a shop per case."""
    return [replace(c, group=c.name.split(":")[0] + ": bad input") for c in cases]


class World:
    """Who and what a case needs, created on first use (most cases need nobody)."""

    def __init__(self, api: LambdaApi) -> None:
        self.api = api

    @cached_property
    def customer(self) -> Account:
        return register_and_login(self.api)

    @cached_property
    def admin(self) -> Account:
        return make_admin(self.api)

    @cached_property
    def address_id(self) -> str:
        return str(add_address(self.api, self.customer.access)["addressId"])

    @cached_property
    def seller(self) -> Account:
        return become_seller(self.api)

    @cached_property
    def category_id(self) -> str:
        return create_category(self.api, self.admin, "Lamps")

    def _product(self, sku: str) -> str:
        return str(create_product(self.api, self.seller, self.category_id, sku=sku)["productId"])

    @cached_property
    def product_id(self) -> str:
        """A draft of the seller's, version 1, no stock."""
        return self._product("DRAFT-1")

    @property
    def busy_category_id(self) -> str:
        """The category, once it holds the seller's draft (so it cannot be deleted)."""
        assert self.product_id
        return self.category_id

    @cached_property
    def pending_product_id(self) -> str:
        product_id = self._product("PENDING-1")
        submitted = self.api.post(f"/products/{product_id}/submit", token=self.seller.access)
        assert submitted.status == 200, submitted.text
        return product_id

    @cached_property
    def active_product_id(self) -> str:
        product_id = self.pending_product_id
        approved = self.api.post(f"/admin/products/{product_id}/approve", token=self.admin.access)
        assert approved.status == 200, approved.text
        return product_id

    def path(self, template: str) -> str:
        values: dict[str, Callable[[], str]] = {
            "user": lambda: self.customer.user_id,
            "address": lambda: self.address_id,
            "address_lower": lambda: self.address_id.lower(),
            "address_prefix": lambda: self.address_id.replace("adr_", "usr_", 1)[:-1],
            "seller_id": lambda: "sel_" + self.seller.user_id.removeprefix("usr_"),
            "category": lambda: self.category_id,
            "busy_category": lambda: self.busy_category_id,
            "product": lambda: self.product_id,
            "product_lower": lambda: self.product_id.lower(),
            "pending_product": lambda: self.pending_product_id,
            "active_product": lambda: self.active_product_id,
        }
        named = {name for _, name, _, _ in Formatter().parse(template) if name}
        return template.format(**{name: values[name]() for name in named})

    def token(self, who: str | None) -> str | None:
        return None if who is None else getattr(self, who).access


def table_items() -> list[dict[str, Any]]:
    """Every item of the table (test bookkeeping, outside any counted block)."""
    from adapters import aws

    table = os.environ["TABLE_NAME"]
    items = aws.client("dynamodb").scan(TableName=table, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: (item["PK"]["S"], item["SK"]["S"]))


def send(api: LambdaApi, path: str, token: str | None, case: Case) -> Any:
    headers = {**case.headers}
    kwargs: dict[str, Any] = {"token": token, "headers": headers}
    if isinstance(case.body, Raw):
        headers["content-type"] = "application/json"
        kwargs["body"] = case.body.text
    elif case.body is not NO_BODY:
        kwargs["json_body"] = case.body
    return api.request(case.method, path, **kwargs)


def grouped(cases: list[Case]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(case.group or case.name, []).append(case)
    return groups


def table_test(cases: list[Case]) -> Callable[..., None]:
    """An area's test: one run per group of its table (``test_bad_input = table_test(CASES)``)."""
    groups = grouped(cases)

    @pytest.mark.parametrize("cases", list(groups.values()), ids=list(groups))
    def test_bad_input(api: LambdaApi, world: World, cases: list[Case]) -> None:
        for case in cases:
            check(api, world, case)

    return test_bad_input


def check(api: LambdaApi, world: World, case: Case) -> None:
    path = world.path(case.path)  # creates whoever the case names, before the snapshot
    token = world.token(case.token)
    before = table_items()
    response = send(api, path, token, case)
    where = f"[{case.name}] "
    if case.code is None:
        assert response.status == case.status, where + response.text
    else:
        try:
            body = problem(response, case.status, case.code)
        except AssertionError as failed:
            raise AssertionError(where + str(failed)) from None
        found = error_locs(body)
        for expected in case.errors:
            assert expected in found, f"{where}{expected} not in {found}"
        if case.status == 422 and case.code == "validation_failed":
            assert found, where + str(body)
            # Location, message and type only: the errors never echo what was sent.
            assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"]), body
            for sent in strings(case.body):
                assert sent not in response.text, f"{where}{sent!r} echoed: {response.text}"
        if case.status == 401:
            assert response.header("WWW-Authenticate"), where + str(response.headers)
    # A refused request wrote nothing at all.
    assert table_items() == before, where + "the table changed"


def strings(body: Any) -> list[str]:
    """The longer string values of a sent body (what an error must not repeat)."""
    if isinstance(body, dict):
        return [s for v in body.values() for s in strings(v)]
    if isinstance(body, list):
        return [s for v in body for s in strings(v)]
    return [body] if isinstance(body, str) and len(body) >= 6 else []


def route_of(case: Case) -> str:
    """The declared route a case's path falls on (``/products/nope`` -> its template)."""
    method, path = case.route.split(" ")
    candidates = [r for r in routes_of(CONFIG) if r.method == method]
    for route in sorted(candidates, key=lambda r: "{" in r.path):  # fixed paths first
        if route.path == path or route.pattern.match(path):
            return f"{route.method} {route.path}"
    return case.route
