"""The embedded AWS's Lambda runs the project's handlers (scripts/local_lambda.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from adapters import aws as aws_clients
from scripts.local_lambda import MOTO_CONFIG, bare_name, running_handlers
from scripts.stack import create_resources
from tests.conftest import CONFIG


@pytest.fixture
def lambdas() -> Iterator[Any]:
    from moto import mock_aws

    with mock_aws(config=MOTO_CONFIG), running_handlers(CONFIG):  # type: ignore[arg-type]
        aws_clients.client.cache_clear()
        create_resources(CONFIG, aws_clients.client)
        yield aws_clients.client("lambda")
    aws_clients.reset_clients()


@pytest.mark.parametrize(
    "name",
    [
        "bazaar-dev-validateOrder",
        "bazaar-dev-validateOrder:$LATEST",
        "123456789012:function:bazaar-dev-validateOrder",
        "arn:aws:lambda:us-east-1:123456789012:function:bazaar-dev-validateOrder",
        "arn:aws:lambda:us-east-1:123456789012:function:bazaar-dev-validateOrder:1",
    ],
)
def test_every_way_of_naming_a_function(name: str) -> None:
    assert bare_name(name) == "bazaar-dev-validateOrder"


def test_an_invocation_runs_the_handler_serverless_yml_names(lambdas: Any) -> None:
    answer = lambdas.invoke(
        FunctionName="arn:aws:lambda:us-east-1:123456789012:function:bazaar-dev-health",
        Payload=json.dumps(
            {
                "version": "2.0",
                "routeKey": "GET /health",
                "rawPath": "/health",
                "rawQueryString": "",
                "headers": {},
                "isBase64Encoded": False,
                "requestContext": {
                    "http": {"method": "GET", "path": "/health", "sourceIp": "127.0.0.1"},
                    "stage": "$default",
                },
            }
        ).encode(),
    )
    assert "FunctionError" not in answer
    assert json.loads(answer["Payload"].read())["statusCode"] == 200


def test_an_uncaught_exception_is_a_function_error_named_by_its_class(lambdas: Any) -> None:
    answer = lambdas.invoke(
        FunctionName="bazaar-dev-validateOrder", Payload=b'{"orderId": "ord_none"}'
    )
    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert error["errorType"] == "OrderMissing"
    assert "ord_none" in error["errorMessage"]


def test_an_unknown_function_is_not_found(lambdas: Any) -> None:
    with pytest.raises(lambdas.exceptions.ResourceNotFoundException):
        lambdas.invoke(FunctionName="bazaar-dev-noSuchFunction", Payload=b"{}")
