"""Typed configuration, read from the environment once per container.

Every variable is declared in serverless.yml (``provider.environment``); a test checks
that each field here has a declaration there, because serverless-offline passes the
whole shell environment through and would hide a missing one locally.

A plain class, neither pydantic nor a dataclass: every function reads its settings on its
cold start. pydantic would load into workers that parse no HTTP body (about a tenth of a
cold start), and a dataclass of fifty fields generates and compiles its methods at import
(about 4 % of a cold start, measured in instructions). Each variable says its kind and
limits; ``settings()`` checks them all and names every variable at fault.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}
_REQUIRED = object()


class Variable:
    """One declared variable: its kind, its default (none: it is required) and its limits.

    A class attribute of ``Settings`` until ``parse`` sets the instance's value over it.
    """

    __slots__ = ("default", "rules")

    def __init__(self, default: Any, **rules: Any) -> None:
        self.default = default
        self.rules = rules


def text(
    default: Any = _REQUIRED,
    *,
    pattern: str | None = None,
    min_length: int = 0,
    one_of: tuple[str, ...] = (),
) -> Any:
    return Variable(default, kind=str, pattern=pattern, min=min_length, one_of=one_of)


def whole(default: Any = _REQUIRED, *, ge: int | None = None, le: int | None = None) -> Any:
    return Variable(default, kind=int, ge=ge, le=le)


def number(
    default: Any = _REQUIRED,
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
) -> Any:
    return Variable(default, kind=float, gt=gt, ge=ge, le=le)


def flag(default: bool) -> Any:
    return Variable(default, kind=bool)


class Settings:
    """The environment, converted and checked: read-only once parsed."""

    STAGE: str = text(min_length=1)
    TABLE_NAME: str = text(min_length=1)
    STORE_CURRENCY: str = text("USD", pattern=r"^[A-Z]{3}$")

    JWT_SECRET_ID: str = text(min_length=1)
    JWT_ISSUER: str = text(min_length=1)
    JWT_AUDIENCE: str = text(min_length=1)
    ACCESS_TOKEN_TTL_SECONDS: int = whole(900, ge=60, le=3600)
    REFRESH_TOKEN_TTL_DAYS: int = whole(30, ge=1, le=365)
    BCRYPT_ROUNDS: int = whole(12, ge=4, le=16)
    LOGIN_MAX_FAILURES: int = whole(5, ge=1, le=100)
    LOGIN_WINDOW_SECONDS: int = whole(900, ge=10, le=86400)
    PASSWORD_RESET_TTL_SECONDS: int = whole(3600, ge=60, le=3600)
    SECRETS_CACHE_SECONDS: int = whole(300, ge=0, le=3600)
    # Per client address (its IP), per fixed window of RATE_LIMIT_WINDOW_SECONDS:
    RATE_LIMIT_WINDOW_SECONDS: int = whole(900, ge=10, le=86400)
    LOGIN_RATE_LIMIT: int = whole(20, ge=1, le=1_000_000)
    REGISTER_RATE_LIMIT: int = whole(10, ge=1, le=1_000_000)
    FORGOT_PASSWORD_RATE_LIMIT: int = whole(10, ge=1, le=1_000_000)
    # Per email address: reset emails sent per window.
    RESET_EMAILS_PER_ADDRESS: int = whole(3, ge=1, le=100)
    RESET_EMAIL_WINDOW_SECONDS: int = whole(3600, ge=60, le=86400)
    # The secret CloudFront sends as X-Origin-Verify when edge protection is on; empty:
    # the client address is always requestContext.http.sourceIp.
    EDGE_ORIGIN_SECRET: str = text("")

    # Buying (README, configuration). Cart holds: minutes a cart line holds its units
    # (0: no holds; stock is taken at checkout only).
    # (a fraction of a minute is allowed: the end-to-end tests of expiry use 3 seconds)
    CART_HOLD_MINUTES: float = number(15, ge=0, le=1440)
    CART_MAX_QUANTITY: int = whole(99, ge=1, le=999)
    # A checkout is one transaction of at most 100 actions: 4 per line (stock, cart line,
    # reservation, price check) + order + history + idempotency record = 4n + 3, so 24 at most.
    CART_MAX_LINES: int = whole(20, ge=1, le=24)
    CART_TTL_DAYS: int = whole(30, ge=1, le=365)
    # (a fraction of a minute is allowed: the end-to-end test of a payment never completed
    # uses a few seconds)
    PAYMENT_WINDOW_MINUTES: float = number(15, gt=0, le=1440)
    # Tax rates in basis points by destination ("US-CA", "US", "*"), as JSON.
    TAX_RATES: str = text("{}")
    SHIPPING_FLAT: int = whole(0, ge=0)
    FREE_SHIPPING_FROM: int = whole(0, ge=0)
    # Stock hoarding: units one account may hold (cart holds + unpaid orders) of one
    # product and in all, and the unpaid orders it may have open at once.
    HOLD_MAX_UNITS_PER_PRODUCT: int = whole(10, ge=1, le=100_000)
    HOLD_MAX_UNITS_TOTAL: int = whole(50, ge=1, le=100_000)
    MAX_OPEN_UNPAID_ORDERS: int = whole(3, ge=1, le=100)

    EVENTS_TOPIC_ARN: str = text(pattern=r"^arn:aws[a-z-]*:sns:")
    # The checkout state machine (resources/checkout.yml), started by startCheckout.
    CHECKOUT_STATE_MACHINE_ARN: str = text(pattern=r"^arn:aws[a-z-]*:states:")
    IMAGES_BUCKET: str = text(min_length=1)
    IMAGES_BASE_URL: str = text(pattern=r"^https?://")
    EMAIL_FROM: str = text(min_length=1)
    APP_BASE_URL: str = text(min_length=1)

    # Payments, Stripe (docs/payments.md): the Secrets Manager secret
    # {"secretKey": "sk_…" or "" (the local test mode), "webhookSecret": "whsec_…"}, read
    # by the payment functions only, and where Stripe's API is (a stand-in in the tests).
    PAYMENTS_SECRET_ID: str = text(min_length=1)
    STRIPE_API_BASE: str = text("https://api.stripe.com", pattern=r"^https?://")
    # true on a stage that takes real money: a payments secret without a Stripe key is then
    # a configuration error, never the test mode (where pm_card_visa "pays").
    PAYMENTS_REQUIRE_STRIPE: bool = flag(False)
    # Payments that finish later: where the test mode's stand-in for Stripe.js sends its
    # signed events (the stage's own POST /payments/webhook).
    PAYMENTS_WEBHOOK_URL: str = text("")

    # Search (issue 11, docs/search-engine.md): the engine (the stage parameter searchEngine),
    # where the embedded one keeps its index (the local stack: under its data folder), and
    # OpenSearch's endpoint (https://…, resolved by CloudFormation on a stage that has the
    # domain; "" elsewhere) and the prefix of its index aliases.
    SEARCH_ENGINE: str = text("embedded", one_of=("embedded", "opensearch"))
    SEARCH_INDEX_DIR: str = text("/tmp/bazaar-search", min_length=1)  # noqa: S108 (Lambda's disk)
    OPENSEARCH_ENDPOINT: str = text("")
    # Embedded on AWS: the index travels through S3 (IMAGES_BUCKET, search-index/), as each
    # container has its own disk (adapters/search_snapshot.py); false where all functions
    # share one disk (the local stage).
    SEARCH_SNAPSHOTS: bool = flag(False)
    SEARCH_INDEX_PREFIX: str = text("bazaar", pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")

    # 3D and AR (docs/reality.md): the reality worker's queue, where the "done" call and
    # "make the model from the photo" send their work.
    REALITY_QUEUE_URL: str = text(
        "https://sqs.us-east-1.amazonaws.com/123456789012/bazaar-dev-reality",
        pattern=r"^https?://",
    )

    # Invoices (issue 10, docs/invoices.md): the issuer printed on every invoice and credit
    # note (stage parameters shopName, shopAddress: lines separated by "|"), and how long
    # a download link (a presigned S3 GET) lives.
    SHOP_NAME: str = text("Bazaar", min_length=1)
    SHOP_ADDRESS: str = text("")
    INVOICE_URL_SECONDS: int = whole(300, ge=30, le=3600)

    @classmethod
    def declared(cls) -> dict[str, Variable]:
        return {name: v for name, v in vars(cls).items() if isinstance(v, Variable)}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(cls.declared())

    @classmethod
    def parse(cls, environ: Mapping[str, str]) -> Settings:
        """The settings in ``environ`` (other variables are ignored), each converted and
        checked; ``ConfigurationError`` names every one at fault."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, variable in cls.declared().items():
            raw = environ.get(name)
            if raw is None:
                if variable.default is _REQUIRED:
                    problems.append(f"{name}: missing")
                else:
                    values[name] = variable.default
                continue
            try:
                values[name] = _convert(raw, variable.rules)
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
        if problems:
            raise ConfigurationError(f"invalid configuration: {', '.join(problems)}")
        parsed = object.__new__(cls)
        parsed.__dict__.update(values)
        return parsed

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"settings are read-only ({name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"settings are read-only ({name})")

    def __repr__(self) -> str:  # names only: values may be sensitive (ids, URLs)
        return f"Settings({', '.join(self.__dict__)})"


def _convert(raw: str, rules: Mapping[str, Any]) -> object:
    kind = rules["kind"]
    if kind is bool:
        word = raw.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValueError("not a boolean (true or false)")
    if kind is str:
        if len(raw) < rules["min"]:
            raise ValueError("must not be empty")
        if rules["pattern"] and not re.match(rules["pattern"], raw):
            raise ValueError(f"does not match {rules['pattern']}")
        if rules["one_of"] and raw not in rules["one_of"]:
            raise ValueError(f"must be one of {', '.join(rules['one_of'])}")
        return raw
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ValueError(f"not a {'whole number' if kind is int else 'number'}") from None
    for rule, holds, says in (
        ("gt", operator.gt, "greater than"),
        ("ge", operator.ge, "at least"),
        ("le", operator.le, "at most"),
    ):
        limit = rules.get(rule)
        if limit is not None and not holds(value, limit):
            raise ValueError(f"must be {says} {limit}")
    return value


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable function; raised at start-up."""


@cache
def settings() -> Settings:
    """Parse and validate the environment once; fail fast with the names at fault."""
    return Settings.parse(os.environ)
