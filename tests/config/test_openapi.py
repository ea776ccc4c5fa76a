"""The committed OpenAPI document is the one the handlers produce today."""

from __future__ import annotations

import json

from scripts.openapi import SPEC_PATH, build, render
from tests.support.lambda_api import routes_of


def test_committed_document_matches_the_handlers(config: dict) -> None:
    assert SPEC_PATH.read_text() == render(build()), (
        "run `make openapi` and commit docs/openapi.json"
    )


def test_every_documented_route_is_deployed_and_every_deployed_route_is_documented(
    config: dict,
) -> None:
    document = json.loads(SPEC_PATH.read_text())
    documented = {
        (method.upper(), path) for path, ops in document["paths"].items() for method in ops
    }
    deployed = {
        (route.method, route.path)
        for route in routes_of(config)
        # documentation and the AR page's static files (reality, issue 14)
        if route.path not in ("/openapi.json", "/docs", "/docs/{asset}", "/viewer/{asset}")
    }
    assert documented == deployed


def test_protected_operations_declare_bearer_security_and_public_ones_do_not(config: dict) -> None:
    document = json.loads(SPEC_PATH.read_text())
    protected = {(route.method, route.path) for route in routes_of(config) if route.authorized}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            needs_token = (method.upper(), path) in protected
            assert ("security" in operation) == needs_token, (method, path)


def test_errors_are_documented_as_problem_documents() -> None:
    document = json.loads(SPEC_PATH.read_text())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert "application/problem+json" in response["content"], (method, path, status)
