"""The per-client limits of the public auth routes, and their log lines and metrics.

The client is ``requestContext.http.sourceIp``, except behind our CloudFront
distribution (docs/operations.md, "Abuse limits"): there the source is a CloudFront edge, and
the viewer's address is taken from ``CloudFront-Viewer-Address``, but only when the
request carries the origin secret CloudFront adds (``X-Origin-Verify``), which a client
going to the API directly cannot know. Without ``EDGE_ORIGIN_SECRET`` the header is never
trusted.

A refusal is logged as a CloudWatch embedded-metric line (EMF) through the shared logger:
the log line is the metric, with no metrics library to load at cold start.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from adapters.settings import settings
from domain.clock import utcnow
from domain.errors import TooManyRequests
from domain.limits import Limit, admit_client
from handlers.shared import wiring
from handlers.shared.http import logger

NAMESPACE = "Bazaar"
ORIGIN_SECRET_HEADER = "x-origin-verify"
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"


def client_address(event: dict[str, Any]) -> str:
    source = str(((event.get("requestContext") or {}).get("http") or {}).get("sourceIp", ""))
    secret = settings().EDGE_ORIGIN_SECRET
    if not secret:
        return source
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    sent = headers.get(ORIGIN_SECRET_HEADER, "")
    viewer = headers.get(VIEWER_ADDRESS_HEADER, "")
    if viewer and hmac.compare_digest(sent.encode(), secret.encode()):
        # "198.51.100.7:46532" or "2001:db8::1:46532": the address, then the port
        return viewer.rpartition(":")[0] or source
    return source


def count_refusal(metric: str, scope: str, **fields: Any) -> None:
    """One log line that CloudWatch also reads as ``metric`` = 1 by ``scope`` (EMF)."""
    logger.warning(
        f"{metric}: {scope}",
        extra={
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": NAMESPACE,
                        "Dimensions": [["scope"]],
                        "Metrics": [{"Name": metric, "Unit": "Count"}],
                    }
                ],
            },
            "scope": scope,
            metric: 1,
            **fields,
        },
    )


def limit_client(limit: Limit, event: dict[str, Any]) -> None:
    """Count this request against its client's ``limit``; a 429 past it (logged)."""
    try:
        admit_client(limit, client_address(event), counter=wiring.hit_counter(), now=utcnow())
    except TooManyRequests as refused:
        count_refusal("RateLimited", limit.scope, retryAfter=refused.retry_after)
        raise
