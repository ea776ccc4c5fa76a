"""Every key of the single table, in one place (docs/data-model.md has the table of items).

A partition or sort key is made here and nowhere else: a repository calls these builders
and never spells ``"METADATA"`` or ``f"SKU#{sku}"`` itself. Sort keys that end with an id
are unique, which the browse cursor relies on ("after this sort key").
"""

from __future__ import annotations

import re

# -- accounts ---------------------------------------------------------------------------

USERS = "USERS"  # GSI3 partition of every user profile (the admin's list)
CREDENTIALS = "CREDENTIALS"
LOGIN_FAILURES = "LOGINFAILURES"
PROFILE = "PROFILE"  # a user's profile; a seller's profile too (under SELLER#)
RESET = "RESET"


def email_pk(email: str) -> str:
    return f"EMAIL#{email}"


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


def address_sk(address_id: str) -> str:
    """Under the ``PROFILE`` prefix, so a profile and its addresses are one Query."""
    return f"{PROFILE}#ADDRESS#{address_id}"


def session_sk(session_id: str) -> str:
    return f"SESSION#{session_id}"


def reset_pk(token_hash: str) -> str:
    return f"RESET#{token_hash}"


RATE = "RATE"


def rate_pk(scope: str, subject: str, window_start: int) -> str:
    """A rate counter: one item per scope, subject and window (its start, epoch seconds),
    so a new window is a new item and never needs resetting."""
    return f"RATE#{scope}#{subject}#{window_start}"


# -- sellers and the catalog ------------------------------------------------------------

METADATA = "METADATA"  # a category's or a product's own item
INVENTORY = "INVENTORY"  # sorts right before METADATA: a product and its stock, one Query
CATEGORIES = "CATEGORIES"  # GSI1 partition of the whole category tree
CATEGORY_SLUG = "CATEGORYSLUG"
ACTIVE_PRODUCTS = "ACTIVEPRODUCTS"  # GSI5 partition: the shop-wide by-price browse
ADJUSTMENT_PREFIX = "STOCKADJ#"
# Prices are zero-padded to the width of the largest allowed price, so the string order
# of a price key is the numeric order. The width is len(str(domain.catalog.model.MAX_PRICE)),
# written out so that every function loading this module (the accounts ones too) need not
# import the catalog model; tests/unit/test_one_place.py holds the two together.
PRICE_DIGITS = 11


def seller_pk(seller_id: str) -> str:
    return f"SELLER#{seller_id}"


def sku_sk(sku: str) -> str:
    return f"SKU#{sku}"


def category_pk(category_id: str) -> str:
    return f"CATEGORY#{category_id}"


def category_slug_pk(slug: str) -> str:
    return f"{CATEGORY_SLUG}#{slug}"


def product_pk(product_id: str) -> str:
    return f"PRODUCT#{product_id}"


def product_status_pk(status: str) -> str:
    """GSI3 partition of every product of a status (``active``: the newest browse)."""
    return f"PRODUCTSTATUS#{status}"


def adjustment_sk(adjustment_id: str) -> str:
    return f"{ADJUSTMENT_PREFIX}{adjustment_id}"


def price_key(amount: int, product_id: str) -> str:
    return f"{price_prefix(amount)}#{product_id}"


def price_prefix(amount: int) -> str:
    """The zero-padded price a price key starts with (a browse range's bound)."""
    return f"{amount:0{PRICE_DIGITS}d}"


def time_key(stamp: str, item_id: str) -> str:
    """``<ISO-8601 UTC>#<id>``: newest or oldest first, unique."""
    return f"{stamp}#{item_id}"


# What a browse cursor's sort key must look like, by order (a cursor is checked against it).
PRICE_KEY = re.compile(rf"^\d{{{PRICE_DIGITS}}}#prd_[0-9A-Z]{{26}}$")
TIME_KEY = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z#prd_[0-9A-Z]{26}$")

# -- reviews ----------------------------------------------------------------------------


def review_sk(user_id: str) -> str:
    return f"REVIEW#{user_id}"


def reviews_pk(product_id: str) -> str:
    """GSI1 partition of a product's reviews, newest first."""
    return f"REVIEWS#{product_id}"


def user_review_sk(stamp: str, product_id: str) -> str:
    """GSI2 sort key of a review under its author (``USER#``), newest first."""
    return f"REVIEW#{stamp}#{product_id}"


# -- analytics --------------------------------------------------------------------------

