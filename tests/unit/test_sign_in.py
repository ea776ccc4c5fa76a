"""log_in: tokens, one answer for wrong email and wrong password, lock-out windows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.accounts.model import RefreshToken, Role, UserStatus, token_hash
from domain.errors import AuthenticationRequired, Forbidden, TooManyRequests
from tests.unit.fakes import PASSWORD, T0, Shop

EMAIL = "ada@example.com"
WINDOW = timedelta(minutes=15)


def fail(shop: Shop, times: int, *, start: timedelta = timedelta(0), email: str = EMAIL) -> None:
    """``times`` wrong passwords, one a minute from ``T0 + start``."""
    for n in range(times):
        with pytest.raises(AuthenticationRequired):
            shop.log_in(email, "wrong password", now=T0 + start + timedelta(minutes=n))


def test_signing_in_returns_tokens_for_the_user_and_opens_a_session() -> None:
    shop = Shop()
    user = shop.register()
    signed_in = shop.log_in("Ada@Example.com", PASSWORD)
    assert signed_in.user_id == user.user_id
    assert signed_in.role is Role.CUSTOMER
    assert signed_in.expires_in == 900
    refresh = RefreshToken.parse(signed_in.refresh_token)
    assert refresh is not None
    assert refresh.user_id == user.user_id
    assert refresh.session_id.startswith("ses_")
    assert signed_in.access_token == f"access:{user.user_id}:customer:{refresh.session_id}"
    session = shop.accounts.sessions[(user.user_id, refresh.session_id)]
    assert session.valid_from == session.created_at == T0
    assert session.expires_at == T0 + shop.policy.refresh_ttl


def test_the_session_stores_the_hash_of_the_refresh_secret_never_the_secret() -> None:
    shop = Shop()
    shop.register()
    refresh = RefreshToken.parse(shop.log_in().refresh_token)
    assert refresh is not None
    (session,) = shop.accounts.sessions.values()
    assert session.token_hash == token_hash(refresh.secret)
    assert refresh.secret not in repr(session)


def test_wrong_password_and_unknown_email_get_the_same_answer_after_the_same_work() -> None:
    answers = []
    for email in (EMAIL, "nobody@example.com"):
        shop = Shop()
        shop.register()
        with pytest.raises(AuthenticationRequired) as caught:
            shop.log_in(email, "wrong password")
        answers.append((caught.value.code, caught.value.detail))
        assert len(shop.hasher.verify_calls) == 1
        assert len(shop.accounts.failure_writes) == 1
        assert shop.accounts.failure_writes[0].email == email
        assert shop.accounts.sessions == {}
    assert answers[0] == answers[1]
    assert answers[0][0] == "invalid_credentials"


def test_an_unknown_email_still_costs_a_decoy_password_check() -> None:
    shop = Shop()
    with pytest.raises(AuthenticationRequired):
        shop.log_in("nobody@example.com", PASSWORD)
    assert shop.hasher.decoy_checks == 1
    assert shop.hasher.verify_calls == [(PASSWORD, None)]


def test_failures_are_counted_within_one_window() -> None:
    shop = Shop()
    shop.register()
    fail(shop, 3)
    failures = shop.accounts.failures[EMAIL]
    assert failures.count == 3
    assert failures.window_ends_at == T0 + WINDOW  # the window does not slide
    assert [w.restart for w in shop.accounts.failure_writes] == [True, False, False]


def test_failures_are_counted_per_lowercased_email() -> None:
    shop = Shop()
    shop.register()
    with pytest.raises(AuthenticationRequired):
        shop.log_in("ADA@example.com", "wrong password")
    assert shop.accounts.failures[EMAIL].count == 1


def test_after_max_failures_even_the_right_password_is_locked_out() -> None:
    shop = Shop()
    shop.register()
    fail(shop, shop.policy.max_failures)  # T0 .. T0+4min
    checks_before = len(shop.hasher.verify_calls)
    with pytest.raises(TooManyRequests) as caught:
        shop.log_in(EMAIL, PASSWORD, now=T0 + timedelta(minutes=10))
    assert caught.value.code == "login_locked"
    assert caught.value.retry_after == 5 * 60
    assert shop.accounts.sessions == {}
    assert len(shop.hasher.verify_calls) == checks_before


def test_one_failure_short_of_the_limit_the_right_password_still_works() -> None:
    shop = Shop()
    user = shop.register()
    fail(shop, shop.policy.max_failures - 1)
    assert shop.log_in(now=T0 + timedelta(minutes=10)).user_id == user.user_id


def test_retry_after_is_at_least_one_second_at_the_end_of_the_window() -> None:
    shop = Shop()
    shop.register()
    fail(shop, shop.policy.max_failures)
    with pytest.raises(TooManyRequests) as caught:
        shop.log_in(now=T0 + WINDOW - timedelta(milliseconds=200))
    assert caught.value.retry_after == 1


def test_unknown_emails_are_locked_out_like_known_ones() -> None:
    shop = Shop()
    fail(shop, shop.policy.max_failures, email="nobody@example.com")
    with pytest.raises(TooManyRequests) as caught:
        shop.log_in("nobody@example.com", PASSWORD, now=T0 + timedelta(minutes=5))
    assert caught.value.code == "login_locked"


def test_after_the_window_a_failure_starts_counting_again_at_one() -> None:
    shop = Shop()
    shop.register()
    fail(shop, shop.policy.max_failures)
    later = T0 + WINDOW
    with pytest.raises(AuthenticationRequired) as caught:
        shop.log_in(EMAIL, "wrong password", now=later)
    assert caught.value.code == "invalid_credentials"
    failures = shop.accounts.failures[EMAIL]
    assert failures.count == 1
    assert failures.window_ends_at == later + WINDOW
    assert shop.accounts.failure_writes[-1].restart is True


def test_after_the_window_the_right_password_works_and_clears_the_failures() -> None:
    shop = Shop()
    user = shop.register()
    fail(shop, shop.policy.max_failures)
    assert shop.log_in(now=T0 + WINDOW).user_id == user.user_id
    assert EMAIL not in shop.accounts.failures


def test_signing_in_clears_earlier_failures() -> None:
    shop = Shop()
    shop.register()
    fail(shop, 2)
    shop.log_in(now=T0 + timedelta(minutes=3))
    assert EMAIL not in shop.accounts.failures
    fail(shop, 1, start=timedelta(minutes=4))
    assert shop.accounts.failures[EMAIL].count == 1


def test_a_disabled_account_with_the_right_password_is_forbidden() -> None:
    shop = Shop()
    shop.register()
    shop.accounts.credentials_by_email[EMAIL].status = UserStatus.DISABLED
    with pytest.raises(Forbidden) as caught:
        shop.log_in()
    assert caught.value.code == "account_disabled"
    assert shop.accounts.sessions == {}


def test_a_disabled_account_with_a_wrong_password_is_just_invalid_credentials() -> None:
    shop = Shop()
    shop.register()
    shop.accounts.credentials_by_email[EMAIL].status = UserStatus.DISABLED
    with pytest.raises(AuthenticationRequired) as caught:
        shop.log_in(EMAIL, "wrong password")
    assert caught.value.code == "invalid_credentials"


def test_each_sign_in_opens_its_own_session() -> None:
    shop = Shop()
    shop.register()
    first = shop.log_in()
    second = shop.log_in(now=T0 + timedelta(seconds=1))
    assert first.refresh_token != second.refresh_token
    assert len(shop.accounts.sessions) == 2
