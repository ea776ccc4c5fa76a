"""The event catalogue (docs/events.md), the samples (events/samples/events/) and the
contracts (events/contracts.py VERSIONS) are one list; each sample is what the mapping makes
of a real stream record (tests/unit/event_records.py) and round-trips through
``DomainEvent.from_json``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from events.contracts import VERSIONS, DomainEvent
from events.mapping import events_from_record
from tests.unit.event_records import SAMPLES, mapped, records, stream_record

CATALOGUE = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def sample(event_type: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{event_type}.json").read_text())  # type: ignore[no-any-return]


def shape(value: Any) -> Any:
    """A value's shape: the keys of objects and the type of everything else."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value[:1]]
    return type(value).__name__


def test_every_event_has_a_sample_a_record_and_a_catalogue_entry() -> None:
    assert sorted(p.stem for p in SAMPLES.glob("*.json")) == sorted(VERSIONS)
    assert sorted(records()) == sorted(VERSIONS)
    headings = re.findall(r"^### `([a-z_.]+)`", CATALOGUE.read_text(), flags=re.MULTILINE)
    assert sorted(headings) == sorted(VERSIONS)


@pytest.mark.parametrize("event_type", sorted(VERSIONS))
def test_the_sample_round_trips_and_is_what_the_mapping_makes(event_type: str) -> None:
    body = sample(event_type)
    event = DomainEvent.from_json(json.dumps(body))
    assert json.loads(event.to_json()) == body
    assert (event.type, event.version) == (event_type, VERSIONS[event_type])
    made = mapped(event_type)
    assert made.version == VERSIONS[event_type]
    assert shape(json.loads(made.to_json())) == shape(body)
    assert made.data == body["data"]  # the samples are regenerated, never hand-edited


def test_the_event_id_is_the_stream_records_and_stable() -> None:
    record = stream_record("order.confirmed")
    first, again = events_from_record(record), events_from_record(record)
    assert (
        [e.event_id for e in first]
        == [e.event_id for e in again]
        == ["evt_c4ca4238a0b923820dcc509a6f75849b"]
    )


def test_a_retried_payment_is_an_event_carrying_the_attempt() -> None:
    event = mapped("order.payment_retried")
    assert event.data["from"] == "payment_failed"
    assert event.data["status"] == "pending_payment"
    assert isinstance(event.data["attempt"], int)


def test_moderations_rejection_carries_the_reason() -> None:
    event = mapped("product.rejected")
    assert event.data["from"] == "pending_review"
    assert event.data["reason"] == "Photos are blurry"


def _stock_events(before: tuple[int, int], after: tuple[int, int]) -> list[str]:
    from tests.unit.event_records import _stock

    record = {
        "eventID": "s",
        "eventName": "MODIFY",
        "dynamodb": {"OldImage": _stock(*before), "NewImage": _stock(*after)},
    }
    return [e.type for e in events_from_record(record)]


def test_stock_low_once_per_crossing() -> None:
    assert _stock_events((6, 5), (5, 5)) == ["product.stock_low"]  # at the threshold
    assert _stock_events((5, 5), (3, 5)) == []  # still low: no second mail
    assert _stock_events((3, 5), (9, 5)) == []  # back above: nothing
    assert _stock_events((9, 5), (2, 5)) == ["product.stock_low"]  # the next crossing
    # a sale of the last one under a threshold of 0 is both events, ids kept apart
    assert _stock_events((1, 0), (0, 0)) == ["product.stock_status_changed", "product.stock_low"]


def test_only_a_new_review_and_a_new_seller_are_events() -> None:
    for event_type in ("review.posted", "seller.opened"):
        _name, _old, new = records()[event_type]
        modify = {
            "eventID": "m",
            "eventName": "MODIFY",
            "dynamodb": {"OldImage": new, "NewImage": new},
        }
        assert events_from_record(modify) == []
    assert mapped("seller.opened").data == {
        "sellerId": "sel_1",
        "userId": "usr_2",
        "shopName": "Tea & Co",
    }
