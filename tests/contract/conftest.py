"""``implementation``: every contract test runs once per kind, ``fake`` and ``dynamo``."""

from __future__ import annotations

import pytest

KINDS = ("fake", "dynamo")


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """Which implementation a test holds to the contract; ``dynamo`` starts moto."""
    if request.param == "dynamo":
        request.getfixturevalue("aws")
    return str(request.param)
