"""The buying items and their mapping to the domain.

- cart line: ``CART#<userId>`` / ``ITEM#<productId>``; GSI4 and GSI5 while it holds stock.
- order: ``ORDER#<orderId>`` / ``METADATA``; GSI1 ``USER#<userId>`` / ``ORDER#<orderId>``,
  GSI2 ``ORDERSTATUS#<status>`` / ``<createdAt>#<id>``, GSI3 ``ORDERS`` / ``<createdAt>#<id>``,
  GSI5 while unpaid (its payment deadline).
- order history: ``ORDER#<orderId>`` / ``HISTORY#<at>#<status>``.
- reservation: ``ORDER#<orderId>`` / ``RESERVATION#<productId>``; GSI4 while it holds.
- a seller's lines of a paid order: ``ORDER#<orderId>`` / ``SELLERLINE#<sellerId>``;
  GSI1 ``SELLERORDERS#<sellerId>`` / ``<paidAt>#<orderId>``.
- payment: ``ORDER#<orderId>`` / ``PAYMENT#<paymentId>``.
- refund: ``ORDER#<orderId>`` / ``REFUND#<refundId>``; GSI1 ``PROVIDERREFUND#<re_…>`` /
  ``REFUND`` once the provider named it.
- purchase (verified buyer): ``USER#<userId>`` / ``PURCHASE#<productId>``, put with the
  order's move to ``delivered`` (``repositories/buying/purchases.py``: reviews read it and
  need nothing else of buying).
- idempotency record: ``IDEMPOTENCY#<userId>#<key>`` / ``IDEMPOTENCY`` (expiresAt 24 h).
- test-mode charge: ``TESTCHARGE#<key>`` / ``CHARGE`` (the local payment provider's ledger);
  GSI1 ``TESTCHARGEREF#<chargeId>`` / ``CHARGE`` (a refund names the charge by its id).
- test-mode refund: ``TESTREFUND#<key>`` / ``REFUND``, and ``TESTREFUND#<chargeId>`` /
  ``TOTAL`` (what was refunded of the charge).
- payments that finish later (test intents, webhook events):
  ``repositories/buying/payment_items.py``.

Hold indexes (sparse: written only while units are held):
- GSI4 ``HOLDS#<productId>`` / ``<holdUntil>#<CART|ORDER>#<owner>``: a product's holds by
  expiry (a buyer who finds the product short releases the expired ones);
- GSI5 ``HOLDEXPIRY#<shard>`` / ``<holdUntil>#<CART|ORDER>#<owner>[#<productId>]``: every
  expiring hold by expiry, over ``keys.HOLD_SHARDS`` partitions (the scheduled sweep).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from domain.buying.model import (
    Order,
    OrderLine,
    OrderStatus,
    Reservation,
    Shipment,
    ShippingAddress,
    StatusChange,
    Totals,
)
from domain.clock import iso, parse_iso
from repositories import keys
from repositories.buying.cart_items import (  # re-exported: every buying item is here
    CartLineItem,
    cart_hold_keys,
    cart_line_item,
    to_cart_line,
)
from repositories.table import ExpiringItem, Item

__all__ = ["CartLineItem", "cart_hold_keys", "cart_line_item", "to_cart_line"]


class OrderLineMap(MapAttribute[str, Any]):
    product_id = UnicodeAttribute(attr_name="productId")
    seller_id = UnicodeAttribute(attr_name="sellerId")
    name = UnicodeAttribute()
    sku = UnicodeAttribute()
    quantity = NumberAttribute()
    unit_price = NumberAttribute(attr_name="unitPrice")
    tax = NumberAttribute()


class AddressMap(MapAttribute[str, Any]):
    full_name = UnicodeAttribute(attr_name="fullName")
    line1 = UnicodeAttribute()
    line2 = UnicodeAttribute(null=True)
    city = UnicodeAttribute()
    region = UnicodeAttribute(null=True)
    postal_code = UnicodeAttribute(attr_name="postalCode")
    country = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)


class ShipmentMap(MapAttribute[str, Any]):
    carrier = UnicodeAttribute()
    tracking_number = UnicodeAttribute(attr_name="trackingNumber")
    estimated_delivery = UnicodeAttribute(attr_name="estimatedDelivery", null=True)


class OrderItem(Item, discriminator="Order"):
    order_id = UnicodeAttribute(attr_name="orderId")
    user_id = UnicodeAttribute(attr_name="userId")
    status = UnicodeAttribute()
    lines = ListAttribute[OrderLineMap](of=OrderLineMap)
    subtotal = NumberAttribute()
    tax = NumberAttribute()
    shipping = NumberAttribute()
    total = NumberAttribute()
    currency = UnicodeAttribute()
    shipping_address = AddressMap(attr_name="shippingAddress")
    payment_method = UnicodeAttribute(attr_name="paymentMethod")
    payment_due = UnicodeAttribute(attr_name="paymentDue")
    payment_reference = UnicodeAttribute(attr_name="paymentReference", null=True)
    shipment = ShipmentMap(null=True)
    cancel_reason = UnicodeAttribute(attr_name="cancelReason", null=True)
    refund_owed = NumberAttribute(attr_name="refundOwed", default=0)
    # Refunds (repositories/payments/refunds.py): set when paid; a refund's write is
    # conditional on ``refundable`` (paid minus every refund pending or succeeded).
    paid_amount = NumberAttribute(attr_name="paidAmount", null=True)
    refunded_amount = NumberAttribute(attr_name="refundedAmount", null=True)
    refundable = NumberAttribute(null=True)
    version = NumberAttribute(default=1)
    customer_id = UnicodeAttribute(attr_name="customerId", null=True)  # a saved card's
    attempt = NumberAttribute(default=1)  # the payment attempt (retries add one)
    retry_key = UnicodeAttribute(attr_name="retryKey", null=True)  # the retry's Idempotency-Key


class HistoryItem(Item, discriminator="OrderHistory"):
    order_id = UnicodeAttribute(attr_name="orderId")
    old_status = UnicodeAttribute(attr_name="oldStatus", null=True)
    new_status = UnicodeAttribute(attr_name="newStatus")
    actor_id = UnicodeAttribute(attr_name="actorId")
    at = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)


class ReservationItem(ExpiringItem, discriminator="Reservation"):
    order_id = UnicodeAttribute(attr_name="orderId")
    product_id = UnicodeAttribute(attr_name="productId")
    quantity = NumberAttribute()
    hold_until = UnicodeAttribute(attr_name="holdUntil")


class SellerLinesItem(Item, discriminator="SellerOrderLines"):
    order_id = UnicodeAttribute(attr_name="orderId")
    seller_id = UnicodeAttribute(attr_name="sellerId")
    status = UnicodeAttribute()
    lines = ListAttribute[OrderLineMap](of=OrderLineMap)
    shipping_address = AddressMap(attr_name="shippingAddress")
    paid_at = UnicodeAttribute(attr_name="paidAt")


class PaymentEventMap(MapAttribute[str, Any]):
    event_id = UnicodeAttribute(attr_name="eventId")
    type = UnicodeAttribute()
    at = UnicodeAttribute()


class PaymentItem(Item, discriminator="Payment"):
    order_id = UnicodeAttribute(attr_name="orderId")
    payment_id = UnicodeAttribute(attr_name="paymentId")
    provider = UnicodeAttribute()
    reference = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    idempotency_key = UnicodeAttribute(attr_name="idempotencyKey")
    decline_code = UnicodeAttribute(attr_name="declineCode", null=True)
    # Payments that finish later (issue 9): the method, the card's brand and last four
    # (nothing more of a card, ever), what the client needs while the buyer must act,
    # the machine's task token (never shown), the provider events received, and the
    # automatic refund of a success that came after the order was cancelled.
    payment_method = UnicodeAttribute(attr_name="paymentMethod", null=True)
    card_brand = UnicodeAttribute(attr_name="cardBrand", null=True)
    card_last4 = UnicodeAttribute(attr_name="cardLast4", null=True)
    client_secret = UnicodeAttribute(attr_name="clientSecret", null=True)
    next_action = UnicodeAttribute(attr_name="nextAction", null=True)
    task_token = UnicodeAttribute(attr_name="taskToken", null=True)
    events = ListAttribute[PaymentEventMap](of=PaymentEventMap, null=True)


class RefundItem(Item, discriminator="Refund"):
    """A refund of the order (repositories/payments/refunds.py). Defined with the other
    items of the order's partition: every Query of it must know every item type there.
    GSI1 ``PROVIDERREFUND#<re_…>`` / ``REFUND`` once the provider has named it."""

    order_id = UnicodeAttribute(attr_name="orderId")
    refund_id = UnicodeAttribute(attr_name="refundId")
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    reason = UnicodeAttribute()
    restock = BooleanAttribute(default=False)
    status = UnicodeAttribute()
    requested_by = UnicodeAttribute(attr_name="requestedBy")
    payment_reference = UnicodeAttribute(attr_name="paymentReference")
    provider_reference = UnicodeAttribute(attr_name="providerReference", null=True)
    fingerprint = UnicodeAttribute()
    closes = BooleanAttribute(default=False)