# Numbers live in month partitions sorted by day, so a range is one Query per month:
# ``<yyyy-mm-dd>`` (counts), ``<yyyy-mm-dd>#<CUR>`` (money), ``<yyyy-mm-dd>#PRODUCT#<id>``.
DAY_END = "~"  # sorts after every suffix of a day's sort keys ("#", digits, capitals)


def event_log_pk(day: str) -> str:
    return f"EVENTLOG#{day}"


def metrics_pk(day: str) -> str:
    """The shop's numbers of ``day``'s month."""
    return f"METRICS#{day[:7]}"


def seller_metrics_pk(seller_id: str, day: str) -> str:
    """A seller's numbers of ``day``'s month."""
    return f"SELLERMETRICS#{seller_id}#{day[:7]}"


def metrics_sk(day: str, currency: str = "", product: str = "") -> str:
    if product:
        return f"{day}#PRODUCT#{product}"
    if currency:
        return f"{day}#{currency}"
    return day


# -- buying -----------------------------------------------------------------------------

HISTORY_PREFIX = "HISTORY#"
RESERVATION_PREFIX = "RESERVATION#"
PAYMENT_PREFIX = "PAYMENT#"
CART_LINE_PREFIX = "ITEM#"
ORDERS = "ORDERS"  # GSI3 partition of every order, by creation (the admin's date range)
# The sweep's index (GSI5) spreads holds over this many partitions, so no one partition
# takes every hold write (a partition takes about 1,000 writes a second).
HOLD_SHARDS = 8


def cart_pk(user_id: str) -> str:
    return f"CART#{user_id}"


def cart_line_sk(product_id: str) -> str:
    return f"{CART_LINE_PREFIX}{product_id}"


def order_pk(order_id: str) -> str:
    return f"ORDER#{order_id}"


def user_order_sk(order_id: str) -> str:
    """GSI1 sort key of an order under its buyer (``USER#``): ids sort by creation."""
    return f"ORDER#{order_id}"


def order_status_pk(status: str) -> str:
    """GSI2 partition of the orders in a status, ``time_key`` sorted (newest first)."""
    return f"ORDERSTATUS#{status}"


def seller_orders_pk(seller_id: str) -> str:
    """GSI1 partition of the paid order lines of a seller's products, newest first."""
    return f"SELLERORDERS#{seller_id}"


def history_sk(stamp: str, status: str) -> str:
    return f"{HISTORY_PREFIX}{stamp}#{status}"


def reservation_sk(product_id: str) -> str:
    return f"{RESERVATION_PREFIX}{product_id}"


def seller_line_sk(seller_id: str) -> str:
    return f"SELLERLINE#{seller_id}"


def payment_sk(payment_id: str) -> str:
    return f"{PAYMENT_PREFIX}{payment_id}"


def holds_pk(product_id: str) -> str:
    """GSI4 partition of every hold of a product (cart lines and order reservations),
    sorted by expiry: a product's expired holds are one Query."""
    return f"HOLDS#{product_id}"


def hold_sk(hold_until: str, kind: str, owner_id: str) -> str:
    return f"{hold_until}#{kind.upper()}#{owner_id}"


def hold_shard(owner_id: str) -> int:
    """A stable shard for an owner (user or order): the ULID's random tail, not hash()
    (which Python salts per process)."""
    return sum(owner_id.encode()) % HOLD_SHARDS


def hold_expiry_pk(shard: int) -> str:
    """GSI5 partition of expiring holds (cart lines, unpaid orders), by expiry."""
    return f"HOLDEXPIRY#{shard}"


def hold_expiry_sk(hold_until: str, kind: str, owner_id: str, product_id: str = "") -> str:
    tail = f"#{product_id}" if product_id else ""
    return f"{hold_until}#{kind.upper()}#{owner_id}{tail}"


def idempotency_pk(user_id: str, key: str) -> str:
    return f"IDEMPOTENCY#{user_id}#{key}"


IDEMPOTENCY = "IDEMPOTENCY"


def charge_pk(idempotency_key: str) -> str:
    """The local test-mode payment provider's record of a charge (keyed like Stripe's
    idempotency: one charge per key)."""
    return f"TESTCHARGE#{idempotency_key}"


CHARGE = "CHARGE"

# -- buying: orders area (checkout, orders, verified buyers) ------------------------------

PURCHASE_PREFIX = "PURCHASE#"


