"""AccountRepository: ``tests/unit/fakes.py: FakeAccounts`` and
``repositories/accounts/repository.py: DynamoAccounts`` keep the same rules: an email
is unique, a session rotates only from the token it holds, a reset is used once, an
account keeps at most ``MAX_ADDRESSES`` addresses, and the user list keeps its order
across pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.accounts.model import (
    MAX_ADDRESSES,
    Address,
    Credentials,
    PasswordReset,
    Role,
    Session,
    User,
    UserStatus,
)
from domain.accounts.ports import AccountRepository
from domain.errors import Conflict, InvalidRequest, NotFound
from domain.ids import new_id
from tests.contract.builders import at


@pytest.fixture
def accounts(kind: str) -> AccountRepository:
    if kind == "fake":
        from tests.unit.fakes import FakeAccounts

        return FakeAccounts()
    from repositories.accounts.repository import DynamoAccounts

    return DynamoAccounts()


def _user(email: str = "ada@shop.example", when: float = 0) -> tuple[User, Credentials]:
    user_id = new_id("usr")
    user = User(
        user_id, email, "Ada", "Lovelace", Role.CUSTOMER, UserStatus.ACTIVE, at(when), at(when)
    )
    return user, Credentials(email, user_id, "hash", Role.CUSTOMER, UserStatus.ACTIVE)


def _added(accounts: AccountRepository, email: str = "ada@shop.example", when: float = 0) -> User:
    user, credentials = _user(email, when)
    accounts.add_user(user, credentials)
    return user


def _address(user: User, n: int = 0) -> Address:
    return Address(
        address_id=new_id("adr"),
        user_id=user.user_id,
        full_name="Ada Lovelace",
        line1=f"{n} Road",
        city="London",
        postal_code="N1",
        country="GB",
        created_at=at(n),
        updated_at=at(n),
    )


def test_a_user_reads_back_as_written(accounts: AccountRepository) -> None:
    user, credentials = _user()
    accounts.add_user(user, credentials)
    assert accounts.user(user.user_id) == user
    assert accounts.credentials(user.email) == credentials
    assert accounts.user(new_id("usr")) is None


def test_an_email_is_unique(accounts: AccountRepository) -> None:
    first = _added(accounts)
    with pytest.raises(Conflict) as taken:
        _added(accounts)
    assert taken.value.code == "email_taken"
    stored = accounts.credentials(first.email)
    assert stored is not None
    assert stored.user_id == first.user_id


def test_a_session_rotates_only_from_the_token_it_holds(accounts: AccountRepository) -> None:
    user = _added(accounts)
    session = Session(user.user_id, new_id("ses"), "old", at(0), at(3600), at(0))
    accounts.open_session(session, clear_failures_of=None)
    assert accounts.rotate_session(session, new_hash="new", expires_at=at(7200), now=at(1))
    assert not accounts.rotate_session(session, new_hash="other", expires_at=at(7200), now=at(2))
    _, stored = accounts.user_and_session(user.user_id, session.session_id)
    assert stored is not None
    assert stored.token_hash == "new"
    accounts.end_session(user.user_id, session.session_id)
    assert accounts.user_and_session(user.user_id, session.session_id)[1] is None


def test_a_reset_is_used_once(accounts: AccountRepository) -> None:
    user = _added(accounts)
    reset = PasswordReset("tokenhash", user.user_id, user.email, at(0) + timedelta(hours=1))
    accounts.save_password_reset(reset)
    assert accounts.password_reset("tokenhash") == reset
    accounts.set_password(
        user, "hash2", revoked_at=at(1), keep_session_id=None, consume_reset="tokenhash"
    )
    assert accounts.password_reset("tokenhash") is None
    with pytest.raises(InvalidRequest) as used:
        accounts.set_password(
            user, "hash3", revoked_at=at(2), keep_session_id=None, consume_reset="tokenhash"
        )
    assert used.value.code == "invalid_reset_token"
    credentials = accounts.credentials(user.email)
    assert credentials is not None
    assert credentials.password_hash == "hash2"


def test_a_profile_change_needs_the_user(accounts: AccountRepository) -> None:
    user = _added(accounts)
    changed = accounts.update_profile(user.user_id, {"first_name": "Augusta"}, at(1))
    assert changed.first_name == "Augusta"
    with pytest.raises(NotFound) as missing:
        accounts.update_profile(new_id("usr"), {"first_name": "Nobody"}, at(1))
    assert missing.value.code == "user_not_found"


def test_an_account_keeps_at_most_max_addresses(accounts: AccountRepository) -> None:
    user = _added(accounts)
    for n in range(MAX_ADDRESSES):
        current = accounts.user(user.user_id)
        assert current is not None
        accounts.add_address(
            current, _address(user, n), default_shipping=n == 0, default_billing=False
        )
    full = accounts.user(user.user_id)
    assert full is not None
    assert full.address_count == MAX_ADDRESSES
    with pytest.raises(Conflict) as too_many:
        accounts.add_address(
            full, _address(user, 99), default_shipping=False, default_billing=False
        )
    assert too_many.value.code == "too_many_addresses"
    _, addresses = accounts.user_with_addresses(user.user_id)
    assert len(addresses) == MAX_ADDRESSES
    assert full.default_shipping_address_id in {a.address_id for a in addresses}


def test_the_user_list_is_newest_first_across_pages(accounts: AccountRepository) -> None:
    made = [_added(accounts, f"u{i}@shop.example", when=i) for i in range(5)]
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        page = accounts.list_users(cursor, 2)
        assert len(page.items) <= 2
        seen += [u.user_id for u in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [u.user_id for u in reversed(made)]