class RefundLedgerItem(ExpiringItem, discriminator="TestRefund"):
    """The local provider's refund ledger (adapters/local_payments.py: ``refund``): one
    refund per idempotency key (``TESTREFUND#<key>`` / ``REFUND``) and, per charge, what
    has been refunded of it (``TESTREFUND#<chargeId>`` / ``TOTAL``)."""

    refund_reference = UnicodeAttribute(attr_name="refundReference", null=True)
    charge_id = UnicodeAttribute(attr_name="chargeId")
    amount = NumberAttribute(null=True)
    status = UnicodeAttribute(null=True)
    refunded = NumberAttribute(null=True)


class IdempotencyItem(ExpiringItem, discriminator="Idempotency"):
    request_hash = UnicodeAttribute(attr_name="requestHash")
    order_id = UnicodeAttribute(attr_name="orderId")
    status_code = NumberAttribute(attr_name="statusCode")


class ChargeItem(ExpiringItem, discriminator="TestCharge"):
    """The local provider's ledger: one charge per idempotency key, like Stripe's."""

    charge_id = UnicodeAttribute(attr_name="chargeId")
    order_id = UnicodeAttribute(attr_name="orderId")
    amount = NumberAttribute()
    currency = UnicodeAttribute()
    payment_method = UnicodeAttribute(attr_name="paymentMethod")
    outcome = UnicodeAttribute()
    decline_code = UnicodeAttribute(attr_name="declineCode", null=True)
    client_secret = UnicodeAttribute(attr_name="clientSecret", null=True)  # requires_action


