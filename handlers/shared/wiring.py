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
    from stripe import StripeClient

    from adapters.checkout_machine import StepFunctionsCallbacks, StepFunctionsCheckout
    from adapters.emf import EmfMetrics
    from adapters.event_bus import SnsEventBus
    from adapters.images import S3ImageStore
    from adapters.mailer import SesMailer
    from adapters.passwords import BcryptHasher
    from adapters.payments_secret import PaymentsSecret
    from adapters.templates import JinjaRenderer
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
    from domain.payments.cards import TestSetupConfirmer
    from domain.payments.later import WebhookRefunds
    from domain.payments.ports import (
        CardVault,
        Charge,
        PaymentProvider,
        ProviderEvent,
        ProviderRefund,
        SavedCard,
        SetupStart,
        WebhookVerifier,
    )
    from domain.payments.testmode import EventDelivery, TestIntents
    from domain.search.indexing import CachedCategories
    from repositories.accounts.repository import DynamoAccounts
    from repositories.analytics import DynamoEventLog, DynamoNumbers
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
    from repositories.notification_records import DynamoNotificationHistory, DynamoNotificationLog
    from repositories.notifications import DynamoNotificationReads
    from repositories.payments.card_customers import DynamoCardCustomers
    from repositories.payments.cards import DynamoCards
    from repositories.payments.refunds import DynamoRefunds
    from repositories.reviews import DynamoReviews
    from repositories.search import DynamoSearchSources
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
    from repositories.notification_records import DynamoNotificationLog

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
    """Stripe or the local test mode, by the payments secret: see "payments" below."""
    return _ProviderByMode()


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


# -- payments: Stripe or the local test mode (issue 9; docs/payments.md, "Stripe") ------
# The payments secret decides, at each call (it is cached for SECRETS_CACHE_SECONDS): a
# secretKey means Stripe, none the local test mode. So no function reads a secret when it
# is imported, a stage switched to Stripe follows within minutes without a deployment,
# and only the Stripe branch imports the SDK (a function on the test mode never loads it).


def payments_secret() -> PaymentsSecret:
    """The payments secret (only the functions of ``PaymentsRole`` may read it). On a
    stage with ``requireStripe`` (``PAYMENTS_REQUIRE_STRIPE``) one without a Stripe key is
    a configuration error: such a stage never falls back to the test mode."""
    from adapters.payments_secret import read_payments_secret
    from adapters.settings import ConfigurationError

    config = settings()
    secret = read_payments_secret(config.PAYMENTS_SECRET_ID, config.SECRETS_CACHE_SECONDS)
    if config.PAYMENTS_REQUIRE_STRIPE and not secret.stripe:
        raise ConfigurationError(
            f"this stage requires Stripe, and {config.PAYMENTS_SECRET_ID} has no secretKey"
        )
    return secret


def _payments_secret_or_unavailable() -> PaymentsSecret:
    """The secret, or ``PaymentUnavailable`` (which the machine retries) when Secrets
    Manager cannot be read right now."""
    from botocore.exceptions import BotoCoreError, ClientError

    from domain.payments.ports import PaymentUnavailable

    try:
        return payments_secret()
    except (BotoCoreError, ClientError) as exc:
        raise PaymentUnavailable(f"the payments secret could not be read: {exc}") from exc


@cache
def _stripe_client(secret_key: str) -> StripeClient:
    """One client per container and key (a rotated key gets a new one)."""
    from adapters.stripe_payments import stripe_client

    return stripe_client(secret_key, settings().STRIPE_API_BASE)


@cache
def _local_provider() -> PaymentProvider:
    from adapters.local_payments import LocalPaymentProvider

    return LocalPaymentProvider()


# -- payments that finish later (issue 9, B) ---------------------------------------------


@cache
def task_callbacks() -> StepFunctionsCallbacks:
    from adapters.checkout_machine import StepFunctionsCallbacks

    return StepFunctionsCallbacks()


@cache
def webhook_events() -> DynamoWebhookEvents:
    from repositories.buying.payments import DynamoWebhookEvents

    return DynamoWebhookEvents()


def test_intents() -> TestIntents:
    """The test mode's waiting PaymentIntents (only the test provider has them)."""
    from adapters.local_payments import LocalPaymentProvider

    return LocalPaymentProvider()


def _provider_for(secret: PaymentsSecret) -> PaymentProvider:
    if not secret.stripe:
        return _local_provider()
    from adapters.stripe_payments import StripePaymentProvider

    return StripePaymentProvider(_stripe_client(secret.secret_key))


class _ProviderByMode:
    """``PaymentProvider``: each call goes to the provider the secret names now."""

    @property
    def name(self) -> str:
        return _provider_for(_payments_secret_or_unavailable()).name

    def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Charge:
        return _provider_for(_payments_secret_or_unavailable()).charge(
            order_id=order_id,
            amount=amount,
            currency=currency,
            payment_method=payment_method,
            idempotency_key=idempotency_key,
            customer_id=customer_id,
        )

    def refund(
        self, *, reference: str, amount: int, idempotency_key: str, reason: str | None = None
    ) -> ProviderRefund:
        return _provider_for(_payments_secret_or_unavailable()).refund(
            reference=reference, amount=amount, idempotency_key=idempotency_key, reason=reason
        )


