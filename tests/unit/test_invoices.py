"""Invoices and credit notes (domain/invoices.py) against plain fakes of their ports; the
``refund.succeeded`` event from a Refund item's real stream shape; money on the PDF."""

from __future__ import annotations

import dataclasses

import pytest

from adapters.invoice_pdf import money
from domain.buying.model import Order, OrderLine
from domain.errors import Conflict, NotFound
from domain.invoices import (
    DocumentKind,
    InvoicePorts,
    InvoiceRecord,
    Shop,
    document_url,
    issue_credit_note,
    issue_invoice,
)
from domain.payments.ports import RefundStatus
from events.mapping import events_from_record
from tests.unit.invoice_fakes import FakeFiles, FakeInvoiceBook, FakeRenderer
from tests.unit.payment_fakes import NOW, an_order

CONFIRMED_AT = "2026-11-30T10:00:00.000000Z"
SHOP = Shop("Bazaar", ["1 Market Street", "San Francisco"])


def ports_for(book: FakeInvoiceBook) -> tuple[InvoicePorts, FakeRenderer, FakeFiles]:
    renderer, files = FakeRenderer(), FakeFiles()
    return InvoicePorts(book, book, book, renderer, files, SHOP, book), renderer, files


def an_order_of_two_sellers(order_id: str = "ord_1") -> Order:
    order = an_order(order_id)
    lines = [*order.lines, OrderLine("prd_2", "sel_2", "Cup", "CUP-1", 1, 900, 72)]
    return dataclasses.replace(order, lines=lines)


def invoice(book: FakeInvoiceBook, ports: InvoicePorts, order_id: str = "ord_1") -> InvoiceRecord:
    record = issue_invoice(order_id, occurred_at=CONFIRMED_AT, ports=ports, now=NOW)
    assert record is not None
    return record


def stored(book: FakeInvoiceBook) -> InvoiceRecord:
    record = book.document("ord_1", DocumentKind.INVOICE)
    assert record is not None
    return record


def test_an_invoice_names_the_shop_each_lines_seller_the_buyer_and_the_totals() -> None:
    book = FakeInvoiceBook(an_order_of_two_sellers(), sellers={"sel_1": "Tea House"})
    ports, renderer, files = ports_for(book)
    record = invoice(book, ports)
    assert record.number == "INV-2026-000001"
    assert record.issued_on == "2026-11-30"
    (document,) = renderer.rendered
    assert document.issuer.name == "Bazaar"
    assert document.buyer.name == "Nia Ng"
    assert [(line.seller, line.amount) for line in document.lines] == [
        ("Tea House", 3000),
        ("sel_2", 900),  # a seller not found is named by its id
    ]
    assert (document.subtotal, document.tax, document.shipping, document.total) == (
        3000,
        240,
        499,
        3739,
    )
    assert document.currency == "USD"
    assert list(files.objects) == ["invoices/ord_1/INV-2026-000001.pdf"]
    assert stored(book).status == "ready"


def test_the_same_event_twice_is_one_record_one_object_one_number() -> None:
    book = FakeInvoiceBook(an_order("ord_1"), an_order("ord_2"))
    ports, renderer, files = ports_for(book)
    first = invoice(book, ports)
    again = invoice(book, ports)
    assert again == first._replace(status="ready")
    assert len(renderer.rendered) == 1
    assert files.puts == 1
    assert book.claims == 1
    # the next order takes the next number: nothing was burnt
    second = invoice(book, ports, "ord_2")
    assert second.number == "INV-2026-000002"


def test_a_render_that_failed_after_the_claim_renders_again_with_the_same_number() -> None:
    book = FakeInvoiceBook(an_order())
    ports, renderer, files = ports_for(book)
    renderer.broken = True
    with pytest.raises(RuntimeError):
        invoice(book, ports)
    assert stored(book).status == "rendering"
    record = invoice(book, ports)  # the message again
    assert record.number == "INV-2026-000001"
    assert book.claims == 1
    assert files.puts == 1
    assert book.counters[("INV", 2026)] == 1


def test_a_claim_lost_to_a_concurrent_delivery_uses_the_winners_record() -> None:
    class Racing(FakeInvoiceBook):
        def claim(self, record: InvoiceRecord, year: int) -> InvoiceRecord | None:
            super().claim(record, year)  # the other delivery wins the claim ...
            return super().claim(record, year)  # ... and ours finds the record there

    book = Racing(an_order())
    ports, _renderer, _files = ports_for(book)
    record = invoice(book, ports)
    assert record.number == "INV-2026-000001"
    assert book.counters[("INV", 2026)] == 1


def test_an_order_that_is_not_there_gets_nothing() -> None:
    book = FakeInvoiceBook()
    ports, renderer, _files = ports_for(book)
    assert issue_invoice("ord_1", occurred_at=CONFIRMED_AT, ports=ports, now=NOW) is None
    assert renderer.rendered == []
    assert book.claims == 0


def test_numbers_restart_each_year() -> None:
    book = FakeInvoiceBook(an_order("ord_1"), an_order("ord_2"))
    ports, _renderer, _files = ports_for(book)
    issue_invoice("ord_1", occurred_at="2026-12-31T23:59:59Z", ports=ports, now=NOW)
    late = issue_invoice("ord_2", occurred_at="2027-01-01T00:00:01Z", ports=ports, now=NOW)
    assert late is not None
    assert late.number == "INV-2027-000001"


