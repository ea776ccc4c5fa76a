"""The sample events of events/samples/ (what `make invoke` and `serverless invoke local -p`
feed a function) cannot rot: each one names a function of serverless.yml, has the shape
the tests' own events have (those read from moto or built from the routes), and drives its
handler in-process to the answer listed here. A new kind of event source needs a sample."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from scripts.stack import resolved_config
from tests.integration.helpers import register, sent_emails
from tests.support.lambda_api import LambdaApi, LambdaContext, load_handler
from tests.support.pipeline import StreamReader, sqs_event

CONFIG = resolved_config("dev")
SAMPLES = Path(__file__).resolve().parents[2] / "events" / "samples"
POISON = "poison-0b7e5a8e-3c1d-4f2a-9d6b-1a2b3c4d5e02"
NO_FAILURES: dict[str, Any] = {"batchItemFailures": []}

# sample -> what its function answers: an HTTP status, the whole answer of a worker, or
# the name of the error a task function raises (a Step Functions errorType)
EXPECTED: dict[str, int | dict[str, Any] | str] = {
    "health": 200,
    "listCategories": 200,
    "listUsers": 200,
    "listUsers-signed-out": 401,
    "authorizer": {"isAuthorized": True, "context": {"authError": "token_invalid"}},
    "publishEvents": NO_FAILURES,
    "sendNotification": NO_FAILURES,
    "sendNotification-poison": {"batchItemFailures": [{"itemIdentifier": POISON}]},
    "recordEvent": NO_FAILURES,
    # the search indexer: a product not in the (empty) table is left alone
    "indexProducts": NO_FAILURES,
    # checkout state machine task: no such order (the machine's OrderMissing path)
    "validateOrder": "OrderMissing",
    # the scheduled sweep: nothing has expired in an empty table
    "releaseExpiredHolds": {"seen": 0, "released": 0},
    # invoices (issue 10): an order not in the (empty) table has nothing to invoice, and
    # a refund of an order never confirmed nothing to credit
    "renderInvoices": NO_FAILURES,
    "renderInvoices-refund": NO_FAILURES,
}


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text())  # type: ignore[no-any-return]


def function_of(name: str) -> str:
    return name.split("-", 1)[0]


def kind_of(config: dict[str, Any], function: str) -> str:
    """How a function is invoked: by its event source, or as the HTTP API's authorizer."""
    authorizers = {a["functionName"] for a in config["provider"]["httpApi"]["authorizers"].values()}
    if function in authorizers:
        return "authorizer"
    events = config["functions"][function].get("events") or [{"no events": {}}]
    ((source, spec),) = events[0].items()
    if source == "httpApi":
        return "httpApi (authorizer)" if spec.get("authorizer") else "httpApi (public)"
    if source == "stream":
        return f"stream ({spec.get('type')})"
    return str(source)


def run(config: dict[str, Any], name: str) -> dict[str, Any]:
    handler = config["functions"][function_of(name)]["handler"]
    result = load_handler(handler)(sample(name), LambdaContext())
    assert isinstance(result, dict), result
    return result


def raised(config: dict[str, Any], name: str) -> str:
    """The class name of what the handler raised (Lambda's errorType), or "" if none."""
    try:
        run(config, name)
    except Exception as exc:
        return type(exc).__name__
    return ""


def test_every_sample_parses_names_a_function_and_has_an_expected_answer(
    config: dict[str, Any],
) -> None:
    names = sorted(path.stem for path in SAMPLES.glob("*.json"))
    assert names == sorted(EXPECTED)
    for name in names:
        assert isinstance(sample(name), dict), name
        assert function_of(name) in config["functions"], name


def test_every_kind_of_function_has_a_sample(config: dict[str, Any]) -> None:
    kinds = {kind_of(config, function) for function in config["functions"]}
    sampled = {kind_of(config, function_of(name)) for name in EXPECTED}
    assert kinds == sampled, f"no sample for {kinds - sampled}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_sample_drives_its_handler_to_the_expected_answer(
    api: LambdaApi, config: dict[str, Any], name: str
) -> None:
    expected = EXPECTED[name]
    if isinstance(expected, str):
        assert raised(config, name) == expected
        return
    result = run(config, name)
    if isinstance(expected, int):
        assert result["statusCode"] == expected, result
        body = json.loads(result["body"])
        assert isinstance(body, dict), body
        if expected == 401:
            assert body["code"] == "token_missing", body
    else:
        assert result == expected


