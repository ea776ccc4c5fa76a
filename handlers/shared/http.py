"""The one HTTP layer every API function shares.

* ``HttpApp`` is Powertools' ``APIGatewayHttpResolver`` with validation on; it declares
  which roles may call it, and checks them before any route runs.
* Every error leaves as an RFC 9457 problem (``application/problem+json``): a
  ``DomainError`` by its class, a validation error as 422 with field locations, bad
  JSON as 400, and anything unexpected as a 500 that says nothing about internals.
  No exception escapes ``lambda_handler`` (under serverless-offline one would hang
  the request and answer 200).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from domain.access import Role
from domain.errors import (
    AuthenticationRequired,
    Conflict,
    DomainError,
    Forbidden,
    InvalidRequest,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleViolation,
    TooManyRequests,
)
from handlers.shared.powertools import (
    APIGatewayHttpResolver,
    Header,
    NotFoundError,
    Path,
    Query,
    RequestUnsupportedContentType,
    RequestValidationError,
    Response,
)
from handlers.shared.schema import Problem

__all__ = [
    "ADMINS",
    "CUSTOMERS_OR_SELLERS",
    "PUBLIC",
    "SELLERS_ONLY",
    "SELLERS_OR_ADMINS",
    "SIGNED_IN",
    "Header",
    "HttpApp",
    "Path",
    "Principal",
    "Query",
    "Response",
    "documented",
    "handler_for",
    "problem",
    "reply",
]

logger = Logger(service="bazaar")

PROBLEM_JSON = "application/problem+json"
STATUS_OF: dict[type[DomainError], int] = {
    InvalidRequest: 400,
    AuthenticationRequired: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    RuleViolation: 422,
    PreconditionRequired: 428,
    TooManyRequests: 429,
}

# Headers whose absence alone is a 428 (RFC 6585), like a missing If-Match; the checkout's
# Idempotency-Key follows that precedent (the IETF draft allows 400; one answer for both).
REQUIRED_HEADERS = {
    "if-match": ("if_match_required", "send If-Match with the ETag of your last read"),
    "idempotency-key": (
        "idempotency_key_required",
        "send an Idempotency-Key header (1 to 255 visible characters) unique to this checkout",
    ),
}

# Who a function admits, named by exactly the roles it lets in (``PUBLIC``: anyone, even
# without a token).
PUBLIC: frozenset[Role] = frozenset()
SIGNED_IN: frozenset[Role] = frozenset(Role)
CUSTOMERS_OR_SELLERS: frozenset[Role] = frozenset({Role.CUSTOMER, Role.SELLER})
SELLERS_ONLY: frozenset[Role] = frozenset({Role.SELLER})
SELLERS_OR_ADMINS: frozenset[Role] = frozenset({Role.SELLER, Role.ADMIN})
ADMINS: frozenset[Role] = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    """The caller, as the authorizer verified them (never taken from body or query)."""

    user_id: str
    role: Role
    session_id: str


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        **(extensions or {}),  # RFC 9457 extension members: what the client acts on
        "type": f"urn:bazaar:problem:{code}",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=json.dumps(body),
        headers=headers or {},
    )


def reply(
    model: BaseModel | None = None, status: int = 200, headers: dict[str, str] | None = None
) -> Response[Any]:
    """A JSON response from a response model (validated against the route's declared
    return type and serialised camelCase by the resolver), or an empty one."""
    if model is None:
        return Response(status_code=status, headers=headers or {}, body=None)
    return Response(
        status_code=status, content_type="application/json", body=model, headers=headers or {}
    )


def _status_for(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 400


def _errors_of(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Location, message and type only: never the input (it may be a password).
    return [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": err.get("msg", ""),
            "type": err["type"],
        }
        for err in exc.errors()
    ]


def documented(status: int, model: type[BaseModel] | None, *problems: int) -> dict[str, Any]:
    """OpenAPI ``responses`` for a route: its success and the problems it may answer."""
    success: dict[str, Any] = {"description": HTTPStatus(status).phrase}
    if model is not None:
        success["content"] = {"application/json": {"model": model}}
    responses: dict[int, Any] = {status: success}
    for code in sorted({*problems, 422, 500}):
        responses[code] = {
            "description": HTTPStatus(code).phrase,
            "content": {PROBLEM_JSON: {"model": Problem}},
        }
    return {"responses": responses}


class HttpApp(APIGatewayHttpResolver):
    """One function's API: its roles, its route(s), and the shared error handling.

    ``roles`` empty means public. ``optional_auth`` lets anonymous callers in while
    still recognising a signed-in one (catalogue reads where admins see more).
    """

    def __init__(self, *, roles: frozenset[Role], optional_auth: bool = False) -> None:
        super().__init__(enable_validation=True)
        self.roles = roles
        self.optional_auth = optional_auth
        self.exception_handler(DomainError)(self._domain_error)
        self.exception_handler(RequestValidationError)(self._validation_error)
        self.exception_handler(RequestUnsupportedContentType)(self._unsupported)
        self.exception_handler(NotFoundError)(self._no_route)
        self.exception_handler(Exception)(self._unexpected)

    # -- the caller -------------------------------------------------------------------

    @property
    def principal(self) -> Principal:
        """The signed-in caller (routes of a public app must not ask)."""
        found = self.context.get("principal")
        if found is None:
            raise AuthenticationRequired("sign in first", code="token_missing")
        return found  # type: ignore[no-any-return]

    @property
    def caller(self) -> Principal | None:
        """The caller if signed in, else None (for ``optional_auth`` apps)."""
        found: Principal | None = self.context.get("principal")
        return found

    def _authorize(self, event: dict[str, Any]) -> Response[Any] | None:
        if not self.roles and not self.optional_auth:
            return None
        authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
        claims = authorizer.get("lambda") or {}
        path = event.get("rawPath")
        if claims.get("userId"):
            try:
                principal = Principal(
                    user_id=str(claims["userId"]),
                    role=Role(claims["role"]),
                    session_id=str(claims.get("sessionId", "")),
                )
            except (KeyError, ValueError):
                return problem(401, "token_invalid", "the access token is not valid", instance=path)
            if self.roles and principal.role not in self.roles:
                return problem(
                    403,
                    "forbidden_role",
                    "your role may not use this operation",
                    instance=path,
                )
            self.context["principal"] = principal
            return None
        code = str(claims.get("authError") or "token_missing")
        if self.optional_auth and code == "token_missing":
            return None
        if code == "token_unverifiable":
            return problem(503, code, "tokens cannot be checked right now; retry", instance=path)
        detail = {
            "token_missing": "this operation needs an access token (Authorization: Bearer …)",
            "token_expired": "the access token has expired; refresh it",
        }.get(code, "the access token is not valid")
        return problem(
            401,
            code,
            detail,
            instance=path,
            headers={
                "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{code}"'
            },
        )

    # -- entry point --------------------------------------------------------------------

    def lambda_handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            refused = self._authorize(event) or _non_object_body_refused(event)
            if refused is not None:
                return _built(refused)
            return _without_body_if_no_content(self.resolve(event, context))
        except Exception:  # the last line of defence: never let a request hang
            logger.exception("unhandled error outside a route")
            return _built(problem(500, "internal_error", "something went wrong on our side"))
        finally:
            self.context.clear()  # the caller never outlives the request

    # -- error mapping ------------------------------------------------------------------

    def _path(self) -> str | None:
        try:
            return self.current_event.raw_path
        except Exception:  # pragma: no cover - no event
            return None

    def _domain_error(self, error: DomainError) -> Response[Any]:
        status = _status_for(error)
        headers = {}
        if isinstance(error, TooManyRequests):
            headers["Retry-After"] = str(error.retry_after)
        return problem(
            status,
            error.code,
            error.detail,
            title=error.title,
            instance=self._path(),
            headers=headers,
            extensions=error.extra,
        )

    def _validation_error(self, exc: RequestValidationError) -> Response[Any]:
        errors = _errors_of(exc)
        if any(e["type"] == "json_invalid" for e in errors):
            return problem(
                400, "malformed_json", "the request body is not valid JSON", instance=self._path()
            )
        for header, (code, detail) in REQUIRED_HEADERS.items():
            if all(e["type"] == "missing" and e["loc"] == ["header", header] for e in errors):
                # RFC 6585: a precondition header was required and none was sent (and that
                # is all that is wrong: otherwise the 422 below lists it with the rest).
                return problem(428, code, detail, instance=self._path())
        return problem(
            422,
            "validation_failed",
            "the request does not match the schema; see errors",
            instance=self._path(),
            errors=errors,
        )

    def _unsupported(self, _exc: RequestUnsupportedContentType) -> Response[Any]:
        return problem(
            415, "unsupported_media_type", "send application/json", instance=self._path()
        )

    def _no_route(self, _exc: NotFoundError) -> Response[Any]:
        return problem(404, "no_route", "no such operation", instance=self._path())

    def _unexpected(self, _exc: Exception) -> Response[Any]:
        logger.exception("unhandled error in a route")  # the trace goes to the log only
        return problem(
            500, "internal_error", "something went wrong on our side", instance=self._path()
        )


def _non_object_body_refused(event: dict[str, Any]) -> Response[Any] | None:
    """A 422 for a JSON body that is valid JSON but not an object (``[...]``, ``"text"``,
    ``3``, ``null``). Every body of this API is an object; Powertools would take the first
    element of an array for a model (``[{...}]`` passing as ``{...}``) and call a string
    "invalid JSON", which it is not."""
    raw = event.get("body")
    if not raw:
        return None
    try:
        text = base64.b64decode(raw).decode() if event.get("isBase64Encoded") else str(raw)
        if isinstance(json.loads(text), dict):
            return None
    except ValueError:  # not JSON (or not base64): the resolver answers 400 malformed_json
        return None
    return problem(
        422,
        "validation_failed",
        "the request does not match the schema; see errors",
        instance=event.get("rawPath"),
        errors=[
            {
                "loc": ["body"],
                "msg": "Input should be a valid dictionary or object to extract fields from",
                "type": "model_attributes_type",
            }
        ],
    )


def _without_body_if_no_content(result: dict[str, Any]) -> dict[str, Any]:
    """A 204 or 304 carries no body and so no Content-Type (RFC 9110 §6.4.1, §15.3.5)."""
    if result.get("statusCode") in (204, 304):
        result["body"] = ""
        headers = result.get("headers") or {}
        for name in [n for n in headers if n.lower() == "content-type"]:
            del headers[name]
    return result


def _built(response: Response[Any]) -> dict[str, Any]:
    return {
        "statusCode": response.status_code,
        "headers": {"Content-Type": response.content_type or PROBLEM_JSON, **response.headers},
        "body": response.body,
        "isBase64Encoded": False,
    }


def handler_for(app: HttpApp) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The module's ``lambda_handler``, with the request logged in Powertools' shape."""

    @logger.inject_lambda_context(correlation_id_path="requestContext.requestId", clear_state=True)
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.lambda_handler(event, context)

    return lambda_handler
