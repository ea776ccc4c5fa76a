"""Opening a shop (domain/catalog/sellers.py): a customer becomes a seller, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.accounts.model import Role, User
from domain.catalog.model import Seller
from domain.catalog.sellers import ShopForm, become_seller, shop
from domain.errors import Conflict, NotFound
from tests.unit.catalog_fakes import FakeSellers
from tests.unit.fakes import T0, Shop

OPENED_AT = T0 + timedelta(days=1)
FORM = ShopForm("Walnut & Co", "  Orders@Walnut.Example ", "Lamps, mostly.")


def setup(role: Role = Role.CUSTOMER) -> tuple[Shop, FakeSellers, User]:
    accounts_shop = Shop()
    user = accounts_shop.register("ada@example.com", role=role)
    return accounts_shop, FakeSellers(accounts_shop.accounts), user


def open_shop(s: Shop, sellers: FakeSellers, user_id: str, form: ShopForm = FORM) -> Seller:
    return become_seller(user_id, form, accounts=s.accounts, sellers=sellers, now=OPENED_AT)


def test_a_customer_opens_a_shop_named_after_their_user_id() -> None:
    s, sellers, user = setup()
    seller = become_seller(user.user_id, FORM, accounts=s.accounts, sellers=sellers, now=OPENED_AT)
    assert seller.seller_id == "sel_" + user.user_id.removeprefix("usr_")
    assert seller.seller_id.startswith("sel_")
    assert len(seller.seller_id) == len("sel_") + 26
    assert seller.user_id == user.user_id
    assert (seller.shop_name, seller.description) == ("Walnut & Co", "Lamps, mostly.")
    assert seller.contact_email == "orders@walnut.example"
    assert (seller.created_at, seller.updated_at) == (OPENED_AT, OPENED_AT)
    assert sellers.seller(seller.seller_id) == seller


def test_opening_a_shop_makes_the_user_a_seller() -> None:
    s, sellers, user = setup()
    s.log_in()  # a session from before
    open_shop(s, sellers, user.user_id)
    assert s.accounts.users[user.user_id].role is Role.SELLER
    assert s.accounts.credentials_by_email["ada@example.com"].role is Role.SELLER
    signed_in = s.log_in(now=OPENED_AT)
    assert signed_in.role is Role.SELLER
    assert s.tokens.issued[-1].split(":")[2] == "seller"


def test_a_refresh_after_opening_a_shop_carries_the_seller_role() -> None:
    s, sellers, user = setup()
    before = s.log_in()
    assert before.role is Role.CUSTOMER
    open_shop(s, sellers, user.user_id)
    refreshed = s.refresh(before.refresh_token, now=OPENED_AT)
    assert refreshed.role is Role.SELLER


def test_a_description_is_optional() -> None:
    s, sellers, user = setup()
    seller = become_seller(
        user.user_id,
        ShopForm("Walnut", "orders@walnut.example"),
        accounts=s.accounts,
        sellers=sellers,
        now=OPENED_AT,
    )
    assert seller.description is None


def test_a_seller_cannot_open_a_second_shop() -> None:
    s, sellers, user = setup()
    first = open_shop(s, sellers, user.user_id)
    with pytest.raises(Conflict) as caught:
        open_shop(s, sellers, user.user_id, ShopForm("Second", "two@walnut.example"))
    assert caught.value.code == "seller_exists"
    assert list(sellers.sellers.values()) == [first]


def test_an_admin_may_not_open_a_shop() -> None:
    s, sellers, user = setup(Role.ADMIN)
    with pytest.raises(Conflict) as caught:
        open_shop(s, sellers, user.user_id)
    assert caught.value.code == "seller_exists"
    assert sellers.sellers == {}
    assert s.accounts.users[user.user_id].role is Role.ADMIN


def test_a_seller_without_a_shop_may_open_one_once() -> None:
    s, sellers, user = setup(Role.SELLER)
    opened = open_shop(s, sellers, user.user_id)
    assert list(sellers.sellers) == [opened.seller_id]
    with pytest.raises(Conflict) as caught:
        open_shop(s, sellers, user.user_id)
    assert caught.value.code == "seller_exists"


def test_a_missing_user_cannot_open_a_shop() -> None:
    s, sellers, _ = setup()
    with pytest.raises(NotFound) as caught:
        open_shop(s, sellers, "usr_01JD0000000000000000000000")
    assert caught.value.code == "user_not_found"
    assert sellers.sellers == {}


def test_a_shop_is_found_by_its_seller_id() -> None:
    s, sellers, user = setup()
    opened = become_seller(user.user_id, FORM, accounts=s.accounts, sellers=sellers, now=OPENED_AT)
    assert shop(opened.seller_id, sellers=sellers) == opened


def test_an_unknown_shop_is_not_found() -> None:
    _, sellers, _ = setup()
    with pytest.raises(NotFound) as caught:
        shop("sel_01JD0000000000000000000000", sellers=sellers)
    assert caught.value.code == "seller_not_found"
