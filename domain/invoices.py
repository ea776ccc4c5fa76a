"""Invoices and credit notes (issue 10): a paid order's invoice, a succeeded refund's
credit note, each numbered from a gap-free counter and rendered once.

Numbering: one series per document kind and calendar year (UTC) of the shop:
``INV-2026-000001``, ``CN-2026-000001``. A yearly series is what tax rules usually ask
for (consecutive, unique, no gaps; a new series may start each year), and keeps the
counter one item per year. A number is claimed in the same transaction that writes the
document's record, conditional on that record not existing, so a redelivered event can
neither burn a second number nor make a second record; the record keeps the number, so
a render that failed after the claim renders again with the same one.

The record is written first (``rendering``), then the PDF is stored under a key that
follows from the order and the number (the same key on a retry: one object), then the
record is marked ``ready``. A ready record is never rendered again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, Protocol

from domain.buying.model import Order, OrderLine, ShippingAddress
from domain.errors import Conflict, NotFound


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit-note"


SERIES = {DocumentKind.INVOICE: "INV", DocumentKind.CREDIT_NOTE: "CN"}
NUMBER_DIGITS = 6


def document_number(kind: DocumentKind, year: int, sequence: int) -> str:
    return f"{SERIES[kind]}-{year}-{sequence:0{NUMBER_DIGITS}d}"


class InvoiceRecord(NamedTuple):
    """What the table keeps of one document (the PDF is in S3 under ``file_key``)."""

    order_id: str
    user_id: str
    kind: DocumentKind
    number: str
    issued_on: str  # YYYY-MM-DD (UTC): the day of the event that called for it
    total: int  # minor units; negative for a credit note
    currency: str
    status: str  # rendering | ready
    file_key: str
    refund_id: str | None = None
    invoice_number: str | None = None  # a credit note's invoice


class Party(NamedTuple):
    name: str
    address_lines: list[str]


class DocumentLine(NamedTuple):
    description: str
    seller: str
    quantity: int
    unit_price: int
    tax: int
    amount: int  # before tax


class Document(NamedTuple):
    """Everything printed on one invoice or credit note."""

    kind: DocumentKind
    number: str
    issued_on: str
    order_id: str
    issuer: Party
    buyer: Party
    ship_to: ShippingAddress
    lines: list[DocumentLine]
    subtotal: int
    tax: int
    shipping: int
    total: int
    currency: str
    refers_to: str | None = None  # a credit note's invoice number


class Shop(NamedTuple):
    """The issuer: the shop's name and address (settings ``SHOP_NAME``/``SHOP_ADDRESS``)."""

    name: str
    address_lines: list[str]


# -- ports -------------------------------------------------------------------------------


class InvoiceRecords(Protocol):
    def document(
        self, order_id: str, kind: DocumentKind, refund_id: str | None = None
    ) -> InvoiceRecord | None: ...

    def claim(self, record: InvoiceRecord, year: int) -> InvoiceRecord | None:
        """Claim the next number of ``record.kind``'s series for ``year`` and write the
        record with it (``record.number`` and ``file_key`` are filled in here), in one
        transaction conditional on no record for the same document; None when one exists
        already. A counter moved by a concurrent claim raises ``Conflict`` (retried)."""

    def mark_ready(self, record: InvoiceRecord, now: datetime) -> None: ...


class OrderSource(Protocol):
    def order(self, order_id: str) -> Order | None: ...


class Confirmations(Protocol):
    def was_confirmed(self, order_id: str) -> bool:
        """Whether the order ever moved to ``confirmed`` (its history says)."""


class SellerNames(Protocol):
    def shop_names(self, seller_ids: set[str]) -> dict[str, str]: ...


class Renderer(Protocol):
    def render(self, document: Document) -> bytes: ...


class DocumentFiles(Protocol):
    def put(self, key: str, body: bytes) -> None: ...

    def download_url(self, key: str, expires_in: int) -> str: ...


# -- rules -------------------------------------------------------------------------------


def file_key(order_id: str, number: str) -> str:
    return f"invoices/{order_id}/{number}.pdf"


def _address(address: ShippingAddress) -> list[str]:
    lines = [address.line1]
    if address.line2:
        lines.append(address.line2)
    lines.append(" ".join(p for p in (address.postal_code, address.city, address.region) if p))
    lines.append(address.country)
    return lines


def _line(line: OrderLine, sellers: dict[str, str]) -> DocumentLine:
    return DocumentLine(
        description=f"{line.name} ({line.sku})",
        seller=sellers.get(line.seller_id, line.seller_id),
        quantity=line.quantity,
        unit_price=line.unit_price,
        tax=line.tax,
        amount=line.line_total,
    )


def invoice_document(
    order: Order, record: InvoiceRecord, *, shop: Shop, sellers: dict[str, str]
) -> Document:
    totals = order.totals
    return Document(
        kind=DocumentKind.INVOICE,
        number=record.number,
        issued_on=record.issued_on,
        order_id=order.order_id,
        issuer=Party(shop.name, shop.address_lines),
        buyer=Party(order.shipping_address.full_name, _address(order.shipping_address)),
        ship_to=order.shipping_address,
        lines=[_line(line, sellers) for line in order.lines],
        subtotal=totals.subtotal,
        tax=totals.tax,
        shipping=totals.shipping,
        total=totals.total,
        currency=totals.currency,
    )


