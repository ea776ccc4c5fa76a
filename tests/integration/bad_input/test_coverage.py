"""The bad-input tables, together, cover every route serverless.yml declares."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import tests.integration.bad_input as package
from tests.integration.bad_input.cases import NO_BODY, Case, route_of
from tests.support.lambda_api import routes_of

# POST routes that take no body (whatever is sent is ignored, never parsed).
BODYLESS = {
    "POST /products/{productId}/submit",
    "POST /admin/products/{productId}/approve",
    "POST /orders/{orderId}/cancel",
    "POST /admin/orders/{orderId}/deliver",
    # saved cards (issue 9)
    "POST /me/payment-methods/setup",
    "POST /me/payment-methods/{paymentMethodId}/default",
    # reality (issue 14)
    "POST /reality/{productId}/uploads/{assetId}/done",
    "POST /reality/{productId}/generate",
}
# POST routes whose body is raw (the provider's signed bytes, no JSON model): their cases
# are signatures refused, not schema errors.
RAW_BODY = {"POST /payments/webhook"}
# Documentation routes, not part of the API's contract.
NOT_API = {"GET /openapi.json", "GET /docs", "GET /docs/{asset}"}


def _all_cases() -> list[Case]:
    """Every area's table: the ``CASES`` of each ``test_*`` module of this package."""
    cases: list[Case] = []
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("test_"):
            imported = importlib.import_module(f"{package.__name__}.{module.name}")
            cases += getattr(imported, "CASES", [])
    return cases


CASES = _all_cases()


def test_the_case_table_covers_every_route(config: dict[str, Any]) -> None:
    declared = {f"{r.method} {r.path}" for r in routes_of(config)} - NOT_API
    covered = {route_of(case) for case in CASES}
    assert declared - covered == set(), "routes without bad-input cases"
    assert covered - declared == set(), "cases for routes serverless.yml does not declare"
    assert declared >= BODYLESS, BODYLESS - declared
    body_routes = (
        {r for r in declared if r.split(" ")[0] in ("POST", "PATCH", "PUT")} - BODYLESS - RAW_BODY
    )
    for route in body_routes:
        kinds = {t for c in CASES if route_of(c) == route for _, t in c.errors} | {
            c.code for c in CASES if route_of(c) == route
        }
        assert "malformed_json" in kinds, route
        assert "model_attributes_type" in kinds, route
        assert "extra_forbidden" in kinds, route
    for route in BODYLESS:  # what is sent to them is ignored, and a case shows it
        assert any(route_of(c) == route and c.body is not NO_BODY for c in CASES), route