# -- credit notes --------------------------------------------------------------------------


def credit(book: FakeInvoiceBook, ports: InvoicePorts, refund_id: str = "rfd_1") -> InvoiceRecord:
    record = issue_credit_note(
        "ord_1", refund_id, 1000, "USD", occurred_at=CONFIRMED_AT, ports=ports, now=NOW
    )
    assert record is not None
    return record


def test_a_credit_note_has_its_own_number_negative_amounts_and_refers_to_the_invoice() -> None:
    book = FakeInvoiceBook(an_order())
    ports, renderer, files = ports_for(book)
    invoice(book, ports)
    note = credit(book, ports)
    assert note.number == "CN-2026-000001"
    assert note.total == -1000
    document = renderer.rendered[-1]
    assert document.kind is DocumentKind.CREDIT_NOTE
    assert document.refers_to == "INV-2026-000001"
    assert [line.amount for line in document.lines] == [-1000]
    assert document.total == -1000
    assert "invoices/ord_1/CN-2026-000001.pdf" in files.objects
    # redelivered: nothing more; a second refund: the next number
    credit(book, ports)
    assert files.puts == 2
    assert credit(book, ports, "rfd_2").number == "CN-2026-000002"


def test_a_credit_note_before_its_invoice_waits_without_a_number() -> None:
    book = FakeInvoiceBook(an_order())
    ports, _renderer, _files = ports_for(book)
    with pytest.raises(Conflict) as raised:
        credit(book, ports)
    assert raised.value.code == "invoice_not_ready"
    assert book.claims == 0


def test_a_late_payment_refunded_on_an_order_never_confirmed_has_nothing_to_credit() -> None:
    book = FakeInvoiceBook(an_order())
    book.confirmed.clear()  # cancelled unpaid; the payment came after, refunded in full
    ports, renderer, _files = ports_for(book)
    done = issue_credit_note(
        "ord_1", "rfd_1", 3739, "USD", occurred_at=CONFIRMED_AT, ports=ports, now=NOW
    )
    assert done is None
    assert book.claims == 0
    assert renderer.rendered == []


# -- the download --------------------------------------------------------------------------


def url(
    book: FakeInvoiceBook, user_id: str, *, admin: bool = False, refund: str | None = None
) -> str:
    return document_url(
        "ord_1",
        refund_id=refund,
        user_id=user_id,
        is_admin=admin,
        records=book,
        orders=book,
        files=FakeFiles(),
        expires_in=300,
    )


def test_the_buyer_and_an_admin_get_a_link_and_nobody_else_learns_anything() -> None:
    book = FakeInvoiceBook(an_order())
    with pytest.raises(Conflict, match="not issued yet"):
        url(book, "usr_1")
    with pytest.raises(NotFound):
        url(book, "usr_2")
    ports, _renderer, _files = ports_for(book)
    invoice(book, ports)
    assert (
        url(book, "usr_1") == "https://files.example/invoices/ord_1/INV-2026-000001.pdf?expires=300"
    )
    assert url(book, "usr_9", admin=True).endswith("INV-2026-000001.pdf?expires=300")
    with pytest.raises(NotFound):
        url(book, "usr_2")
    # a refund's credit note not issued (or no such refund): not ready
    with pytest.raises(Conflict, match="credit note is not issued yet"):
        url(book, "usr_1", refund="rfd_9")


def test_no_order_is_a_404() -> None:
    with pytest.raises(NotFound):
        url(FakeInvoiceBook(), "usr_1")


# -- the event ------------------------------------------------------------------------------


def test_a_refunds_move_to_succeeded_is_refund_succeeded_once() -> None:
    from domain.payments.refunds import Refund
    from repositories.payments.refunds import refund_item

    pending = Refund(
        refund_id="rfd_1",
        order_id="ord_1",
        amount=1000,
        currency="USD",
        reason="damaged",
        restock=False,
        status=RefundStatus.PENDING,
        requested_by="usr_admin",
        payment_reference="pi_1",
        fingerprint="f",
        closes=False,
        created_at=NOW,
        updated_at=NOW,
    )
    done = pending._replace(status=RefundStatus.SUCCEEDED, provider_reference="re_1")
    failed = pending._replace(status=RefundStatus.FAILED)

    def change(old: Refund, new: Refund) -> list[tuple[str, dict[str, object]]]:
        images = {
            "OldImage": refund_item(old).serialize(),
            "NewImage": refund_item(new).serialize(),
        }
        found = events_from_record({"eventID": "e1", "eventName": "MODIFY", "dynamodb": images})
        return [(e.type, e.data) for e in found]

    data = {"orderId": "ord_1", "refundId": "rfd_1", "amount": 1000, "currency": "USD"}
    assert change(pending, done) == [("refund.succeeded", data)]
    assert change(done, done) == []  # a later write to a succeeded refund: nothing again
    assert change(pending, failed) == []


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (5297, "USD", "52.97 USD"),
        (-1000, "EUR", "-10.00 EUR"),
        (123456789, "USD", "1,234,567.89 USD"),
        (1500, "JPY", "1,500 JPY"),
        (5, "GBP", "0.05 GBP"),
    ],
)
def test_money_is_printed_from_minor_units(amount: int, currency: str, shown: str) -> None:
    assert money(amount, currency) == shown
