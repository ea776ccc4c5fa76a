"""Admin: listing users, changing role and status, and never locking oneself out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.accounts import services
from domain.accounts.model import Role, User, UserStatus
from domain.errors import AuthenticationRequired, Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.fakes import T0, Shop

CHANGED_AT = T0 + timedelta(hours=1)


def admin_shop() -> tuple[Shop, User, User]:
    shop = Shop()
    admin = shop.register("boss@example.com", role=Role.ADMIN)
    user = shop.register("ada@example.com", now=T0 + timedelta(seconds=1))
    return shop, admin, user


def set_access(
    shop: Shop,
    admin: User,
    user_id: str,
    *,
    role: Role | None = None,
    status: UserStatus | None = None,
    now: datetime = CHANGED_AT,
) -> User:
    return services.set_user_access(
        user_id,
        role=role,
        status=status,
        acting_admin_id=admin.user_id,
        accounts=shop.accounts,
        now=now,
    )


def test_nothing_to_change_is_refused() -> None:
    shop, admin, user = admin_shop()
    with pytest.raises(RuleViolation) as caught:
        set_access(shop, admin, user.user_id)
    assert caught.value.code == "empty_update"


def test_changing_no_user_is_not_found() -> None:
    shop, admin, _ = admin_shop()
    with pytest.raises(NotFound) as caught:
        set_access(shop, admin, "usr_NOBODY", role=Role.SELLER)
    assert caught.value.code == "user_not_found"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CUSTOMER, None),
        (Role.SELLER, None),
        (None, UserStatus.DISABLED),
        (Role.ADMIN, UserStatus.DISABLED),
    ],
)
def test_an_admin_cannot_demote_or_disable_themselves(
    role: Role | None, status: UserStatus | None
) -> None:
    shop, admin, _ = admin_shop()
    with pytest.raises(Conflict) as caught:
        set_access(shop, admin, admin.user_id, role=role, status=status)
    assert caught.value.code == "self_lockout"
    kept = shop.accounts.users[admin.user_id]
    assert (kept.role, kept.status) == (Role.ADMIN, UserStatus.ACTIVE)


def test_an_admin_may_confirm_their_own_admin_role() -> None:
    shop, admin, _ = admin_shop()
    same = set_access(shop, admin, admin.user_id, role=Role.ADMIN, status=UserStatus.ACTIVE)
    assert (same.role, same.status) == (Role.ADMIN, UserStatus.ACTIVE)
    assert same.sessions_revoked_at is None


def test_disabling_a_user_revokes_their_sessions_and_sign_in() -> None:
    shop, admin, user = admin_shop()
    signed_in = shop.log_in()
    disabled = set_access(shop, admin, user.user_id, status=UserStatus.DISABLED)
    assert disabled.status is UserStatus.DISABLED
    assert disabled.sessions_revoked_at == CHANGED_AT
    assert shop.accounts.users[user.user_id].sessions_revoked_at == CHANGED_AT
    with pytest.raises(AuthenticationRequired) as refused:
        shop.refresh(signed_in.refresh_token, now=CHANGED_AT + timedelta(minutes=1))
    assert refused.value.code == "session_revoked"
    with pytest.raises(Forbidden) as forbidden:
        shop.log_in(now=CHANGED_AT + timedelta(minutes=2))
    assert forbidden.value.code == "account_disabled"


def test_a_role_change_alone_revokes_nothing() -> None:
    shop, admin, user = admin_shop()
    signed_in = shop.log_in()
    promoted = set_access(shop, admin, user.user_id, role=Role.SELLER)
    assert promoted.role is Role.SELLER
    assert promoted.status is UserStatus.ACTIVE
    assert promoted.sessions_revoked_at is None
    assert promoted.updated_at == CHANGED_AT
    assert shop.accounts.credentials_by_email[user.email].role is Role.SELLER
    renewed = shop.refresh(signed_in.refresh_token, now=CHANGED_AT + timedelta(minutes=1))
    assert renewed.role is Role.SELLER
    assert shop.log_in(now=CHANGED_AT + timedelta(minutes=2)).role is Role.SELLER


def test_enabling_again_keeps_the_earlier_revocation_and_allows_sign_in() -> None:
    shop, admin, user = admin_shop()
    old = shop.log_in()
    set_access(shop, admin, user.user_id, status=UserStatus.DISABLED, now=CHANGED_AT)
    enabled_at = CHANGED_AT + timedelta(hours=1)
    enabled = set_access(shop, admin, user.user_id, status=UserStatus.ACTIVE, now=enabled_at)
    assert enabled.status is UserStatus.ACTIVE
    assert enabled.sessions_revoked_at == CHANGED_AT
    with pytest.raises(AuthenticationRequired):
        shop.refresh(old.refresh_token, now=enabled_at + timedelta(minutes=1))
    fresh = shop.log_in(now=enabled_at + timedelta(minutes=2))
    assert shop.refresh(fresh.refresh_token, now=enabled_at + timedelta(minutes=3))


def test_disabling_an_already_disabled_user_does_not_move_the_revocation() -> None:
    shop, admin, user = admin_shop()
    set_access(shop, admin, user.user_id, status=UserStatus.DISABLED, now=CHANGED_AT)
    again = set_access(
        shop, admin, user.user_id, status=UserStatus.DISABLED, now=CHANGED_AT + timedelta(hours=1)
    )
    assert again.sessions_revoked_at == CHANGED_AT


def test_users_are_listed_newest_first_page_by_page() -> None:
    shop = Shop()
    made = [shop.register(f"user{n}@example.com", now=T0 + timedelta(minutes=n)) for n in range(5)]
    expected = [u.user_id for u in reversed(made)]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = services.list_users(cursor, 2, accounts=shop.accounts)
        pages += 1
        assert len(page.items) <= 2
        seen.extend(u.user_id for u in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected
    assert pages == 3


def test_a_list_that_fits_one_page_has_no_cursor() -> None:
    shop, _, _ = admin_shop()
    page = services.list_users(None, 10, accounts=shop.accounts)
    assert [u.email for u in page.items] == ["ada@example.com", "boss@example.com"]
    assert page.next_cursor is None
