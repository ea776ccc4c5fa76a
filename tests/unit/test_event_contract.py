"""The event contract every worker reads: what is published is what is read back, and
a message that is not an event is refused (so it goes back to its queue, then its DLQ)."""

from __future__ import annotations

import json

import pytest

from events.contracts import DomainEvent

SAMPLE = DomainEvent(
    event_id="evt_1",
    type="order.cancelled",
    occurred_at="2026-11-30T10:00:00+00:00",
    subject="ord_1",
    data={"refundOwed": 2599, "reason": "changed my mind — ünïcode"},
)


def test_an_event_reads_back_as_published() -> None:
    text = SAMPLE.to_json()
    assert DomainEvent.from_json(text) == SAMPLE
    assert DomainEvent.from_json(text.encode()) == SAMPLE
    assert json.loads(text) == {
        "eventId": "evt_1",
        "type": "order.cancelled",
        "version": 1,
        "occurredAt": "2026-11-30T10:00:00+00:00",
        "subject": "ord_1",
        "data": {"refundOwed": 2599, "reason": "changed my mind — ünïcode"},
    }


def test_version_and_data_have_defaults() -> None:
    event = DomainEvent.from_json(
        '{"eventId":"evt_2","type":"user.registered","occurredAt":"","subject":"usr_1"}'
    )
    assert (event.version, event.data) == (1, {})


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"extra": 1}, "unknown event fields"),
        ({"eventId": ""}, "must not be empty"),
        ({"type": None}, "type must be a string"),
        ({"subject": 7}, "subject must be a string"),
        ({"data": []}, "data must be an object"),
        ({"version": "1"}, "version must be an integer"),
        ({"version": True}, "version must be an integer"),
    ],
)
def test_a_message_that_is_not_an_event_is_refused(change: dict[str, object], says: str) -> None:
    body = {**json.loads(SAMPLE.to_json()), **change}
    with pytest.raises(ValueError, match=says):
        DomainEvent.from_json(json.dumps(body))


@pytest.mark.parametrize(
    ("text", "says"),
    [("[]", "a JSON object"), ('"evt"', "a JSON object"), ("not json", "Expecting value")],
)
def test_a_body_that_is_not_an_object_is_refused(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        DomainEvent.from_json(text)
