"""Secrets Manager reads with an in-container cache.

A plain botocore call rather than Powertools parameters: the latter imports boto3,
which costs a cold start more than the whole rest of a handler.
"""

from __future__ import annotations

import json
import time
from typing import Any

from adapters import aws

_cache: dict[str, tuple[float, Any]] = {}


def get_json_secret(secret_id: str, max_age: float) -> Any:
    """The secret's JSON value, fetched at most once per ``max_age`` seconds."""
    now = time.monotonic()
    hit = _cache.get(secret_id)
    if hit is not None and now - hit[0] < max_age:
        return hit[1]
    response = aws.client("secretsmanager").get_secret_value(SecretId=secret_id)
    value = json.loads(response["SecretString"])
    _cache[secret_id] = (now, value)
    return value


def clear_cache() -> None:
    _cache.clear()
