"""Move a dead-letter queue's messages back to the queue they came from (issue 10).

    make redrive QUEUE=notifications              # local: the running `make dev`
    make redrive QUEUE=notifications STAGE=prod   # a deployed stage, with your AWS credentials
    make redrive QUEUE=refunds DRY_RUN=1          # how many wait; nothing is moved

The queues are the template's own: every SQS queue with a ``RedrivePolicy`` can be
redriven, named by its ``QueueName`` without the ``bazaar-<stage>-`` prefix
(``notifications``, ``analytics``, ``checkout``…), and its dead letters are in the queue
that policy names. A new queue with a dead-letter queue is redrivable without a change here.

It receives from the dead-letter queue ten at a time, sends each batch to the source queue
(body and message attributes as they were), and deletes from the dead-letter queue only
what was sent; until the dead-letter queue is empty or ``--max`` messages have moved.
SQS's own ``StartMessageMoveTask`` would do the same on AWS, but the embedded AWS (moto
5.2.5) does not have it: this loop is what runs everywhere, so what the tests run is what
runs on a stage. Moving back is safe because every consumer de-duplicates by event id
(docs/operations.md, "Redrive").
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NamedTuple

# Long polling (any wait above 0) asks every SQS server, so an empty answer means empty.
WAIT_SECONDS = 1
# Received messages stay hidden from other readers this long while they are moved.
VISIBILITY_SECONDS = 60
# SendMessageBatch takes ten messages and, conservatively, 256 KiB in all.
BATCH_MESSAGES = 10
BATCH_BYTES = 256 * 1024


class Redrive(NamedTuple):
    """A queue that has a dead-letter queue: their names on one stage."""

    queue: str
    dead_letters: str


class Moved(NamedTuple):
    moved: int
    failed: list[str]  # "<message id>: <reason>" of what could not be sent
    not_deleted: int  # sent, but still in the dead-letter queue too (delivered twice)


def redrivable_queues(config: dict[str, Any]) -> dict[str, Redrive]:
    """The template's queues with a dead-letter queue, by logical name."""
    from scripts.stack import _Resolver, template_resources

    resources = template_resources(config)
    resolve = _Resolver(resources, config["provider"]["region"])
    prefix = f"{config['service']}-{config['provider']['stage']}-"
    found = {}
    for logical_id, resource in resources.items():
        policy = resource.get("Properties", {}).get("RedrivePolicy")
        if resource["Type"] != "AWS::SQS::Queue" or not policy:
            continue
        target = policy["deadLetterTargetArn"]["Fn::GetAtt"]
        dead_letters_id = target[0] if isinstance(target, list) else target.split(".", 1)[0]
        name = resolve.name_of(logical_id)
        found[name.removeprefix(prefix)] = Redrive(name, resolve.name_of(dead_letters_id))
    return dict(sorted(found.items()))


