"""Repository behaviour that the HTTP tests cannot easily reach (races)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.accounts.model import LoginFailures
from repositories.accounts.repository import DynamoAccounts


def test_a_failure_counted_after_the_record_vanished_starts_a_window_that_expires(
    aws: None,
) -> None:
    accounts = DynamoAccounts()
    window_end = datetime(2030, 1, 1, tzinfo=UTC)
    # A sign-in deleted the record between this failure's read and its write.
    accounts.record_login_failure("race@example.com", LoginFailures(4, window_end), restart=False)

    credentials, failures = accounts.login_state("race@example.com")

    assert credentials is None
    assert failures == LoginFailures(1, window_end)


def test_a_repeated_failure_adds_one_to_the_same_window(aws: None) -> None:
    accounts = DynamoAccounts()
    window_end = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=15)
    accounts.record_login_failure("x@example.com", LoginFailures(1, window_end), restart=True)
    accounts.record_login_failure("x@example.com", LoginFailures(2, window_end), restart=False)

    _, failures = accounts.login_state("x@example.com")

    assert failures == LoginFailures(2, window_end)
