"""Event log and daily totals.

| item         | PK                    | SK                 |
|--------------|-----------------------|--------------------|
| event log    | EVENTLOG#<yyyy-mm-dd> | <occurredAt>#<id>  |
| daily totals | METRICS#<yyyy-mm-dd>  | TOTALS             |
"""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action

from domain.analytics import RecordedEvent
from domain.clock import iso, utcnow
from repositories import keys
from repositories.table import ConditionFailed, Item, Transaction


class EventLogItem(Item, discriminator="EventLog"):
    event_id = UnicodeAttribute(attr_name="eventId")
    event_type = UnicodeAttribute(attr_name="eventType")
    subject = UnicodeAttribute()
    occurred_at = UnicodeAttribute(attr_name="occurredAt")
    data = MapAttribute[str, object](null=True)


class DailyTotalsItem(Item, discriminator="DailyTotals"):
    day = UnicodeAttribute()
    signups = NumberAttribute(default=0)
    events = NumberAttribute(default=0)


class DynamoEventLog:
    def record(self, event: RecordedEvent, counters: dict[str, int]) -> bool:
        stamp = iso(utcnow())
        tx = Transaction()
        tx.put(
            EventLogItem(
                keys.event_log_pk(event.day),
                keys.time_key(event.occurred_at, event.event_id),
                event_id=event.event_id,
                event_type=event.event_type,
                subject=event.subject,
                occurred_at=event.occurred_at,
                data=event.data,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=EventLogItem.PK.does_not_exist(),
            label="log",
        )
        actions: list[Action] = [
            DailyTotalsItem.events.add(1),
            DailyTotalsItem.day.set(event.day),
            DailyTotalsItem.type.set(DailyTotalsItem),
            DailyTotalsItem.created_at.set(DailyTotalsItem.created_at | stamp),
            DailyTotalsItem.updated_at.set(stamp),
        ]
        for name, amount in counters.items():
            actions.append(getattr(DailyTotalsItem, name).add(amount))
        tx.update(DailyTotalsItem(keys.metrics_pk(event.day), keys.TOTALS), actions=actions)
        try:
            tx.commit()
        except ConditionFailed:
            return False  # logged and counted before: a redelivery
        return True
