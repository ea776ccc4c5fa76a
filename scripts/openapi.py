"""One OpenAPI 3.1 document for an API made of many functions.

Every function has its own resolver that knows only its own route(s). This imports each
HTTP function named in serverless.yml, asks its resolver for its part of the document,
and merges them: paths, component schemas (which must agree where names repeat), and the
bearer security of the functions that need a token. ``--write`` updates
docs/openapi.json; ``--check`` fails when the committed file has drifted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from scripts.stack import ROOT, function_environment, resolved_config

SPEC_PATH = ROOT / "docs" / "openapi.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _http_functions(config: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for name, fn in config["functions"].items():
        if any("httpApi" in event for event in fn.get("events", [])):
            found.append((name, fn["handler"].rpartition(".")[0].replace("/", ".")))
    return found


def build() -> dict[str, Any]:
    config = resolved_config("dev")
    for key, value in function_environment(config).items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import importlib

    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for function, module_name in _http_functions(config):
        app = importlib.import_module(module_name).app
        part = app.get_openapi_schema(title="Bazaar", version="1").model_dump(
            by_alias=True, exclude_none=True, mode="json"
        )
        for path, operations in part.get("paths", {}).items():
            for method, operation in operations.items():
                if method not in METHODS:
                    continue
                operation["operationId"] = function
                _json_schema_bounds(operation.get("parameters", []))
                if "requestBody" in operation:
                    _body_problems(operation)
                for status, response in operation.get("responses", {}).items():
                    # No body, so no content (Powertools adds a JSON `null` one): 204 and
                    # 304 always, and any success a route answers empty (a 202 "accepted").
                    schema = response.get("content", {}).get("application/json", {})
                    if status in ("204", "304") or schema.get("schema", {}).get("type") == "null":
                        response.pop("content", None)
                operation["responses"] = dict(sorted(operation.get("responses", {}).items()))
                if app.roles or app.optional_auth:
                    operation["security"] = [{"bearerAuth": []}] + (
                        [{}] if app.optional_auth else []
                    )
                    roles = ", ".join(sorted(r.value for r in app.roles)) or "any (optional)"
                    operation["x-roles"] = roles
                    operation["description"] = (
                        operation.get("description", "") + f"\n\nRoles: {roles}."
                    ).strip()
                paths.setdefault(path, {})[method] = operation
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            _json_schema_bounds(schema)
            if name in schemas and schemas[name] != schema:
                raise SystemExit(f"schema {name!r} differs between functions ({function})")
            schemas[name] = schema
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bazaar API",
            "version": "1.0.0",
            "description": (
                "The Bazaar marketplace: accounts, catalogue, cart, checkout, orders. "
                "Errors are RFC 9457 problem documents (application/problem+json); money "
                "is integer minor units with an ISO 4217 currency."
            ),
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": _referenced(paths, schemas),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


# pydantic writes the bounds of an integer type that has a before-validator (QueryInt,
# Integer in handlers/shared/schema.py) under its own names (ge, le); JSON Schema's are
# these, and without them neither a client nor a generator can see the bounds.
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _json_schema_bounds(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            for pydantic_name, json_name in _BOUNDS.items():
                if pydantic_name in node:
                    node[json_name] = node.pop(pydantic_name)
        for value in node.values():
            _json_schema_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _json_schema_bounds(value)


def _body_problems(operation: dict[str, Any]) -> None:
    """Every route with a body answers 400 to a body that is not JSON and 415 to one that
    is not sent as JSON (handlers/shared/http.py): say so on each."""
    responses = operation.setdefault("responses", {})
    problem = {
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    }
    for status, description in (("400", "Bad Request"), ("415", "Unsupported Media Type")):
        responses.setdefault(status, {"description": description, **problem})


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


def _referenced(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """Only the schemas the paths use, directly or through other schemas."""
    wanted, todo = set(), _refs(paths)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo |= _refs(schemas.get(name, {}))
    return {name: schemas[name] for name in sorted(wanted)}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render(build())
    if args.write:
        SPEC_PATH.write_text(text)
        print(f"wrote {SPEC_PATH.relative_to(ROOT)}")
        return 0
    if not SPEC_PATH.exists() or SPEC_PATH.read_text() != text:
        print("docs/openapi.json is out of date: run `make openapi`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