def test_the_stream_sample_publishes_what_the_queue_samples_carry(
    api: LambdaApi, config: dict[str, Any]
) -> None:
    assert run(config, "publishEvents") == NO_FAILURES
    published = sqs_event("bazaar-dev-notifications")["Records"]
    assert [json.loads(m["body"]) for m in published] == [
        json.loads(sample("sendNotification")["Records"][0]["body"])
    ]
    assert published[0]["body"] == sample("recordEvent")["Records"][0]["body"]


def test_the_queue_samples_send_one_email_and_count_one_signup(
    api: LambdaApi, config: dict[str, Any]
) -> None:
    assert run(config, "sendNotification-poison") == EXPECTED["sendNotification-poison"]
    assert run(config, "sendNotification") == NO_FAILURES  # the same event again: no email
    assert [m.destinations["ToAddresses"] for m in sent_emails()] == [["nia.sample@example.com"]]

    assert run(config, "recordEvent") == NO_FAILURES
    from adapters import aws

    totals = aws.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"PK": {"S": "METRICS#2026-11"}, "SK": {"S": "2026-11-30"}},
    )["Item"]
    assert totals["signups"] == {"N": "1"}


# -- one source: the samples have the shapes the tests use ---------------------------------


def keys(node: dict[str, Any], *optional: str) -> set[str]:
    return set(node) - set(optional)


HTTP_SAMPLES = [
    n for n in sorted(EXPECTED) if kind_of(CONFIG, function_of(n)).startswith("httpApi")
]


def test_the_http_samples_are_those_of_http_functions() -> None:
    assert HTTP_SAMPLES == ["health", "listCategories", "listUsers", "listUsers-signed-out"]


@pytest.mark.parametrize("name", HTTP_SAMPLES)
def test_http_samples_are_the_events_of_their_route(api: LambdaApi, name: str) -> None:
    event = sample(name)
    method, path = event["routeKey"].split(" ", 1)
    route, _params = api.route(method, event["rawPath"])
    assert (route.function, route.path) == (function_of(name), path)
    url = event["rawPath"] + (f"?{event['rawQueryString']}" if event["rawQueryString"] else "")
    _, built = api.event(method, url, body=None, headers={})
    optional = ("queryStringParameters", "pathParameters", "body", "cookies")
    assert keys(event, *optional) == keys(built, *optional)
    assert keys(event["requestContext"], "authorizer") == keys(built["requestContext"])
    assert event["requestContext"]["http"].keys() == built["requestContext"]["http"].keys()
    assert event.get("queryStringParameters") == built.get("queryStringParameters")
    # the principal arrives as the request authorizer's verdict, on authorized routes only
    verdict = event["requestContext"].get("authorizer")
    assert (verdict is not None) == route.authorized, name
    if verdict is not None:
        assert set(verdict) == {"lambda"}
        assert set(verdict["lambda"]) in (
            {"userId", "role", "sessionId", "expiresAt"},
            {"authError"},
        )


def test_worker_samples_have_the_shapes_moto_delivers(api: LambdaApi) -> None:
    """A real registration, read from the table's stream and the queues (as the pipeline
    tests do), against the samples: same record keys, same User item, same event body."""
    register(api, "shape@example.com")
    stream = StreamReader(os.environ["TABLE_NAME"]).event()
    # (moto streams an upsert, such as the rate counter's, as a keys-only INSERT first)
    real = next(
        r for r in stream["Records"] if r["dynamodb"]["NewImage"].get("type") == {"S": "User"}
    )
    (fake,) = sample("publishEvents")["Records"]
    assert keys(fake) == keys(real)
    assert keys(fake["dynamodb"]) == keys(real["dynamodb"])
    assert keys(fake["dynamodb"]["NewImage"]) == keys(real["dynamodb"]["NewImage"])
    assert fake["dynamodb"]["StreamViewType"] == real["dynamodb"]["StreamViewType"]

    load_handler("handlers/streams/publish_events.lambda_handler")(stream, LambdaContext())
    for queue, name in (("notifications", "sendNotification"), ("analytics", "recordEvent")):
        (message,) = sqs_event(f"bazaar-dev-{queue}")["Records"]
        (fake,) = sample(name)["Records"]
        assert keys(fake) == keys(message)
        assert fake["eventSourceARN"] == message["eventSourceARN"]
        assert json.loads(fake["body"]).keys() == json.loads(message["body"]).keys()
