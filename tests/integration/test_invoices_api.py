"""Invoices through the real pipeline in-process (moto): a confirmed order's stream record
-> publishEvents -> SNS -> the invoices queue (raw delivery, filtered) -> renderInvoices ->
the PDF in S3 (read back with pypdf) and its record; a refund's credit note; the download
route's redirect, its owners and its problems."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from adapters import aws
from events.contracts import DomainEvent
from tests.integration.helpers import make_admin, problem, register_and_login
from tests.integration.order_helpers import Market, market, place, put_cart_line
from tests.integration.refund_helpers import ask_refund, paid_order
from tests.support.lambda_api import LambdaApi, LambdaContext, load_handler
from tests.support.pipeline import StreamReader, sqs_event

RENDER = "handlers/invoices/render_invoices.lambda_handler"
PUBLISH = "handlers/streams/publish_events.lambda_handler"
QUEUE = "bazaar-dev-invoices"


@pytest.fixture
def m(api: LambdaApi) -> Market:
    return market(api)


def run(handler: str, event: dict[str, Any]) -> Any:
    return load_handler(handler)(event, LambdaContext())


def bucket() -> str:
    return os.environ["IMAGES_BUCKET"]


def invoice_objects() -> list[dict[str, Any]]:
    listed = aws.client("s3").list_objects_v2(Bucket=bucket(), Prefix="invoices/")
    return list(listed.get("Contents", []))


def pdf_text(key: str) -> str:
    body = aws.client("s3").get_object(Bucket=bucket(), Key=key)["Body"].read()
    assert body.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def invoice_items() -> list[dict[str, Any]]:
    from tests.integration.bad_input.cases import table_items

    return [i for i in table_items() if i["PK"]["S"].startswith(("INVOICES#", "INVOICECOUNTER#"))]


def confirmed_and_queued(
    api: LambdaApi, m: Market, stream: StreamReader
) -> tuple[str, dict[str, Any]]:
    """A paid order, its stream published; the invoices queue's messages (order.confirmed
    only: the subscription's filter keeps order.placed out)."""
    lamp = m.product(api, stock=5)
    order = paid_order(api, m, lamp, 2)
    assert run(PUBLISH, stream.event()) == {"batchItemFailures": []}
    queued = sqs_event(QUEUE)
    types = [json.loads(r["body"])["type"] for r in queued["Records"]]
    assert types == ["order.confirmed"], types
    return str(order["orderId"]), queued


SAMPLES = Path(__file__).resolve().parents[2] / "events" / "samples"


def sample_event(name: str) -> dict[str, Any]:
    """The event a sample of events/samples/ carries, read through the contract."""
    body = json.loads((SAMPLES / f"{name}.json").read_text())["Records"][0]["body"]
    event = DomainEvent.from_json(body)
    assert json.loads(event.to_json()) == json.loads(body)  # round-trips
    return dict(json.loads(body))


def money(amount: int) -> str:
    return f"{amount // 100:,}.{amount % 100:02d} USD"


def test_a_confirmed_order_gets_one_invoice_pdf_with_its_lines_and_totals(
    api: LambdaApi, m: Market
) -> None:
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    order_id, queued = confirmed_and_queued(api, m, stream)

    real = json.loads(queued["Records"][0]["body"])
    assert real.keys() == sample_event("renderInvoices").keys()
    assert real["data"].keys() == sample_event("renderInvoices")["data"].keys()
    assert run(RENDER, queued) == {"batchItemFailures": []}

    (pdf,) = invoice_objects()
    assert pdf["Key"].startswith(f"invoices/{order_id}/INV-")
    text = pdf_text(pdf["Key"])
    shown = api.get(f"/orders/{order_id}", token=m.buyer.access).body
    number = pdf["Key"].rsplit("/", 1)[-1].removesuffix(".pdf")
    assert number.endswith("-000001")
    assert f"Invoice {number}" in text
    assert order_id in text
    line = shown["lines"][0]
    (row,) = [r for r in text.splitlines() if r.startswith(line["name"])]
    assert " Shop " in row  # the seller, by its shop's name (not its id)
    assert f" 2 {money(line['unitPrice']['amount'])} " in row
    totals = shown["totals"]
    for label in ("subtotal", "tax", "shipping", "total"):
        assert money(totals[label]["amount"]) in text, label
    assert "Bazaar" in text  # the issuer (SHOP_NAME)
    assert shown["shippingAddress"]["fullName"] in text

    # redelivered (the same messages again): one record, one object, one number
    before = invoice_items()
    assert run(RENDER, queued) == {"batchItemFailures": []}
    assert invoice_objects() == [pdf] or [o["Key"] for o in invoice_objects()] == [pdf["Key"]]
    assert invoice_objects()[0]["LastModified"] == pdf["LastModified"]
    assert invoice_items() == before
    (counter,) = [i for i in before if i["PK"]["S"].startswith("INVOICECOUNTER#INV#")]
    assert counter["last"] == {"N": "1"}


def test_numbers_are_consecutive_across_orders(api: LambdaApi, m: Market) -> None:
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    _, first = confirmed_and_queued(api, m, stream)
    _, second = confirmed_and_queued(api, m, stream)
    assert run(RENDER, first) == {"batchItemFailures": []}
    assert run(RENDER, second) == {"batchItemFailures": []}
    numbers = sorted(o["Key"].rsplit("/", 1)[-1] for o in invoice_objects())
    assert [n[-10:] for n in numbers] == ["000001.pdf", "000002.pdf"]


