"""The shape of a Step Functions task function (statemachines/checkout.asl.json).

The machine calls the function with ``lambda:invoke`` and a small JSON payload; the
function answers JSON. An exception is not caught: Lambda reports it with its class name
as ``errorType``, which the state's ``Retry`` and ``Catch`` match (``PaymentUnavailable``,
``OrderMissing``…). It is logged first, with the payload, so the trace is in the
function's log as well as in the execution's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="bazaar")

Payload = dict[str, Any]

__all__ = ["Payload", "logger", "task"]


def task(step: Callable[[Payload], Payload]) -> Callable[[Payload, Any], Payload]:
    """The module's ``lambda_handler``: ``step(payload)``, errors logged and re-raised."""

    @logger.inject_lambda_context(clear_state=True)
    def lambda_handler(event: Payload, _context: Any) -> Payload:
        try:
            return step(event)
        except Exception:
            logger.exception("task failed", extra={"payload": event})
            raise

    return lambda_handler