@cache
def _local_card_vault() -> CardVault:
    from adapters.local_cards import LocalCardVault

    return LocalCardVault()


def _vault_for(secret: PaymentsSecret) -> CardVault:
    if not secret.stripe:
        return _local_card_vault()
    from adapters.stripe_payments import StripeCardVault

    return StripeCardVault(_stripe_client(secret.secret_key))


class _CardVaultByMode:
    """``CardVault``: each call goes to the vault the secret names now."""

    def create_customer(self, *, user_id: str, email: str, idempotency_key: str) -> str:
        return _vault_for(_payments_secret_or_unavailable()).create_customer(
            user_id=user_id, email=email, idempotency_key=idempotency_key
        )

    def start_setup(self, *, customer_id: str, idempotency_key: str) -> SetupStart:
        return _vault_for(_payments_secret_or_unavailable()).start_setup(
            customer_id=customer_id, idempotency_key=idempotency_key
        )

    def finish_setup(self, *, setup_reference: str, customer_id: str) -> SavedCard | None:
        return _vault_for(_payments_secret_or_unavailable()).finish_setup(
            setup_reference=setup_reference, customer_id=customer_id
        )

    def detach(self, *, payment_method: str) -> None:
        _vault_for(_payments_secret_or_unavailable()).detach(payment_method=payment_method)


# -- payments: saved cards (issue 9) ---------------------------------------------------


@cache
def saved_cards() -> DynamoCards:
    from repositories.payments.cards import DynamoCards

    return DynamoCards()


@cache
def card_customers() -> DynamoCardCustomers:
    """Checkout's lookup of a saved card's customer: a raw GetItem, no item classes."""
    from repositories.payments.card_customers import DynamoCardCustomers

    return DynamoCardCustomers()


@cache
def card_vault() -> CardVault:
    """Stripe's Customers/SetupIntents, or the local test-mode vault, by the secret."""
    return _CardVaultByMode()


class _VerifierFromSecret:
    """``WebhookVerifier`` with the secret's ``webhookSecret`` (in both modes: the local
    test mode signs its events with it, as Stripe signs with the endpoint's secret)."""

    def verify(self, payload: bytes, signature_header: str | None, now: datetime) -> ProviderEvent:
        from adapters.webhook_signature import StripeSignatureVerifier

        secret = payments_secret().webhook_secret
        return StripeSignatureVerifier(secret).verify(payload, signature_header, now)


@cache
def webhook_verifier() -> WebhookVerifier:
    return _VerifierFromSecret()


def stripe_mode() -> bool:
    """Whether this stage runs on Stripe now (the test-mode-only routes answer 404 then)."""
    return payments_secret().stripe


def setup_confirmer() -> TestSetupConfirmer | None:
    """The test-mode stand-in for Stripe.js, only on a stage that runs the local vault."""
    if stripe_mode():
        return None
    from adapters.local_cards import LocalCardVault

    vault = _local_card_vault()
    return vault if isinstance(vault, LocalCardVault) else None


# -- payments: refunds (issue 9) -----------------------------------------------------------


@cache
def refund_records() -> DynamoRefunds:
    from repositories.payments.refunds import DynamoRefunds

    return DynamoRefunds()


class _WebhookRefunds:
    """The refunds area as the webhook calls it (``domain.payments.later.WebhookRefunds``):
    ``charge.refunded``/``refund.failed`` settle refunds, and a success after the payment
    window is recorded on its cancelled order and refunded in full. Each builds its
    repositories and the provider on first use."""

    def settle(self, event: ProviderEvent) -> None:
        from domain.clock import utcnow
        from domain.payments.refunds import settle_refund_event

        settle_refund_event(event, records=refund_records(), orders=orders(), now=utcnow())

    def refund_late_payment(self, order_id: str, amount: int, reference: str) -> str | None:
        from domain.clock import utcnow
        from domain.payments.refunds import refund_late_payment

        done = refund_late_payment(
            order_id,
            amount,
            reference,
            records=refund_records(),
            orders=orders(),
            provider=payment_provider(),
            now=utcnow(),
        )
        return None if done is None else done.status.value


@cache
def webhook_refunds() -> WebhookRefunds:
    return _WebhookRefunds()


def test_event_delivery() -> EventDelivery:
    """Signed deliveries of test-mode events to this stage's webhook."""
    from adapters.local_payments import SignedWebhookDelivery

    secret = payments_secret().webhook_secret
    return SignedWebhookDelivery(settings().PAYMENTS_WEBHOOK_URL, secret)


@cache
def order_payments() -> DynamoOrderPayments:
    from repositories.buying.payments import DynamoOrderPayments

    return DynamoOrderPayments()


# -- Search (issue 11, docs/search-engine.md) -------------------------------------------------

if TYPE_CHECKING:
    from domain.search.ports import SearchIndex


