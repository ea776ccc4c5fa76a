"""An order's payment attempts: ``ORDER#<orderId>`` / ``PAYMENT#<attempt>``.

One item per attempt, written once (a conditional put): the checkout machine's
ProcessPayment may run again for the same attempt and must not rewrite its record.
The attempt number is zero-padded in the key so that attempts sort in order.
"""

from __future__ import annotations

from pynamodb.exceptions import PutError

from domain.clock import iso, parse_iso
from domain.payments.ports import Payment, PaymentStatus
from repositories import keys
from repositories.buying.items import PaymentItem
from repositories.table import is_condition_failure


def payment_id(attempt: int) -> str:
    return f"{attempt:04d}"


def payment_item(payment: Payment) -> PaymentItem:
    stamp = iso(payment.at)
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
    )


class DynamoPayments:
    """``PaymentRecords`` on the single table."""

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
