"""HitCounter: ``tests/unit/fakes.py: FakeHitCounter`` and
``repositories/limits.py: DynamoHitCounter`` count alike: up to the limit per subject and
window, a full window refuses without counting, a new window starts from zero, and
several checks count all together or not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.limits import HitCounter, Limit, check_for
from tests.contract.builders import at


@pytest.fixture
def counter(kind: str) -> HitCounter:
    if kind == "fake":
        from tests.unit.fakes import FakeHitCounter

        return FakeHitCounter()
    from repositories.limits import DynamoHitCounter

    return DynamoHitCounter()


LIMIT = Limit("login", 3, 900)


def test_hits_count_up_to_the_limit_per_subject_and_window(counter: HitCounter) -> None:
    now = at(0)
    for _ in range(3):
        assert counter.hit([check_for(LIMIT, "10.0.0.1", now)]) is None
    refused = check_for(LIMIT, "10.0.0.1", now)
    assert counter.hit([refused]) == refused
    assert counter.hit([check_for(LIMIT, "10.0.0.2", now)]) is None  # another subject
    other_scope = Limit("register", 3, 900)
    assert counter.hit([check_for(other_scope, "10.0.0.1", now)]) is None


def test_a_new_window_starts_from_zero(counter: HitCounter) -> None:
    now = at(0)
    first = check_for(LIMIT, "10.0.0.1", now)
    for _ in range(3):
        counter.hit([first])
    assert counter.hit([first]) == first
    later = check_for(LIMIT, "10.0.0.1", first.window_end)
    assert later.window_start == first.window_end
    assert counter.hit([later]) is None


def test_a_refused_hit_is_not_counted(counter: HitCounter) -> None:
    one = Limit("forgot", 1, 900)
    check = check_for(one, "10.0.0.1", at(0))
    assert counter.hit([check]) is None
    for _ in range(3):
        assert counter.hit([check]) == check
    assert counter.hit([check_for(one, "10.0.0.1", check.window_end)]) is None


def test_several_checks_count_together_or_not_at_all(counter: HitCounter) -> None:
    now = at(0)
    client = Limit("forgot", 10, 900)
    address = Limit("reset-email", 2, 3600)
    ip, mail = check_for(client, "10.0.0.1", now), check_for(address, "ab12", now)
    assert counter.hit([ip, mail]) is None
    assert counter.hit([ip, mail]) is None
    assert counter.hit([ip, mail]) == mail  # the address is full: the client not counted
    # the client has 2 hits: 8 more fit, the ninth is refused (and named first)
    for n in range(8):
        assert counter.hit([check_for(client, "10.0.0.1", now + timedelta(seconds=n))]) is None
    assert counter.hit([ip, check_for(address, "cd34", now)]) == ip
    assert counter.hit([ip, mail]) == ip  # both full: the first is named