def test_a_poison_message_is_the_only_failure(api: LambdaApi, m: Market) -> None:
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    _, queued = confirmed_and_queued(api, m, stream)
    poison = {**queued["Records"][0], "messageId": "poison-1", "body": "{not json"}
    batch = {"Records": [poison, *queued["Records"]]}
    assert run(RENDER, batch) == {"batchItemFailures": [{"itemIdentifier": "poison-1"}]}
    assert len(invoice_objects()) == 1


def test_a_succeeded_refund_adds_a_credit_note_referring_to_the_invoice(
    api: LambdaApi, m: Market
) -> None:
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    order_id, queued = confirmed_and_queued(api, m, stream)
    assert run(RENDER, queued) == {"batchItemFailures": []}
    (invoice,) = invoice_objects()
    invoice_number = invoice["Key"].rsplit("/", 1)[-1].removesuffix(".pdf")

    done = ask_refund(api, m.admin, order_id, 1000, reason="one lamp arrived broken")
    assert done.status == 201, done.text
    refund_id = done.body["refundId"]
    assert run(PUBLISH, stream.event()) == {"batchItemFailures": []}
    refunds = sqs_event(QUEUE)
    (message,) = refunds["Records"]
    event = json.loads(message["body"])
    assert event["type"] == "refund.succeeded"
    assert event.keys() == sample_event("renderInvoices-refund").keys()
    assert event["data"].keys() == sample_event("renderInvoices-refund")["data"].keys()
    assert event["data"] == {
        "orderId": order_id,
        "refundId": refund_id,
        "amount": 1000,
        "currency": "USD",
    }
    assert run(RENDER, refunds) == {"batchItemFailures": []}
    assert run(RENDER, refunds) == {"batchItemFailures": []}  # redelivered: nothing more

    (note,) = [o for o in invoice_objects() if "/CN-" in o["Key"]]
    text = pdf_text(note["Key"])
    assert "Credit note CN-" in text
    assert f"Refers to invoice {invoice_number}" in text
    assert "-10.00 USD" in text
    assert len(invoice_objects()) == 2

    # the buyer downloads it by the refund's id
    got = api.get(f"/orders/{order_id}/invoice?refundId={refund_id}", token=m.buyer.access)
    assert got.status == 302, got.text
    assert f"/invoices/{order_id}/CN-" in str(got.header("location"))


def test_a_credit_note_before_the_invoice_waits(api: LambdaApi, m: Market) -> None:
    """A refund.succeeded that arrives before the invoice is rendered fails (and comes back
    later); nothing is numbered for it yet."""
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    order_id, _queued = confirmed_and_queued(api, m, stream)  # the invoice not rendered
    assert ask_refund(api, m.admin, order_id, 500).status == 201
    run(PUBLISH, stream.event())
    refunds = sqs_event(QUEUE)
    (message,) = refunds["Records"]
    assert run(RENDER, refunds) == {"batchItemFailures": [{"itemIdentifier": message["messageId"]}]}
    assert invoice_items() == []


# -- the download route ----------------------------------------------------------------------


def rendered(api: LambdaApi, m: Market) -> str:
    stream = StreamReader(os.environ["TABLE_NAME"])
    stream.event()
    order_id, queued = confirmed_and_queued(api, m, stream)
    assert run(RENDER, queued) == {"batchItemFailures": []}
    return order_id


def test_the_buyer_is_redirected_to_a_short_lived_download(api: LambdaApi, m: Market) -> None:
    order_id = rendered(api, m)
    got = api.get(f"/orders/{order_id}/invoice", token=m.buyer.access)
    assert got.status == 302, got.text
    location = str(got.header("location"))
    assert f"/invoices/{order_id}/INV-" in location
    assert "X-Amz-Expires=300" in location
    assert "X-Amz-Signature=" in location
    assert got.header("cache-control") == "no-store"
    # an admin too
    admin = api.get(f"/orders/{order_id}/invoice", token=m.admin.access)
    assert admin.status == 302


def test_someone_elses_invoice_is_not_found(api: LambdaApi, m: Market) -> None:
    order_id = rendered(api, m)
    stranger = register_and_login(api)
    problem(api.get(f"/orders/{order_id}/invoice", token=stranger.access), 404, "order_not_found")
    problem(api.get(f"/orders/{order_id}/invoice", token=m.seller.access), 404, "order_not_found")
    missing = "ord_01JD5V3Q4E8W0000000000000X"
    problem(api.get(f"/orders/{missing}/invoice", token=m.buyer.access), 404, "order_not_found")


def test_an_invoice_not_rendered_yet_is_a_409(api: LambdaApi, m: Market) -> None:
    lamp = m.product(api, stock=5)
    put_cart_line(m.buyer.user_id, lamp, 1, price=1999)
    placed = place(api, m.buyer)
    order_id = placed.body["orderId"]
    got = api.get(f"/orders/{order_id}/invoice", token=m.buyer.access)
    problem(got, 409, "invoice_not_ready")
    # someone else still sees nothing at all
    other = make_admin(api)
    assert api.get(f"/orders/{order_id}/invoice", token=other.access).status == 409
    stranger = register_and_login(api)
    problem(api.get(f"/orders/{order_id}/invoice", token=stranger.access), 404, "order_not_found")


def test_signed_out_is_401(api: LambdaApi, m: Market) -> None:
    order_id = rendered(api, m)
    assert api.get(f"/orders/{order_id}/invoice").status == 401