# -- mapping --------------------------------------------------------------------------


def line_map(line: OrderLine) -> OrderLineMap:
    return OrderLineMap(
        product_id=line.product_id,
        seller_id=line.seller_id,
        name=line.name,
        sku=line.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        tax=line.tax,
    )


def to_line(item: OrderLineMap) -> OrderLine:
    return OrderLine(
        product_id=item.product_id,
        seller_id=item.seller_id,
        name=item.name,
        sku=item.sku,
        quantity=int(item.quantity),
        unit_price=int(item.unit_price),
        tax=int(item.tax),
    )


def address_map(address: ShippingAddress) -> AddressMap:
    return AddressMap(
        full_name=address.full_name,
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        region=address.region,
        postal_code=address.postal_code,
        country=address.country,
        phone=address.phone,
    )


def to_address(item: AddressMap) -> ShippingAddress:
    return ShippingAddress(
        full_name=item.full_name,
        line1=item.line1,
        line2=item.line2,
        city=item.city,
        region=item.region,
        postal_code=item.postal_code,
        country=item.country,
        phone=item.phone,
    )


def order_index_keys(order: Order) -> dict[str, str | None]:
    """Every index key of an order: GSI5 only while it waits for its payment."""
    created = iso(order.created_at)
    unpaid = order.status is OrderStatus.PENDING_PAYMENT
    due = iso(order.payment_due)
    return {
        "GSI1PK": keys.user_pk(order.user_id),
        "GSI1SK": keys.user_order_sk(order.order_id),
        "GSI2PK": keys.order_status_pk(order.status.value),
        "GSI2SK": keys.time_key(created, order.order_id),
        "GSI3PK": keys.ORDERS,
        "GSI3SK": keys.time_key(created, order.order_id),
        "GSI5PK": keys.hold_expiry_pk(keys.hold_shard(order.order_id)) if unpaid else None,
        "GSI5SK": keys.hold_expiry_sk(due, "order", order.order_id) if unpaid else None,
    }


