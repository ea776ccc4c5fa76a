"""Business metrics to CloudWatch as the Embedded Metric Format (EMF): one JSON line on
stdout per metric, which CloudWatch Logs turns into metrics. No call, no client.

Powertools' ``single_metric`` writes them: ``import aws_lambda_powertools`` (which every
function does, for the Logger) already loads ``aws_lambda_powertools.metrics``, so using it
adds no import at all to the worker's cold start (measured: docs/analytics.md). One
``single_metric`` per metric, so the revenue's ``currency`` dimension stays on it alone.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from domain.analytics import RecordedEvent

NAMESPACE = "Bazaar"

# event type -> the metric it counts (one per event)
COUNTED: dict[str, str] = {
    "order.placed": "OrdersPlaced",
    "order.confirmed": "OrdersPaid",
    "order.payment_failed": "PaymentFailures",
}


class EmfMetrics:
    def __init__(self, stage: str) -> None:
        self.dimensions = {"stage": stage}

    def emit(self, event: RecordedEvent) -> None:
        name = COUNTED.get(event.event_type)
        if name is None:
            return
        with single_metric(
            name=name,
            unit=MetricUnit.Count,
            value=1,
            namespace=NAMESPACE,
            default_dimensions=self.dimensions,
        ):
            pass
        if event.event_type == "order.confirmed":
            # Revenue per currency, in minor units: a sum over currencies means nothing.
            with single_metric(
                name="Revenue",
                unit=MetricUnit.NoUnit,
                value=int(event.data.get("total", 0)),
                namespace=NAMESPACE,
                default_dimensions=self.dimensions,
            ) as metric:
                metric.add_dimension(name="currency", value=str(event.data.get("currency")))
