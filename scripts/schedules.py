"""Scheduled functions under ``make dev``: serverless-offline does not run ``schedule``
events, so this runs them, each at its ``rate(…)``, by invoking the function through the
embedded AWS (whose Lambda runs the real handler: scripts/local_lambda.py).

A failed run is printed and the next one comes at its time, as with EventBridge.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from typing import Any

UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


def period_of(expression: str) -> float | None:
    """Seconds between runs of ``rate(N unit)``; None for anything else (cron)."""
    found = re.fullmatch(r"\s*rate\(\s*(\d+)\s+([a-z]+)\s*\)\s*", expression)
    if not found or found.group(2) not in UNITS:
        return None
    return int(found.group(1)) * UNITS[found.group(2)]


def scheduled(config: dict[str, Any]) -> list[tuple[str, float]]:
    """(deployed function name, seconds between runs) of every ``rate`` schedule."""
    found = []
    for key, fn in config["functions"].items():
        for event in fn.get("events", []):
            schedule = event.get("schedule") if isinstance(event, dict) else None
            if schedule is None:
                continue
            rates = schedule.get("rate", []) if isinstance(schedule, dict) else [schedule]
            for rate in rates if isinstance(rates, list) else [rates]:
                period = period_of(str(rate))
                if period is not None:
                    name = fn.get("name") or f"{config['service']}-dev-{key}"
                    found.append((str(name), period))
    return found


def scheduled_event(name: str) -> dict[str, Any]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": f"local-{name}-{now}",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now,
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{name}"],
        "detail": {},
    }


def start(config: dict[str, Any], client: Any, stop: threading.Event) -> list[threading.Thread]:
    """One daemon thread per scheduled function, invoking it through ``client`` (a Lambda
    client of the embedded AWS) until ``stop`` is set."""

    def run(name: str, period: float) -> None:
        while not stop.wait(period):
            try:
                answer = client.invoke(
                    FunctionName=name, Payload=json.dumps(scheduled_event(name)).encode()
                )
                payload = answer["Payload"].read().decode()
                if answer.get("FunctionError"):
                    print(f"⚠ scheduled {name} failed: {payload[:500]}", flush=True)
            except Exception as exc:  # the next run comes at its time
                print(f"⚠ scheduled {name} could not run: {exc}", flush=True)

    threads = []
    for name, period in scheduled(config):
        thread = threading.Thread(target=run, args=(name, period), daemon=True, name=name)
        thread.start()
        threads.append(thread)
    return threads
