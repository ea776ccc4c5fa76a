"""The shop's numbers (issue 10): recordEvent counts each event once per day, through the
real path (the table's stream, publishEvents, SNS, the analytics queue's raw SNS-in-SQS
messages), and the admins' and sellers' reads show it."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from typing import Any

from tests.integration.helpers import make_role, problem, register_and_login
from tests.integration.order_helpers import Market, market, pay, place, put_cart_line
from tests.support.lambda_api import LambdaApi, LambdaContext, load_handler
from tests.support.pipeline import StreamReader, sqs_event

ANALYTICS = "bazaar-dev-analytics"
RECORD = "handlers/analytics/record_event.lambda_handler"
NO_FAILURES: dict[str, Any] = {"batchItemFailures": []}


def run(handler: str, event: dict[str, Any]) -> dict[str, Any]:
    result = load_handler(handler)(event, LambdaContext())
    assert isinstance(result, dict)
    return result


def drain(queue: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    while batch := sqs_event(queue)["Records"]:
        records.extend(batch)
    return records


def publish(stream: StreamReader) -> list[dict[str, Any]]:
    """Everything committed since the last read, as the analytics queue delivers it."""
    assert run("handlers/streams/publish_events.lambda_handler", stream.event()) == NO_FAILURES
    return drain(ANALYTICS)


def today() -> str:
    return date.today().isoformat()


def shop_day(api: LambdaApi, m: Market, day: str | None = None) -> dict[str, Any]:
    day = day or today()
    shown = api.get(f"/admin/metrics?from={day}&to={day}", token=m.admin.access)
    assert shown.status == 200, shown.body
    (only,) = shown.body["days"]
    assert only["date"] == day
    assert {k: v for k, v in shown.body["totals"].items() if k != "date"} == {
        k: v for k, v in only.items() if k != "date"
    }
    return dict(only)


def seller_totals(api: LambdaApi, m: Market) -> dict[str, Any]:
    shown = api.get(f"/sellers/me/metrics?from={today()}&to={today()}", token=m.seller.access)
    assert shown.status == 200, shown.body
    return dict(shown.body["totals"])


def sqs_record(event: dict[str, Any], message_id: str) -> dict[str, Any]:
    """An SNS-in-SQS message (raw delivery) as Lambda hands it over."""
    sample = Path_sample()["Records"][0]
    return {
        **sample,
        "messageId": message_id,
        "body": json.dumps(event),
        "messageAttributes": {
            "eventType": {**sample["messageAttributes"]["eventType"], "stringValue": event["type"]}
        },
    }


def Path_sample() -> dict[str, Any]:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "events" / "samples" / "recordEvent.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def paid_total(batch: list[dict[str, Any]]) -> int:
    (paid,) = [e for e in (json.loads(r["body"]) for r in batch) if e["type"] == "order.confirmed"]
    return int(paid["data"]["total"])


def checkout(api: LambdaApi, m: Market, stream: StreamReader) -> tuple[str, str, list[Any]]:
    lamp = m.product(api, stock=10, price=1999)
    put_cart_line(m.buyer.user_id, lamp, 2, price=1999)
    placed = place(api, m.buyer)
    assert placed.status in (201, 202), placed.body
    order_id = str(placed.body["orderId"])
    pay(order_id)
    return lamp, order_id, publish(stream)


def test_a_paid_order_is_counted_once_for_the_shop_and_its_seller(api: LambdaApi) -> None:
    stream = StreamReader(os.environ["TABLE_NAME"])
    m = market(api)
    lamp, _, batch = checkout(api, m, stream)
    types = [json.loads(r["body"])["type"] for r in batch]
    assert "order.placed" in types
    assert "order.confirmed" in types
    (paid,) = [
        json.loads(r["body"]) for r in batch if json.loads(r["body"])["type"] == "order.confirmed"
    ]
    total, currency = paid["data"]["total"], paid["data"]["currency"]

    assert run(RECORD, {"Records": batch}) == NO_FAILURES
    day = shop_day(api, m)
    assert day["ordersPlaced"] == 1
    assert day["ordersPaid"] == 1
    assert day["unitsSold"] == 2
    assert day["newUsers"] == 3  # the admin, the seller and the buyer
    assert day["events"] == len(batch)
    assert day["money"] == [
        {"currency": currency, "revenue": total, "refunds": 0, "refundedAmount": 0}
    ]
    mine = seller_totals(api, m)
    assert mine["money"] == [{"currency": currency, "orders": 1, "units": 2, "revenue": 2 * 1999}]
    assert mine["products"] == [{"productId": lamp, "units": 2}]

    logged = api.get(f"/admin/events?date={today()}&limit=100", token=m.admin.access).body
    (shown,) = [e for e in logged["items"] if e["eventId"] == paid["eventId"]]
    assert shown["data"]["lines"] == paid["data"]["lines"]  # the log keeps the event's data
    assert shown["data"]["total"] == total
    assert all(type(line["quantity"]) is int for line in shown["data"]["lines"])  # not 2.0

    # The same batch again (SQS delivers at least once): nothing counted twice.
    assert run(RECORD, {"Records": batch}) == NO_FAILURES
    assert shop_day(api, m) == day
    assert seller_totals(api, m) == mine

    # Another seller sees only their own numbers: none.
    other = make_role(api, "seller")
    theirs = api.get(f"/sellers/me/metrics?from={today()}&to={today()}", token=other.access)
    assert theirs.status == 200
    assert theirs.body["totals"] == {"date": None, "money": [], "products": []}


def test_refunds_count_from_refund_succeeded_never_from_order_refunded(api: LambdaApi) -> None:
    m = market(api)
    stamp = f"{today()}T10:00:00.000000Z"
    refund = {
        "eventId": "evt_refund_1",
        "type": "refund.succeeded",
        "version": 1,
        "occurredAt": stamp,
        "subject": "ord_01JD5V3Q4E8W00000SAMP1E0",
        "data": {
            "orderId": "ord_01JD5V3Q4E8W00000SAMP1E0",
            "refundId": "ref_01JD5V3Q4E8W00000SAMP1E0",
            "amount": 500,
            "currency": "USD",
        },
    }
    refunded = {
        **refund,
        "eventId": "evt_refunded_1",
        "type": "order.refunded",
        "data": {"orderId": refund["subject"], "amount": 500, "currency": "USD", "lines": []},
    }
    batch = {"Records": [sqs_record(refund, "m-1"), sqs_record(refunded, "m-2")]}
    assert run(RECORD, batch) == NO_FAILURES
    assert run(RECORD, batch) == NO_FAILURES  # redelivered
    day = shop_day(api, m)
    assert day["money"] == [{"currency": "USD", "revenue": 0, "refunds": 1, "refundedAmount": 500}]
    assert day["events"] == 2


def test_a_poison_message_is_the_only_failure_and_an_unknown_type_is_logged(
    api: LambdaApi, caplog: Any
) -> None:
    m = market(api)
    stream = StreamReader(os.environ["TABLE_NAME"])
    batch = publish(stream)  # the sign-ups and the catalogue
    stamp = f"{today()}T11:00:00.000000Z"
    unknown = {
        "eventId": "evt_unknown_1",
        "type": "warehouse.teleported",
        "version": 1,
        "occurredAt": stamp,
        "subject": "x",
        "data": {"email": "someone@example.com", "where": "moon"},
    }
    paid_without_lines = {**unknown, "eventId": "evt_bad_1", "type": "order.confirmed", "data": {}}
    records = [
        {**batch[0], "messageId": "not-json", "body": "{"},
        sqs_record(paid_without_lines, "no-lines"),
        sqs_record(unknown, "unknown"),
        *batch,
    ]
    result = run(RECORD, {"Records": records})
    assert result == {
        "batchItemFailures": [{"itemIdentifier": "not-json"}, {"itemIdentifier": "no-lines"}]
    }
    (warned,) = [r for r in caplog.records if r.getMessage() == "event type not counted"]
    assert warned.eventType == "warehouse.teleported"

    shown = api.get(f"/admin/events?date={today()}&limit=100", token=m.admin.access)
    assert shown.status == 200
    logged = {e["eventId"]: e for e in shown.body["items"]}
    assert logged["evt_unknown_1"]["data"] == {"where": "moon"}  # no personal data
    assert "evt_bad_1" not in logged  # nothing written for the poison
    assert all("email" not in e["data"] for e in shown.body["items"])
    assert shop_day(api, m)["events"] == len(batch) + 1


def test_business_metrics_go_out_as_emf(api: LambdaApi, capsys: Any) -> None:
    stream = StreamReader(os.environ["TABLE_NAME"])
    m = market(api)
    _, _, batch = checkout(api, m, stream)
    capsys.readouterr()
    assert run(RECORD, {"Records": batch}) == NO_FAILURES
    documents = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line
    ]
    metrics = {d["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"]: d for d in documents}
    assert set(metrics) == {"OrdersPlaced", "OrdersPaid", "Revenue"}
    revenue = metrics["Revenue"]
    assert revenue["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Bazaar"
    assert sorted(revenue["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0]) == [
        "currency",
        "service",  # POWERTOOLS_SERVICE_NAME, which Powertools adds to every metric
        "stage",
    ]
    assert revenue["currency"] == "USD"
    assert revenue["Revenue"] == [float(paid_total(batch))]
    # redelivered: counted before, so not sent to CloudWatch again
    assert run(RECORD, {"Records": batch}) == NO_FAILURES
    assert '"_aws"' not in capsys.readouterr().out


def test_the_event_log_pages_with_a_cursor(api: LambdaApi) -> None:
    m = market(api)
    stream = StreamReader(os.environ["TABLE_NAME"])
    batch = publish(stream)
    assert run(RECORD, {"Records": batch}) == NO_FAILURES
    seen: list[str] = []
    path = f"/admin/events?date={today()}&limit=2"
    shown = api.get(path, token=m.admin.access)
    while True:
        assert shown.status == 200
        seen += [e["eventId"] for e in shown.body["items"]]
        if not shown.body["nextCursor"]:
            break
        shown = api.get(f"{path}&cursor={shown.body['nextCursor']}", token=m.admin.access)
    assert sorted(seen) == sorted(json.loads(r["body"])["eventId"] for r in batch)
    assert len(seen) == len(set(seen))
    tampered = api.get(f"{path}&cursor=eyJQSyI6IngiLCJTSyI6InkifQ", token=m.admin.access)
    problem(tampered, 404, "cursor_not_found")


def test_ranges_are_checked_and_the_reads_are_for_their_roles(api: LambdaApi) -> None:
    m = market(api)
    start = date(2026, 1, 1)
    span = (start + timedelta(days=91)).isoformat()  # 92 days: the most
    ok = api.get(f"/admin/metrics?from={start}&to={span}", token=m.admin.access)
    assert ok.status == 200
    assert len(ok.body["days"]) == 92
    assert all(d["ordersPaid"] == 0 and d["money"] == [] for d in ok.body["days"])
    too_long = (start + timedelta(days=92)).isoformat()
    body = problem(
        api.get(f"/admin/metrics?from={start}&to={too_long}", token=m.admin.access),
        422,
        "range_too_long",
    )
    assert body["limit"] == 92
    problem(
        api.get(f"/sellers/me/metrics?from={start}&to={too_long}", token=m.seller.access),
        422,
        "range_too_long",
    )
    problem(
        api.get(f"/admin/metrics?from={span}&to={start}", token=m.admin.access),
        422,
        "range_reversed",
    )
    buyer = register_and_login(api)
    problem(
        api.get(f"/admin/metrics?from={start}&to={start}", token=m.seller.access),
        403,
        "forbidden_role",
    )
    problem(api.get(f"/admin/events?date={start}", token=buyer.access), 403, "forbidden_role")
    problem(
        api.get(f"/sellers/me/metrics?from={start}&to={start}", token=m.admin.access),
        403,
        "forbidden_role",
    )
    problem(
        api.get(f"/sellers/me/metrics?from={start}&to={start}", token=buyer.access),
        403,
        "forbidden_role",
    )
    problem(api.get(f"/admin/metrics?from={start}&to={start}"), 401, "token_missing")
