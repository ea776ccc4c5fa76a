"""The packaged template, once per test process, for every config test that reads it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config import packaged


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return packaged.load()
