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
    from adapters.checkout_machine import StepFunctionsCallbacks, StepFunctionsCheckout
    from adapters.event_bus import SnsEventBus
    from adapters.images import S3ImageStore
    from adapters.mailer import SesMailer
    from adapters.passwords import BcryptHasher
    from adapters.tokens import JwtTokens
    from domain.accounts.model import Channel, LoginPolicy
    from domain.buying.cart import CartPolicy
    from domain.buying.checkout import CheckoutLimits
    from domain.buying.payments import MoveOrder
    from domain.buying.ports import HoldReleaser, UnpaidOrders
    from domain.buying.pricing import PricingPolicy
    from domain.catalog.categories import CategoryTree
    from domain.limits import RateLimits
    from domain.notifications import Sender
    from domain.payments.later import RefundSettler
    from domain.payments.ports import PaymentProvider, ProviderEvent, WebhookVerifier
    from domain.payments.testmode import EventDelivery, TestIntents
    from repositories.accounts.repository import DynamoAccounts
    from repositories.analytics import DynamoEventLog
    from repositories.buying.addresses import DynamoAddressBook
    from repositories.buying.cart import DynamoCarts
    from repositories.buying.holds import DynamoHolds
    from repositories.buying.order_reader import DynamoOrderReader
    from repositories.buying.orders import DynamoOrders
    from repositories.buying.payments import (
        DynamoOrderPayments,
        DynamoPayments,
        DynamoWebhookEvents,
    )
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


# -- the checkout state machine (handlers/checkout_flow) -------------------------------
# Each import is inside its factory: a task imports only what its step needs.


@cache
def order_reader() -> DynamoOrderReader:
    from repositories.buying.order_reader import DynamoOrderReader

    return DynamoOrderReader()


def move_order() -> MoveOrder:
    from domain.buying.orders import move_order

    return move_order


@cache
def payment_records() -> DynamoPayments:
    from repositories.buying.payments import DynamoPayments

    return DynamoPayments()


@cache
def payment_provider() -> PaymentProvider:
    # Test mode only until the payments issue adds Stripe behind the same port.
    from adapters.local_payments import LocalPaymentProvider

    return LocalPaymentProvider()


@cache
def checkout_machine() -> StepFunctionsCheckout:
    from adapters.checkout_machine import StepFunctionsCheckout

    return StepFunctionsCheckout(settings().CHECKOUT_STATE_MACHINE_ARN)


# -- the cart (buying) -------------------------------------------------------------------


def cart_policy() -> CartPolicy:
    """Built per request from the (cached) settings: cheap, and a test that changes the
    environment and clears ``settings`` sees its new values."""
    from domain.buying.cart import CartPolicy

    config = settings()
    return CartPolicy(
        hold_minutes=config.CART_HOLD_MINUTES,
        max_quantity=config.CART_MAX_QUANTITY,
        max_lines=config.CART_MAX_LINES,
        ttl_days=config.CART_TTL_DAYS,
        max_held_per_product=config.HOLD_MAX_UNITS_PER_PRODUCT,
        max_held_total=config.HOLD_MAX_UNITS_TOTAL,
    )


@cache
def pricing() -> PricingPolicy:
    from domain.buying.pricing import PricingPolicy

    config = settings()
    return PricingPolicy.from_settings(
        config.STORE_CURRENCY, config.TAX_RATES, config.SHIPPING_FLAT, config.FREE_SHIPPING_FROM
    )


@cache
def carts() -> DynamoCarts:
    from repositories.buying.cart import DynamoCarts

    return DynamoCarts()


@cache
def holds() -> DynamoHolds:
    from repositories.buying.holds import DynamoHolds

    return DynamoHolds()


class _UnpaidOrdersOnDemand:
    """``OrderRepository.expire_unpaid`` for the functions that release expired holds:
    the orders repository is loaded the first time an expired order hold is met, so the
    cart functions' cold start does not pay for it (it is rarely needed there)."""

    def expire_unpaid(self, order_id: str, now: datetime) -> bool:
        return orders().expire_unpaid(order_id, now)


@cache
def address_book() -> DynamoAddressBook:
    from repositories.buying.addresses import DynamoAddressBook

    return DynamoAddressBook()


@cache
def unpaid_orders() -> UnpaidOrders:
    return _UnpaidOrdersOnDemand()


def checkout_limits() -> CheckoutLimits:
    from domain.buying.checkout import CheckoutLimits

    config = settings()
    return CheckoutLimits(
        payment_window=timedelta(minutes=config.PAYMENT_WINDOW_MINUTES),
        max_unpaid=config.MAX_OPEN_UNPAID_ORDERS,
    )


class _HoldReleaser:
    """A checkout that finds a product short first releases its expired holds
    (``domain.buying.holds.release_expired``), then tries once more."""

    def release_expired(self, product_id: str, now: datetime) -> int:
        from domain.buying.holds import release_expired

        return release_expired(product_id, holds=holds(), orders=orders(), now=now)


@cache
def hold_releaser() -> HoldReleaser:
    return _HoldReleaser()


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


# -- payments that finish later (issue 9, B) ---------------------------------------------


@cache
def task_callbacks() -> StepFunctionsCallbacks:
    from adapters.checkout_machine import StepFunctionsCallbacks

    return StepFunctionsCallbacks()


@cache
def webhook_events() -> DynamoWebhookEvents:
    from repositories.buying.payments import DynamoWebhookEvents

    return DynamoWebhookEvents()


def webhook_verifier() -> WebhookVerifier:
    """Stripe's signature scheme with the payments secret's ``webhookSecret`` (the secret
    is cached by ``adapters.secrets``). A's wiring (Stripe or the test mode) supersedes
    this at merge; both verify the same scheme with the same secret."""
    from adapters import secrets
    from adapters.webhook_signature import StripeSignatureVerifier

    config = settings()
    value = secrets.get_json_secret(config.PAYMENTS_SECRET_ID, config.SECRETS_CACHE_SECONDS)
    return StripeSignatureVerifier(str(value.get("webhookSecret") or ""))


class _RefundSettlementSeam:
    """``charge.refunded`` until the refunds area (D) lands its
    ``domain.payments.refunds.settle_refund_event``: the event is logged and acknowledged
    (its id claimed). SEAM: the lead binds D's function here at merge."""

    def __call__(self, event: ProviderEvent) -> None:
        import logging

        logging.getLogger("bazaar.payments").warning(
            "charge.refunded received before refunds exist: not settled",
            extra={"eventId": event.event_id, "orderId": event.order_id},
        )


@cache
def refund_settler() -> RefundSettler:
    return _RefundSettlementSeam()


def test_intents() -> TestIntents:
    """The test mode's waiting PaymentIntents (only the test provider has them)."""
    from adapters.local_payments import LocalPaymentProvider

    return LocalPaymentProvider()


def test_event_delivery() -> EventDelivery:
    """Signed deliveries of test-mode events to this stage's webhook."""
    from adapters import secrets
    from adapters.local_payments import SignedWebhookDelivery

    config = settings()
    value = secrets.get_json_secret(config.PAYMENTS_SECRET_ID, config.SECRETS_CACHE_SECONDS)
    return SignedWebhookDelivery(config.PAYMENTS_WEBHOOK_URL, str(value.get("webhookSecret") or ""))


@cache
def order_payments() -> DynamoOrderPayments:
    from repositories.buying.payments import DynamoOrderPayments

    return DynamoOrderPayments()
