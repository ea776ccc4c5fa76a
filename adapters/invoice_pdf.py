"""Invoices and credit notes as PDF, with fpdf2.

fpdf2 (with Pillow and fontTools, which it imports) costs more to import than the whole
budget of a worker's cold start (about 0.4 s against a bare DynamoDB client's 0.5 s), so
this module imports it inside ``render``: the invoice worker pays for it on its first
document, not on every cold start (docs/invoices.md). Nothing else may load fpdf or PIL
(tests/config/test_import_hygiene.py).

The PDF's core fonts (Helvetica) cover Latin-1 only; any other character prints as "?"
(a Unicode TTF font would have to be shipped with the code).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from domain.invoices import Document, DocumentKind

if TYPE_CHECKING:
    from fpdf import FPDF

# ISO 4217 currencies without minor units; every other one here has two.
ZERO_DECIMAL = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX"})


def money(amount: int, currency: str) -> str:
    """``-12.34 USD`` from ``-1234`` minor units."""
    if currency.upper() in ZERO_DECIMAL:
        return f"{amount:,} {currency}"
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole:,}.{cents:02d} {currency}"


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


class FpdfRenderer:
    """``Renderer``: one A4 page (more when the lines need it)."""

    def render(self, document: Document) -> bytes:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        # dated by the document, not the clock: the same document renders the same bytes
        pdf.set_creation_date(datetime.fromisoformat(f"{document.issued_on}T00:00:00+00:00"))
        pdf.set_title(_latin1(f"{_title(document)} {document.number}"))
        pdf.set_author(_latin1(document.issuer.name))
        pdf.add_page()
        _header(pdf, document)
        _parties(pdf, document)
        _lines(pdf, document)
        _totals(pdf, document)
        return bytes(pdf.output())


def _title(document: Document) -> str:
    return "Invoice" if document.kind is DocumentKind.INVOICE else "Credit note"


def _text(pdf: FPDF, text: str, *, size: int = 10, style: str = "", height: float = 5) -> None:
    pdf.set_font("Helvetica", style=style, size=size)
    pdf.multi_cell(0, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")


def _header(pdf: FPDF, document: Document) -> None:
    _text(pdf, document.issuer.name, size=16, style="B", height=8)
    for line in document.issuer.address_lines:
        _text(pdf, line)
    pdf.ln(4)
    _text(pdf, f"{_title(document)} {document.number}", size=14, style="B", height=7)
    _text(pdf, f"Date: {document.issued_on}")
    _text(pdf, f"Order: {document.order_id}")
    if document.refers_to:
        _text(pdf, f"Refers to invoice {document.refers_to}")
    pdf.ln(4)


def _parties(pdf: FPDF, document: Document) -> None:
    _text(pdf, "Bill to", style="B")
    _text(pdf, document.buyer.name)
    for line in document.buyer.address_lines:
        _text(pdf, line)
    pdf.ln(2)
    ship = document.ship_to
    _text(pdf, "Ship to", style="B")
    _text(pdf, ship.full_name)
    _text(pdf, ", ".join(p for p in (ship.line1, ship.line2, ship.city, ship.country) if p))
    pdf.ln(4)


def _lines(pdf: FPDF, document: Document) -> None:
    currency = document.currency
    widths = (70, 40, 15, 30, 35)
    pdf.set_font("Helvetica", style="B", size=9)
    for width, head in zip(widths, ("Item", "Sold by", "Qty", "Unit price", "Amount"), strict=True):
        pdf.cell(width, 6, head, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for line in document.lines:
        cells = (
            line.description,
            line.seller,
            str(line.quantity),
            money(line.unit_price, currency),
            money(line.amount, currency),
        )
        for width, cell in zip(widths, cells, strict=True):
            pdf.cell(width, 6, _latin1(cell)[:48])
        pdf.ln()
    pdf.ln(4)


def _totals(pdf: FPDF, document: Document) -> None:
    currency = document.currency
    rows = (
        ("Subtotal", document.subtotal),
        ("Tax", document.tax),
        ("Shipping", document.shipping),
        ("Total", document.total),
    )
    for label, amount in rows:
        pdf.set_font("Helvetica", style="B" if label == "Total" else "", size=10)
        pdf.cell(155, 6, label, align="R")
        pdf.cell(35, 6, money(amount, currency), align="R")
        pdf.ln()
    pdf.ln(2)
    _text(pdf, f"All amounts in {currency}.", size=8)
