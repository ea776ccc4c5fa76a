"""The shape of a Step Functions task function (statemachines/checkout.asl.json).

The machine calls the function with ``lambda:invoke`` and a small JSON payload; the
function answers JSON. An exception is not caught: Lambda reports it with its class name
as ``errorType`` (and logs its trace), which the state's ``Retry`` and ``Catch`` match
(``PaymentUnavailable``, ``OrderMissing``…); the execution's history keeps the error with
the state's input. So no logging layer is loaded here: Powertools' Logger would add
about 60 ms to each task's cold start and record nothing new.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("bazaar")

Payload = dict[str, Any]

__all__ = ["Payload", "logger", "task"]


def task(step: Callable[[Payload], Payload]) -> Callable[[Payload, Any], Payload]:
    """The module's ``lambda_handler``: ``step(payload)``; an error propagates to Lambda."""

    def lambda_handler(event: Payload, _context: Any) -> Payload:
        return step(event)

    return lambda_handler