@cache
def search_index() -> SearchIndex:
    """The stage's search engine (SEARCH_ENGINE): tantivy on the function's disk (shared
    through S3 snapshots on AWS: SEARCH_SNAPSHOTS), or the stage's OpenSearch domain
    (requests SigV4-signed with the function's role). Loads only the chosen engine's
    library, and only when a search or indexing function asks."""
    from adapters.settings import ConfigurationError

    config = settings()
    if config.SEARCH_ENGINE == "opensearch":
        if not config.OPENSEARCH_ENDPOINT.startswith("https://"):
            raise ConfigurationError("SEARCH_ENGINE=opensearch needs an https OPENSEARCH_ENDPOINT")
        from adapters.aws import region
        from adapters.search_opensearch import OpenSearchIndex, client_for

        cluster = client_for(config.OPENSEARCH_ENDPOINT, region=region())
        return OpenSearchIndex(cluster, config.SEARCH_INDEX_PREFIX)
    if config.SEARCH_SNAPSHOTS:
        from adapters import aws
        from adapters.search_snapshot import SnapshotSearchIndex

        s3 = aws.client("s3")
        return SnapshotSearchIndex(s3, config.IMAGES_BUCKET, config.SEARCH_INDEX_DIR)
    from adapters.search_tantivy import TantivySearchIndex

    return TantivySearchIndex(config.SEARCH_INDEX_DIR)


# -- reality: 3D/AR assets (issue 14) ----------------------------------------------------
# pygltflib is imported by the worker's two factories only (model_inspector, model_maker).

if TYPE_CHECKING:
    from adapters.model_files import GltfInspector, PhotoCardMaker
    from adapters.model_queue import SqsModelQueue
    from adapters.model_store import S3ModelFiles
    from repositories.reality import DynamoAssets


@cache
def assets() -> DynamoAssets:
    from repositories.reality import DynamoAssets

    return DynamoAssets()


@cache
def model_files() -> S3ModelFiles:
    from adapters.model_store import S3ModelFiles

    config = settings()
    return S3ModelFiles(config.IMAGES_BUCKET, config.IMAGES_BASE_URL)


@cache
def model_queue() -> SqsModelQueue:
    from adapters.model_queue import SqsModelQueue

    return SqsModelQueue(settings().REALITY_QUEUE_URL)


@cache
def model_inspector() -> GltfInspector:
    from adapters.model_files import GltfInspector

    return GltfInspector()


@cache
def model_maker() -> PhotoCardMaker:
    from adapters.model_files import PhotoCardMaker

    return PhotoCardMaker()


@cache
def search_sources() -> DynamoSearchSources:
    """The table reads that keep the search index (indexProducts, reindexSearch)."""
    from repositories.search import DynamoSearchSources

    return DynamoSearchSources()


@cache
def search_categories() -> CachedCategories:
    """The category list the indexer puts on each product (cached a minute)."""
    from domain.search.indexing import CachedCategories

    return CachedCategories(search_sources().categories)


# -- notifications (issue 10) ------------------------------------------------------------------


@cache
def notification_reads() -> DynamoNotificationReads:
    from repositories.notifications import DynamoNotificationReads

    return DynamoNotificationReads()


@cache
def notification_renderer() -> JinjaRenderer:
    """Jinja2 loads here, at sendNotification's start (measured: +0.12x of the baseline,
    in its 1.3x budget; docs/notifications.md); the templates compile on first use."""
    from adapters.templates import JinjaRenderer

    renderer = JinjaRenderer()
    renderer.environment()
    return renderer


@cache
def notification_history() -> DynamoNotificationHistory:
    from repositories.notification_records import DynamoNotificationHistory

    return DynamoNotificationHistory()


# -- invoices (issue 10, docs/invoices.md) -----------------------------------------------
# fpdf2 is loaded by the renderer on the first document only (adapters/invoice_pdf.py).

if TYPE_CHECKING:
    from adapters.invoice_files import S3DocumentFiles
    from domain.invoices import InvoicePorts, Shop
    from repositories.invoices import DynamoInvoices


@cache
def invoices() -> DynamoInvoices:
    from repositories.invoices import DynamoInvoices

    return DynamoInvoices()


@cache
def invoice_files() -> S3DocumentFiles:
    from adapters.invoice_files import S3DocumentFiles

    return S3DocumentFiles(settings().IMAGES_BUCKET)


def shop() -> Shop:
    from domain.invoices import Shop

    config = settings()
    lines = [line.strip() for line in config.SHOP_ADDRESS.split("|") if line.strip()]
    return Shop(config.SHOP_NAME, lines)


@cache
def invoice_ports() -> InvoicePorts:
    from adapters.invoice_pdf import FpdfRenderer
    from domain.invoices import InvoicePorts

    records = invoices()
    return InvoicePorts(
        records=records,
        orders=order_reader(),
        sellers=records,
        renderer=FpdfRenderer(),
        files=invoice_files(),
        shop=shop(),
        confirmations=records,
    )


# -- the shop's numbers (issue 10) ------------------------------------------------------


@cache
def business_metrics() -> EmfMetrics:
    from adapters.emf import EmfMetrics

    return EmfMetrics(settings().STAGE)


@cache
def numbers() -> DynamoNumbers:
    from repositories.analytics import DynamoNumbers

    return DynamoNumbers()
