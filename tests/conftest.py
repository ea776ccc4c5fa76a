"""Test set-up: the functions' environment comes from serverless.yml itself.

The environment is set before anything imports the application (pynamodb fixes
``Meta.table_name`` at import).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from scripts.stack import create_resources, function_environment, resolved_config

CONFIG = resolved_config("dev")
os.environ.update(function_environment(CONFIG))
os.environ.update(
    {
        "BCRYPT_ROUNDS": "4",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        # the embedded search index (issue 11): one directory per test process
        "SEARCH_ENGINE": "embedded",
        "SEARCH_INDEX_DIR": tempfile.mkdtemp(prefix="bazaar-search-tests-"),
    }
)
for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
    os.environ.pop(name, None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (`make test` runs `-n auto --dist loadgroup`), the tests that run
    the framework's CLI run on one worker, one after another: the end-to-end tests share
    the session's stack, and `serverless package` (the template tests) and `serverless
    offline` both write under `.serverless/`, so one must not start while the other runs.
    Everything else spreads over the cores."""
    for item in items:
        if "tests/e2e/" in str(item.fspath) or item.get_closest_marker("template"):
            item.add_marker(pytest.mark.xdist_group("serverless-cli"))


@pytest.fixture(scope="session")
def config() -> dict[str, Any]:
    return CONFIG


@pytest.fixture
def aws() -> Iterator[None]:
    """A fresh embedded AWS (moto, in-process) holding the template's resources."""
    from moto import mock_aws

    from adapters import aws as aws_clients
    from adapters import secrets

    with mock_aws():
        # New clients (moto intercepts whatever is created inside), same botocore session:
        # reloading every service model per test would double the suite's run time.
        aws_clients.client.cache_clear()
        secrets.clear_cache()
        create_resources(CONFIG, aws_clients.client)
        aws_clients.client("ses").verify_email_identity(EmailAddress=os.environ["EMAIL_FROM"])
        yield
    aws_clients.reset_clients()
    secrets.clear_cache()


@pytest.fixture
def api(aws: None) -> Any:
    from tests.support.lambda_api import LambdaApi

    return LambdaApi(CONFIG)
