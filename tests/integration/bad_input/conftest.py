"""Fixtures of the bad-input tests: the world a case needs, and no 5xx ever."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.bad_input.cases import World
from tests.support.lambda_api import LambdaApi


@pytest.fixture(autouse=True)
def _never_a_500(api: LambdaApi, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every response of these modules is checked on the way out: no 5xx, ever."""
    real = api.request

    def checked(*args: Any, **kwargs: Any) -> Any:
        response = real(*args, **kwargs)
        assert response.status < 500, f"{args}: {response.status} {response.text}"
        return response

    monkeypatch.setattr(api, "request", checked)


@pytest.fixture
def world(api: LambdaApi) -> World:
    return World(api)
