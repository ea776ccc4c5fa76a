"""Order reads: one order with its history, the order lists, the verified-buyer marker.

Apart from the moves and checkout (``repositories/buying/orders.py``), so the functions
that only read load neither the stock items nor the transition table.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist

from domain.buying.model import Order, OrderStatus, PaymentAction
from domain.buying.records import SellerLines
from domain.clock import iso, parse_iso
from domain.paging import Page
from repositories import keys
from repositories.buying.items import (
    HistoryItem,
    OrderItem,
    PaymentItem,
    SellerLinesItem,
    to_address,
    to_change,
    to_line,
    to_order,
)
from repositories.buying.purchases import PurchaseItem
from repositories.cursors import GSI1_KEYS, GSI2_KEYS, GSI3_KEYS, decode_cursor, take_page
from repositories.table import Item


def _time_range(attribute: Any, since: datetime | None, before: datetime | None) -> Any:
    """A sort-key condition on ``<createdAt>#<id>`` keys: created in ``[since, before)``."""
    if since is not None and before is not None:
        return attribute.between(iso(since), iso(before))
    if since is not None:
        return attribute >= iso(since)
    if before is not None:
        return attribute < iso(before)
    return None


def _seller_lines(item: SellerLinesItem) -> SellerLines:
    return SellerLines(
        order_id=item.order_id,
        seller_id=item.seller_id,
        status=OrderStatus(item.status),
        lines=[to_line(line) for line in item.lines],
        shipping_address=to_address(item.shipping_address),
        paid_at=parse_iso(item.paid_at),
    )


class DynamoOrderReads:
    """``OrderReads`` and ``OrderRepository.order`` on the table."""

    # -- one order ------------------------------------------------------------------------

    def order(self, order_id: str) -> Order | None:
        """One Query of the order's partition: the order and its history (its reservations
        and seller lines come along and are skipped; at most 1 + 6 + 2 × 24 small items)."""
        found: OrderItem | None = None
        history = []
        attempts: dict[int, PaymentItem] = {}
        for item in Item.query(keys.order_pk(order_id), consistent_read=True):
            if isinstance(item, OrderItem):
                found = item
            elif isinstance(item, HistoryItem):
                history.append(to_change(item))
            elif isinstance(item, PaymentItem):
                attempts[int(item.payment_id)] = item
        if found is None:
            return None
        order = to_order(found, sorted(history, key=lambda change: change.at))
        # The payment attempts come with the partition too: the current one may wait for
        # the buyer's action (3-D Secure), and the client needs its secret to finish it.
        current = attempts.get(order.attempt)
        if (
            current is not None
            and current.status == "requires_action"
            and current.client_secret
            and order.status is OrderStatus.PENDING_PAYMENT
        ):
            action = PaymentAction(current.client_secret, current.next_action)
            order = replace(order, payment_action=action)
        return order

    # -- lists ------------------------------------------------------------------------------

    def orders_of(self, user_id: str, cursor: str | None, limit: int) -> Page[Order]:
        partition = keys.user_pk(user_id)
        results = OrderItem.gsi1.query(
            partition,
            OrderItem.GSI1SK.startswith(keys.user_order_sk("")),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI1_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([to_order(i) for i in items], next_cursor)

    def orders_by_status(
        self,
        status: OrderStatus,
        since: datetime | None,
        before: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> Page[Order]:
        partition = keys.order_status_pk(status.value)
        results = OrderItem.gsi2.query(
            partition,
            _time_range(OrderItem.GSI2SK, since, before),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI2_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([to_order(i) for i in items], next_cursor)

    def orders_between(
        self, since: datetime | None, before: datetime | None, cursor: str | None, limit: int
    ) -> Page[Order]:
        results = OrderItem.gsi3.query(
            keys.ORDERS,
            _time_range(OrderItem.GSI3SK, since, before),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI3_KEYS, keys.ORDERS),
        )
        items, next_cursor = take_page(results, limit)
        return Page([to_order(i) for i in items], next_cursor)

    def seller_lines(self, seller_id: str, cursor: str | None, limit: int) -> Page[SellerLines]:
        partition = keys.seller_orders_pk(seller_id)
        results = SellerLinesItem.gsi1.query(
            partition,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI1_KEYS, partition),
        )
        items, next_cursor = take_page(results, limit)
        return Page([_seller_lines(i) for i in items], next_cursor)

    def has_delivered(self, user_id: str, product_id: str) -> bool:
        try:
            PurchaseItem.get(keys.user_pk(user_id), keys.purchase_sk(product_id))
        except DoesNotExist:
            return False
        return True
