"""Rate limits (domain/limits.py): per client on sign-in, registration and reset
requests (429 with the seconds left), per address on reset emails (silent: nothing is
sent, the caller cannot tell). Each limit under, at, over, and after its window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.accounts import services
from domain.accounts.services import ResetOutcome
from domain.errors import TooManyRequests
from domain.limits import Limit, RateLimits, admit_client, check_for, email_subject
from tests.unit.fakes import T0, FakeHitCounter, Shop

EMAIL = "ada@example.com"
LIMITS = RateLimits(
    login=Limit("login", 3, 900),
    register=Limit("register", 2, 900),
    forgot=Limit("forgot", 5, 900),
    reset_email=Limit("reset-email", 3, 3600),
)
# T0 is 12:00:00, the start of a 15-minute and of an hour window
WINDOW_END = T0 + timedelta(seconds=900)


def test_windows_are_aligned_to_the_epoch_and_named_by_their_start() -> None:
    check = check_for(LIMITS.login, "10.0.0.1", T0 + timedelta(seconds=899))
    assert check.window_start == T0
    assert check.window_end == WINDOW_END
    assert check.seconds_left(T0 + timedelta(seconds=899)) == 1
    assert check_for(LIMITS.login, "10.0.0.1", WINDOW_END).window_start == WINDOW_END


@pytest.mark.parametrize("scope", ["login", "register", "forgot"])
def test_a_client_limit_under_at_over_and_after_the_window(scope: str) -> None:
    limit: Limit = getattr(LIMITS, scope)
    counter = FakeHitCounter()
    now = T0 + timedelta(seconds=300)
    for n in range(limit.max):  # under, then at the limit: admitted
        admit_client(limit, "10.0.0.1", counter=counter, now=now + timedelta(seconds=n))
    with pytest.raises(TooManyRequests) as over:  # over
        admit_client(limit, "10.0.0.1", counter=counter, now=now)
    assert over.value.code == "rate_limited"
    assert over.value.retry_after == 600  # the seconds until the window ends
    admit_client(limit, "10.0.0.2", counter=counter, now=now)  # another client is not held
    # after the window: admitted again, from zero
    for n in range(limit.max):
        admit_client(limit, "10.0.0.1", counter=counter, now=WINDOW_END + timedelta(seconds=n))


def request_reset(
    shop: Shop, counter: FakeHitCounter, *, now: datetime, client: str
) -> ResetOutcome:
    return services.request_password_reset(
        EMAIL,
        accounts=shop.accounts,
        mailer=shop.mailer,
        reset_url="https://shop.example/reset",
        policy=shop.policy,
        now=now,
        counter=counter,
        limits=LIMITS,
        client=client,
    )


def test_reset_emails_per_address_under_at_over_and_after_the_window() -> None:
    shop, counter = Shop(), FakeHitCounter()
    shop.register(EMAIL)
    clients = iter(f"10.0.0.{n}" for n in range(1, 100))  # not held by the client limit
    for n in range(3):  # under, then at the limit: each sends one
        assert (
            request_reset(shop, counter, now=T0 + timedelta(minutes=n), client=next(clients))
            == ResetOutcome.SENT
        )
    assert len(shop.mailer.sent) == 3
    # over: silent, nothing sent, no reset stored
    resets = dict(shop.accounts.resets)
    for _ in range(5):
        outcome = request_reset(shop, counter, now=T0 + timedelta(minutes=59), client=next(clients))
        assert outcome == ResetOutcome.REFUSED
    assert len(shop.mailer.sent) == 3
    assert shop.accounts.resets == resets
    # after the hour: sent again
    later = T0 + timedelta(hours=1)
    assert request_reset(shop, counter, now=later, client=next(clients)) == ResetOutcome.SENT
    assert len(shop.mailer.sent) == 4


def test_the_address_is_counted_by_its_hash_and_for_unknown_addresses_too() -> None:
    shop, counter = Shop(), FakeHitCounter()  # no account at all
    for n in range(4):
        outcome = request_reset(shop, counter, now=T0, client=f"10.0.0.{n}")
    assert outcome == ResetOutcome.REFUSED  # the fourth: the same silence
    subjects = {subject for _, subject, _ in counter.counts}
    assert email_subject(EMAIL) in subjects
    assert not any("@" in subject for subject in subjects)
    assert shop.mailer.sent == []


def test_reset_requests_past_the_client_limit_are_429_and_count_no_address() -> None:
    shop, counter = Shop(), FakeHitCounter()
    shop.register(EMAIL)
    for n in range(5):
        email = f"user{n}@example.com"
        services.request_password_reset(
            email,
            accounts=shop.accounts,
            mailer=shop.mailer,
            reset_url="https://shop.example/reset",
            policy=shop.policy,
            now=T0,
            counter=counter,
            limits=LIMITS,
            client="10.0.0.1",
        )
    with pytest.raises(TooManyRequests) as over:
        request_reset(shop, counter, now=T0 + timedelta(seconds=60), client="10.0.0.1")
    assert over.value.retry_after == 840
    assert shop.mailer.sent == []
    assert counter.counts.get(("reset-email", email_subject(EMAIL), T0)) is None
