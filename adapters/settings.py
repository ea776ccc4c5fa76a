"""Typed configuration, read from the environment once per container.

Every variable is declared in serverless.yml (``provider.environment``); a test checks
that each field here has a declaration there, because serverless-offline passes the
whole shell environment through and would hide a missing one locally.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

NonEmpty = Annotated[str, Field(min_length=1)]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    STAGE: NonEmpty
    TABLE_NAME: NonEmpty
    STORE_CURRENCY: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"

    JWT_SECRET_ID: NonEmpty
    JWT_ISSUER: NonEmpty
    JWT_AUDIENCE: NonEmpty
    ACCESS_TOKEN_TTL_SECONDS: Annotated[int, Field(ge=60, le=3600)] = 900
    REFRESH_TOKEN_TTL_DAYS: Annotated[int, Field(ge=1, le=365)] = 30
    BCRYPT_ROUNDS: Annotated[int, Field(ge=4, le=16)] = 12
    LOGIN_MAX_FAILURES: Annotated[int, Field(ge=1, le=100)] = 5
    LOGIN_WINDOW_SECONDS: Annotated[int, Field(ge=10, le=86400)] = 900
    PASSWORD_RESET_TTL_SECONDS: Annotated[int, Field(ge=60, le=3600)] = 3600
    SECRETS_CACHE_SECONDS: Annotated[int, Field(ge=0, le=3600)] = 300
    # Per client address (its IP), per fixed window of RATE_LIMIT_WINDOW_SECONDS:
    RATE_LIMIT_WINDOW_SECONDS: Annotated[int, Field(ge=10, le=86400)] = 900
    LOGIN_RATE_LIMIT: Annotated[int, Field(ge=1, le=1_000_000)] = 20
    REGISTER_RATE_LIMIT: Annotated[int, Field(ge=1, le=1_000_000)] = 10
    FORGOT_PASSWORD_RATE_LIMIT: Annotated[int, Field(ge=1, le=1_000_000)] = 10
    # Per email address: reset emails sent per window.
    RESET_EMAILS_PER_ADDRESS: Annotated[int, Field(ge=1, le=100)] = 3
    RESET_EMAIL_WINDOW_SECONDS: Annotated[int, Field(ge=60, le=86400)] = 3600
    # The secret CloudFront sends as X-Origin-Verify when edge protection is on; empty:
    # the client address is always requestContext.http.sourceIp.
    EDGE_ORIGIN_SECRET: str = ""

    # Buying (README, configuration). Cart holds: minutes a cart line holds its units
    # (0: no holds; stock is taken at checkout only).
    # (a fraction of a minute is allowed: the end-to-end tests of expiry use 3 seconds)
    CART_HOLD_MINUTES: Annotated[float, Field(ge=0, le=1440)] = 15
    CART_MAX_QUANTITY: Annotated[int, Field(ge=1, le=999)] = 99
    # A checkout is one transaction of at most 100 actions: 4 per line (stock, cart line,
    # reservation, price check) + order + history + idempotency record = 4n + 3, so 24 at most.
    CART_MAX_LINES: Annotated[int, Field(ge=1, le=24)] = 20
    CART_TTL_DAYS: Annotated[int, Field(ge=1, le=365)] = 30
    # (a fraction of a minute is allowed: the end-to-end test of a payment never completed
    # uses a few seconds)
    PAYMENT_WINDOW_MINUTES: Annotated[float, Field(gt=0, le=1440)] = 15
    # Tax rates in basis points by destination ("US-CA", "US", "*"), as JSON.
    TAX_RATES: str = "{}"
    SHIPPING_FLAT: Annotated[int, Field(ge=0)] = 0
    FREE_SHIPPING_FROM: Annotated[int, Field(ge=0)] = 0
    # Stock hoarding: units one account may hold (cart holds + unpaid orders) of one
    # product and in all, and the unpaid orders it may have open at once.
    HOLD_MAX_UNITS_PER_PRODUCT: Annotated[int, Field(ge=1, le=100_000)] = 10
    HOLD_MAX_UNITS_TOTAL: Annotated[int, Field(ge=1, le=100_000)] = 50
    MAX_OPEN_UNPAID_ORDERS: Annotated[int, Field(ge=1, le=100)] = 3

    EVENTS_TOPIC_ARN: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:sns:")]
    # The checkout state machine (resources/checkout.yml), started by startCheckout.
    CHECKOUT_STATE_MACHINE_ARN: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:states:")]
    IMAGES_BUCKET: NonEmpty
    IMAGES_BASE_URL: Annotated[str, Field(pattern=r"^https?://")]
    EMAIL_FROM: NonEmpty
    APP_BASE_URL: NonEmpty

    # Payments, Stripe (docs/payments.md): the Secrets Manager secret
    # {"secretKey": "sk_…" or "" (the local test mode), "webhookSecret": "whsec_…"}, read
    # by the payment functions only, and where Stripe's API is (a stand-in in the tests).
    PAYMENTS_SECRET_ID: NonEmpty
    STRIPE_API_BASE: Annotated[str, Field(pattern=r"^https?://")] = "https://api.stripe.com"
    # true on a stage that takes real money: a payments secret without a Stripe key is then
    # a configuration error, never the test mode (where pm_card_visa "pays").
    PAYMENTS_REQUIRE_STRIPE: bool = False
    # Payments that finish later (B): where the test mode's stand-in for Stripe.js sends
    # its signed events (the stage's own POST /payments/webhook).
    PAYMENTS_WEBHOOK_URL: str = ""

    # Search (issue 11, docs/search-engine.md): the engine (the stage parameter searchEngine),
    # where the embedded one keeps its index (the local stack: under its data folder), and
    # OpenSearch's endpoint (https://…, resolved by CloudFormation on a stage that has the
    # domain; "" elsewhere) and the prefix of its index aliases.
    SEARCH_ENGINE: Literal["embedded", "opensearch"] = "embedded"
    SEARCH_INDEX_DIR: NonEmpty = "/tmp/bazaar-search"  # noqa: S108 (a Lambda's only disk)
    OPENSEARCH_ENDPOINT: str = ""
    # Embedded on AWS: the index travels through S3 (IMAGES_BUCKET, search-index/), as each
    # container has its own disk (adapters/search_snapshot.py); false where all functions
    # share one disk (the local stage).
    SEARCH_SNAPSHOTS: bool = False
    SEARCH_INDEX_PREFIX: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")] = "bazaar"


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable function; raised at start-up."""


@cache
def settings() -> Settings:
    """Parse and validate the environment once; fail fast with the names at fault."""
    names = Settings.model_fields
    values = {name: os.environ[name] for name in names if name in os.environ}
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = ", ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigurationError(f"invalid configuration: {problems}") from None
