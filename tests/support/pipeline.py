"""Real event shapes for the workers, read from the embedded AWS itself.

``stream_event`` reads the table's stream (moto keeps one) and wraps the records in the
event Lambda receives from a DynamoDB event source mapping; ``sqs_event`` receives a
queue's messages and wraps them likewise. Nothing here is a hand-made record.
"""

from __future__ import annotations

from typing import Any

from adapters import aws

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


class StreamReader:
    """Reads a table's stream from where the previous read stopped."""

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name
        self._iterators: dict[str, str] = {}

    def event(self) -> dict[str, Any]:
        ddb = aws.client("dynamodb")
        # botocore now addresses streams as <account>.streams-ddb.<region>…, which moto's
        # in-process router does not know yet: name the classic endpoint.
        streams = aws.session().create_client(
            "dynamodbstreams",
            region_name=REGION,
            endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com",
        )
        arn = ddb.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        records: list[dict[str, Any]] = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            iterator = (
                self._iterators.get(shard_id)
                or streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            )
            page = streams.get_records(ShardIterator=iterator)
            self._iterators[shard_id] = page["NextShardIterator"]
            for record in page["Records"]:
                record["eventSourceARN"] = arn
                record["awsRegion"] = REGION
                # botocore parsed the timestamp; Lambda delivers epoch seconds
                change = record["dynamodb"]
                if "ApproximateCreationDateTime" in change:
                    change["ApproximateCreationDateTime"] = int(
                        change["ApproximateCreationDateTime"].timestamp()
                    )
                records.append(record)
        return {"Records": records}


def queue_url(name: str) -> str:
    return str(aws.client("sqs").get_queue_url(QueueName=name)["QueueUrl"])


def sqs_event(queue_name: str, max_messages: int = 10) -> dict[str, Any]:
    sqs = aws.client("sqs")
    url = queue_url(queue_name)
    received = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=max_messages,
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{queue_name}"
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": REGION,
            }
            for m in received
        ]
    }
