"""Analytics: each domain event is logged once and counted once in its day's totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class RecordedEvent:
    event_id: str
    event_type: str
    occurred_at: str
    subject: str
    data: dict[str, Any]

    @property
    def day(self) -> str:
        return self.occurred_at[:10]


COUNTERS: dict[str, dict[str, int]] = {
    "user.registered": {"signups": 1},
}


def counters_for(event: RecordedEvent) -> dict[str, int]:
    return dict(COUNTERS.get(event.event_type, {}))


class EventLog(Protocol):
    def record(self, event: RecordedEvent, counters: dict[str, int]) -> bool:
        """Log the event and add its counters in one write; False if already logged."""


# Personal data stays out of the analytics log; the ids are enough to join on.
PRIVATE_FIELDS = frozenset({"email", "firstName", "lastName", "phone"})


def record_event(event: RecordedEvent, *, log: EventLog) -> bool:
    """Log and count ``event`` once; False when it had been recorded already."""
    public = {k: v for k, v in event.data.items() if k not in PRIVATE_FIELDS}
    cleaned = RecordedEvent(
        event.event_id, event.event_type, event.occurred_at, event.subject, public
    )
    return log.record(cleaned, counters_for(event))