def credit_note_document(
    order: Order, record: InvoiceRecord, invoice: InvoiceRecord, *, shop: Shop
) -> Document:
    """A refund is an amount of the order, not of its lines: one line, negative."""
    amount = record.total
    refund_line = DocumentLine(
        description=f"Refund {record.refund_id} of order {order.order_id}",
        seller=shop.name,
        quantity=1,
        unit_price=amount,
        tax=0,
        amount=amount,
    )
    return Document(
        kind=DocumentKind.CREDIT_NOTE,
        number=record.number,
        issued_on=record.issued_on,
        order_id=order.order_id,
        issuer=Party(shop.name, shop.address_lines),
        buyer=Party(order.shipping_address.full_name, _address(order.shipping_address)),
        ship_to=order.shipping_address,
        lines=[refund_line],
        subtotal=amount,
        tax=0,
        shipping=0,
        total=amount,
        currency=record.currency,
        refers_to=invoice.number,
    )


class InvoicePorts(NamedTuple):
    records: InvoiceRecords
    orders: OrderSource
    sellers: SellerNames
    renderer: Renderer
    files: DocumentFiles
    shop: Shop
    confirmations: Confirmations


def _finish(record: InvoiceRecord, document: Document, ports: InvoicePorts, now: datetime) -> None:
    ports.files.put(record.file_key, ports.renderer.render(document))
    ports.records.mark_ready(record, now)


def issue_invoice(
    order_id: str, *, occurred_at: str, ports: InvoicePorts, now: datetime
) -> InvoiceRecord | None:
    """The invoice of a confirmed order, numbered and rendered once; None when the order
    is not in the table (nothing to invoice)."""
    existing = ports.records.document(order_id, DocumentKind.INVOICE)
    if existing is not None and existing.status == "ready":
        return existing  # a redelivery: rendered already
    order = ports.orders.order(order_id)
    if order is None:
        return None
    record = existing or _claim(
        ports,
        InvoiceRecord(
            order_id=order_id,
            user_id=order.user_id,
            kind=DocumentKind.INVOICE,
            number="",
            issued_on=occurred_at[:10],
            total=order.totals.total,
            currency=order.totals.currency,
            status="rendering",
            file_key="",
        ),
    )
    sellers = ports.sellers.shop_names(order.seller_ids)
    _finish(record, invoice_document(order, record, shop=ports.shop, sellers=sellers), ports, now)
    return record


def issue_credit_note(
    order_id: str,
    refund_id: str,
    amount: int,
    currency: str,
    *,
    occurred_at: str,
    ports: InvoicePorts,
    now: datetime,
) -> InvoiceRecord | None:
    """A succeeded refund's credit note, referring to the order's invoice. Before the
    invoice is there it raises ``Conflict`` (the message comes back later); an order
    never confirmed (a late payment refunded) has no invoice and gets none (None)."""
    existing = ports.records.document(order_id, DocumentKind.CREDIT_NOTE, refund_id)
    if existing is not None and existing.status == "ready":
        return existing
    invoice = ports.records.document(order_id, DocumentKind.INVOICE)
    if invoice is None and not ports.confirmations.was_confirmed(order_id):
        # paid after it was cancelled (a late payment, refunded in full): no sale was
        # made, no invoice issued, so there is nothing to credit
        return None
    if invoice is None or invoice.status != "ready":
        raise Conflict("the order's invoice is not issued yet", code="invoice_not_ready")
    order = ports.orders.order(order_id)
    if order is None:
        return None
    record = existing or _claim(
        ports,
        InvoiceRecord(
            order_id=order_id,
            user_id=order.user_id,
            kind=DocumentKind.CREDIT_NOTE,
            number="",
            issued_on=occurred_at[:10],
            total=-abs(amount),
            currency=currency,
            status="rendering",
            file_key="",
            refund_id=refund_id,
            invoice_number=invoice.number,
        ),
    )
    _finish(record, credit_note_document(order, record, invoice, shop=ports.shop), ports, now)
    return record


def _claim(ports: InvoicePorts, record: InvoiceRecord) -> InvoiceRecord:
    claimed = ports.records.claim(record, int(record.issued_on[:4]))
    if claimed is not None:
        return claimed
    # written by a concurrent delivery of the same event between our read and our claim
    again = ports.records.document(record.order_id, record.kind, record.refund_id)
    if again is None:  # pragma: no cover - a claim refused only because the record exists
        raise Conflict("the document's record vanished", code="concurrent_update")
    return again


# -- reads (GET /orders/{id}/invoice) ----------------------------------------------------


def _not_found() -> NotFound:
    return NotFound("no such order", code="order_not_found")


def document_url(
    order_id: str,
    *,
    refund_id: str | None,
    user_id: str,
    is_admin: bool,
    records: InvoiceRecords,
    orders: OrderSource,
    files: DocumentFiles,
    expires_in: int,
) -> str:
    """A short-lived URL of the order's invoice (or of a refund's credit note) for its
    buyer or an admin; anyone else's order is a 404, and a document not issued yet a 409
    (``invoice_not_ready``: an unpaid order, or one whose invoice is being rendered)."""
    kind = DocumentKind.INVOICE if refund_id is None else DocumentKind.CREDIT_NOTE
    record = records.document(order_id, kind, refund_id)
    if record is not None:
        if record.user_id != user_id and not is_admin:
            raise _not_found()
        if record.status == "ready":
            return files.download_url(record.file_key, expires_in)
    else:
        order = orders.order(order_id)
        if order is None or (order.user_id != user_id and not is_admin):
            raise _not_found()
    what = "invoice" if refund_id is None else "credit note"
    raise Conflict(f"this order's {what} is not issued yet", code="invoice_not_ready")
