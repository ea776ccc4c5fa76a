"""Builds the adapters a function needs, once per container.

Each factory imports its adapter inside, so a handler that never calls ``hasher()``
never loads bcrypt (the import hygiene test holds every handler to this).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from adapters.settings import settings

if TYPE_CHECKING:
    from adapters.event_bus import SnsEventBus
    from adapters.images import S3ImageStore
    from adapters.mailer import SesMailer
    from adapters.passwords import BcryptHasher
    from adapters.tokens import JwtTokens
    from domain.accounts.model import Channel, LoginPolicy
    from domain.buying.checkout import CheckoutLimits
    from domain.buying.ports import HoldReleaser
    from domain.buying.pricing import PricingPolicy
    from domain.catalog.categories import CategoryTree
    from domain.limits import RateLimits
    from domain.notifications import Sender
    from repositories.accounts.repository import DynamoAccounts
    from repositories.analytics import DynamoEventLog
    from repositories.buying.orders import DynamoOrders
    from repositories.buying.reads import DynamoOrderReads
    from repositories.catalog.categories import DynamoCategories
    from repositories.catalog.inventory import DynamoInventory
    from repositories.catalog.products import DynamoProducts
    from repositories.limits import DynamoHitCounter
    from repositories.notifications import DynamoNotificationLog
    from repositories.reviews import DynamoReviews
    from repositories.sellers import DynamoSellers


@cache
def accounts() -> DynamoAccounts:
    from repositories.accounts.repository import DynamoAccounts

    return DynamoAccounts()


@cache
def hasher() -> BcryptHasher:
    from adapters.passwords import BcryptHasher

    return BcryptHasher(settings().BCRYPT_ROUNDS)


@cache
def tokens() -> JwtTokens:
    from adapters.tokens import JwtTokens

    return JwtTokens(settings())


@cache
def mailer() -> SesMailer:
    from adapters.mailer import SesMailer

    return SesMailer(settings().EMAIL_FROM)


@cache
def login_policy() -> LoginPolicy:
    from domain.accounts.model import LoginPolicy

    config = settings()
    return LoginPolicy(
        max_failures=config.LOGIN_MAX_FAILURES,
        window=timedelta(seconds=config.LOGIN_WINDOW_SECONDS),
        refresh_ttl=timedelta(days=config.REFRESH_TOKEN_TTL_DAYS),
        reset_ttl=timedelta(seconds=config.PASSWORD_RESET_TTL_SECONDS),
    )


@cache
def rate_limits() -> RateLimits:
    from domain.limits import Limit, RateLimits

    config = settings()
    window = config.RATE_LIMIT_WINDOW_SECONDS
    return RateLimits(
        login=Limit("login", config.LOGIN_RATE_LIMIT, window),
        register=Limit("register", config.REGISTER_RATE_LIMIT, window),
        forgot=Limit("forgot", config.FORGOT_PASSWORD_RATE_LIMIT, window),
        reset_email=Limit(
            "reset-email", config.RESET_EMAILS_PER_ADDRESS, config.RESET_EMAIL_WINDOW_SECONDS
        ),
    )


@cache
def hit_counter() -> DynamoHitCounter:
    from repositories.limits import DynamoHitCounter

    return DynamoHitCounter()


@cache
def event_bus() -> SnsEventBus:
    from adapters.event_bus import SnsEventBus

    return SnsEventBus(settings().EVENTS_TOPIC_ARN)


@cache
def notification_log() -> DynamoNotificationLog:
    from repositories.notifications import DynamoNotificationLog

    return DynamoNotificationLog()


def notification_senders() -> dict[Channel, Sender]:
    from adapters.mailer import EmailSender
    from adapters.sms import SnsSms
    from domain.accounts.model import Channel

    return {Channel.EMAIL: EmailSender(settings().EMAIL_FROM), Channel.SMS: SnsSms()}


@cache
def event_log() -> DynamoEventLog:
    from repositories.analytics import DynamoEventLog

    return DynamoEventLog()


@cache
def sellers() -> DynamoSellers:
    from repositories.sellers import DynamoSellers

    return DynamoSellers()


@cache
def categories() -> DynamoCategories:
    from repositories.catalog.categories import DynamoCategories

    return DynamoCategories()


@cache
def category_tree() -> CategoryTree:
    from domain.catalog.categories import CategoryTree

    return CategoryTree(categories())


@cache
def products() -> DynamoProducts:
    from repositories.catalog.products import DynamoProducts

    return DynamoProducts()


@cache
def inventories() -> DynamoInventory:
    from repositories.catalog.inventory import DynamoInventory

    return DynamoInventory()


@cache
def reviews() -> DynamoReviews:
    from repositories.reviews import DynamoReviews

    return DynamoReviews()


@cache
def image_store() -> S3ImageStore:
    from adapters.images import S3ImageStore

    config = settings()
    return S3ImageStore(config.IMAGES_BUCKET, config.IMAGES_BASE_URL)


# -- buying: checkout and orders ---------------------------------------------------------


@cache
def orders() -> DynamoOrders:
    from repositories.buying.orders import DynamoOrders

    return DynamoOrders()


@cache
def order_reads() -> DynamoOrderReads:
    """For the functions that only read orders (no stock items, no transition table)."""
    from repositories.buying.reads import DynamoOrderReads

    return DynamoOrderReads()


@cache
def pricing() -> PricingPolicy:
    from domain.buying.pricing import PricingPolicy

    config = settings()
    return PricingPolicy.from_settings(
        config.STORE_CURRENCY, config.TAX_RATES, config.SHIPPING_FLAT, config.FREE_SHIPPING_FROM
    )


@cache
def checkout_limits() -> CheckoutLimits:
    from domain.buying.checkout import CheckoutLimits

    config = settings()
    return CheckoutLimits(
        payment_window=timedelta(minutes=config.PAYMENT_WINDOW_MINUTES),
        max_unpaid=config.MAX_OPEN_UNPAID_ORDERS,
    )


class _NoHoldsReleased:
    """PLACEHOLDER until the cart area lands (branch buy-cart): releases nothing, so a
    short checkout is a 409 at once. At merge, ``hold_releaser`` returns an object whose
    ``release_expired(product_id, now)`` calls ``domain.buying.cart.release_expired(
    product_id, holds=<the cart's hold repository>, orders=orders(), now=now)``."""

    def release_expired(self, product_id: str, now: datetime) -> int:  # noqa: ARG002
        return 0


@cache
def hold_releaser() -> HoldReleaser:
    return _NoHoldsReleased()
