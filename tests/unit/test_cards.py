"""Saved cards' rules (domain/payments/cards.py) and checkout paying with a saved card,
on plain fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from domain.buying.checkout import CheckoutForm, checkout
from domain.buying.model import Order
from domain.buying.payments import FIRST_ATTEMPT, PaymentResult, process_payment
from domain.errors import Conflict, NotFound, RuleViolation
from domain.payments.cards import (
    StoredCard,
    cards_of,
    confirm_test_setup,
    customer_key,
    make_default,
    remove_card,
    save_card,
    start_setup,
)
from domain.payments.ports import Card, SavedCard
from tests.unit.card_fakes import FakeCards, FakeVault, RecordingProvider
from tests.unit.order_fakes import at
from tests.unit.payment_fakes import NOW, FakeOrders, FakePayments, an_order
from tests.unit.test_checkout import ADDRESS, BUYER, LIMITS, PRICING, line
from tests.unit.test_checkout import World as CheckoutWorld

USER = "usr_1"
OTHER = "usr_2"


@pytest.fixture
def cards() -> FakeCards:
    return FakeCards(emails={USER: "ada@shop.example", OTHER: "grace@shop.example"})


@pytest.fixture
def vault() -> FakeVault:
    return FakeVault()


def _saved(
    cards: FakeCards,
    vault: FakeVault,
    user: str = USER,
    *,
    minutes: int = 0,
    make_default: bool = False,
    last4: str = "4242",
) -> StoredCard:
    setup = start_setup(user, cards=cards, vault=vault, now=NOW)
    vault.confirm(setup.reference, last4=last4)
    return save_card(
        user,
        setup.reference,
        make_default=make_default,
        cards=cards,
        vault=vault,
        now=NOW + timedelta(minutes=minutes),
    )


# -- setup ---------------------------------------------------------------------------------


def test_the_first_setup_makes_the_customer_with_the_users_key(
    cards: FakeCards, vault: FakeVault
) -> None:
    setup = start_setup(USER, cards=cards, vault=vault, now=NOW)
    assert setup.client_secret.startswith(setup.reference)
    assert vault.calls == [f"create_customer {customer_key(USER)}", "start_setup"]
    assert customer_key(USER) == f"customer:{USER}"
    assert cards.customers == {USER: "cus_1"}
    assert vault.setups[setup.reference] == "cus_1"


def test_later_setups_reuse_the_customer(cards: FakeCards, vault: FakeVault) -> None:
    start_setup(USER, cards=cards, vault=vault, now=NOW)
    vault.calls.clear()
    start_setup(USER, cards=cards, vault=vault, now=NOW)
    assert vault.calls == ["start_setup"]
    assert len(vault.customers) == 1


def test_a_customer_kept_by_a_concurrent_first_setup_wins(
    cards: FakeCards, vault: FakeVault
) -> None:
    cards.customers[USER] = "cus_kept"  # kept between our read and our write
    cards.customer = lambda user_id: None  # type: ignore[method-assign]  # we read none
    setup = start_setup(USER, cards=cards, vault=vault, now=NOW)
    assert vault.setups[setup.reference] == "cus_kept"


# -- save ----------------------------------------------------------------------------------


def test_a_confirmed_setup_is_saved_with_only_what_may_be_kept(
    cards: FakeCards, vault: FakeVault
) -> None:
    card = _saved(cards, vault)
    assert card.card == Card("visa", "4242", 12, 2030)
    assert card.customer_id == "cus_1"
    assert card.is_default is True  # the first card
    assert cards_of(USER, cards=cards) == [card]


def test_a_second_card_is_not_the_default_unless_asked(cards: FakeCards, vault: FakeVault) -> None:
    first = _saved(cards, vault)
    second = _saved(cards, vault, minutes=1, last4="4444")
    assert (first.is_default, second.is_default) == (True, False)
    third = _saved(cards, vault, minutes=2, last4="0005", make_default=True)
    assert third.is_default is True
    assert [c.is_default for c in cards_of(USER, cards=cards)] == [False, False, True]


def test_an_unconfirmed_setup_is_refused(cards: FakeCards, vault: FakeVault) -> None:
    setup = start_setup(USER, cards=cards, vault=vault, now=NOW)
    with pytest.raises(Conflict) as caught:
        save_card(USER, setup.reference, make_default=False, cards=cards, vault=vault, now=NOW)
    assert caught.value.code == "setup_not_confirmed"
    assert cards.cards == {}


def test_another_customers_setup_is_refused(cards: FakeCards, vault: FakeVault) -> None:
    start_setup(USER, cards=cards, vault=vault, now=NOW)
    theirs = start_setup(OTHER, cards=cards, vault=vault, now=NOW)
    vault.confirm(theirs.reference)
    with pytest.raises(Conflict):
        save_card(USER, theirs.reference, make_default=False, cards=cards, vault=vault, now=NOW)
    assert cards.cards == {}


def test_without_a_customer_the_provider_is_not_asked(cards: FakeCards, vault: FakeVault) -> None:
    with pytest.raises(Conflict):
        save_card(USER, "seti_x", make_default=False, cards=cards, vault=vault, now=NOW)
    assert vault.calls == []


def test_saving_twice_answers_the_first_card(cards: FakeCards, vault: FakeVault) -> None:
    setup = start_setup(USER, cards=cards, vault=vault, now=NOW)
    vault.confirm(setup.reference)
    first = save_card(USER, setup.reference, make_default=False, cards=cards, vault=vault, now=NOW)
    again = save_card(USER, setup.reference, make_default=True, cards=cards, vault=vault, now=NOW)
    assert again == first
    assert len(cards.cards[USER]) == 1


# -- remove and default ----------------------------------------------------------------------


def test_removing_detaches_first_then_forgets(cards: FakeCards, vault: FakeVault) -> None:
    card = _saved(cards, vault)
    remove_card(USER, card.payment_method, cards=cards, vault=vault)
    assert vault.detached == [card.payment_method]
    assert cards_of(USER, cards=cards) == []
    assert USER not in cards.defaults


def test_removing_the_default_makes_the_newest_left_the_default(
    cards: FakeCards, vault: FakeVault
) -> None:
    first = _saved(cards, vault)
    second = _saved(cards, vault, minutes=1, last4="4444")
    third = _saved(cards, vault, minutes=2, last4="0005")
    remove_card(USER, first.payment_method, cards=cards, vault=vault)
    assert cards.defaults[USER] == third.payment_method
    remove_card(USER, second.payment_method, cards=cards, vault=vault)
    assert cards.defaults[USER] == third.payment_method


def test_a_card_that_is_not_mine_is_not_found_and_not_detached(
    cards: FakeCards, vault: FakeVault
) -> None:
    theirs = _saved(cards, vault, OTHER)
    with pytest.raises(NotFound) as caught:
        remove_card(USER, theirs.payment_method, cards=cards, vault=vault)
    assert caught.value.code == "payment_method_not_found"
    with pytest.raises(NotFound):
        make_default(USER, theirs.payment_method, cards=cards)
    assert vault.detached == []
    assert cards.defaults[OTHER] == theirs.payment_method


def test_make_default(cards: FakeCards, vault: FakeVault) -> None:
    first = _saved(cards, vault)
    second = _saved(cards, vault, minutes=1, last4="4444")
    chosen = make_default(USER, second.payment_method, cards=cards)
    assert chosen == replace(second, is_default=True)
    assert [c.is_default for c in cards_of(USER, cards=cards)] == [False, True]
    assert first.payment_method != cards.defaults[USER]


# -- the test-mode stand-in ------------------------------------------------------------------


class FakeConfirmer:
    def __init__(self) -> None:
        self.known = {"seti_1": SavedCard("pm_1", Card("visa", "4242"))}

    def confirm_setup(self, *, setup_reference: str, payment_method: str) -> SavedCard | None:
        return self.known.get(setup_reference)


def test_the_stand_in_answers_the_card_or_404() -> None:
    confirmer = FakeConfirmer()
    assert confirm_test_setup("seti_1", "pm_card_visa", vault=confirmer).payment_method == "pm_1"
    with pytest.raises(NotFound):
        confirm_test_setup("seti_2", "pm_card_visa", vault=confirmer)
    with pytest.raises(NotFound):  # a stage on Stripe has none
        confirm_test_setup("seti_1", "pm_card_visa", vault=None)


# -- checkout and ProcessPayment with a saved card ---------------------------------------------


def test_process_payment_charges_a_saved_card_with_its_customer() -> None:
    orders = FakeOrders(
        replace(an_order(payment_method="pm_saved_1"), customer_id="cus_1"), an_order("ord_2")
    )
    provider = RecordingProvider()
    for order_id in ("ord_1", "ord_2"):
        answer = process_payment(
            order_id,
            FIRST_ATTEMPT,
            orders=orders,
            payments=FakePayments(),
            provider=provider,
            now=NOW,
        )
        assert answer.outcome is PaymentResult.PAID
    assert provider.asked == [("pm_saved_1", "cus_1"), ("pm_card_visa", None)]


def _checkout(w: CheckoutWorld, cards: FakeCards | None, method: str, key: str = "k1") -> Order:
    return checkout(
        BUYER,
        key,
        CheckoutForm(method, shipping_address=ADDRESS),
        store=w.store,
        orders=w.store,
        holds=w.holds,
        pricing=PRICING,
        limits=LIMITS,
        now=at(1),
        cards=cards,
    ).order


def _saved_of_buyer(cards: FakeCards) -> StoredCard:
    card = StoredCard("pm_saved_1", Card("visa", "4242", 12, 2030), "cus_9", NOW)
    cards.customers[BUYER] = "cus_9"
    cards.cards[BUYER] = {card.payment_method: card}
    return card


def test_checkout_with_a_saved_card_records_its_customer(cards: FakeCards) -> None:
    w = CheckoutWorld()
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 1))
    card = _saved_of_buyer(cards)
    order = _checkout(w, cards, card.payment_method)
    assert (order.payment_method, order.customer_id) == ("pm_saved_1", "cus_9")
    assert w.store.orders[order.order_id].customer_id == "cus_9"
    assert cards.calls == ["card_customer"]  # one lookup


def test_checkout_with_a_method_that_is_not_a_saved_card_records_no_customer(
    cards: FakeCards,
) -> None:
    w = CheckoutWorld()
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 1))
    _saved_of_buyer(cards)
    assert _checkout(w, cards, "pm_card_visa").customer_id is None
    cards.cards[OTHER] = {"pm_theirs": StoredCard("pm_theirs", Card("visa", "1"), "cus_x", NOW)}
    w.store.put_line(line(lamp, 1))
    assert _checkout(w, cards, "pm_theirs", key="k2").customer_id is None  # not the buyer's
    w.store.put_line(line(lamp, 1))
    assert _checkout(w, None, "pm_saved_1", key="k3").customer_id is None  # cards not offered


def test_a_refused_checkout_looks_no_card_up(cards: FakeCards) -> None:
    w = CheckoutWorld()
    with pytest.raises(RuleViolation):
        _checkout(w, cards, "pm_saved_1")  # empty cart
    lamp = w.stocked(1)
    w.store.put_line(line(lamp, 2))
    with pytest.raises(Conflict):
        _checkout(w, cards, "pm_saved_1", key="k2")  # short
    assert cards.calls == []


def test_a_replayed_checkout_looks_no_card_up_again(cards: FakeCards) -> None:
    w = CheckoutWorld()
    lamp = w.stocked(5)
    w.store.put_line(line(lamp, 1))
    card = _saved_of_buyer(cards)
    first = _checkout(w, cards, card.payment_method)
    again = _checkout(w, cards, card.payment_method)
    assert again.order_id == first.order_id
    assert again.customer_id == "cus_9"
    assert cards.calls == ["card_customer"]
