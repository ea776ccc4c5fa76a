"""Plain in-memory fakes of the invoices' ports (domain/invoices.py).

``FakeInvoiceBook`` keeps the table's rules the domain relies on: a claim takes the next
number of its series and year and writes the record in one step, only if the record does
not exist (else nothing changes and it answers None); ``fail_claims`` makes the next
claims lose to a concurrent one that wrote the record first (a redelivery racing).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from domain.buying.model import Order
from domain.invoices import (
    SERIES,
    Document,
    DocumentKind,
    InvoiceRecord,
    document_number,
    file_key,
)


class FakeInvoiceBook:
    def __init__(self, *orders: Order, sellers: dict[str, str] | None = None) -> None:
        self.orders = {order.order_id: order for order in orders}
        self.records: dict[tuple[str, DocumentKind, str | None], InvoiceRecord] = {}
        self.counters: Counter[tuple[str, int]] = Counter()
        self.names = sellers or {}
        self.claims = 0
        self.confirmed = {order.order_id for order in orders}  # unless a test says not

    # -- OrderSource, SellerNames ---------------------------------------------------------

    def order(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def was_confirmed(self, order_id: str) -> bool:
        return order_id in self.confirmed

    def shop_names(self, seller_ids: set[str]) -> dict[str, str]:
        return {s: self.names[s] for s in seller_ids if s in self.names}

    # -- InvoiceRecords -------------------------------------------------------------------

    def document(
        self, order_id: str, kind: DocumentKind, refund_id: str | None = None
    ) -> InvoiceRecord | None:
        return self.records.get((order_id, kind, refund_id))

    def claim(self, record: InvoiceRecord, year: int) -> InvoiceRecord | None:
        self.claims += 1
        key = (record.order_id, record.kind, record.refund_id)
        if key in self.records:
            return None
        series = (SERIES[record.kind], year)
        self.counters[series] += 1
        number = document_number(record.kind, year, self.counters[series])
        claimed = record._replace(number=number, file_key=file_key(record.order_id, number))
        self.records[key] = claimed
        return claimed

    def mark_ready(self, record: InvoiceRecord, now: datetime) -> None:
        key = (record.order_id, record.kind, record.refund_id)
        self.records[key] = self.records[key]._replace(status="ready")


class FakeRenderer:
    """Renders a document as its repr; ``broken`` makes the next render raise."""

    def __init__(self) -> None:
        self.rendered: list[Document] = []
        self.broken = False

    def render(self, document: Document) -> bytes:
        if self.broken:
            self.broken = False
            raise RuntimeError("renderer crashed")
        self.rendered.append(document)
        return repr(document).encode()


class FakeFiles:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.puts = 0

    def put(self, key: str, body: bytes) -> None:
        self.puts += 1
        self.objects[key] = body

    def download_url(self, key: str, expires_in: int) -> str:
        return f"https://files.example/{key}?expires={expires_in}"
