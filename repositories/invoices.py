"""Invoices and credit notes (domain/invoices.py).

| item         | PK                             | SK                      |
|--------------|--------------------------------|-------------------------|
| invoice      | INVOICES#<orderId>             | INVOICE                 |
| credit note  | INVOICES#<orderId>             | CREDITNOTE#<refundId>   |
| counter      | INVOICECOUNTER#<INV|CN>#<yyyy> | COUNTER                 |
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from adapters import aws
from adapters.settings import settings
from domain.clock import iso, utcnow
from domain.errors import Conflict
from domain.invoices import SERIES, DocumentKind, InvoiceRecord, document_number, file_key
from repositories import keys
from repositories.buying.items import HistoryItem
from repositories.table import ConditionFailed, Item, Transaction

CLAIM_ATTEMPTS = 3


class InvoiceItem(Item, discriminator="Invoice"):
    order_id = UnicodeAttribute(attr_name="orderId")
    user_id = UnicodeAttribute(attr_name="userId")
    kind = UnicodeAttribute()
    number = UnicodeAttribute()
    issued_on = UnicodeAttribute(attr_name="issuedOn")
    total = NumberAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    file_key = UnicodeAttribute(attr_name="fileKey")
    refund_id = UnicodeAttribute(attr_name="refundId", null=True)
    invoice_number = UnicodeAttribute(attr_name="invoiceNumber", null=True)


class InvoiceCounterItem(Item, discriminator="InvoiceCounter"):
    series = UnicodeAttribute()
    year = NumberAttribute()
    last = NumberAttribute(default=0)  # the last number claimed in the series


def _sk(kind: DocumentKind, refund_id: str | None) -> str:
    if kind is DocumentKind.INVOICE:
        return keys.INVOICE
    return keys.credit_note_sk(refund_id or "")


def _record(item: InvoiceItem) -> InvoiceRecord:
    return InvoiceRecord(
        order_id=item.order_id,
        user_id=item.user_id,
        kind=DocumentKind(item.kind),
        number=item.number,
        issued_on=item.issued_on,
        total=int(item.total),
        currency=item.currency,
        status=item.status,
        file_key=item.file_key,
        refund_id=item.refund_id,
        invoice_number=item.invoice_number,
    )


class DynamoInvoices:
    """``InvoiceRecords`` and ``SellerNames`` on the single table."""

    def document(
        self, order_id: str, kind: DocumentKind, refund_id: str | None = None
    ) -> InvoiceRecord | None:
        try:
            item = InvoiceItem.get(
                keys.invoices_pk(order_id), _sk(kind, refund_id), consistent_read=True
            )
        except InvoiceItem.DoesNotExist:
            return None
        return _record(item)

    def _last(self, series: str, year: int) -> int:
        try:
            item = InvoiceCounterItem.get(
                keys.invoice_counter_pk(series, year), keys.COUNTER, consistent_read=True
            )
        except InvoiceCounterItem.DoesNotExist:
            return 0
        return int(item.last)

    def claim(self, record: InvoiceRecord, year: int) -> InvoiceRecord | None:
        series = SERIES[record.kind]
        for _ in range(CLAIM_ATTEMPTS):
            last = self._last(series, year)
            number = document_number(record.kind, year, last + 1)
            claimed = record._replace(number=number, file_key=file_key(record.order_id, number))
            if self._write(claimed, series, year, last):
                return claimed
            if self.document(record.order_id, record.kind, record.refund_id) is not None:
                return None
        raise Conflict("the invoice counter is busy; retry", code="concurrent_update")

    def _write(self, record: InvoiceRecord, series: str, year: int, last: int) -> bool:
        """One transaction: the counter from ``last`` to ``last + 1`` and the record, if it
        does not exist. False when either condition failed."""
        stamp = iso(utcnow())
        tx = Transaction()
        tx.put(
            InvoiceItem(
                keys.invoices_pk(record.order_id),
                _sk(record.kind, record.refund_id),
                order_id=record.order_id,
                user_id=record.user_id,
                kind=record.kind.value,
                number=record.number,
                issued_on=record.issued_on,
                total=record.total,
                currency=record.currency,
                status=record.status,
                file_key=record.file_key,
                refund_id=record.refund_id,
                invoice_number=record.invoice_number,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=InvoiceItem.PK.does_not_exist(),
            label="record",
        )
        counter = InvoiceCounterItem(keys.invoice_counter_pk(series, year), keys.COUNTER)
        tx.update(
            counter,
            actions=[
                InvoiceCounterItem.last.set(last + 1),
                InvoiceCounterItem.series.set(series),
                InvoiceCounterItem.year.set(year),
                InvoiceCounterItem.type.set(InvoiceCounterItem),
                InvoiceCounterItem.created_at.set(InvoiceCounterItem.created_at | stamp),
                InvoiceCounterItem.updated_at.set(stamp),
            ],
            condition=(
                InvoiceCounterItem.PK.does_not_exist()
                if last == 0
                else InvoiceCounterItem.last == last
            ),
            label="counter",
        )
        try:
            tx.commit()
        except ConditionFailed:
            return False
        return True

    def mark_ready(self, record: InvoiceRecord, now: datetime) -> None:
        InvoiceItem(keys.invoices_pk(record.order_id), _sk(record.kind, record.refund_id)).update(
            actions=[InvoiceItem.status.set("ready"), InvoiceItem.updated_at.set(iso(now))],
            condition=InvoiceItem.PK.exists(),
        )

    def was_confirmed(self, order_id: str) -> bool:
        """One Query of the order's history items (``HISTORY#<at>#<status>``): only when a
        refund's credit note finds no invoice, which is rare."""
        found = HistoryItem.query(
            keys.order_pk(order_id),
            HistoryItem.SK.startswith(keys.HISTORY_PREFIX),
            filter_condition=HistoryItem.new_status == "confirmed",
            consistent_read=True,
        )
        return any(True for _ in found)

    def shop_names(self, seller_ids: set[str]) -> dict[str, str]:
        """One BatchGetItem (an order has at most CART_MAX_LINES sellers, under 100)."""
        if not seller_ids:
            return {}
        table = settings().TABLE_NAME
        wanted = [
            {"PK": {"S": keys.seller_pk(s)}, "SK": {"S": keys.PROFILE}} for s in sorted(seller_ids)
        ]
        answer = aws.client("dynamodb").batch_get_item(
            RequestItems={
                table: {
                    "Keys": wanted,
                    "ProjectionExpression": "PK, shopName",
                    "ConsistentRead": False,
                }
            }
        )
        prefix = keys.seller_pk("")
        # a seller not found (or left unprocessed) is named by its id on the document
        return {
            item["PK"]["S"].removeprefix(prefix): item["shopName"]["S"]
            for item in answer.get("Responses", {}).get(table, [])
            if "shopName" in item
        }
