"""Business metrics to CloudWatch as the Embedded Metric Format: one JSON line on stdout
per event, which CloudWatch Logs turns into metrics. No call, no client, no dependency.

Written by hand to the spec
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
rather than with Powertools' ``Metrics``: its import (``aws_lambda_powertools.metrics``
and its provider modules) costs the worker more than these few lines do; docs/analytics.md
has the measurement.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

from domain.analytics import RecordedEvent

NAMESPACE = "Bazaar"

# event type -> (metric name, unit, the data field whose value it is, or None for 1)
BUSINESS: dict[str, tuple[str, str, str | None]] = {
    "order.placed": ("OrdersPlaced", "Count", None),
    "order.confirmed": ("OrdersPaid", "Count", None),
    "order.payment_failed": ("PaymentFailures", "Count", None),
}


class EmfMetrics:
    def __init__(self, stage: str, out: TextIO | None = None) -> None:
        self.stage = stage
        self.out = out

    def _write(self, metrics: dict[str, tuple[int, str]], dimensions: dict[str, str]) -> None:
        document: dict[str, Any] = {
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": NAMESPACE,
                        "Dimensions": [sorted(dimensions)],
                        "Metrics": [{"Name": n, "Unit": u} for n, (_, u) in metrics.items()],
                    }
                ],
            },
            **dimensions,
            **{name: value for name, (value, _) in metrics.items()},
        }
        print(json.dumps(document, separators=(",", ":")), file=self.out or sys.stdout, flush=True)

    def emit(self, event: RecordedEvent) -> None:
        found = BUSINESS.get(event.event_type)
        if found is None:
            return
        name, unit, _ = found
        self._write({name: (1, unit)}, {"stage": self.stage})
        if event.event_type == "order.confirmed":
            # Revenue per currency (minor units): a sum of different currencies means nothing.
            currency = str(event.data.get("currency"))
            total = int(event.data.get("total", 0))
            self._write({"Revenue": (total, "None")}, {"stage": self.stage, "currency": currency})
