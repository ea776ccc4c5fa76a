"""An in-process API Gateway (HTTP API, payload 2.0) for integration tests.

Routes come from the resolved serverless.yml, so a test calls exactly the handler and
authorizer that would run on AWS, with real event shapes: the request authorizer gets
the REQUEST event and its verdict lands in ``requestContext.authorizer.lambda``.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.support.calls import refused_calls, table_grants

ACCOUNT_ID = "123456789012"


@dataclass
class LambdaContext:
    function_name: str = "bazaar-dev-test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:bazaar-dev-test"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/bazaar-dev-test"
    log_stream_name: str = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 6000


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    text: str
    function: str

    @property
    def body(self) -> Any:
        return json.loads(self.text) if self.text else None

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    path: str
    handler: str
    authorized: bool
    pattern: re.Pattern[str]


def load_handler(dotted: str) -> Any:
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module.replace("/", ".")), attribute)


def routes_of(config: dict[str, Any]) -> list[Route]:
    found = []
    for name, fn in config["functions"].items():
        for event in fn.get("events", []):
            http = event.get("httpApi")
            if not http:
                continue
            path = http["path"]
            regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$"
            found.append(
                Route(
                    function=name,
                    method=http["method"].upper(),
                    path=path,
                    handler=fn["handler"],
                    authorized=bool(http.get("authorizer")),
                    pattern=re.compile(regex),
                )
            )
    return found


def request_context(method: str, path: str, route_key: str) -> dict[str, Any]:
    now = time.time()
    return {
        "accountId": ACCOUNT_ID,
        "apiId": "local",
        "domainName": "local.execute-api.us-east-1.amazonaws.com",
        "domainPrefix": "local",
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": "pytest",
        },
        "requestId": str(uuid.uuid4()),
        "routeKey": route_key,
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }


class ApiVerbs:
    """``get``/``post``/… over a ``request``: the same calls in-process and over HTTP."""

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        body: str | bytes | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        raise NotImplementedError

    def get(self, url: str, **kw: Any) -> ApiResponse:
        return self.request("GET", url, **kw)

    def post(self, url: str, json: Any = None, **kw: Any) -> ApiResponse:
        return self.request("POST", url, json_body=json, **kw)

    def patch(self, url: str, json: Any = None, **kw: Any) -> ApiResponse:
        return self.request("PATCH", url, json_body=json, **kw)

    def put(self, url: str, json: Any = None, **kw: Any) -> ApiResponse:
        return self.request("PUT", url, json_body=json, **kw)

    def delete(self, url: str, **kw: Any) -> ApiResponse:
        return self.request("DELETE", url, **kw)


class LambdaApi(ApiVerbs):
    def __init__(self, config: dict[str, Any]) -> None:
        self.routes = routes_of(config)
        authorizer = config["provider"]["httpApi"]["authorizers"]["bearer"]["functionName"]
        self.authorizer_handler = config["functions"][authorizer]["handler"]
        self.calls: list[str] = []
        self.config = config
        self._grants: dict[str, set[str]] = {}

    def grants(self, function: str) -> set[str]:
        if function not in self._grants:
            self._grants[function] = table_grants(self.config, function)
        return self._grants[function]

    def route(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            match = route.pattern.match(path)
            if route.method == method and match:
                return route, match.groupdict()
        raise AssertionError(f"no route for {method} {path} in serverless.yml")

    def event(
        self,
        method: str,
        url: str,
        *,
        body: str | bytes | None,
        headers: dict[str, str],
    ) -> tuple[Route, dict[str, Any]]:
        parts = urlsplit(url)
        route, params = self.route(method, parts.path)
        route_key = f"{method} {route.path}"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": parts.path,
            "rawQueryString": parts.query,
            "headers": {k.lower(): v for k, v in headers.items()},
            "requestContext": request_context(method, parts.path, route_key),
            "isBase64Encoded": False,
        }
        if query:
            event["queryStringParameters"] = query
        if params:
            event["pathParameters"] = params
        if body is not None:
            if isinstance(body, bytes):
                event["body"] = base64.b64encode(body).decode()
                event["isBase64Encoded"] = True
            else:
                event["body"] = body
        return route, event

    def authorize(self, event: dict[str, Any]) -> dict[str, Any]:
        request = {
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT_ID}:local/$default/"
            + event["routeKey"].replace(" ", ""),
            "identitySource": [],
            "routeKey": event["routeKey"],
            "rawPath": event["rawPath"],
            "rawQueryString": event["rawQueryString"],
            "headers": event["headers"],
            "requestContext": event["requestContext"],
            "pathParameters": event.get("pathParameters", {}),
            "queryStringParameters": event.get("queryStringParameters", {}),
        }
        verdict = load_handler(self.authorizer_handler)(request, LambdaContext())
        assert verdict["isAuthorized"] is True, verdict
        return verdict["context"]  # type: ignore[no-any-return]

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        body: str | bytes | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        sent = {"user-agent": "pytest", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body)
            sent.setdefault("content-type", "application/json")
        if token is not None:
            sent["authorization"] = f"Bearer {token}"
        route, event = self.event(method.upper(), url, body=body, headers=sent)
        if route.authorized:
            event["requestContext"]["authorizer"] = {"lambda": self.authorize(event)}
        self.calls.append(route.function)
        # held to its role as on AWS: a call the role does not grant fails the test
        with refused_calls(self.grants(route.function)) as refused:
            result = load_handler(route.handler)(event, LambdaContext())
        assert not refused, f"{route.function}'s role does not grant dynamodb:{refused}"
        assert isinstance(result, dict), result
        assert "statusCode" in result, result
        return ApiResponse(
            status=result["statusCode"],
            headers=result.get("headers") or {},
            text=result.get("body") or "",
            function=route.function,
        )


def query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v is not None})
