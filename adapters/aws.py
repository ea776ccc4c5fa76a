"""One botocore session per container and one client per service, created on first use.

botocore (not boto3) keeps the cold start lean; pynamodb is given the same DynamoDB
client (see repositories/table.py), so a request never pays for a second client.
``AWS_ENDPOINT_URL`` (the embedded AWS locally) is honoured by botocore itself.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config

_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"mode": "standard", "total_max_attempts": 3},
    parameter_validation=False,
)


@cache
def session() -> botocore.session.Session:
    return botocore.session.get_session()


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


@cache
def client(service: str) -> Any:
    """The container's client for ``service`` (thread-safe, reused across invocations)."""
    return session().create_client(service, region_name=region(), config=_CONFIG)


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints between runs)."""
    client.cache_clear()
    session.cache_clear()
