"""Invoices over HTTP against the local stack: a checkout is paid by the checkout machine,
the stream's order.confirmed reaches renderInvoices through SNS and its queue, and the
buyer's download redirects to a presigned URL that the embedded AWS serves the PDF from."""

from __future__ import annotations

import io
import time

import requests
from pypdf import PdfReader

from tests.e2e.buying import checkout, listed_product, sign_up, wait_for_status
from tests.support.http_api import HttpApi


def _invoice_redirect(http: HttpApi, token: str, order_id: str, timeout: float) -> str:
    """The download's Location once the invoice is issued (409 invoice_not_ready until)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = requests.get(
            f"{http.base_url}/orders/{order_id}/invoice",
            headers={"Authorization": f"Bearer {token}"},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code == 302:
            return str(answer.headers["Location"])
        assert answer.status_code == 409, answer.text
        assert answer.json()["code"] == "invoice_not_ready"
        assert time.monotonic() < deadline, "no invoice within the time allowed"
        time.sleep(0.5)


def test_a_checkout_gets_an_invoice_pdf_to_download(http: HttpApi, admin_token: str) -> None:
    product_id = listed_product(http, admin_token, stock=5)
    buyer = sign_up(http)
    added = http.post("/cart/items", json={"productId": product_id, "quantity": 2}, token=buyer)
    assert added.status == 200, added.text
    placed = checkout(http, buyer)
    assert placed.status == 201, placed.text
    order_id = placed.body["orderId"]
    order = wait_for_status(http, buyer, order_id, "confirmed")

    location = _invoice_redirect(http, buyer, order_id, timeout=30)
    assert f"/invoices/{order_id}/INV-" in location
    pdf = requests.get(location, timeout=30)
    assert pdf.status_code == 200, pdf.text[:200]
    assert pdf.content.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert order_id in text
    assert order["lines"][0]["name"] in text
    total = order["totals"]["total"]["amount"]
    assert f"{total // 100:,}.{total % 100:02d} {order['totals']['total']['currency']}" in text

    # someone else's order is not found; the URL is signed (not a public object)
    stranger = sign_up(http)
    other = requests.get(
        f"{http.base_url}/orders/{order_id}/invoice",
        headers={"Authorization": f"Bearer {stranger}"},
        allow_redirects=False,
        timeout=30,
    )
    assert other.status_code == 404, other.text
    assert "X-Amz-Signature=" in location
