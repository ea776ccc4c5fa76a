"""The embedded AWS: moto's server, answering one request at a time.

moto_server is threaded, and moto is not atomic under concurrent requests (a trial sold
101–104 units of a stock of 100). Here every request runs under one lock, so a
conditional write or transaction is as atomic as on AWS. Two kinds of request run
outside the lock: SQS ReceiveMessage, which long-polls (serverless-offline-sqs waits up
to 20 s), so it cannot stall everything else; and Lambda Invoke, which runs a real
handler here (the checkout state machine's tasks, scripts/local_lambda.py) whose own
DynamoDB requests come back to this server and take the lock one by one.

State machines execute (moto's ASL engine); their ``lambda:invoke`` tasks call the
functions serverless.yml declares, with their environment, in this process.

Emails sent through SES (and SMS through SNS) are printed as they go, and listed at
``GET /_bazaar/outbox``: that is how you read a password reset link locally.

A cancelled transaction must not stop the table's stream: moto rolls one back by putting
back a deep copy of the whole table, stream shard included, and the stream plugin's shard
iterators keep reading the shard that was replaced, so no later change would reach
``publishEvents`` (``keep_stream_across_rollbacks``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import make_server

ACCOUNT_ID = "123456789012"

_lock = threading.Lock()
_seen = {"email": 0, "sms": 0}


def _outbox() -> dict[str, list[dict[str, Any]]]:
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    emails = []
    for region, backend in ses_backends[ACCOUNT_ID].items():
        for message in backend.sent_messages:
            emails.append(
                {
                    "region": region,
                    "id": message.id,
                    "from": message.source,
                    "to": message.destinations.get("ToAddresses", [])
                    if isinstance(message.destinations, dict)
                    else message.destinations,
                    "subject": getattr(message, "subject", None),
                    "text": getattr(message, "body", None) or getattr(message, "raw_data", None),
                }
            )
    sms = []
    for region, sns in sns_backends[ACCOUNT_ID].items():
        for message_id, (number, text) in sns.sms_messages.items():
            sms.append({"region": region, "id": message_id, "to": number, "text": text})
    return {"emails": emails, "sms": sms}


def _print_new_messages() -> None:
    box = _outbox()
    for kind in ("emails", "sms"):
        key = "email" if kind == "emails" else "sms"
        for message in box[kind][_seen[key] :]:
            rule = "─" * 72
            print(
                f"\n{rule}\n✉  {kind[:-1] if kind == 'emails' else 'sms'} to {message['to']}",
                flush=True,
            )
            if message.get("subject"):
                print(f"   subject: {message['subject']}")
            print(f"{message['text']}\n{rule}", flush=True)
        _seen[key] = len(box[kind])


def _is_lambda_invoke(environ: dict[str, Any]) -> bool:
    """A Lambda Invoke (``POST /2015-03-31/functions/<fn>/invocations``): it runs a real
    handler (scripts/local_lambda.py), whose own requests come back to this server."""
    path = str(environ.get("PATH_INFO", ""))
    return (
        environ.get("REQUEST_METHOD") == "POST"
        and path.startswith("/2015-03-31/functions/")
        and path.rstrip("/").endswith("/invocations")
    )


def _is_long_poll(environ: dict[str, Any], body: bytes) -> bool:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    return target == "AmazonSQS.ReceiveMessage" or b"Action=ReceiveMessage" in body


# DynamoDB answers a TransactWriteItems whose ClientRequestToken it has seen in the last ten
# minutes with the first call's success, without applying it again. botocore fills the
# token in (an idempotency token) and sends the same one when it retries a call whose
# answer it did not get (a read timeout under load); moto ignores the token, so such a
# retry would apply the transaction twice and fail its own conditions (a 500 where AWS
# answers the first success). Kept here: token -> (when, status, headers, body).
_TOKEN_SECONDS = 600
_transactions: dict[str, tuple[float, str, list[tuple[str, str]], bytes]] = {}


def _transaction_token(environ: dict[str, Any], body: bytes) -> str | None:
    if environ.get("HTTP_X_AMZ_TARGET") != "DynamoDB_20120810.TransactWriteItems":
        return None
    try:
        token = json.loads(body).get("ClientRequestToken")
    except (ValueError, AttributeError):
        return None
    return token if isinstance(token, str) and token else None


def _idempotent_transaction(
    app: Callable[..., Iterable[bytes]],
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    token: str,
) -> bytes:
    """The first success for ``token`` again, or the call (its success remembered)."""
    now = time.monotonic()
    for old in [t for t, seen in _transactions.items() if now - seen[0] > _TOKEN_SECONDS]:
        del _transactions[old]
    if token in _transactions:
        _, status, headers, payload = _transactions[token]
        start_response(status, headers)
        return payload
    answered: list[Any] = []

    def remember(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        answered[:] = [status, list(headers)]
        return start_response(status, headers, *exc_info)

    payload = b"".join(app(environ, remember))
    if answered and str(answered[0]).startswith("200"):
        _transactions[token] = (now, answered[0], answered[1], payload)
    return payload


def serialised(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/_bazaar/outbox":
            payload = json.dumps(_outbox(), indent=1, default=str).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [payload]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if _is_long_poll(environ, body) or _is_lambda_invoke(environ):
            return list(app(environ, start_response))
        token = _transaction_token(environ, body)
        with _lock:
            if token is None:
                result = b"".join(app(environ, start_response))
            else:
                result = _idempotent_transaction(app, environ, start_response, token)
            _print_new_messages()
        return [result]

    return wrapper


def keep_stream_across_rollbacks() -> None:
    """After moto rolls a cancelled transaction back, the restored tables keep their live
    stream shard, cut back to the records it had before the transaction (the cancelled
    writes never happened, so they must not be streamed either)."""
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items
    if getattr(original, "keeps_stream", False):
        return

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        shards = {
            name: (table.stream_shard, len(table.stream_shard.items))
            for name, table in self.tables.items()
            if table.stream_shard is not None
        }
        try:
            original(self, transact_items)
        except Exception:
            for name, (shard, length) in shards.items():
                table = self.tables.get(name)
                if table is not None and table.stream_shard is not shard:
                    del shard.items[length:]
                    shard.table, table.stream_shard = table, shard
            raise

    transact_write_items.keeps_stream = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    args = parser.parse_args(argv)

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    keep_stream_across_rollbacks()
    from scripts import local_lambda
    from scripts.stack import resolved_config

    local_lambda.configure_server(args.port)
    local_lambda.install(lambda: resolved_config("dev"))
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        args.host, args.port, serialised(app), threaded=True, request_handler=MotoRequestHandler
    )
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, lambda *_: sys.exit(0))
    print(f"embedded AWS (moto, serialised) on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
        # Not a graceful interpreter exit: that would wait for every non-daemon thread,
        # and a request thread may be long-polling SQS for 20 s. All state is in memory.
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