def purchase_sk(product_id: str) -> str:
    """Under the buyer (``USER#<userId>``): the buyer received an order holding this
    product. Written with the order's move to ``delivered``; a review reads it in the
    same BatchGetItem as the product (the verified-buyer rule costs no extra call)."""
    return f"{PURCHASE_PREFIX}{product_id}"


# -- payments: saved cards (issue 9) -------------------------------------------------------

CARDS = "CARDS"  # under USER#<userId>: the user's provider customer and default card


def card_sk(payment_method: str) -> str:
    """A saved card under its owner (``USER#<userId>``): ``CARDS`` and the cards are one
    Query (``begins_with(SK, "CARDS")``)."""
    return f"{CARDS}#{payment_method}"


def test_customer_pk(idempotency_key: str) -> str:
    """The local test-mode card vault's customer, one per idempotency key (like Stripe's)."""
    return f"TESTCUSTOMER#{idempotency_key}"


def test_setup_pk(setup_reference: str) -> str:
    """The local test-mode card vault's SetupIntent (and the card it attached)."""
    return f"TESTSETUP#{setup_reference}"


TEST_LEDGER = "LEDGER"


# -- payments: refunds (issue 9) -----------------------------------------------------------

REFUND_PREFIX = "REFUND#"


def refund_sk(refund_id: str) -> str:
    """Under the order (``ORDER#<orderId>``): one refund, so the order, its history and its
    refunds are one Query of its partition."""
    return f"{REFUND_PREFIX}{refund_id}"


def provider_refund_pk(reference: str) -> str:
    """GSI1 of a refund the provider has answered: its refund id (``re_…``), for the
    webhook's ``charge.refunded``, which names the provider's refunds, not ours."""
    return f"PROVIDERREFUND#{reference}"


PROVIDER_REFUND = "REFUND"


def testmode_refund_pk(idempotency_key: str) -> str:
    """The local test-mode provider's record of a refund (one per idempotency key)."""
    return f"TESTREFUND#{idempotency_key}"


TESTMODE_REFUND = "REFUND"


def testmode_charge_ref_pk(charge_id: str) -> str:
    """GSI1 of a test-mode charge: its id (``pi_test_…``), which a refund names."""
    return f"TESTCHARGEREF#{charge_id}"


TESTMODE_REFUND_TOTAL = "TOTAL"  # per charge: what the test mode has refunded of it


# -- payments: payments that finish later (issue 9, B) --------------------------------------

WEBHOOK_EVENT = "WEBHOOKEVENT"
INTENT = "INTENT"


def webhook_event_pk(event_id: str) -> str:
    """A provider event the webhook handled (de-duplication by event id, with a TTL)."""
    return f"WEBHOOKEVENT#{event_id}"


def test_intent_pk(reference: str) -> str:
    """The local test mode's PaymentIntent that waits for the buyer (3-D Secure), by its
    id: what its stand-in for Stripe.js settles."""
    return f"TESTINTENT#{reference}"


# -- reality: 3D/AR assets (issue 14) ------------------------------------------------------

ASSET_PREFIX = "ASSET#"  # in the product's partition, before INVENTORY and METADATA


def asset_sk(asset_id: str) -> str:
    """A product's 3D/AR asset (an uploaded model or the one made from its photo)."""
    return f"{ASSET_PREFIX}{asset_id}"


# -- notifications (issue 10) -----------------------------------------------------------------

NOTIFICATION_PREFIX = "NOTIFICATION#"


def notification_record_sk(occurred_at: str, notification_id: str) -> str:
    """A notification under its user, by the event's time then its id: newest first is one
    Query backwards, and the key is the same for every delivery of one event and channel
    (the id is ``ntf_<event>-<template>-<channel>``), so the begin/sent log still holds."""
    return f"{NOTIFICATION_PREFIX}{occurred_at}#{notification_id}"


# -- invoices (issue 10, domain/invoices.py) ---------------------------------------------
# A paid order's documents in a partition of their own (not the order's: every Query of
# the order's partition would have to know their item class), and one counter item per
# series and year.
INVOICE = "INVOICE"
CREDIT_NOTE_PREFIX = "CREDITNOTE#"
COUNTER = "COUNTER"


def invoices_pk(order_id: str) -> str:
    return f"INVOICES#{order_id}"


def credit_note_sk(refund_id: str) -> str:
    return f"{CREDIT_NOTE_PREFIX}{refund_id}"


def invoice_counter_pk(series: str, year: int) -> str:
    return f"INVOICECOUNTER#{series}#{year}"
