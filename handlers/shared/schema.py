"""Base models and field types of the HTTP contract (camelCase JSON, unknown fields refused)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)
from pydantic.alias_generators import to_camel

from domain.accounts.rules import check_email, check_password_policy
from domain.errors import RuleViolation


class RequestModel(BaseModel):
    """A request body: camelCase names only, and any field not declared is a 422."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        str_strip_whitespace=True,
        # A schemas module serves several functions; each builds only the models it uses
        # (Powertools builds a route's own at registration), not all of them at import.
        defer_build=True,
    )


class ResponseModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,
    )


class Problem(ResponseModel):
    """An RFC 9457 problem document (content type ``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    errors: list[dict[str, object]] | None = None


def _password(value: str) -> str:
    try:
        return check_password_policy(value)
    except RuleViolation as exc:
        raise ValueError(exc.detail) from None


def _email(value: str) -> str:
    return check_email(value)


Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_email)]
# Passwords are not stripped: whitespace is part of them.
Password = Annotated[
    str, StringConstraints(strip_whitespace=False, max_length=256), AfterValidator(_password)
]
Secret = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=256)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$")]
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s]+$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}_[0-9A-Z]{26}$")]
BirthDate = Annotated[date, Field(strict=False)]


def _query_int(value: object) -> object:
    # A query string carries text: "20" is the number 20, but "20.0", " 20" or "true"
    # are not (and a bool is never an int here).
    if isinstance(value, str) and value.isascii() and value.isdecimal():
        return int(value)
    return value


Limit = Annotated[StrictInt, BeforeValidator(_query_int), Field(ge=1, le=100)]
QueryInt = Annotated[StrictInt, BeforeValidator(_query_int)]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=2048)]

__all__ = [
    "BirthDate",
    "CountryCode",
    "Cursor",
    "Email",
    "HttpsUrl",
    "Identifier",
    "Limit",
    "Name",
    "Password",
    "Phone",
    "Problem",
    "QueryInt",
    "RequestModel",
    "ResponseModel",
    "Secret",
    "ShortText",
    "StrictBool",
    "StrictInt",
]
