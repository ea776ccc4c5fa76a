"""Start and stop the local stack: the embedded AWS and ``serverless offline``.

Used by ``make dev`` (scripts/dev.py) and by the end-to-end tests, which start their own
copy on other ports so they never touch a running ``make dev``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from scripts.stack import LOCAL_ENV, ROOT, create_resources, resolved_config

VENV_BIN = Path(sys.executable).parent
# The local stack's data folder (git-ignored): the embedded search index of `make dev`.
LOCAL_SEARCH_DIR = ROOT / ".local" / "search"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                # local address "0100007F:0FA0", state 0A = LISTEN, inode in column 10
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    inodes.add(fields[9])
    return inodes


def port_holder(port: int) -> str | None:
    """Which program listens on ``port``, as "PID 123 (command line)", where Linux's /proc
    tells (another user's processes may not be readable); None if it cannot tell."""
    sockets = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not sockets:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in sockets:
                    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").strip()
                    return f"PID {proc.name} ({command.decode(errors='replace')})"
        except OSError:
            continue
    return None


def ensure_free(port: int, setting: str) -> None:
    """Fail at once, naming the port (and its holder), if something already listens there."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            return
        except OSError:
            pass
    holder = port_holder(port)
    by = f" by {holder}" if holder else ""
    raise RuntimeError(
        f"port {port} is already in use{by}. Stop that program (an earlier `make dev`?) "
        f"or choose another port: {setting}=<port>"
    )


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: stop everything, exactly as on Ctrl-C (pytest, too,
    treats it as an interrupt and still tears its fixtures down)."""


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (an IDE's stop button, ``timeout``, ``kill``, a closed
    terminal) into an exception in the main thread, so the ``finally`` that stops the
    embedded AWS and ``serverless offline`` runs; both run in sessions of their own and
    would otherwise outlive this process."""

    def raise_stopped(signum: int, _frame: object) -> None:
        raise Stopped(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, raise_stopped) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait_http(url: str, timeout: float, proc: subprocess.Popen[Any], what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our http URL
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer at {url} within {timeout:.0f} s")


def local_env(aws_port: int, **extra: str) -> dict[str, str]:
    """The environment of everything that talks to the embedded AWS."""
    env = {**os.environ, **LOCAL_ENV}
    env.update(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{aws_port}",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "VIRTUAL_ENV": str(VENV_BIN.parent),
            "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    # Images live in the embedded AWS: shoppers' URLs point at it (path-style).
    bucket = f"bazaar-dev-{LOCAL_ENV['AWS_ACCOUNT_ID']}-images"
    env["IMAGES_BASE_URL"] = f"http://127.0.0.1:{aws_port}/{bucket}"
    env.pop("AWS_PROFILE", None)
    # The embedded search index (issue 11) lives under the local stack's data folder.
    env.setdefault("SEARCH_INDEX_DIR", str(LOCAL_SEARCH_DIR))
    env.update(extra)
    return env


def stop(proc: subprocess.Popen[Any] | None, timeout: float = 4) -> None:
    """Stop a process and its whole group (serverless offline's Python workers too):
    SIGINT, then SIGKILL if it has not gone within ``timeout`` seconds."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout)
    # The leader may be gone while its group (workers) lives on: clear the group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


def start_embedded_aws(port: int, log: IO[Any] | None = None) -> subprocess.Popen[Any]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "scripts.local_aws", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
        start_new_session=True,
        env=local_env(port),
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/_bazaar/outbox", 30, proc, "the embedded AWS")
    except BaseException:
        stop(proc)
        raise
    return proc


def provision(aws_port: int, stage: str = "dev") -> dict[str, Any]:
    """Create the template's resources in the embedded AWS (idempotent)."""
    import botocore.session

    config = resolved_config(stage)
    env = local_env(aws_port)
    session = botocore.session.get_session()
    endpoint = env["AWS_ENDPOINT_URL"]

    def client(service: str) -> Any:
        return session.create_client(
            service,
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    create_resources(config, client)
    sender = config["provider"]["environment"]["EMAIL_FROM"]
    client("ses").verify_email_identity(EmailAddress=sender)
    return config


def start_offline(
    aws_port: int,
    http_port: int,
    *,
    log: IO[Any] | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 90,
) -> subprocess.Popen[Any]:
    # The streams plugin keeps a checkpoint per shard; a fresh embedded AWS has new
    # streams, so an old checkpoint would only point nowhere.
    (ROOT / ".serverless-offline-dynamodb-streams.json").unlink(missing_ok=True)
    lambda_port, ws_port = free_port(), free_port()
    env = local_env(
        aws_port,
        OFFLINE_HTTP_PORT=str(http_port),
        OFFLINE_LAMBDA_PORT=str(lambda_port),
        OFFLINE_WEBSOCKET_PORT=str(ws_port),
        SQS_BATCH_SIZE="1",
        # The test mode's stand-in for Stripe.js posts its signed events to this stage's
        # own webhook (payments that finish later).
        PAYMENTS_WEBHOOK_URL=f"http://127.0.0.1:{http_port}/payments/webhook",
        **(extra_env or {}),
    )
    proc = subprocess.Popen(
        [str(ROOT / "node_modules" / ".bin" / "serverless"), "offline", "start", "--stage", "dev"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
        start_new_session=True,
        env=env,
    )
    try:
        _wait_http(f"http://127.0.0.1:{http_port}/health", timeout, proc, "serverless offline")
        if proc.poll() is not None:  # something else answered on the port
            raise RuntimeError(f"serverless offline exited with code {proc.returncode}")
    except BaseException:
        stop(proc)
        raise
    return proc


@contextlib.contextmanager
def running_stack(log: IO[Any] | None = None, **extra_env: str) -> Iterator[tuple[str, str]]:
    """Embedded AWS + serverless offline on free ports; yields (api_url, aws_url)."""
    aws_port, http_port = free_port(), free_port()
    aws = offline = None
    # each stack its own search index, as its own fresh embedded AWS (issue 11)
    LOCAL_SEARCH_DIR.parent.mkdir(parents=True, exist_ok=True)
    search_dir = tempfile.mkdtemp(prefix="search-stack-", dir=LOCAL_SEARCH_DIR.parent)
    extra_env = {"SEARCH_INDEX_DIR": search_dir, **extra_env}
    with stop_on_signals():
        try:
            aws = start_embedded_aws(aws_port, log)
            provision(aws_port)
            offline = start_offline(aws_port, http_port, log=log, extra_env=extra_env)
            yield f"http://127.0.0.1:{http_port}", f"http://127.0.0.1:{aws_port}"
        finally:
            stop(offline)
            stop(aws)
            shutil.rmtree(search_dir, ignore_errors=True)
