"""Lambda in the embedded AWS runs the project's real handlers (the one pinned adapter).

moto's Step Functions carries a real ASL engine, but its ``lambda:invoke`` tasks go
through moto's Lambda service, which without Docker only echoes the payload
(``moto.awslambda_simple.models.LambdaSimpleBackend.invoke``). ``install`` replaces that
method: an invocation of ``bazaar-<stage>-<fn>`` (a name, a partial or full ARN, with or
without a qualifier) calls ``functions.<fn>.handler`` of the resolved serverless.yml, in
this process, with the functions' environment. An uncaught exception is answered as Lambda
answers it: ``X-Amz-Function-Error: Unhandled`` and ``{"errorType": <class name>, …}``,
so a state's ``Retry``/``Catch`` match by error name as on AWS.

Used in-process by the tests (``mock_aws(config={"stepfunctions": {"execute_state_machine":
True}, "lambda": {"use_docker": False}})``) and by the embedded AWS's server
(scripts/local_aws.py), where an invocation must run outside the request lock: the
handler's own DynamoDB requests come back to the same server. What this relies on in
moto is pinned by tests/config/test_library_internals.py.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = "123456789012"
FUNCTION_ERROR = "x-amz-function-error"


@dataclass
class LambdaContext:
    """The attributes of Lambda's Python context that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 10
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = ""
    log_group_name: str = ""
    log_stream_name: str = "local"

    def __post_init__(self) -> None:
        if not self.invoked_function_arn:
            self.invoked_function_arn = (
                f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{self.function_name}"
            )
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_seconds * 1000


def bare_name(function_name: str) -> str:
    """``name``, ``name:qualifier``, ``acct:function:name``, or a full ARN -> ``name``."""
    if ":function:" in function_name:
        function_name = function_name.split(":function:", 1)[1]
    return function_name.split(":", 1)[0]


class Functions:
    """The serverless.yml functions by deployed name, their handlers loaded on first use."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.by_name = {
            str(fn.get("name") or f"{config['service']}-{config['provider']['stage']}-{key}"): fn
            for key, fn in config["functions"].items()
        }

    def handler(self, name: str) -> Callable[[Any, Any], Any] | None:
        fn = self.by_name.get(name)
        if fn is None:
            return None
        module, _, attribute = str(fn["handler"]).rpartition(".")
        return getattr(importlib.import_module(module.replace("/", ".")), attribute)  # type: ignore[no-any-return]

    def timeout(self, name: str) -> int:
        fn = self.by_name[name]
        return int(fn.get("timeout") or self.config["provider"].get("timeout") or 6)


def call(functions: Functions, function_name: str, body: bytes | str | None) -> tuple[bytes, bool]:
    """Run the function for ``body``; (payload, failed) as Lambda would answer them."""
    name = bare_name(function_name)
    handler = functions.handler(name)
    if handler is None:
        from moto.awslambda.exceptions import UnknownFunctionException

        raise UnknownFunctionException(function_name)
    raw = body.decode() if isinstance(body, bytes) else (body or "")
    event = json.loads(raw) if raw.strip() else {}
    context = LambdaContext(function_name=name, timeout_seconds=functions.timeout(name))
    try:
        result = handler(event, context)
    except Exception as exc:  # reported as Lambda reports an unhandled error
        error = {
            "errorType": type(exc).__name__,
            "errorMessage": str(exc),
            "stackTrace": traceback.format_tb(exc.__traceback__),
        }
        return json.dumps(error).encode(), True
    return json.dumps(result, default=str).encode(), False


_installed: dict[str, Any] = {}


def install(config: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
    """Make moto's simple Lambda backend run the handlers of ``config`` (or of what the
    callable returns, resolved on the first invocation). The functions' environment
    (provider.environment and each function's own) is set in this process then."""
    from moto.awslambda_simple.models import LambdaSimpleBackend

    lock = threading.Lock()
    loaded: list[Functions] = []

    def functions() -> Functions:
        with lock:
            if not loaded:
                resolved = config() if callable(config) else config
                env = {k: str(v) for k, v in resolved["provider"].get("environment", {}).items()}
                for fn in resolved["functions"].values():
                    env.update({k: str(v) for k, v in (fn.get("environment") or {}).items()})
                for name, value in env.items():
                    os.environ.setdefault(name, value)
                loaded.append(Functions(resolved))
            return loaded[0]

    def invoke(
        _backend: Any,
        function_name: str,
        _qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: Any,
    ) -> bytes:
        if (headers or {}).get("X-Amz-Invocation-Type") == "Event":
            threading.Thread(
                target=call, args=(functions(), function_name, body), daemon=True
            ).start()
            return b""
        payload, failed = call(functions(), function_name, body)
        if failed:
            response_headers[FUNCTION_ERROR] = "Unhandled"
        return payload

    _installed.setdefault("original", LambdaSimpleBackend.invoke)
    LambdaSimpleBackend.invoke = invoke  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    from moto.awslambda_simple.models import LambdaSimpleBackend

    original = _installed.pop("original", None)
    if original is not None:
        LambdaSimpleBackend.invoke = original  # type: ignore[method-assign]


@contextlib.contextmanager
def running_handlers(config: dict[str, Any]) -> Iterator[None]:
    install(config)
    try:
        yield
    finally:
        uninstall()


# moto's configuration that makes Step Functions execute, and Lambda take the simple
# backend (the one ``install`` replaces) instead of Docker.
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}


def configure_server(port: int) -> None:
    """In the embedded AWS's server: execute state machines, whose Lambda tasks call
    back over HTTP to this server (``MOTO_PORT``)."""
    from moto.core.config import default_user_config

    os.environ["MOTO_PORT"] = str(port)
    for service, values in MOTO_CONFIG.items():
        default_user_config.setdefault(service, {}).update(values)  # type: ignore[misc]
