"""Typed errors of the shop's rules.

Each error names a stable machine ``code`` and a human ``detail``. The HTTP layer maps
the class (found along the hierarchy) to a status and an RFC 9457 problem document;
the domain itself knows nothing about HTTP.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    title: ClassVar[str] = "The request cannot be carried out"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.extra = extra


class InvalidRequest(DomainError):
    """The request is malformed in a way the schema cannot express (a bad cursor)."""

    code = "invalid_request"
    title = "Bad request"


class RuleViolation(DomainError):
    """Well-formed input that a business rule refuses (a category moved under itself)."""

    code = "rule_violation"
    title = "The request breaks a rule"


class AuthenticationRequired(DomainError):
    code = "authentication_required"
    title = "Authentication required"


class Forbidden(DomainError):
    code = "forbidden"
    title = "Forbidden"


class NotFound(DomainError):
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    code = "conflict"
    title = "Conflict"


class PreconditionFailed(DomainError):
    code = "precondition_failed"
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    code = "precondition_required"
    title = "Precondition required"


class TooManyRequests(DomainError):
    code = "too_many_requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after = max(1, retry_after)
