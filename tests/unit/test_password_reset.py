"""Password reset by email link, and change of password by a signed-in user."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

import pytest

from domain.accounts import services
from domain.accounts.model import UserStatus
from domain.errors import AuthenticationRequired, Forbidden, InvalidRequest, NotFound, RuleViolation
from tests.unit.fakes import PASSWORD, T0, Shop

EMAIL = "ada@example.com"
RESET_URL = "https://shop.example/reset"
NEW_PASSWORD = "a brand new passphrase"


def request_reset(shop: Shop, email: str = EMAIL, *, now: datetime = T0) -> None:
    services.request_password_reset(
        email,
        accounts=shop.accounts,
        mailer=shop.mailer,
        reset_url=RESET_URL,
        policy=shop.policy,
        now=now,
    )


def mailed_secret(shop: Shop) -> str:
    match = re.search(re.escape(RESET_URL) + r"\?token=(\S+)", shop.mailer.sent[-1].text)
    assert match is not None, shop.mailer.sent[-1].text
    return match.group(1)


def stored_hash(shop: Shop) -> str:
    return shop.accounts.credentials_by_email[EMAIL].password_hash


def reset(shop: Shop, token: str, password: str = NEW_PASSWORD, *, now: datetime) -> None:
    services.reset_password(token, password, accounts=shop.accounts, hasher=shop.hasher, now=now)


def change(
    shop: Shop,
    user_id: str,
    current: str,
    new: str = NEW_PASSWORD,
    *,
    session_id: str | None,
    now: datetime,
) -> None:
    services.change_password(
        user_id,
        current,
        new,
        session_id=session_id,
        accounts=shop.accounts,
        hasher=shop.hasher,
        now=now,
    )


# -- request_password_reset ----------------------------------------------------------


def test_an_unknown_email_gets_no_reset_and_no_error() -> None:
    shop = Shop()
    shop.register()
    request_reset(shop, "nobody@example.com")
    assert shop.accounts.resets == {}
    assert shop.mailer.sent == []


def test_a_disabled_account_gets_no_reset() -> None:
    shop = Shop()
    shop.register()
    shop.accounts.credentials_by_email[EMAIL].status = UserStatus.DISABLED
    request_reset(shop)
    assert shop.accounts.resets == {}
    assert shop.mailer.sent == []


def test_a_known_email_gets_one_link_whose_token_is_stored_only_as_its_hash() -> None:
    shop = Shop()
    user = shop.register()
    request_reset(shop, "ADA@Example.com")
    (mail,) = shop.mailer.sent
    assert mail.to == EMAIL
    secret = mailed_secret(shop)
    assert f"{RESET_URL}?token={secret}" in mail.text
    (stored,) = shop.accounts.resets.values()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored)
    assert stored.user_id == user.user_id
    assert stored.email == EMAIL
    assert stored.expires_at == T0 + shop.policy.reset_ttl


# -- reset_password ------------------------------------------------------------------


def test_a_reset_token_works_once() -> None:
    shop = Shop()
    shop.register()
    request_reset(shop)
    secret = mailed_secret(shop)
    reset(shop, secret, now=T0 + timedelta(minutes=5))
    assert shop.accounts.resets == {}
    with pytest.raises(InvalidRequest) as caught:
        reset(shop, secret, "yet another password", now=T0 + timedelta(minutes=6))
    assert caught.value.code == "invalid_reset_token"
    assert shop.log_in(password=NEW_PASSWORD, now=T0 + timedelta(minutes=7))


def test_after_a_reset_the_new_password_signs_in_and_the_old_does_not() -> None:
    shop = Shop()
    user = shop.register()
    request_reset(shop)
    reset(shop, mailed_secret(shop), now=T0 + timedelta(minutes=5))
    later = T0 + timedelta(minutes=6)
    with pytest.raises(AuthenticationRequired) as caught:
        shop.log_in(password=PASSWORD, now=later)
    assert caught.value.code == "invalid_credentials"
    assert shop.log_in(password=NEW_PASSWORD, now=later).user_id == user.user_id


def test_an_expired_reset_token_is_refused() -> None:
    shop = Shop()
    shop.register()
    request_reset(shop)
    with pytest.raises(InvalidRequest) as caught:
        reset(shop, mailed_secret(shop), now=T0 + shop.policy.reset_ttl)
    assert caught.value.code == "invalid_reset_token"
    assert stored_hash(shop) == shop.hasher.hash(PASSWORD)


def test_a_reset_token_just_before_expiry_works() -> None:
    shop = Shop()
    shop.register()
    request_reset(shop)
    reset(shop, mailed_secret(shop), now=T0 + shop.policy.reset_ttl - timedelta(seconds=1))
    assert stored_hash(shop) == shop.hasher.hash(NEW_PASSWORD)


def test_an_unknown_reset_token_is_refused() -> None:
    shop = Shop()
    shop.register()
    with pytest.raises(InvalidRequest) as caught:
        reset(shop, "made-up-token", now=T0)
    assert caught.value.code == "invalid_reset_token"


def test_the_new_password_must_meet_the_policy_and_the_token_stays_usable() -> None:
    shop = Shop()
    shop.register()
    request_reset(shop)
    secret = mailed_secret(shop)
    with pytest.raises(RuleViolation) as caught:
        reset(shop, secret, "short", now=T0 + timedelta(minutes=1))
    assert caught.value.code == "password_policy"
    assert len(shop.accounts.resets) == 1
    reset(shop, secret, now=T0 + timedelta(minutes=2))
    assert shop.accounts.resets == {}


def test_a_reset_revokes_every_earlier_session() -> None:
    shop = Shop()
    user = shop.register()
    first = shop.log_in(now=T0)
    second = shop.log_in(now=T0 + timedelta(minutes=1))
    request_reset(shop, now=T0 + timedelta(minutes=2))
    reset(shop, mailed_secret(shop), now=T0 + timedelta(minutes=3))
    assert shop.accounts.users[user.user_id].sessions_revoked_at == T0 + timedelta(minutes=3)
    for signed_in in (first, second):
        with pytest.raises(AuthenticationRequired) as caught:
            shop.refresh(signed_in.refresh_token, now=T0 + timedelta(minutes=4))
        assert caught.value.code == "session_revoked"
    fresh = shop.log_in(password=NEW_PASSWORD, now=T0 + timedelta(minutes=4))
    assert shop.refresh(fresh.refresh_token, now=T0 + timedelta(minutes=5)).user_id == user.user_id


def test_only_one_of_two_simultaneous_resets_with_the_same_token_succeeds() -> None:
    shop = Shop()
    user = shop.register()
    request_reset(shop)
    secret = mailed_secret(shop)
    # Both requests found the reset record; the second write finds it consumed.
    found = shop.accounts.password_reset(hashlib.sha256(secret.encode()).hexdigest())
    assert found is not None
    reset(shop, secret, now=T0 + timedelta(minutes=1))
    stored_user = shop.accounts.user(user.user_id)
    assert stored_user is not None
    with pytest.raises(InvalidRequest) as caught:
        shop.accounts.set_password(
            stored_user,
            shop.hasher.hash("the racing password"),
            revoked_at=T0 + timedelta(minutes=1),
            keep_session_id=None,
            consume_reset=found.token_hash,
        )
    assert caught.value.code == "invalid_reset_token"
    assert stored_hash(shop) == shop.hasher.hash(NEW_PASSWORD)


# -- change_password -----------------------------------------------------------------


def test_a_wrong_current_password_is_forbidden_and_changes_nothing() -> None:
    shop = Shop()
    user = shop.register()
    with pytest.raises(Forbidden) as caught:
        change(shop, user.user_id, "not my password", session_id=None, now=T0)
    assert caught.value.code == "wrong_password"
    assert stored_hash(shop) == shop.hasher.hash(PASSWORD)
    assert shop.accounts.users[user.user_id].sessions_revoked_at is None


def test_changing_keeps_the_calling_session_and_revokes_the_others() -> None:
    shop = Shop()
    user = shop.register()
    mine = shop.log_in(now=T0)
    other = shop.log_in(now=T0 + timedelta(minutes=1))
    my_session = mine.refresh_token.split(".")[1]
    change(shop, user.user_id, PASSWORD, session_id=my_session, now=T0 + timedelta(minutes=2))
    later = T0 + timedelta(minutes=3)
    assert shop.refresh(mine.refresh_token, now=later).user_id == user.user_id
    with pytest.raises(AuthenticationRequired) as caught:
        shop.refresh(other.refresh_token, now=later)
    assert caught.value.code == "session_revoked"


def test_after_a_change_only_the_new_password_signs_in() -> None:
    shop = Shop()
    user = shop.register()
    change(shop, user.user_id, PASSWORD, session_id=None, now=T0)
    with pytest.raises(AuthenticationRequired):
        shop.log_in(password=PASSWORD, now=T0 + timedelta(minutes=1))
    assert shop.log_in(password=NEW_PASSWORD, now=T0 + timedelta(minutes=2))


def test_changing_from_a_session_that_already_ended_revokes_all() -> None:
    shop = Shop()
    user = shop.register()
    mine = shop.log_in(now=T0)
    my_session = mine.refresh_token.split(".")[1]
    services.log_out(mine.refresh_token, user_id=user.user_id, accounts=shop.accounts)
    change(shop, user.user_id, PASSWORD, session_id=my_session, now=T0 + timedelta(minutes=1))
    assert shop.accounts.users[user.user_id].sessions_revoked_at == T0 + timedelta(minutes=1)
    assert shop.accounts.sessions == {}


def test_the_changed_password_must_meet_the_policy() -> None:
    shop = Shop()
    user = shop.register()
    with pytest.raises(RuleViolation) as caught:
        change(shop, user.user_id, PASSWORD, "x" * 129, session_id=None, now=T0)
    assert caught.value.code == "password_policy"
    assert stored_hash(shop) == shop.hasher.hash(PASSWORD)


def test_changing_the_password_of_no_user_is_not_found() -> None:
    shop = Shop()
    with pytest.raises(NotFound) as caught:
        change(shop, "usr_NOBODY", PASSWORD, session_id=None, now=T0)
    assert caught.value.code == "user_not_found"


# -- a reset and a lock-out ----------------------------------------------------------


def test_a_reset_lifts_a_lock_out_of_the_email() -> None:
    shop = Shop()
    shop.register(EMAIL)
    for _ in range(shop.policy.max_failures):
        with pytest.raises(AuthenticationRequired):
            shop.log_in(EMAIL, "not the password", now=T0)
    request_reset(shop, now=T0)
    reset(shop, mailed_secret(shop), now=T0 + timedelta(minutes=1))

    signed_in = shop.log_in(EMAIL, NEW_PASSWORD, now=T0 + timedelta(minutes=2))

    assert signed_in.user_id


def test_a_reset_link_of_an_account_disabled_since_is_refused() -> None:
    shop = Shop()
    user = shop.register(EMAIL)
    request_reset(shop, now=T0)
    services.set_user_access(
        user.user_id,
        role=None,
        status=UserStatus.DISABLED,
        acting_admin_id="usr_admin",
        accounts=shop.accounts,
        now=T0,
    )

    with pytest.raises(InvalidRequest) as refused:
        reset(shop, mailed_secret(shop), now=T0 + timedelta(minutes=1))

    assert refused.value.code == "invalid_reset_token"
