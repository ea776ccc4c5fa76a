"""Refunds on the single table: ``ORDER#<orderId>`` / ``REFUND#<refundId>``.

The sum of an order's refunds never passes what was paid because every refund is
reserved by a write conditional on the order's ``refundable`` (paid minus every refund
pending or succeeded), never by a read before it. Each write that changes a refund's
amounts also bumps the order's ``version``: a move of the order read before it (which puts
the whole order item back, amounts included) then fails its condition instead of writing
old amounts over new ones.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from domain.buying.model import Order, OrderStatus
from domain.clock import iso, parse_iso
from domain.payments.ports import RefundStatus
from domain.payments.refunds import Refund, RefundExceeds, RefundExists
from repositories import keys
from repositories.buying.items import HistoryItem, OrderItem, RefundItem, to_change, to_order
from repositories.table import ConditionFailed, Item, Transaction, is_condition_failure


def refund_item(refund: Refund) -> RefundItem:
    reference = refund.provider_reference
    return RefundItem(
        keys.order_pk(refund.order_id),
        keys.refund_sk(refund.refund_id),
        GSI1PK=keys.provider_refund_pk(reference) if reference else None,
        GSI1SK=keys.PROVIDER_REFUND if reference else None,
        order_id=refund.order_id,
        refund_id=refund.refund_id,
        amount=refund.amount,
        currency=refund.currency,
        reason=refund.reason,
        restock=refund.restock,
        status=refund.status.value,
        requested_by=refund.requested_by,
        payment_reference=refund.payment_reference,
        provider_reference=reference,
        fingerprint=refund.fingerprint,
        closes=refund.closes,
        created_at=iso(refund.created_at),
        updated_at=iso(refund.updated_at),
    )


def to_refund(item: RefundItem) -> Refund:
    return Refund(
        refund_id=item.refund_id,
        order_id=item.order_id,
        amount=int(item.amount),
        currency=item.currency,
        reason=item.reason,
        restock=bool(item.restock),
        status=RefundStatus(item.status),
        requested_by=item.requested_by,
        payment_reference=item.payment_reference,
        fingerprint=item.fingerprint,
        closes=bool(item.closes),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        provider_reference=item.provider_reference,
    )


def _oldest_first(refunds: list[Refund]) -> list[Refund]:
    return sorted(refunds, key=lambda r: (r.created_at, r.refund_id))


class DynamoRefunds:
    """``RefundRecords`` on the single table."""

    def order_and_refunds(self, order_id: str) -> tuple[Order | None, list[Refund]]:
        found: OrderItem | None = None
        history = []
        refunds = []
        for item in Item.query(keys.order_pk(order_id), consistent_read=True):
            if isinstance(item, OrderItem):
                found = item
            elif isinstance(item, HistoryItem):
                history.append(to_change(item))
            elif isinstance(item, RefundItem):
                refunds.append(to_refund(item))
        if found is None:
            return None, []
        order = to_order(found, sorted(history, key=lambda change: change.at))
        return order, _oldest_first(refunds)

    def refunds(self, order_id: str) -> list[Refund]:
        found = RefundItem.query(
            keys.order_pk(order_id),
            RefundItem.SK.startswith(keys.REFUND_PREFIX),
            consistent_read=True,
        )
        return _oldest_first([to_refund(item) for item in found])

    def by_provider_reference(self, reference: str) -> Refund | None:
        for item in RefundItem.gsi1.query(
            keys.provider_refund_pk(reference), RefundItem.GSI1SK == keys.PROVIDER_REFUND
        ):
            if isinstance(item, RefundItem):
                return to_refund(item)
        return None

    def reserve(self, order: Order, refund: Refund) -> None:
        amount = refund.amount
        tx = Transaction()
        tx.update(
            OrderItem(keys.order_pk(order.order_id), keys.METADATA),
            actions=[
                OrderItem.refundable.add(-amount),
                OrderItem.version.add(1),
                OrderItem.updated_at.set(iso(refund.created_at)),
            ],
            condition=OrderItem.refundable >= amount,
            label="order",
        )
        tx.put(refund_item(refund), condition=RefundItem.PK.does_not_exist(), label="refund")
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "refund":
                raise RefundExists(refund.refund_id) from None
            current, _ = self.order_and_refunds(order.order_id)
            left = current.refundable if current is not None else 0
            raise RefundExceeds(
                f"at most {left} may still be refunded",
                refundable=left,
                currentStatus=(current or order).status.value,
            ) from None

    def settle(
        self,
        refund: Refund,
        status: RefundStatus,
        provider_reference: str | None,
        now: datetime,
    ) -> bool:
        stamp = iso(now)
        actions: list[Action] = [
            RefundItem.status.set(status.value),
            RefundItem.updated_at.set(stamp),
        ]
        if provider_reference:
            actions += [
                RefundItem.provider_reference.set(provider_reference),
                RefundItem.GSI1PK.set(keys.provider_refund_pk(provider_reference)),
                RefundItem.GSI1SK.set(keys.PROVIDER_REFUND),
            ]
        tx = Transaction()
        tx.update(
            RefundItem(keys.order_pk(refund.order_id), keys.refund_sk(refund.refund_id)),
            actions=actions,
            condition=RefundItem.status == RefundStatus.PENDING.value,
            label="refund",
        )
        if status is not RefundStatus.PENDING:
            moved = (
                OrderItem.refunded_amount
                if status is RefundStatus.SUCCEEDED
                else OrderItem.refundable  # failed: the reserved amount is given back
            )
            tx.update(
                OrderItem(keys.order_pk(refund.order_id), keys.METADATA),
                actions=[
                    moved.add(refund.amount),
                    OrderItem.version.add(1),
                    OrderItem.updated_at.set(stamp),
                ],
                condition=OrderItem.PK.exists(),
                label="order",
            )
        try:
            tx.commit()
        except ConditionFailed:
            return False
        return True

    def accept_late_payment(self, order: Order, amount: int, reference: str) -> bool:
        item = OrderItem(keys.order_pk(order.order_id), keys.METADATA)
        try:
            item.update(
                actions=[
                    OrderItem.paid_amount.set(amount),
                    OrderItem.refundable.set(amount),
                    OrderItem.refund_owed.set(amount),
                    OrderItem.payment_reference.set(reference),
                    OrderItem.version.add(1),
                ],
                condition=(OrderItem.status == OrderStatus.CANCELLED.value)
                & (OrderItem.paid_amount.does_not_exist() | (OrderItem.paid_amount == 0)),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