def order_item(order: Order) -> OrderItem:
    return OrderItem(
        keys.order_pk(order.order_id),
        keys.METADATA,
        **order_index_keys(order),  # type: ignore[arg-type]
        order_id=order.order_id,
        user_id=order.user_id,
        status=order.status.value,
        lines=[line_map(line) for line in order.lines],
        subtotal=order.totals.subtotal,
        tax=order.totals.tax,
        shipping=order.totals.shipping,
        total=order.totals.total,
        currency=order.totals.currency,
        shipping_address=address_map(order.shipping_address),
        payment_method=order.payment_method,
        payment_due=iso(order.payment_due),
        payment_reference=order.payment_reference,
        shipment=None
        if order.shipment is None
        else ShipmentMap(
            carrier=order.shipment.carrier,
            tracking_number=order.shipment.tracking_number,
            estimated_delivery=order.shipment.estimated_delivery,
        ),
        cancel_reason=order.cancel_reason,
        refund_owed=order.refund_owed,
        paid_amount=order.paid_amount,
        refunded_amount=order.refunded_amount,
        refundable=order.refundable,
        version=order.version,
        customer_id=order.customer_id,
        attempt=order.attempt,
        retry_key=order.retry_key,
        created_at=iso(order.created_at),
        updated_at=iso(order.updated_at),
    )


def to_change(item: HistoryItem) -> StatusChange:
    return StatusChange(
        old=OrderStatus(item.old_status) if item.old_status else None,
        new=OrderStatus(item.new_status),
        actor_id=item.actor_id,
        at=parse_iso(item.at),
        reason=item.reason,
    )


def history_item(order_id: str, change: StatusChange) -> HistoryItem:
    stamp = iso(change.at)
    return HistoryItem(
        keys.order_pk(order_id),
        keys.history_sk(stamp, change.new.value),
        order_id=order_id,
        old_status=change.old.value if change.old else None,
        new_status=change.new.value,
        actor_id=change.actor_id,
        at=stamp,
        reason=change.reason,
        created_at=stamp,
        updated_at=stamp,
    )


def to_order(item: OrderItem, history: list[StatusChange] | None = None) -> Order:
    shipment = item.shipment
    return Order(
        order_id=item.order_id,
        user_id=item.user_id,
        status=OrderStatus(item.status),
        lines=[to_line(line) for line in item.lines],
        totals=Totals(int(item.subtotal), int(item.tax), int(item.shipping), item.currency),
        shipping_address=to_address(item.shipping_address),
        payment_method=item.payment_method,
        payment_due=parse_iso(item.payment_due),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        version=int(item.version or 1),
        shipment=None
        if shipment is None
        else Shipment(shipment.carrier, shipment.tracking_number, shipment.estimated_delivery),
        cancel_reason=item.cancel_reason,
        refund_owed=int(item.refund_owed or 0),
        payment_reference=item.payment_reference,
        paid_amount=int(item.paid_amount or 0),
        refunded_amount=int(item.refunded_amount or 0),
        refundable=int(item.refundable or 0),
        history=history or [],
        customer_id=item.customer_id,
        attempt=int(item.attempt or 1),
        retry_key=item.retry_key,
    )


def to_reservation(item: ReservationItem) -> Reservation:
    return Reservation(
        order_id=item.order_id,
        product_id=item.product_id,
        quantity=int(item.quantity),
        hold_until=parse_iso(item.hold_until),
    )


def reservation_item(reservation: Reservation, now_stamp: str) -> ReservationItem:
    until = iso(reservation.hold_until)
    return ReservationItem(
        keys.order_pk(reservation.order_id),
        keys.reservation_sk(reservation.product_id),
        GSI4PK=keys.holds_pk(reservation.product_id),
        GSI4SK=keys.hold_sk(until, "order", reservation.order_id),
        order_id=reservation.order_id,
        product_id=reservation.product_id,
        quantity=reservation.quantity,
        hold_until=until,
        created_at=now_stamp,
        updated_at=now_stamp,
    )


def seller_lines_item(order: Order, seller_id: str, paid_at: datetime) -> SellerLinesItem:
    """The lines of one seller's products in a paid order (put when the order is paid)."""
    stamp = iso(paid_at)
    return SellerLinesItem(
        keys.order_pk(order.order_id),
        keys.seller_line_sk(seller_id),
        GSI1PK=keys.seller_orders_pk(seller_id),
        GSI1SK=keys.time_key(stamp, order.order_id),
        order_id=order.order_id,
        seller_id=seller_id,
        status=order.status.value,
        lines=[line_map(line) for line in order.lines if line.seller_id == seller_id],
        shipping_address=address_map(order.shipping_address),
        paid_at=stamp,
        created_at=stamp,
        updated_at=stamp,
    )
