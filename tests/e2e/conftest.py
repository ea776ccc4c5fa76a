"""End-to-end: the embedded AWS and `serverless offline`, started once for the run on
free ports (a running `make dev` is left alone) and stopped at the end."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scripts.local import running_stack
from tests.support.http_api import HttpApi

PER_CLIENT_LIMITS = ("LOGIN_RATE_LIMIT", "REGISTER_RATE_LIMIT", "FORGOT_PASSWORD_RATE_LIMIT")
LOG = Path(__file__).resolve().parents[2] / ".local" / "e2e-stack.log"
# The emulator's function timeout (10 s as on AWS) counts a function's cold start, which
# under the whole suite's load on two cores (ten concurrent first calls in the races) can
# outlast it: the e2e stacks give functions 30 s, so a slow start is slow, not an error.
SLOW_MACHINE = {"FUNCTION_TIMEOUT_SECONDS": "30"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    # The contract gate changes data freely (it is a fuzzer): after every other test.
    items.sort(key=lambda item: item.get_closest_marker("contract") is not None)


@pytest.fixture(scope="session")
def stack() -> Iterator[tuple[str, str]]:
    LOG.parent.mkdir(exist_ok=True)
    # Every request of the stack comes from 127.0.0.1: the per-client limits are raised
    # so that the suite (and schemathesis' hammering) is not one client out of budget.
    # The per-address reset-email limit keeps its default: test_abuse_e2e.py proves it.
    unlimited = dict.fromkeys(PER_CLIENT_LIMITS, "1000000")
    with (
        LOG.open("w") as log,
        running_stack(log=log, BCRYPT_ROUNDS="4", **SLOW_MACHINE, **unlimited) as urls,
    ):
        yield urls


@pytest.fixture
def http(stack: tuple[str, str]) -> HttpApi:
    return HttpApi(stack[0])


def stack_with(**env: str) -> Any:
    """Another stack of the same code with other settings (it starts in seconds): the
    tests of hold expiry and of holds switched off need their own."""
    unlimited = dict.fromkeys(PER_CLIENT_LIMITS, "1000000")
    log = LOG.with_name(f"e2e-stack-{'-'.join(f'{k}={v}' for k, v in env.items())}.log")
    return _logged_stack(log, {"BCRYPT_ROUNDS": "4", **SLOW_MACHINE, **unlimited, **env})


@contextlib.contextmanager
def _logged_stack(log_path: Path, env: dict[str, str]) -> Iterator[tuple[str, str]]:
    with log_path.open("w") as log, running_stack(log=log, **env) as urls:
        yield urls


def admin_token_for(stack: tuple[str, str]) -> str:
    """An admin made the documented way (`make admin`'s script), then signed in."""
    import os
    import subprocess
    import sys

    from scripts.local import local_env

    port = stack[1].rsplit(":", 1)[1]
    env = {**local_env(int(port)), "BCRYPT_ROUNDS": "4"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.create_admin",
            "--email",
            "e2e-admin@example.com",
            "--password",
            "e2e-admin-password",
        ],
        cwd=os.getcwd(),
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    login = HttpApi(stack[0]).post(
        "/auth/login", json={"email": "e2e-admin@example.com", "password": "e2e-admin-password"}
    )
    assert login.status == 200, login.text
    assert login.body["role"] == "admin"
    return str(login.body["accessToken"])


@pytest.fixture(scope="session")
def admin_token(stack: tuple[str, str]) -> str:
    return admin_token_for(stack)


@pytest.fixture
def outbox(stack: tuple[str, str]) -> Callable[..., list[dict[str, Any]]]:
    """Emails the embedded AWS has sent, waiting (briefly) until ``until`` holds."""

    def read(
        until: Callable[[list[dict[str, Any]]], bool] = bool, timeout: float = 20
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            emails: list[dict[str, Any]] = requests.get(
                f"{stack[1]}/_bazaar/outbox", timeout=5
            ).json()["emails"]
            if until(emails) or time.monotonic() > deadline:
                return emails
            time.sleep(0.3)

    return read
