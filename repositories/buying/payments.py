"""An order's payment attempts: ``ORDER#<orderId>`` / ``PAYMENT#<attempt>``.

One item per attempt, written once (a conditional put): the checkout machine's
ProcessPayment may run again for the same attempt and must not rewrite its record.
The attempt number is zero-padded in the key so that attempts sort in order.

An attempt that requires the buyer's action changes later, each change conditional on
it still requiring action: a replayed ProcessPayment stores its newer task token, and
the webhook settles it (succeeded or declined) once; a late success's automatic refund
is kept on it too. Webhook events are de-duplicated by id: ``WEBHOOKEVENT#<evt>``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from domain.buying.model import Order
from domain.clock import epoch, iso, parse_iso
from domain.payments.ports import (
    Card,
    Payment,
    PaymentEventEntry,
    PaymentStatus,
)
from repositories import keys
from repositories.buying.items import (
    OrderItem,
    PaymentEventMap,
    PaymentItem,
    RefundItem,
    to_order,
)
from repositories.buying.payment_items import WebhookEventItem
from repositories.table import Item, is_condition_failure

if TYPE_CHECKING:
    from domain.payments.refunds import Refund

# Stripe retries an event for up to three days: remember ids a little longer.
WEBHOOK_EVENT_DAYS = 7


def payment_id(attempt: int) -> str:
    return f"{attempt:04d}"


def _event_map(event: PaymentEventEntry) -> PaymentEventMap:
    return PaymentEventMap(event_id=event.event_id, type=event.type, at=iso(event.at))


def payment_item(payment: Payment) -> PaymentItem:
    stamp = iso(payment.at)
    card = payment.card
    return PaymentItem(
        keys.order_pk(payment.order_id),
        keys.payment_sk(payment_id(payment.attempt)),
        order_id=payment.order_id,
        payment_id=payment_id(payment.attempt),
        provider=payment.provider,
        reference=payment.reference,
        status=payment.status.value,
        amount=payment.amount,
        currency=payment.currency,
        idempotency_key=payment.idempotency_key,
        decline_code=payment.decline_code,
        payment_method=payment.payment_method,
        card_brand=card.brand if card else None,
        card_last4=card.last4 if card else None,
        client_secret=payment.client_secret,
        next_action=payment.next_action,
        task_token=payment.task_token,
        events=[_event_map(e) for e in payment.events] or None,
        created_at=stamp,
        updated_at=stamp,
    )


def to_payment(item: PaymentItem) -> Payment:
    return Payment(
        order_id=item.order_id,
        attempt=int(item.payment_id),
        idempotency_key=item.idempotency_key,
        provider=item.provider,
        status=PaymentStatus(item.status),
        amount=int(item.amount),
        currency=item.currency,
        reference=item.reference,
        decline_code=item.decline_code,
        at=parse_iso(item.created_at),
        payment_method=item.payment_method,
        card=Card(item.card_brand, item.card_last4)
        if item.card_brand and item.card_last4
        else None,
        client_secret=item.client_secret,
        next_action=item.next_action,
        task_token=item.task_token,
        events=tuple(
            PaymentEventEntry(e.event_id, e.type, parse_iso(e.at)) for e in item.events or []
        ),
    )


def _key(order_id: str, attempt: int) -> PaymentItem:
    return PaymentItem(keys.order_pk(order_id), keys.payment_sk(payment_id(attempt)))


WAITING = PaymentStatus.REQUIRES_ACTION.value


class DynamoPayments:
    """``AttemptStore`` (``PaymentRecords`` and the later changes) on the single table."""

    def payments(self, order_id: str) -> list[Payment]:
        found = PaymentItem.query(
            keys.order_pk(order_id),
            PaymentItem.SK.startswith(keys.PAYMENT_PREFIX),
            consistent_read=True,
        )
        return [to_payment(item) for item in found]

    def record(self, payment: Payment) -> None:
        try:
            payment_item(payment).save(condition=PaymentItem.PK.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise

    def remember_token(self, order_id: str, attempt: int, token: str) -> bool:
        try:
            _key(order_id, attempt).update(
                actions=[PaymentItem.task_token.set(token)],
                condition=PaymentItem.status == WAITING,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def settle(
        self,
        order_id: str,
        attempt: int,
        status: PaymentStatus,
        *,
        decline_code: str | None,
        card: Card | None,
        event: PaymentEventEntry,
    ) -> Payment | None:
        item = _key(order_id, attempt)
        actions = [
            PaymentItem.status.set(status.value),
            PaymentItem.client_secret.remove(),
            PaymentItem.next_action.remove(),
            PaymentItem.events.set((PaymentItem.events | []).append([_event_map(event)])),
            PaymentItem.updated_at.set(iso(event.at)),
        ]
        if decline_code:
            actions.append(PaymentItem.decline_code.set(decline_code))
        if card is not None:
            actions += [
                PaymentItem.card_brand.set(card.brand),
                PaymentItem.card_last4.set(card.last4),
            ]
        try:
            item.update(
                actions=actions,  # type: ignore[arg-type]
                condition=PaymentItem.status == WAITING,
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise
            return None
        return to_payment(item)

    def log_event(self, order_id: str, attempt: int, event: PaymentEventEntry) -> None:
        try:
            _key(order_id, attempt).update(
                actions=[
                    PaymentItem.events.set((PaymentItem.events | []).append([_event_map(event)]))
                ],
                condition=PaymentItem.PK.exists(),
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):
                raise


class DynamoOrderPayments:
    """``OrderPayments``: the order and its attempts in one Query of its partition."""

    def order_and_payments(self, order_id: str) -> tuple[Order | None, list[Payment], list[Refund]]:
        found: OrderItem | None = None
        attempts: list[Payment] = []
        refunds: list[Refund] = []
        for item in Item.query(keys.order_pk(order_id), consistent_read=True):
            if isinstance(item, OrderItem):
                found = item
            elif isinstance(item, PaymentItem):
                attempts.append(to_payment(item))
            elif isinstance(item, RefundItem):
                # loaded only when the order has refunds (the route's cold start)
                from repositories.payments.refunds import to_refund

                refunds.append(to_refund(item))
        order = None if found is None else to_order(found)
        refunds.sort(key=lambda r: (r.created_at, r.refund_id))
        return order, sorted(attempts, key=lambda p: p.attempt), refunds


class DynamoWebhookEvents:
    """``WebhookEvents``: ``WEBHOOKEVENT#<eventId>`` / ``WEBHOOKEVENT``, with a TTL."""

    def claim(self, event_id: str, now: datetime) -> bool:
        stamp = iso(now)
        item = WebhookEventItem(
            keys.webhook_event_pk(event_id),
            keys.WEBHOOK_EVENT,
            event_id=event_id,
            expires_at=epoch(now + timedelta(days=WEBHOOK_EVENT_DAYS)),
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            item.save(condition=WebhookEventItem.PK.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def release(self, event_id: str) -> None:
        try:
            WebhookEventItem(keys.webhook_event_pk(event_id), keys.WEBHOOK_EVENT).delete()
        except DeleteError:  # best effort: the claim expires anyway
            return
