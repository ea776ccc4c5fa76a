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
