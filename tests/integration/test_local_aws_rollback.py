"""The embedded AWS keeps the table's stream through a cancelled transaction
(scripts/local_aws.py: keep_stream_across_rollbacks): moto's rollback replaces the table,
stream shard included, which would leave the stream plugin reading a dead shard."""

from __future__ import annotations

import os

import pytest
from botocore.exceptions import ClientError

from adapters import aws as aws_clients
from scripts.local_aws import keep_stream_across_rollbacks


def _update(pk: str, condition: str) -> dict[str, object]:
    return {
        "Update": {
            "TableName": os.environ["TABLE_NAME"],
            "Key": {"PK": {"S": pk}, "SK": {"S": "RATE"}},
            "UpdateExpression": "ADD #c :one",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#c": "count"},
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }


def test_a_cancelled_transaction_leaves_the_live_shard_as_it_was(aws: None) -> None:
    from moto.dynamodb.models import dynamodb_backends

    keep_stream_across_rollbacks()
    backend = dynamodb_backends["123456789012"]["us-east-1"]
    table_name = os.environ["TABLE_NAME"]
    shard = backend.tables[table_name].stream_shard
    ddb = aws_clients.client("dynamodb")
    ddb.transact_write_items(TransactItems=[_update("RATE#a", "attribute_not_exists(PK)")])
    streamed = len(shard.items)
    with pytest.raises(ClientError):
        ddb.transact_write_items(
            TransactItems=[
                _update("RATE#b", "attribute_not_exists(PK)"),  # would succeed alone
                _update("RATE#a", "attribute_not_exists(PK)"),  # fails: exists
            ]
        )
    assert backend.tables[table_name].stream_shard is shard
    assert len(shard.items) == streamed  # the cancelled write is not streamed
    ddb.transact_write_items(TransactItems=[_update("RATE#c", "attribute_not_exists(PK)")])
    assert len(shard.items) > streamed  # later writes reach the same shard


def test_a_retried_transaction_with_its_token_is_answered_not_applied_again(aws: None) -> None:
    """DynamoDB's ClientRequestToken, which moto ignores: botocore sends the same token when
    it retries a TransactWriteItems whose answer it lost, and AWS answers the first success
    again. The embedded AWS's wrapper does the same (scripts/local_aws.py)."""
    import io
    import json

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from scripts.local_aws import serialised

    app = serialised(DomainDispatcherApplication(create_backend_app))

    def call(items: list[dict[str, object]], token: str) -> tuple[str, dict[str, object]]:
        body = json.dumps({"TransactItems": items, "ClientRequestToken": token}).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "4566",
            "HTTP_HOST": "localhost:4566",
            "wsgi.url_scheme": "http",
            "CONTENT_TYPE": "application/x-amz-json-1.0",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.TransactWriteItems",
            "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/"
            "dynamodb/aws4_request, SignedHeaders=host, Signature=x",
            "wsgi.input": io.BytesIO(body),
        }
        status: list[str] = []
        answer = b"".join(app(environ, lambda s, _h, *_: status.append(s)))
        return status[0], json.loads(answer or b"{}")

    create = [_update("RATE#token", "attribute_not_exists(PK)")]
    assert call(create, "token-1")[0].startswith("200")
    assert call(create, "token-1")[0].startswith("200")  # the retry: answered, not applied
    item = aws_clients.client("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"], Key={"PK": {"S": "RATE#token"}, "SK": {"S": "RATE"}}
    )["Item"]
    assert item["count"] == {"N": "1"}
    status, answer = call(create, "token-2")  # a new call: its condition fails, as on AWS
    assert status.startswith("400")
    assert "TransactionCanceledException" in str(answer.get("__type"))
