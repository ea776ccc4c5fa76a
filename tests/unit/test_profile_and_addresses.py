"""Profile reads and updates; the address book with its defaults and its limit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.accounts import services
from domain.accounts.model import MAX_ADDRESSES, Address, Role, User
from domain.errors import Conflict, NotFound, RuleViolation
from tests.unit.fakes import T0, Shop

HOME = services.AddressForm(
    full_name="Ada Lovelace",
    line1="12 St James's Square",
    city="London",
    postal_code="SW1Y 4JH",
    country="GB",
    label="home",
)
WORK = services.AddressForm(
    full_name="Ada Lovelace",
    line1="1 Analytical Row",
    city="Cambridge",
    postal_code="CB2 1TN",
    country="GB",
    label="work",
)


def add(
    shop: Shop,
    user: User,
    form: services.AddressForm = HOME,
    *,
    shipping: bool = False,
    billing: bool = False,
    minutes: int = 1,
) -> tuple[User, Address]:
    return services.add_address(
        user.user_id,
        form,
        default_shipping=shipping,
        default_billing=billing,
        accounts=shop.accounts,
        now=T0 + timedelta(minutes=minutes),
    )


def stored(shop: Shop, user: User) -> User:
    found = shop.accounts.user(user.user_id)
    assert found is not None
    return found


# -- profile -------------------------------------------------------------------------


def test_the_profile_holds_the_user_and_their_addresses() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user, HOME, minutes=1)
    _, work = add(shop, user, WORK, minutes=2)
    found, addresses = services.profile(user.user_id, accounts=shop.accounts)
    assert found.user_id == user.user_id
    assert {a.address_id for a in addresses} == {home.address_id, work.address_id}
    assert len(addresses) == 2


def test_the_profile_of_no_user_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        services.profile("usr_NOBODY", accounts=Shop().accounts)
    assert caught.value.code == "user_not_found"


def test_an_empty_update_is_refused() -> None:
    shop = Shop()
    user = shop.register()
    with pytest.raises(RuleViolation) as caught:
        services.update_profile(user.user_id, {}, accounts=shop.accounts, now=T0)
    assert caught.value.code == "empty_update"


def test_updating_sets_the_given_fields_and_the_time() -> None:
    shop = Shop()
    user = shop.register()
    later = T0 + timedelta(days=1)
    updated = services.update_profile(
        user.user_id,
        {"first_name": "Augusta", "phone": "+44 20 7946 0000", "date_of_birth": date(1815, 12, 10)},
        accounts=shop.accounts,
        now=later,
    )
    assert (updated.first_name, updated.last_name) == ("Augusta", "Lovelace")
    assert updated.phone == "+44 20 7946 0000"
    assert updated.date_of_birth == date(1815, 12, 10)
    assert updated.updated_at == later
    assert stored(shop, user).first_name == "Augusta"


def test_none_clears_a_field() -> None:
    shop = Shop()
    user = shop.register()
    services.update_profile(user.user_id, {"phone": "+44 1"}, accounts=shop.accounts, now=T0)
    cleared = services.update_profile(user.user_id, {"phone": None}, accounts=shop.accounts, now=T0)
    assert cleared.phone is None
    assert stored(shop, user).phone is None


def test_updating_no_user_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        services.update_profile("usr_NOBODY", {"phone": None}, accounts=Shop().accounts, now=T0)
    assert caught.value.code == "user_not_found"


# -- addresses -----------------------------------------------------------------------


def test_the_first_address_becomes_both_defaults() -> None:
    shop = Shop()
    user = shop.register()
    returned, address = add(shop, user)
    assert address.address_id.startswith("adr_")
    assert (address.city, address.label, address.line2) == ("London", "home", None)
    for seen in (returned, stored(shop, user)):
        assert seen.default_shipping_address_id == address.address_id
        assert seen.default_billing_address_id == address.address_id
    assert stored(shop, user).address_count == 1


def test_a_later_default_shipping_address_moves_only_the_shipping_default() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user, HOME, minutes=1)
    returned, work = add(shop, user, WORK, shipping=True, minutes=2)
    for seen in (returned, stored(shop, user)):
        assert seen.default_shipping_address_id == work.address_id
        assert seen.default_billing_address_id == home.address_id
    assert stored(shop, user).address_count == 2


def test_a_later_address_without_defaults_changes_no_default() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user, HOME, minutes=1)
    add(shop, user, WORK, minutes=2)
    assert stored(shop, user).default_shipping_address_id == home.address_id
    assert stored(shop, user).default_billing_address_id == home.address_id


def test_the_twenty_first_address_is_refused() -> None:
    shop = Shop()
    user = shop.register()
    for n in range(MAX_ADDRESSES):
        add(shop, user, minutes=n)
    assert stored(shop, user).address_count == MAX_ADDRESSES == 20
    with pytest.raises(Conflict) as caught:
        add(shop, user, WORK, minutes=99)
    assert caught.value.code == "too_many_addresses"
    assert stored(shop, user).address_count == MAX_ADDRESSES
    assert len(shop.accounts.addresses) == MAX_ADDRESSES


def test_after_deleting_one_of_twenty_another_fits() -> None:
    shop = Shop()
    user = shop.register()
    added = [add(shop, user, minutes=n)[1] for n in range(MAX_ADDRESSES)]
    services.delete_address(user.user_id, added[-1].address_id, accounts=shop.accounts, now=T0)
    add(shop, user, WORK, minutes=99)
    assert stored(shop, user).address_count == MAX_ADDRESSES


def test_deleting_the_default_shipping_address_clears_only_that_default() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user, HOME, minutes=1)
    _, work = add(shop, user, WORK, shipping=True, minutes=2)
    services.delete_address(user.user_id, work.address_id, accounts=shop.accounts, now=T0)
    after = stored(shop, user)
    assert after.default_shipping_address_id is None
    assert after.default_billing_address_id == home.address_id
    assert after.address_count == 1
    _, addresses = services.profile(user.user_id, accounts=shop.accounts)
    assert [a.address_id for a in addresses] == [home.address_id]


def test_deleting_the_only_address_clears_both_defaults() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user)
    services.delete_address(user.user_id, home.address_id, accounts=shop.accounts, now=T0)
    after = stored(shop, user)
    assert (after.default_shipping_address_id, after.default_billing_address_id) == (None, None)
    assert after.address_count == 0


def test_deleting_an_unknown_address_is_not_found() -> None:
    shop = Shop()
    user = shop.register()
    add(shop, user)
    with pytest.raises(NotFound) as caught:
        services.delete_address(user.user_id, "adr_NOSUCH", accounts=shop.accounts, now=T0)
    assert caught.value.code == "address_not_found"
    assert stored(shop, user).address_count == 1


def test_updating_an_address_changes_its_fields_and_time() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user)
    later = T0 + timedelta(days=2)
    _, updated = services.update_address(
        user.user_id,
        home.address_id,
        {"city": "Bath", "line2": "Flat 2"},
        default_shipping=False,
        default_billing=False,
        accounts=shop.accounts,
        now=later,
    )
    assert (updated.city, updated.line2, updated.line1) == ("Bath", "Flat 2", HOME.line1)
    assert updated.updated_at == later
    assert updated.created_at == T0 + timedelta(minutes=1)


def test_updating_can_make_an_address_the_billing_default() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user, HOME, minutes=1)
    _, work = add(shop, user, WORK, minutes=2)
    returned, _ = services.update_address(
        user.user_id,
        work.address_id,
        {},
        default_shipping=False,
        default_billing=True,
        accounts=shop.accounts,
        now=T0,
    )
    for seen in (returned, stored(shop, user)):
        assert seen.default_billing_address_id == work.address_id
        assert seen.default_shipping_address_id == home.address_id


def test_updating_an_unknown_address_is_not_found() -> None:
    shop = Shop()
    user = shop.register()
    with pytest.raises(NotFound) as caught:
        services.update_address(
            user.user_id,
            "adr_NOSUCH",
            {"city": "Bath"},
            default_shipping=False,
            default_billing=False,
            accounts=shop.accounts,
            now=T0,
        )
    assert caught.value.code == "address_not_found"


def test_another_users_address_is_not_found() -> None:
    shop = Shop()
    ada = shop.register()
    eve = shop.register("eve@example.com")
    _, home = add(shop, ada)
    with pytest.raises(NotFound):
        services.delete_address(eve.user_id, home.address_id, accounts=shop.accounts, now=T0)
    assert stored(shop, ada).address_count == 1


def test_an_empty_address_update_is_refused() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user)
    with pytest.raises(RuleViolation) as caught:
        services.update_address(
            user.user_id,
            home.address_id,
            {},
            default_shipping=None,
            default_billing=None,
            accounts=shop.accounts,
            now=T0,
        )
    assert caught.value.code == "empty_update"


def test_an_update_that_only_says_not_default_changes_nothing_and_is_fine() -> None:
    shop = Shop()
    user = shop.register()
    _, home = add(shop, user)
    before = shop.accounts.users[user.user_id]
    defaults = (before.default_shipping_address_id, before.default_billing_address_id)
    assert defaults == (home.address_id, home.address_id)  # the first address is both
    _, after = services.update_address(
        user.user_id,
        home.address_id,
        {},
        default_shipping=False,
        default_billing=None,
        accounts=shop.accounts,
        now=T0,
    )
    assert (after.full_name, after.line1) == (home.full_name, home.line1)
    stored = shop.accounts.users[user.user_id]
    assert (stored.default_shipping_address_id, stored.default_billing_address_id) == defaults


def test_addresses_of_no_user_are_not_found() -> None:
    shop = Shop()
    user = shop.register()
    del shop.accounts.users[user.user_id]
    with pytest.raises(NotFound) as caught:
        add(shop, user)
    assert caught.value.code == "user_not_found"
    assert shop.accounts.addresses == {}


def test_a_field_that_is_not_part_of_the_profile_is_a_rule_violation() -> None:
    shop = Shop()
    user = shop.register()

    with pytest.raises(RuleViolation) as refused:
        services.update_profile(user.user_id, {"role": "admin"}, accounts=shop.accounts, now=T0)

    assert refused.value.code == "unknown_field"
    assert shop.accounts.users[user.user_id].role is Role.CUSTOMER