def waiting(sqs: Any, dead_letters_url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=dead_letters_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def _attributes(message: dict[str, Any]) -> dict[str, Any]:
    """The message attributes as SendMessage takes them (what ReceiveMessage answers may
    carry empty list fields SendMessage refuses)."""
    kept = {}
    for name, value in message.get("MessageAttributes", {}).items():
        kept[name] = {
            key: value[key] for key in ("DataType", "StringValue", "BinaryValue") if key in value
        }
    return kept


def _size(entry: dict[str, Any]) -> int:
    size = len(entry["MessageBody"].encode())
    for name, value in entry.get("MessageAttributes", {}).items():
        size += len(name.encode()) + len(value["DataType"].encode())
        text = value.get("StringValue")
        size += len(text.encode()) if text is not None else len(value.get("BinaryValue", b""))
    return size


def _batches(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Entries grouped under SendMessageBatch's limits (a large message goes alone)."""
    batches: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    total = 0
    for entry in entries:
        size = _size(entry)
        if current and (len(current) == BATCH_MESSAGES or total + size > BATCH_BYTES):
            batches.append(current)
            current, total = [], 0
        current.append(entry)
        total += size
    if current:
        batches.append(current)
    return batches


def redrive(
    sqs: Any, queues: Redrive, limit: int | None = None, wait_seconds: int = WAIT_SECONDS
) -> Moved:
    """Move dead letters back to their queue until none is left (or ``limit`` moved).

    A message is deleted from the dead-letter queue only once the source queue took it.
    If the source queue refuses one, the run stops there and the refused messages are made
    visible in the dead-letter queue again, where they wait as before.
    """
    source_url = sqs.get_queue_url(QueueName=queues.queue)["QueueUrl"]
    dead_letters_url = sqs.get_queue_url(QueueName=queues.dead_letters)["QueueUrl"]
    moved, not_deleted = 0, 0
    failed: list[str] = []
    while limit is None or moved < limit:
        wanted = BATCH_MESSAGES if limit is None else min(BATCH_MESSAGES, limit - moved)
        messages = sqs.receive_message(
            QueueUrl=dead_letters_url,
            MaxNumberOfMessages=wanted,
            WaitTimeSeconds=wait_seconds,
            VisibilityTimeout=VISIBILITY_SECONDS,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            break
        received = {str(i): message for i, message in enumerate(messages)}
        entries = []
        for entry_id, message in received.items():
            entry: dict[str, Any] = {"Id": entry_id, "MessageBody": message["Body"]}
            if attributes := _attributes(message):
                entry["MessageAttributes"] = attributes
            entries.append(entry)
        sent: list[str] = []
        refused: list[str] = []
        for batch in _batches(entries):
            answer = sqs.send_message_batch(QueueUrl=source_url, Entries=batch)
            sent += [str(ok["Id"]) for ok in answer.get("Successful", [])]
            for error in answer.get("Failed", []):
                refused.append(str(error["Id"]))
                failed.append(
                    f"{received[error['Id']]['MessageId']}: "
                    f"{error.get('Code', '?')} {error.get('Message', '')}".rstrip()
                )
        if sent:
            answer = sqs.delete_message_batch(
                QueueUrl=dead_letters_url,
                Entries=[{"Id": i, "ReceiptHandle": received[i]["ReceiptHandle"]} for i in sent],
            )
            not_deleted += len(answer.get("Failed", []))
            moved += len(sent)
        if refused:
            sqs.change_message_visibility_batch(
                QueueUrl=dead_letters_url,
                Entries=[
                    {"Id": i, "ReceiptHandle": received[i]["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i in refused
                ],
            )
            break
    return Moved(moved, failed, not_deleted)


def sqs_client() -> Any:
    """An SQS client from the environment: your credentials and region (AWS_PROFILE,
    AWS_REGION…), or the embedded AWS when AWS_ENDPOINT_URL says so."""
    import botocore.session
    from botocore.config import Config

    config = Config(
        read_timeout=WAIT_SECONDS + 10, retries={"mode": "standard", "total_max_attempts": 3}
    )
    return botocore.session.get_session().create_client("sqs", config=config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Move a dead-letter queue's messages back to its queue."
    )
    parser.add_argument("queue", help="the queue's logical name: notifications, analytics, …")
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--max", type=int, default=None, help="move at most this many")
    parser.add_argument("--dry-run", action="store_true", help="count them; move nothing")
    args = parser.parse_args(argv)

    from botocore.exceptions import BotoCoreError, ClientError

    from scripts.stack import LOCAL_ENV, resolved_config

    queues = redrivable_queues(resolved_config(args.stage))
    if args.queue not in queues:
        print(
            f"✗ no queue with a dead-letter queue is named {args.queue!r} on stage "
            f"{args.stage}; QUEUE is one of: {', '.join(queues)}",
            file=sys.stderr,
        )
        return 2
    if args.max is not None and args.max < 1:
        parser.error("--max must be at least 1")

    local = args.stage == "dev" and "AWS_ENDPOINT_URL" not in os.environ
    if local:
        os.environ.update(LOCAL_ENV)
        port = os.environ.get("LOCAL_AWS_PORT", "4566")
        os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

    pair = queues[args.queue]
    try:
        sqs = sqs_client()
        if args.dry_run:
            url = sqs.get_queue_url(QueueName=pair.dead_letters)["QueueUrl"]
            print(f"{waiting(sqs, url)} messages wait in {pair.dead_letters} (nothing moved)")
            return 0
        print(f"▶ {pair.dead_letters} → {pair.queue}", flush=True)
        result = redrive(sqs, pair, limit=args.max)
    except (BotoCoreError, ClientError) as exc:
        hint = " (is `make dev` running?)" if local else ""
        print(f"✗ {exc}{hint}", file=sys.stderr)
        return 1
    print(f"✓ {result.moved} messages moved from {pair.dead_letters} to {pair.queue}")
    if result.not_deleted:
        print(
            f"⚠ {result.not_deleted} of them are still in {pair.dead_letters} as well: "
            "a second redrive delivers them again, which their consumer ignores"
        )
    if result.failed:
        print(
            f"✗ {pair.queue} refused {len(result.failed)}; they stay in {pair.dead_letters}:",
            file=sys.stderr,
        )
        for line in result.failed:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
