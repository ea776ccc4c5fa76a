"""register: unique case-insensitive email, password policy in bytes, customer by default."""

from __future__ import annotations

import pytest

from domain.accounts.model import Role, UserStatus
from domain.errors import Conflict, RuleViolation
from tests.unit.fakes import PASSWORD, T0, Shop


def test_the_email_is_stored_lowercased_and_trimmed() -> None:
    shop = Shop()
    user = shop.register(" Ada@Example.COM ")
    assert user.email == "ada@example.com"
    assert shop.accounts.users[user.user_id].email == "ada@example.com"
    assert set(shop.accounts.credentials_by_email) == {"ada@example.com"}


def test_the_same_email_in_another_case_is_taken() -> None:
    shop = Shop()
    first = shop.register("ada@example.com")
    with pytest.raises(Conflict) as caught:
        shop.register("ADA@example.com", "another password")
    assert caught.value.code == "email_taken"
    assert list(shop.accounts.users) == [first.user_id]
    assert shop.accounts.credentials_by_email["ada@example.com"].user_id == first.user_id


def test_a_new_account_is_an_active_customer_stamped_now() -> None:
    shop = Shop()
    user = shop.register()
    assert user.role is Role.CUSTOMER
    assert user.status is UserStatus.ACTIVE
    assert user.created_at == user.updated_at == T0
    assert user.user_id.startswith("usr_")
    credentials = shop.accounts.credentials_by_email["ada@example.com"]
    assert credentials.user_id == user.user_id
    assert credentials.role is Role.CUSTOMER
    assert credentials.status is UserStatus.ACTIVE


def test_only_the_hashers_hash_of_the_password_is_stored() -> None:
    shop = Shop()
    shop.register()
    stored = shop.accounts.credentials_by_email["ada@example.com"].password_hash
    assert stored == shop.hasher.hash(PASSWORD)
    assert stored != PASSWORD


def test_a_long_multibyte_password_is_accepted() -> None:
    shop = Shop()
    password = "é" * 128  # 128 characters, 256 bytes
    shop.register(password=password)
    assert shop.log_in(password=password).user_id


@pytest.mark.parametrize(
    "password",
    [
        "é" * 128 + "x",  # 129 characters
        "a" * 129,
        "abcdefg",  # 7 characters
        "éééé",  # 8 bytes, but 4 characters
    ],
)
def test_a_password_outside_8_to_128_characters_is_refused_and_nothing_stored(
    password: str,
) -> None:
    shop = Shop()
    with pytest.raises(RuleViolation) as caught:
        shop.register(password=password)
    assert caught.value.code == "password_policy"
    assert shop.accounts.users == {}
    assert shop.accounts.credentials_by_email == {}


def test_eight_two_byte_characters_make_a_long_enough_password() -> None:
    shop = Shop()
    user = shop.register(password="é" * 8)
    assert user.user_id in shop.accounts.users
