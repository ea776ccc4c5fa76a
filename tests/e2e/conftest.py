"""End-to-end: the embedded AWS and `serverless offline`, started once for the run on
free ports (a running `make dev` is left alone) and stopped at the end."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scripts.local import running_stack
from tests.support.http_api import HttpApi

LOG = Path(__file__).resolve().parents[2] / ".local" / "e2e-stack.log"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def stack() -> Iterator[tuple[str, str]]:
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("w") as log, running_stack(log=log, BCRYPT_ROUNDS="4") as urls:
        yield urls


@pytest.fixture
def http(stack: tuple[str, str]) -> HttpApi:
    return HttpApi(stack[0])


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
