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

from domain.accounts.rules import (
    EMAIL_MAX_LENGTH,
    EMAIL_PATTERN,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    check_email,
    check_password_policy,
)
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


class PatchRequest(RequestModel):
    """A partial update: only the fields sent change, and at least one must be sent."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})


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
Email = Annotated[
    str,
    StringConstraints(max_length=EMAIL_MAX_LENGTH, pattern=EMAIL_PATTERN),
    AfterValidator(_email),
]
# Passwords are not stripped: whitespace is part of them.
Password = Annotated[
    str,
    StringConstraints(
        strip_whitespace=False, min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH
    ),
    AfterValidator(_password),
]
Secret = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=256)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$")]
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s]+$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}_[0-9A-Z]{26}$")]


def _date_text(value: object) -> object:
    # JSON has no date type: a date is the text "YYYY-MM-DD" (format "date"), and nothing
    # else (pydantic's lax mode would read the number 0 as 1970-01-01).
    if not isinstance(value, str):
        raise ValueError("a date is a string YYYY-MM-DD")
    return value


BirthDate = Annotated[date, BeforeValidator(_date_text), Field(strict=False)]


def _query_int(value: object) -> object:
    # A query string carries text: "20" is the number 20, but "20.0", " 20" or "true"
    # are not (and a bool is never an int here).
    if isinstance(value, str) and value.isascii() and value.isdecimal():
        return int(value)
    return value


def _whole_number(value: object) -> object:
    # JSON has one number type: 4.0 is the integer 4 to JSON Schema ("type": "integer"),
    # so it is to this API too. 4.5, "4" and true are not integers.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# An integer in a JSON body: a whole number, written 4 or 4.0; never a string or a bool.
Integer = Annotated[StrictInt, BeforeValidator(_whole_number)]
Limit = Annotated[StrictInt, BeforeValidator(_query_int), Field(ge=1, le=100)]
QueryInt = Annotated[StrictInt, BeforeValidator(_query_int)]
# What the API issues: base64url (unpadded; padding is tolerated). One that is not a
# position in the list it is sent to is answered 404 cursor_not_found (the page it names
# does not exist).
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+={0,2}$"
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=2048, pattern=CURSOR_PATTERN)]

__all__ = [
    "BirthDate",
    "CountryCode",
    "Cursor",
    "Email",
    "HttpsUrl",
    "Identifier",
    "Integer",
    "Limit",
    "Name",
    "Password",
    "PatchRequest",
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
